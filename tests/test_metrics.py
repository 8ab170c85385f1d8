"""Page evidence from real Chromium and the deterministic metrics, on hand-made pages with known answers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import imageio_ffmpeg
import pytest
from PIL import Image, ImageStat

from webagent.core.contracts import Dataset
from webagent.core.runtime import find_echarts
from webagent.webbench.evaluation.contracts import PageEvidence, RequiredElement
from webagent.webbench.evaluation.evidence import collect_evidence
from webagent.webbench.evaluation.metrics import deterministic_metrics

pytestmark = pytest.mark.browser

PROMPT = (
    "A page in #1E40AF and #F59E0B with four sections in this order: “Alpha Start”, “Beta Middle”, "
    "“Gamma Later” and “Delta End”."
)
STYLE = "body { margin: 0; font: 16px/1.5 sans-serif; color: #111111; background: #FFFFFF }"


def write_page(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(
        f"<!doctype html><html><head><meta charset='utf-8'><style>{STYLE}</style></head><body>{body}</body></html>"
    )
    return folder


def save_image(path: Path, size: tuple[int, int], colour: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path)


def sections(titles: list[str], accent: str = "#F59E0B") -> str:
    """A header band in #1E40AF holding the first title, then one section per other title; the
    second section's heading is underlined in ``accent``."""
    header = f'<header style="background:#1E40AF;color:#FFFFFF;padding:16px"><h1>{titles[0]}</h1></header>'
    styles = ["", f' style="border-bottom:4px solid {accent}"', ""]
    return header + "".join(
        f'<section style="padding:8px 16px"><h2{style}>{title}</h2>'
        f"<p>Words about {title.split()[0].lower()}.</p></section>"
        for title, style in zip(titles[1:], styles)
    )


BASE_TITLES = ["Alpha Start", "Beta Middle", "Gamma Later", "Delta End"]
BASE_BODY = (
    sections(BASE_TITLES)
    + '<h2 style="display:none">Hidden Heading</h2>'
    + '<img src="assets/hero.png" width="200" height="100" alt="" style="display:block">'
    + '<img src="assets/logo.webp" data-asset-id="logo" width="40" height="40" alt="">'
)


def base_page(folder: Path, extra: str = "") -> Path:
    save_image(folder / "assets" / "hero.png", (400, 200), "#C8742B")
    Image.new("RGB", (40, 40), "#1E40AF").save(folder / "assets" / "logo.webp")
    return write_page(folder, BASE_BODY + extra)


def evidence_of(session, page: Path) -> PageEvidence:
    return collect_evidence(session, page, page.parent / "evidence")


@pytest.fixture(scope="module")
def baseline(tmp_path_factory, browser_session) -> PageEvidence:
    return evidence_of(browser_session, base_page(tmp_path_factory.mktemp("baseline") / "site"))


def test_a_clean_page_scores_one_everywhere_and_is_fully_recorded(baseline):
    metrics = deterministic_metrics(baseline, PROMPT, [])
    assert metrics.model_dump(exclude={"details"}) == dict.fromkeys(
        [
            "text_recall",
            "palette_recall",
            "media_coverage",
            "chart_fidelity",
            "render_health",
            "section_order",
            "relevance",
        ],
        1.0,
    )
    assert all(missed == [] for missed in metrics.details.values())
    assert baseline.headings == BASE_TITLES
    assert "Hidden Heading" not in baseline.visible_text
    assert baseline.overflow_px == {"1440": 0, "390": 0}
    assert baseline.text_blocks == 7  # four headings, three paragraphs
    evidence = Path(baseline.folder).parent / "evidence"
    with (
        Image.open(evidence / baseline.screenshot) as desktop,
        Image.open(evidence / baseline.mobile_screenshot) as mobile,
    ):
        assert desktop.width == 1440 and mobile.width == 390


def test_images_are_listed_in_order_with_source_size_and_a_crop_of_their_box(baseline):
    hero, logo = baseline.elements
    assert (hero.kind, hero.index, hero.source, hero.asset_id) == ("image", 0, "assets/hero.png", "")
    assert (logo.index, logo.source, logo.asset_id) == (1, "assets/logo.webp", "logo")
    assert hero.rendered and logo.rendered
    assert hero.natural_size == (400, 200) and hero.distortion == 0.0
    assert hero.box["width"] == 200 and hero.box["height"] == 100
    assert 'src="assets/hero.png"' in hero.html and len(hero.html) <= 2000
    with Image.open(Path(baseline.folder).parent / "evidence" / hero.crop) as crop:
        assert hero.crop == "crops/image-0.png"
        assert crop.size == (200, 100)
        assert crop.convert("RGB").getpixel((100, 50)) == (0xC8, 0x74, 0x2B)
    required = [
        RequiredElement(kind="image", description="a hero"),
        RequiredElement(kind="video", description="a loop"),
    ]
    metrics = deterministic_metrics(baseline, PROMPT, required)
    assert metrics.media_coverage == 0.5 and metrics.details["media_coverage"] == [
        "video: 1 of 1 required not rendered"
    ]


def test_missing_text_an_absent_colour_and_swapped_sections_move_their_metrics(tmp_path, browser_session):
    # "Delta End" is dropped, "Gamma Later" comes before "Beta Middle", #F59E0B becomes #10B981.
    page = write_page(tmp_path / "site", sections(["Alpha Start", "Gamma Later", "Beta Middle"], accent="#10B981"))
    metrics = deterministic_metrics(evidence_of(browser_session, page), PROMPT, [])
    assert metrics.text_recall == 0.75 and metrics.details["text_recall"] == ["Delta End"]
    assert metrics.palette_recall == 0.5 and metrics.details["palette_recall"] == ["#F59E0B"]
    assert metrics.section_order == 0.5
    assert metrics.details["section_order"] == ["“Gamma Later” comes before “Beta Middle”"]
    assert metrics.render_health == 1.0


def external_request(evidence: PageEvidence) -> None:
    assert sorted(evidence.outside_requests) == ["https://example.com/x.png", "ws://example.com/live"]
    assert not evidence.elements[-1].rendered


def overflow(evidence: PageEvidence) -> None:
    assert evidence.overflow_px == {"1440": 0, "390": 600 - 390}


def overlap(evidence: PageEvidence) -> None:
    assert evidence.overlapping_text == ["“First layer words” ↔ “Second layer words”"]


def distortion(evidence: PageEvidence) -> None:
    stretched, covered = evidence.elements[2:]
    assert stretched.distortion == 0.5 and covered.distortion == 0.0  # 2:1 image in a 1:1 box


def console_error(evidence: PageEvidence) -> None:
    assert any("boom in page" in error for error in evidence.console_errors)


def missing_file(evidence: PageEvidence) -> None:
    assert evidence.failed_requests and "404" in evidence.failed_requests[0]
    assert evidence.console_errors == []  # the browser's "Failed to load resource" counts once, as a request


DEFECTS = [
    pytest.param(
        '<img src="https://example.com/x.png" alt=""><script>new WebSocket("ws://example.com/live")</script>',
        external_request,
        0.25,
        id="outside-request",
    ),
    pytest.param('<div style="width:600px;height:4px"></div>', overflow, 0.1, id="overflow-at-390"),
    pytest.param(
        '<div style="position:relative;height:60px"><p style="position:absolute;margin:0">First layer words</p>'
        '<p style="position:absolute;margin:0;top:6px;left:20px">Second layer words</p></div>',
        overlap,
        0.05,
        id="overlapping-text",
    ),
    pytest.param(
        '<img src="assets/wide.png" width="100" height="100" alt="">'
        '<img src="assets/wide.png" width="100" height="100" style="object-fit:cover" alt="">',
        distortion,
        0.1,
        id="distorted-image",
    ),
    pytest.param("<script>throw new Error('boom in page')</script>", console_error, 0.25, id="console-error"),
    pytest.param('<img src="assets/missing.png" alt="">', missing_file, 0.25, id="failed-request"),
]


@pytest.mark.parametrize(("defect", "check", "drop"), DEFECTS)
def test_each_page_defect_costs_render_health_exactly_its_penalty(tmp_path, browser_session, defect, check, drop):
    save_image(tmp_path / "site" / "assets" / "wide.png", (80, 40), "#1E40AF")
    evidence = evidence_of(browser_session, base_page(tmp_path / "site", defect))
    check(evidence)
    metrics = deterministic_metrics(evidence, PROMPT, [])
    assert metrics.render_health == pytest.approx(1.0 - drop)
    assert len(metrics.details["render_health"]) == 1 and metrics.details["render_health"][0].startswith(f"−{drop:g}")


def test_low_contrast_text_costs_its_share_of_text_blocks(tmp_path, browser_session, baseline):
    # #999999 on white is 2.85:1 (normal text needs 4.5); #888888 is 3.54:1, enough for 28 px text;
    # white on half-white over black is white on #808080 (3.95:1); #111111 at 40 % opacity paints #A0A0A0;
    # white text over an image has no single background colour and is not judged.
    defect = (
        '<p style="color:#999999">Faint words</p><p style="color:#888888;font-size:28px">Big grey words</p>'
        '<div style="background:#000000"><p style="background:rgba(255,255,255,0.5);color:#FFFFFF">Washed out</p></div>'
        '<p style="opacity:0.4">Ghost text</p>'
        '<div style="position:relative"><img src="assets/hero.png" width="200" height="100" alt="">'
        '<p style="position:absolute;top:0;margin:0;color:#FFFFFF">On the picture</p></div>'
    )
    evidence = evidence_of(browser_session, base_page(tmp_path / "site", defect))
    assert [entry.split(":")[0] for entry in evidence.low_contrast] == [
        "“Faint words” #999999 on #FFFFFF",
        "“Washed out” #FFFFFF on #808080",
        "“Ghost text” #A0A0A0 on #FFFFFF",
    ]
    assert evidence.text_blocks == baseline.text_blocks + 5
    metrics = deterministic_metrics(evidence, PROMPT, [])
    assert metrics.render_health == pytest.approx(1.0 - 0.3 * 3 / evidence.text_blocks, abs=1e-4)


def test_a_page_that_says_when_it_is_ready_is_read_after_it_is(tmp_path, browser_session):
    page = write_page(
        tmp_path / "site",
        """<p>Early text</p><script>
      let ready = false;
      setTimeout(() => { document.body.insertAdjacentHTML('beforeend', '<p>Late text</p>'); ready = true; }, 1000);
      window.webagentReady = () => ready;
    </script>""",
    )
    evidence = evidence_of(browser_session, page)
    assert "Late text" in evidence.visible_text and evidence.console_errors == []


def test_chart_values_are_read_back_from_echarts_and_compared_with_the_dataset(tmp_path, browser_session):
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    shutil.copy(find_echarts(), site / "assets" / "echarts.min.js")
    page = write_page(
        site,
        """
      <div id="sales" style="width:480px;height:300px"></div>
      <div data-asset-kind="chart" style="width:300px;height:200px"></div>
      <canvas id="bare" width="120" height="120"></canvas><canvas id="tiny" width="50" height="50"></canvas>
      <script src="assets/echarts.min.js"></script>
      <script>
        echarts.init(document.getElementById('sales')).setOption({
          xAxis: {type: 'category', data: ['Q1', 'Q2', 'Q3', 'Q4']}, yAxis: {type: 'value'},
          series: [{type: 'bar', data: [12, {value: 19.5}, '33', 41], itemStyle: {borderWidth: 40}}]});
        for (const id of ['bare', 'tiny']) document.getElementById(id).getContext('2d').fillRect(0, 0, 50, 50);
      </script>""",
    )
    evidence = evidence_of(browser_session, page)
    sales, blank, bare = evidence.elements
    assert [e.kind for e in evidence.elements] == ["chart"] * 3 and [e.index for e in evidence.elements] == [0, 1, 2]
    assert sales.rendered and not blank.rendered and bare.rendered and bare.chart_option is None
    assert sales.chart_option["series"][0]["data"][0] == 12
    with Image.open(tmp_path / "evidence" / sales.crop) as crop:
        assert crop.size == (480, 300)

    def chart(values: list[str]) -> RequiredElement:
        rows = [[f"Q{i + 1}", v] for i, v in enumerate(values)]
        return RequiredElement(
            kind="chart", description="sales by quarter", dataset=Dataset(columns=["Quarter", "Sales"], rows=rows)
        )

    one_wrong = chart(["12", "19.5", "33", "40"])
    metrics = deterministic_metrics(evidence, PROMPT, [one_wrong])
    assert metrics.chart_fidelity == 0.75
    assert metrics.details["chart_fidelity"] == ["chart 1 (sales by quarter): values not in the chart: 40"]
    metrics = deterministic_metrics(evidence, PROMPT, [one_wrong, chart(["1", "2", "3", "4"])])
    assert metrics.chart_fidelity == 0.375 and metrics.details["chart_fidelity"][1].endswith("blank chart")
    assert deterministic_metrics(evidence, PROMPT, [one_wrong] * 4).media_coverage == 0.5


def test_a_video_plays_and_frames_are_sampled_in_order_from_its_file(tmp_path, browser_session):
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    # 20 frames at 10 fps, each brighter than the one before: sampled frames must get brighter too.
    frames = b"".join(bytes([10 + 12 * i]) * (160 * 96 * 3) for i in range(20))
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-loglevel",
            "error",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-s",
            "160x96",
            "-r",
            "10",
            "-i",
            "-",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            str(site / "assets" / "clip.mp4"),
        ],
        input=frames,
        check=True,
    )
    page = write_page(site, '<video src="assets/clip.mp4" width="320" height="192" muted loop></video>')
    evidence = evidence_of(browser_session, page)
    (video,) = evidence.elements
    assert video.kind == "video" and video.rendered and video.source == "assets/clip.mp4"
    assert video.natural_size == (160, 96)
    assert video.frames == [f"frames/video-0-{n}.jpg" for n in range(5)]
    brightness = []
    for frame in video.frames:
        with Image.open(tmp_path / "evidence" / frame) as image:
            assert image.size == (160, 96)
            brightness.append(ImageStat.Stat(image.convert("L")).mean[0])
    assert brightness == sorted(brightness) and brightness[-1] - brightness[0] > 100
    with Image.open(tmp_path / "evidence" / video.crop) as crop:
        assert crop.size == (320, 192)
