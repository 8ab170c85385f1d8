"""Specification of the offline generators: procedural images and videos, and ECharts options."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from webagent.core.colour import hex_to_rgb
from webagent.core.context import GenerationContext
from webagent.core.contracts import (
    AssetContext,
    AssetSize,
    AssetSpec,
    ChartAttributes,
    Dataset,
    DesignTokens,
    Fonts,
    ImageAttributes,
    Palette,
    VideoAttributes,
)
from webagent.core.datasets import parse_number
from webagent.core.errors import GenerationError
from webagent.generators import generate_asset
from webagent.generators.chart import offline as chart
from webagent.generators.image import canvas
from webagent.generators.image import procedural as image
from webagent.generators.video import encoding
from webagent.generators.video import procedural as video

WARM = Palette(
    background="#F7F5F0",
    surface="#FFFFFF",
    text="#1B1F2A",
    muted="#6B7280",
    primary="#1F4E79",
    secondary="#E07A5F",
    accent="#F2CC8F",
)
GREEN = Palette(
    background="#FFFFFF",
    surface="#F3F4F6",
    text="#111827",
    muted="#6B7280",
    primary="#2D6A4F",
    secondary="#95D5B2",
    accent="#FFB703",
)


def tokens_for(palette: Palette = WARM) -> DesignTokens:
    return DesignTokens(palette=palette, fonts=Fonts(heading="'Inter', sans-serif", body="'Inter', sans-serif"))


TOKENS = tokens_for()
ATTRIBUTES = {"image": ImageAttributes, "video": VideoAttributes, "chart": ChartAttributes}


def make_spec(
    kind: str,
    prompt: str = "a calm hero visual",
    *,
    path: str | None = None,
    width: int = 1200,
    height: int = 800,
    title: str = "",
    dataset: Dataset | None = None,
    page_style: str = "editorial",
    **attributes,
) -> AssetSpec:
    default_path = {"image": "assets/hero.webp", "video": "assets/loop.mp4", "chart": "assets/chart.json"}[kind]
    return AssetSpec(
        id=f"{kind}-1",
        kind=kind,
        path=path or default_path,
        section_id="hero",
        title=title,
        size=AssetSize(width=width, height=height),
        context=AssetContext(section="hero", role="hero visual", page_style=page_style),
        attributes=ATTRIBUTES[kind](**attributes),
        prompt=prompt,
        dataset=dataset,
    )


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def assert_no_partial_files(folder: Path) -> None:
    assert not [p for p in files_under(folder) if ".part" in p.name]


# --- images ------------------------------------------------------------------------------


def palette_distance(picture: Image.Image, palette: Palette) -> float:
    """Pixel-weighted distance of the picture's 8 dominant colours to the palette's colour family:
    its colours and the mixes of two of them, each also tinted toward white or the text colour."""
    base = [
        hex_to_rgb(getattr(palette, role))
        for role in ("background", "surface", "text", "primary", "secondary", "accent")
    ]
    mixes = [canvas.mix(a, b, t) for a in base for b in base for t in (0.0, 0.25, 0.5)]
    family = [canvas.mix(c, end, t) for c in mixes for end in (canvas.WHITE, base[2]) for t in (0.0, 0.2, 0.4)]
    quantised = picture.convert("RGB").quantize(8, method=Image.Quantize.MEDIANCUT)
    dominant = np.array(quantised.getpalette()[:24], dtype=float).reshape(-1, 3)
    counts = np.bincount(np.asarray(quantised).ravel(), minlength=8)[: len(dominant)]
    nearest = np.sqrt(((dominant[:, None, :] - np.array(family)[None]) ** 2).sum(-1)).min(axis=1)
    return float((nearest * counts).sum() / counts.sum())


def test_image_matches_slot_aspect_and_palette(tmp_path):
    spec = make_spec("image", "misty mountain landscape at dawn")
    asset = image.generate(spec, TOKENS, GenerationContext(tmp_path))

    assert (asset.id, asset.kind, asset.path, asset.backend) == ("image-1", "image", "assets/hero.webp", "offline")
    with Image.open(tmp_path / "assets/hero.webp") as picture:
        assert picture.format == "WEBP"
        assert picture.size == (1200, 800)
        pixels = np.asarray(picture.convert("RGB"), dtype=float)
        assert pixels.std() > 25, "the picture is flat"
        assert palette_distance(picture, WARM) < 16
    assert_no_partial_files(tmp_path)


@pytest.mark.parametrize("prompt", ["forest landscape", "swiss grid poster", "portrait of our speaker"])
def test_image_colours_follow_the_page_palette(prompt):
    spec = make_spec("image", prompt)
    warm = image.paint(spec, tokens_for(WARM), (300, 200))
    green = image.paint(spec, tokens_for(GREEN), (300, 200))

    assert palette_distance(warm, WARM) < 16 and palette_distance(green, GREEN) < 16
    assert palette_distance(warm, WARM) + 5 < palette_distance(warm, GREEN)
    assert palette_distance(green, GREEN) + 5 < palette_distance(green, WARM)


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [
        (3200, 1800, (1600, 900)),
        (4000, 1000, (1600, 400)),
        (900, 1800, (800, 1600)),
        (640, 480, (640, 480)),
    ],
)
def test_image_size_is_the_slot_capped_at_1600_px(width, height, expected):
    assert image.fit_size(width, height, image.LONGEST_SIDE_PX) == expected


def test_large_slot_keeps_its_aspect_ratio_exactly(tmp_path):
    spec = make_spec("image", "city skyline", width=3000, height=1250)
    image.generate(spec, TOKENS, GenerationContext(tmp_path))
    with Image.open(tmp_path / spec.path) as picture:
        assert picture.size == (1600, 667)


def test_png_path_writes_a_png(tmp_path):
    spec = make_spec("image", "abstract shapes", path="assets/cover.png", width=320, height=320)
    image.generate(spec, TOKENS, GenerationContext(tmp_path))
    with Image.open(tmp_path / "assets/cover.png") as picture:
        assert picture.format == "PNG"
        assert picture.size == (320, 320)


def test_image_is_deterministic_and_the_seed_changes_it():
    spec = make_spec("image", "ocean waves at the beach")
    first = np.asarray(image.paint(spec, TOKENS, (240, 160), seed=3))
    again = np.asarray(image.paint(spec, TOKENS, (240, 160), seed=3))
    other = np.asarray(image.paint(spec, TOKENS, (240, 160), seed=4))

    assert np.array_equal(first, again)
    assert np.abs(first.astype(int) - other.astype(int)).mean() > 1


@pytest.mark.parametrize(
    ("prompt", "motif"),
    [
        ("Snowy mountains above a valley", "landscape"),
        ("A pine forest trail", "landscape"),
        ("The city skyline at dusk", "city"),
        ("Modern architecture of our office building", "city"),
        ("Waves rolling onto a quiet beach", "ocean"),
        ("Portrait of the keynote speaker", "portrait"),
        ("Our team", "portrait"),
        ("Product shot of the new smart watch", "product"),
        ("The book cover", "product"),
        ("Fresh coffee and cake at the bakery", "food"),
        ("Bold geometric composition", "geometric"),
        ("Welcome to the future", "abstract"),
    ],
)
def test_motif_follows_the_words_of_the_prompt(prompt, motif):
    spec = make_spec("image", prompt)
    assert image.choose_motif(spec) == motif
    picture = np.asarray(image.paint(spec, TOKENS, (200, 150)), dtype=float)
    assert picture.std() > 12, f"the {motif} picture is nearly flat"


def test_subject_of_the_prompt_wins_over_the_page_style():
    assert image.choose_motif(make_spec("image", "portrait of the founder", page_style="swiss grid")) == "portrait"
    assert image.choose_motif(make_spec("image", "hero visual", page_style="swiss grid")) == "geometric"
    assert image.choose_motif(make_spec("image", "hero visual", visual_style="brutalist")) == "geometric"


def test_colour_tone_cues_shift_the_picture():
    def mean_brightness(tone: str) -> float:
        spec = make_spec("image", "rolling hills", color_tone=tone)
        return float(np.asarray(image.paint(spec, TOKENS, (240, 160)), dtype=float).mean())

    assert mean_brightness("dark, moody") < mean_brightness("page palette") - 20
    assert mean_brightness("soft pastel") > mean_brightness("page palette") + 10


def test_image_that_fails_to_land_leaves_no_file(tmp_path, monkeypatch):
    def refuse(*_):
        raise OSError("disk full")

    monkeypatch.setattr("webagent.core.files.os.replace", refuse)
    with pytest.raises(OSError):
        image.generate(make_spec("image", width=160, height=120), TOKENS, GenerationContext(tmp_path))
    assert files_under(tmp_path) == []


# --- videos ------------------------------------------------------------------------------


def ffmpeg_description(path: Path) -> str:
    """What ``ffmpeg -i`` says about a file's streams."""
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)]
    return subprocess.run(command, capture_output=True, text=True).stderr


def decoded_frames(path: Path) -> np.ndarray:
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    width, height = meta["size"]
    return np.stack([np.frombuffer(f, np.uint8).reshape(height, width, 3) for f in reader]).astype(np.int16)


def top_level_boxes(path: Path) -> list[str]:
    """The top-level MP4 box types in file order."""
    data, boxes, offset = path.read_bytes(), [], 0
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        boxes.append(data[offset + 4 : offset + 8].decode("latin-1"))
        if size == 1:
            size = int.from_bytes(data[offset + 8 : offset + 16], "big")
        if size < 8:
            break
        offset += size
    return boxes


@pytest.fixture(scope="module")
def rendered_video(tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("video")
    spec = make_spec(
        "video", "city skyline at night", width=640, height=360, seconds=2.0, motion_intensity="medium", loopable=True
    )
    return out_dir, video.generate(spec, TOKENS, GenerationContext(out_dir))


def test_video_writes_mp4_webm_and_poster_atomically(rendered_video):
    out_dir, asset = rendered_video
    assert (asset.kind, asset.backend, asset.path) == ("video", "offline", "assets/loop.mp4")
    assert asset.sources == ["assets/loop.webm"]
    assert asset.poster == "assets/loop-poster.webp"
    assert sorted(p.name for p in files_under(out_dir)) == ["loop-poster.webp", "loop.mp4", "loop.webm"]


def test_mp4_is_h264_yuv420p_without_audio_and_starts_fast(rendered_video):
    out_dir, asset = rendered_video
    description = ffmpeg_description(out_dir / asset.path)
    assert "Video: h264" in description and "yuv420p" in description
    assert "Audio:" not in description
    boxes = top_level_boxes(out_dir / asset.path)
    assert boxes.index("moov") < boxes.index("mdat"), boxes


def test_webm_is_vp8(rendered_video):
    out_dir, asset = rendered_video
    description = ffmpeg_description(out_dir / asset.sources[0])
    assert "Video: vp8" in description and "Audio:" not in description


@pytest.mark.parametrize("encoding", ["mp4", "webm"])
def test_video_decodes_with_motion_between_frames(rendered_video, encoding):
    out_dir, asset = rendered_video
    frames = decoded_frames(out_dir / (asset.path if encoding == "mp4" else asset.sources[0]))

    assert abs(len(frames) - 2.0 * 24) <= 1
    assert frames.shape[1:] == (360, 640, 3)
    middle = len(frames) // 2
    travelled = np.abs(frames[middle] - frames[0]).mean()
    steps = [np.abs(frames[i + 1] - frames[i]).mean() for i in range(len(frames) - 1)]
    assert travelled > 4, "the camera does not move"
    assert max(steps) < min(6, travelled / 3), "the motion jumps between frames"


def test_loopable_video_ends_where_it_starts(rendered_video):
    out_dir, asset = rendered_video
    frames = decoded_frames(out_dir / asset.path)
    middle = len(frames) // 2
    assert np.abs(frames[-1] - frames[0]).mean() < np.abs(frames[middle] - frames[0]).mean() / 4


def test_poster_is_the_first_frame(rendered_video):
    out_dir, asset = rendered_video
    first = decoded_frames(out_dir / asset.path)[0]
    with Image.open(out_dir / asset.poster) as poster:
        assert poster.format == "WEBP"
        assert poster.size == (640, 360)
        assert np.abs(np.asarray(poster.convert("RGB"), dtype=np.int16) - first).mean() < 4


@pytest.mark.parametrize(
    "width, height, expected", [(1200, 800, (960, 640)), (1001, 563, (960, 540)), (333, 211, (332, 212))]
)
def test_video_frames_are_even_and_capped_at_960_px(width, height, expected):
    assert encoding.slot_size(make_spec("video", width=width, height=height)) == expected


def test_video_length_is_capped_at_six_seconds(tmp_path):
    spec = make_spec("video", "ocean", width=64, height=36, seconds=20.0)
    asset = video.generate(spec, TOKENS, GenerationContext(tmp_path))
    assert len(decoded_frames(tmp_path / asset.path)) == 6 * 24


@pytest.mark.parametrize(
    ("camera", "zooms_in", "zooms_out", "direction"),
    [
        ("slow push-in", True, False, None),
        ("gentle pull back", False, True, None),
        ("pan left", False, False, (-1.0, 0.0)),
        ("tilt up", False, False, (0.0, -1.0)),
    ],
)
def test_camera_cue_sets_the_move(camera, zooms_in, zooms_out, direction):
    move = video.plan_camera(VideoAttributes(camera=camera), seconds=4.0)
    assert (move.zoom_end > move.zoom_start) == zooms_in
    assert (move.zoom_end < move.zoom_start) == zooms_out
    if direction:
        assert move.direction == direction and move.travel > 0


def test_broken_ffmpeg_raises_and_leaves_no_files(tmp_path, monkeypatch):
    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", lambda: "/bin/false")
    with pytest.raises(GenerationError, match=r"video video-1: ffmpeg failed"):
        video.generate(make_spec("video", width=64, height=36, seconds=1.0), TOKENS, GenerationContext(tmp_path))
    assert files_under(tmp_path) == []


def test_missing_ffmpeg_is_a_generation_error(tmp_path, monkeypatch):
    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", lambda: str(tmp_path / "no-ffmpeg"))
    with pytest.raises(GenerationError, match="cannot start ffmpeg"):
        video.generate(make_spec("video", width=64, height=36, seconds=1.0), TOKENS, GenerationContext(tmp_path))
    assert files_under(tmp_path) == []


# --- charts ------------------------------------------------------------------------------

REVENUE = Dataset(
    title="Revenue by quarter",
    columns=["Quarter", "Revenue", "Margin", "Owner", "Change"],
    rows=[
        ["Q1 2024", "$1,200", "12%", "Ana", "−3.5"],
        ["Q2 2024", "1.5k", "14.5%", "Ben", "2"],
        ["Q3 2024", "14930", "22.9%", "Ana", "0.75"],
    ],
)


def chart_spec(chart_type: str = "bar", dataset: Dataset | None = REVENUE, **attributes) -> AssetSpec:
    return make_spec(
        "chart",
        "quarterly revenue",
        title="Revenue",
        dataset=dataset,
        width=640,
        height=400,
        chart_type=chart_type,
        **attributes,
    )


def column_numbers(dataset: Dataset, header: str) -> list[float | None]:
    index = dataset.columns.index(header)
    return [parse_number(row[index]) for row in dataset.rows]


NUMERIC_HEADERS = ["Revenue", "Margin", "Change"]
QUARTERS = ["Q1 2024", "Q2 2024", "Q3 2024"]


@pytest.mark.parametrize("chart_type", ["bar", "line", "area"])
def test_chart_option_holds_dataset_values_verbatim(chart_type):
    option = chart.build_option(chart_spec(chart_type), TOKENS)

    assert option["xAxis"]["data"] == QUARTERS
    assert [s["name"] for s in option["series"]] == NUMERIC_HEADERS
    for series in option["series"]:
        assert series["data"] == column_numbers(REVENUE, series["name"])
    assert option["series"][0]["data"] == [1200, 1500, 14930]
    json.dumps(option)


@pytest.mark.parametrize("chart_type", ["pie", "donut", "funnel"])
def test_pie_like_charts_use_the_first_numeric_column_as_named_items(chart_type):
    option = chart.build_option(chart_spec(chart_type), TOKENS)
    (series,) = option["series"]
    assert series["name"] == "Revenue"
    assert [(item["name"], item["value"]) for item in series["data"]] == list(zip(QUARTERS, [1200, 1500, 14930]))
    assert "legend" not in option


def test_radar_has_one_axis_per_category_on_a_nicely_rounded_scale():
    dataset = Dataset(
        columns=["Skill", "Ana", "Ben"], rows=[["Speed", "7", "9"], ["Power", "8", "5"], ["Range", "6", "7.5"]]
    )
    option = chart.build_option(chart_spec("radar", dataset), TOKENS)

    assert option["radar"]["indicator"] == [{"name": s, "max": 12} for s in ("Speed", "Power", "Range")]
    assert option["series"][0]["data"] == [
        {"name": "Ana", "value": [7, 8, 6], "areaStyle": {"opacity": 0.18}},
        {"name": "Ben", "value": [9, 5, 7.5], "areaStyle": {"opacity": 0.18}},
    ]
    assert option["legend"]["data"] == ["Ana", "Ben"]


def test_gauge_shows_the_first_rows_first_number():
    dataset = Dataset(columns=["Metric", "Uptime"], rows=[["This month", "99.2%"], ["Last month", "98%"]])
    (series,) = chart.build_option(chart_spec("gauge", dataset), TOKENS)["series"]
    assert series["data"] == [{"name": "This month", "value": 99.2}]
    assert series["max"] == 100


def test_heatmap_reads_a_matrix_of_row_labels_and_numeric_columns():
    dataset = Dataset(columns=["Day", "Morning", "Evening"], rows=[["Mon", "3", "5"], ["Tue", "1", "8"]])
    option = chart.build_option(chart_spec("heatmap", dataset), TOKENS)
    assert option["xAxis"]["data"] == ["Morning", "Evening"]
    assert option["yAxis"]["data"] == ["Mon", "Tue"]
    assert option["series"][0]["data"] == [[0, 0, 3], [0, 1, 1], [1, 0, 5], [1, 1, 8]]
    assert (option["visualMap"]["min"], option["visualMap"]["max"]) == (1, 8)


def test_heatmap_reads_two_label_columns_and_a_value():
    dataset = Dataset(
        columns=["Day", "Slot", "Visits"], rows=[["Mon", "AM", "3"], ["Mon", "PM", "5"], ["Tue", "AM", "1"]]
    )
    option = chart.build_option(chart_spec("heatmap", dataset), TOKENS)
    assert option["xAxis"]["data"] == ["Mon", "Tue"]
    assert option["yAxis"]["data"] == ["AM", "PM"]
    assert option["series"][0]["data"] == [[0, 0, 3], [0, 1, 5], [1, 0, 1]]


def test_horizontal_stacked_bar_puts_categories_on_the_y_axis():
    option = chart.build_option(chart_spec("bar", horizontal=True, stacked=True), TOKENS)
    assert option["yAxis"]["data"] == QUARTERS and option["xAxis"]["type"] == "value"
    assert all(s["stack"] == "total" for s in option["series"])


def test_emphasis_cue_highlights_the_named_bar():
    dataset = Dataset(columns=["Year", "Sales"], rows=[["2023", "10"], ["2024", "14"]])
    option = chart.build_option(chart_spec("bar", dataset, emphasis="highlight 2024"), TOKENS)
    assert option["series"][0]["data"] == [10, {"value": 14, "itemStyle": {"color": WARM.accent}}]


def test_chart_styling_follows_the_page_tokens():
    option = chart.build_option(chart_spec("line"), TOKENS)
    assert option["color"][:3] == [WARM.primary, WARM.secondary, WARM.accent]
    assert len(option["color"]) >= 6
    assert option["backgroundColor"] == "transparent"
    assert option["animation"] is False
    assert option["textStyle"] == {"color": WARM.text, "fontFamily": TOKENS.fonts.body}
    assert option["title"]["text"] == "Revenue" and option["title"]["left"] == "left"
    assert option["grid"]["containLabel"] is True
    assert option["tooltip"]["trigger"] == "axis"
    assert option["legend"]["data"] == NUMERIC_HEADERS


def test_chart_palette_attribute_overrides_the_page_colours():
    option = chart.build_option(chart_spec("bar", palette=["#112233", "#445566"]), TOKENS)
    assert option["color"][:2] == ["#112233", "#445566"]


def test_single_series_chart_has_no_legend():
    dataset = Dataset(columns=["Month", "Visitors"], rows=[["Jan", "10"], ["Feb", "12"]])
    assert "legend" not in chart.build_option(chart_spec("line", dataset), TOKENS)


@pytest.mark.parametrize(
    "dataset",
    [
        None,
        Dataset(columns=["Name", "Role"], rows=[["Ana", "CEO"], ["Ben", "CTO"]]),
        Dataset(columns=["Month", "Sales"], rows=[]),
    ],
)
def test_chart_without_numbers_is_refused_clearly(dataset):
    with pytest.raises(GenerationError) as error:
        chart.build_option(chart_spec("bar", dataset), TOKENS)
    assert str(error.value) == "chart chart-1 has no numeric data"


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        ("14930", 14930),
        ("22.9", 22.9),
        ("$1,200", 1200),
        ("12%", 12),
        ("−3.5", -3.5),
        ("1.2k", 1200),
        ("1.1k", 1100),
        ("3 h", 3),
        ("45 ms", 45),
        ("€2.5bn", 2_500_000_000),
        ("$5m", 5_000_000),
        ("5m", 5),
        ("(3.5)", -3.5),
        ("+4%", 4),
        (".5", 0.5),
        ("1.2 million", 1_200_000),
        ("22.9 °C", 22.9),
        ("Q1", None),
        ("2023-01", None),
        ("", None),
        ("n/a", None),
        ("about 5", None),
        ("1,2", None),
    ],
)
def test_parse_number_reads_numbers_as_people_write_them(cell, number):
    assert parse_number(cell) == number


def test_chart_generate_writes_the_option_as_json(tmp_path):
    spec = chart_spec("bar")
    asset = generate_asset(spec, TOKENS, GenerationContext(tmp_path))

    assert (asset.kind, asset.backend, asset.path) == ("chart", "offline", "assets/chart.json")
    assert json.loads((tmp_path / "assets/chart.json").read_text()) == asset.chart_option
    assert_no_partial_files(tmp_path)


def test_the_same_frames_encode_to_the_same_bytes_in_both_containers(tmp_path):
    """No random segment id or date in the WebM, so caches and round hashes see one file, not a new one per build."""

    def frames():
        for i in range(24):
            frame = Image.new("RGB", (160, 90), (i * 9 % 255, 70, 200 - i))
            frame.paste((255, 255, 255), (i * 5, 40, i * 5 + 12, 52))
            yield frame

    digests = []
    for run in ("first", "second"):
        folder = tmp_path / run
        folder.mkdir()
        encoding.encode_video(frames(), (160, 90), 24, folder / "clip.mp4", folder / "clip.webm", "clip")
        digests.append({name: (folder / name).read_bytes() for name in ("clip.mp4", "clip.webm")})
    assert digests[0]["clip.webm"] == digests[1]["clip.webm"]
    assert digests[0]["clip.mp4"] == digests[1]["clip.mp4"]
