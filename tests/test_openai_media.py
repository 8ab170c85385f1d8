"""Specification of the OpenAI image and video backends: the real ``openai`` client over HTTP to a
scripted OpenAI-compatible server, with the files they write decoded and checked."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from tests.model_server import (
    Reply,
    ScriptedServer,
    Seen,
    error_reply,
    image_reply,
    video_job,
)
from tests.test_generators import TOKENS, decoded_frames, make_spec
from webagent.core.config import Settings
from webagent.core.context import GenerationContext
from webagent.core.errors import GenerationError, ModelAccessError, ModelUnavailableError
from webagent.core.llm import ModelHub
from webagent.generators import generate_asset
from webagent.generators.image import openai as openai_image
from webagent.generators.sizes import nearest_size
from webagent.generators.video import openai as openai_video

KEY = "sk-test-7f3a9c-do-not-leak"
RED, BLUE, GREEN = (200, 30, 40), (20, 60, 190), (30, 170, 60)
CLIP_COLOUR = (46, 134, 193)
BASE_SETTINGS = {
    "image_backend": "openai",
    "video_backend": "openai",
    "api_key": KEY,
    "model_backoff_s": 0.01,
    "model_timeout_s": 2,
    "video_poll_interval_s": 0.05,
    "video_poll_timeout_s": 5,
}
IMAGES = "POST /v1/images/generations"
CREATE, POLL, CONTENT = "POST /v1/videos", "GET /v1/videos/vid_1", "GET /v1/videos/vid_1/content"

Start = Callable[..., tuple[ScriptedServer, GenerationContext]]


def routes(table: dict[str, list[Reply]]) -> Callable[[Seen], Reply]:
    """A responder answering 'METHOD /path' (query left out) with its replies in turn, the last repeating."""
    served: dict[str, int] = {}
    lock = threading.Lock()

    def respond(seen: Seen) -> Reply:
        route = f"{seen.method} {seen.path.split('?')[0]}"
        if route not in table:
            return error_reply(404, f"no scripted route for {route}")
        with lock:
            turn = served.get(route, 0)
            served[route] = turn + 1
        replies = table[route]
        return replies[min(turn, len(replies) - 1)]

    return respond


@pytest.fixture
def start(tmp_path) -> Iterator[Start]:
    """``start(table, **settings)`` → a running scripted server and a generation context aimed at it."""
    with ExitStack() as stack:

        def begin(table: dict[str, list[Reply]], **settings: object) -> tuple[ScriptedServer, GenerationContext]:
            server = stack.enter_context(ScriptedServer(routes(table)))
            hub = ModelHub(Settings(**{**BASE_SETTINGS, "base_url": server.url, **settings}))
            stack.callback(hub.close)
            return server, GenerationContext(tmp_path / "out", 0, hub.settings, hub)

        yield begin


def calls(ctx: GenerationContext) -> list[tuple[str, str, str]]:
    """(role, step, outcome) of every recorded request."""
    return [(call.role, call.step, call.outcome) for call in ctx.models.log.calls]


def fallback_warning(kind: str, reason: str) -> str:
    return f"{kind} {kind}-1: the openai backend failed ({reason}); made offline instead"


# --- images ------------------------------------------------------------------------------


def banded_png(width: int = 1536, height: int = 1024, band: int = 120) -> bytes:
    """Left half red, right half blue, with green bands at top and bottom that a 2:1 crop removes."""
    picture = Image.new("RGB", (width, height), GREEN)
    picture.paste(RED, (0, band, width // 2, height - band))
    picture.paste(BLUE, (width // 2, band, width, height - band))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def near(pixel: np.ndarray, colour: tuple[int, int, int], tolerance: int = 12) -> bool:
    return bool(np.abs(pixel.astype(int) - np.array(colour)).max() <= tolerance)


@pytest.mark.parametrize(
    ("model", "width", "height", "size", "response_format"),
    [
        ("gpt-image-1", 1200, 600, "1536x1024", None),
        ("gpt-image-1", 600, 1200, "1024x1536", None),
        ("gpt-image-1", 900, 800, "1024x1024", None),
        ("dall-e-3", 1200, 600, "1792x1024", "b64_json"),
        ("dall-e-2", 600, 1200, "1024x1024", "b64_json"),
        ("local-flux-schnell", 600, 1200, "1024x1536", None),
    ],
)
def test_image_request_carries_the_prompt_and_the_size_nearest_the_slot(
    start, model, width, height, size, response_format
):
    server, ctx = start({IMAGES: [image_reply(banded_png(64, 64, 8))]}, image_model=model)
    spec = make_spec("image", "a lighthouse on a cliff", width=width, height=height)

    openai_image.generate(spec, TOKENS, ctx)

    [seen] = server.seen("/images/generations")
    assert seen.body["prompt"] == spec.generation_prompt()
    assert (
        "a lighthouse on a cliff It is the hero visual of the hero section of a editorial page." in seen.body["prompt"]
    )
    assert (seen.body["model"], seen.body["size"], seen.body["n"]) == (model, size, 1)
    assert seen.body.get("response_format") == response_format


def test_image_lands_as_webp_cropped_to_the_slot_in_the_servers_colours(start, tmp_path):
    server, ctx = start({IMAGES: [image_reply(banded_png())]})
    spec = make_spec("image", width=1200, height=600)

    asset = openai_image.generate(spec, TOKENS, ctx)

    assert (asset.id, asset.kind, asset.path, asset.backend, asset.warnings) == (
        "image-1",
        "image",
        "assets/hero.webp",
        "openai",
        [],
    )
    with Image.open(tmp_path / "out/assets/hero.webp") as picture:
        assert (picture.format, picture.size) == ("WEBP", (1200, 600))
        pixels = np.asarray(picture.convert("RGB"))
    assert near(pixels[300, 300], RED) and near(pixels[300, 900], BLUE)
    edges = np.concatenate([pixels[0], pixels[-1]])  # the green bands were cropped, not squeezed in
    assert edges[:, 1].max() < 100
    assert calls(ctx) == [("image", "image image-1", "ok")]
    assert server.seen("/images")[0].headers["authorization"] == f"Bearer {KEY}"
    assert KEY not in json.dumps([call.model_dump() for call in ctx.models.log.calls])


def test_image_given_as_a_url_is_downloaded_without_the_key(start, tmp_path):
    server, ctx = start({})
    server.responder = routes(
        {
            IMAGES: [Reply({"created": 0, "data": [{"url": f"{server.url}/files/pic.png"}]})],
            "GET /v1/files/pic.png": [Reply(banded_png(), content_type="image/png")],
        }
    )

    openai_image.generate(make_spec("image", width=600, height=1200), TOKENS, ctx)

    with Image.open(tmp_path / "out/assets/hero.webp") as picture:
        assert picture.size == (600, 1200)
        pixels = np.asarray(picture.convert("RGB"))
    assert near(pixels[600, 100], RED) and near(pixels[600, 500], BLUE)
    [download] = server.seen("/files/pic.png")
    assert "authorization" not in download.headers


def test_rate_limit_is_retried_and_both_attempts_are_recorded(start, tmp_path):
    server, ctx = start({IMAGES: [error_reply(429, "slow down"), image_reply(banded_png())]})

    asset = openai_image.generate(make_spec("image"), TOKENS, ctx)

    assert asset.backend == "openai" and (tmp_path / "out/assets/hero.webp").is_file()
    assert len(server.seen("/images")) == 2
    assert calls(ctx) == [("image", "image image-1", "retry (429)"), ("image", "image image-1", "ok")]


def test_server_errors_until_the_retries_end_fall_back_to_the_offline_picture(start, tmp_path):
    server, ctx = start({IMAGES: [error_reply(500, "boom")]})
    spec = make_spec("image", width=400, height=200)
    reason = f"image model gpt-image-2 at {server.url} kept failing (failed (500) after 4 attempts)"

    asset = generate_asset(spec, TOKENS, ctx)

    assert (asset.backend, asset.warnings) == ("offline", [fallback_warning("image", reason)])
    with Image.open(tmp_path / "out/assets/hero.webp") as picture:
        assert picture.size == (400, 200)
    assert calls(ctx) == [("image", "image image-1", "failed (500)")] * 4
    with pytest.raises(ModelUnavailableError) as raised:  # the endpoint is now known to be down
        openai_image.generate(spec, TOKENS, ctx)
    assert str(raised.value) == reason
    assert len(server.seen("/images")) == 4


def test_refused_key_stops_the_build_with_one_line_naming_the_role_never_the_key(start, tmp_path):
    server, ctx = start({IMAGES: [error_reply(401, f"Incorrect API key provided: {KEY}")]})
    spec = make_spec("image")
    expected = (
        f"image model gpt-image-2 at {server.url} refused the API key (401): "
        "check WEBAGENT_IMAGE_API_KEY / OPENAI_API_KEY"
    )

    for make in (openai_image.generate, generate_asset):
        with pytest.raises(ModelAccessError) as raised:
            make(spec, TOKENS, ctx)
        assert str(raised.value) == expected
    assert len(server.seen("/images")) == 2  # one attempt each: a refusal is never retried
    assert calls(ctx) == [("image", "image image-1", "refused (401)")] * 2
    assert not (tmp_path / "out/assets/hero.webp").exists()


def test_response_hanging_past_the_timeout_is_retried(start, tmp_path):
    server, ctx = start(
        {IMAGES: [image_reply(banded_png(), delay_s=1.0), image_reply(banded_png())]}, model_timeout_s=0.3
    )

    asset = openai_image.generate(make_spec("image"), TOKENS, ctx)

    assert asset.backend == "openai" and (tmp_path / "out/assets/hero.webp").is_file()
    assert calls(ctx) == [("image", "image image-1", "timeout"), ("image", "image image-1", "ok")]
    assert len(server.seen("/images")) == 2


def test_response_that_always_hangs_falls_back_to_the_offline_picture(start):
    server, ctx = start({IMAGES: [image_reply(banded_png(), delay_s=1.0)]}, model_timeout_s=0.2, model_retries=1)

    started = time.perf_counter()
    asset = generate_asset(make_spec("image", width=400, height=200), TOKENS, ctx)

    reason = f"image model gpt-image-2 at {server.url} kept failing (timeout after 2 attempts)"
    assert (asset.backend, asset.warnings) == ("offline", [fallback_warning("image", reason)])
    assert time.perf_counter() - started < 1.5


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (
            {"data": [{"b64_json": base64.b64encode(b"<html>not an image</html>").decode()}]},
            "image image-1: the image model's answer is not a readable image (25 bytes)",
        ),
        ({"data": [{"b64_json": "@@not base64@@"}]}, "image image-1: the image model's answer is not valid base64"),
        ({"data": []}, "image image-1: the image model answered without an image"),
        (
            {"data": [{"url": "{url}/files/missing.png"}]},
            "image image-1: cannot download the generated image (HTTP 404)",
        ),
    ],
)
def test_answer_without_a_usable_image_is_a_generation_error_and_falls_back(start, tmp_path, answer, reason):
    server, ctx = start({})
    server.responder = routes({IMAGES: [Reply(json.loads(json.dumps(answer).replace("{url}", server.url)))]})
    spec = make_spec("image", width=400, height=200)

    with pytest.raises(GenerationError) as raised:
        openai_image.generate(spec, TOKENS, ctx)
    assert str(raised.value) == reason
    asset = generate_asset(spec, TOKENS, ctx)
    assert (asset.backend, asset.warnings) == ("offline", [fallback_warning("image", reason)])
    assert (tmp_path / "out/assets/hero.webp").is_file()


# --- videos ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> bytes:
    """A real one-second 640x360 H.264 MP4 of one colour, as a video server would send it."""
    path = tmp_path_factory.mktemp("clip") / "server.mp4"
    colour = "0x{:02X}{:02X}{:02X}".format(*CLIP_COLOUR)
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"color=c={colour}:s=640x360:d=1:r=12",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            str(path),
        ],
        check=True,
    )
    return path.read_bytes()


def job(status: str, **fields: object) -> Reply:
    return Reply({**video_job("vid_1", status, seconds="8"), **fields})


def clip_reply(clip: bytes) -> Reply:
    return Reply(clip, content_type="video/mp4")


def polls(server: ScriptedServer) -> list[Seen]:
    """The status requests of job vid_1."""
    return [seen for seen in server.requests if f"{seen.method} {seen.path}" == POLL]


def test_video_job_is_created_polled_downloaded_and_reencoded_for_the_slot(start, tmp_path, clip, recwarn):
    server, ctx = start(
        {
            CREATE: [job("queued")],
            POLL: [job("in_progress"), job("in_progress"), job("completed")],
            CONTENT: [clip_reply(clip)],
        },
        video_poll_interval_s=0.1,
    )
    spec = make_spec("video", "waves rolling onto a beach", width=480, height=240, seconds=5.0)

    asset = openai_video.generate(spec, TOKENS, ctx)

    assert (asset.path, asset.sources, asset.poster, asset.backend) == (
        "assets/loop.mp4",
        ["assets/loop.webm"],
        "assets/loop-poster.webp",
        "openai",
    )
    for name in ("loop.mp4", "loop.webm"):
        frames = decoded_frames(tmp_path / "out/assets" / name)
        assert frames.shape[1:] == (240, 480, 3)
        assert near(np.median(frames.reshape(-1, 3), axis=0), CLIP_COLOUR, tolerance=8)
    with Image.open(tmp_path / "out/assets/loop-poster.webp") as poster:
        assert poster.size == (480, 240)
        assert near(np.asarray(poster.convert("RGB"))[120, 240], CLIP_COLOUR, tolerance=8)

    [create] = server.seen("/v1/videos")[:1]
    assert (create.method, create.body) == (
        "POST",
        {"prompt": spec.generation_prompt(), "model": "sora-2", "seconds": "8", "size": "1280x720"},
    )
    assert [f"{seen.method} {seen.path}" for seen in server.requests] == [
        CREATE,
        POLL,
        POLL,
        POLL,
        f"{CONTENT}?variant=video",
    ]
    assert min(np.diff([seen.started for seen in polls(server)])) >= 0.1  # polls keep the interval
    step = "video video-1"
    assert calls(ctx) == [
        ("video", step, "ok"),
        *[("video", f"{step} poll", "ok")] * 3,
        ("video", f"{step} download", "ok"),
    ]
    assert not [w for w in recwarn if "Sora" in str(w.message)]


def test_a_poll_answered_with_a_server_error_is_retried(start, clip):
    server, ctx = start(
        {CREATE: [job("queued")], POLL: [error_reply(503, "busy"), job("completed")], CONTENT: [clip_reply(clip)]}
    )

    asset = openai_video.generate(make_spec("video", width=320, height=160), TOKENS, ctx)

    assert asset.backend == "openai"
    assert [outcome for _, step, outcome in calls(ctx) if step.endswith("poll")] == ["failed (503)", "ok"]
    assert len(polls(server)) == 2


def test_failed_video_job_falls_back_with_the_jobs_message(start, tmp_path):
    failed = job("failed", error={"code": "moderation_blocked", "message": "The prompt was blocked by moderation."})
    server, ctx = start({CREATE: [job("queued")], POLL: [job("in_progress"), failed]})
    spec = make_spec("video", width=320, height=160, seconds=1.0)

    asset = generate_asset(spec, TOKENS, ctx)

    reason = "video video-1: video job vid_1 failed (The prompt was blocked by moderation.)"
    assert (asset.backend, asset.warnings) == ("offline", [fallback_warning("video", reason)])
    assert (tmp_path / "out/assets/loop.mp4").is_file()
    assert not server.seen("/content")


def test_video_job_that_never_completes_stops_at_the_poll_timeout(start):
    server, ctx = start(
        {CREATE: [job("queued")], POLL: [job("in_progress")]}, video_poll_timeout_s=0.35, video_poll_interval_s=0.1
    )

    started = time.perf_counter()
    with pytest.raises(GenerationError) as raised:
        openai_video.generate(make_spec("video"), TOKENS, ctx)

    assert str(raised.value) == "video video-1: video job vid_1 did not finish within 0.35 s (last status: in_progress)"
    assert 0.35 <= time.perf_counter() - started < 1.0
    assert 2 <= len(polls(server)) <= 4  # at most one poll per interval
    assert not server.seen("/content")


@pytest.mark.parametrize(
    ("wanted", "seconds"), [(1.0, "4"), (4.0, "4"), (4.5, "8"), (8.0, "8"), (9.0, "12"), (20.0, "12")]
)
def test_clip_length_is_the_nearest_allowed_at_or_above_the_wanted_one(wanted, seconds):
    assert openai_video.clip_seconds(wanted) == seconds


@pytest.mark.parametrize(
    ("model", "aspect", "size"),
    [
        ("sora-2", 16 / 9, "1280x720"),
        ("sora-2", 9 / 16, "720x1280"),
        ("sora-2", 4 / 3, "1280x720"),
        ("sora-2-pro", 4 / 3, "1792x1024"),
        ("sora-2-pro", 3 / 4, "1024x1792"),
        ("local-video", 4 / 3, "1792x1024"),
    ],
)
def test_video_size_is_the_models_size_nearest_the_slots_aspect(model, aspect, size):
    assert nearest_size(aspect, model, openai_video.SIZES, openai_video.ALL_SIZES) == size
