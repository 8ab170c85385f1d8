"""Specification of the diffusers image and video backends, run on tiny random pipelines.

The tiny pipelines (tests/tiny_pipelines.py) are real Stable Diffusion and ModelScope
text-to-video pipelines with a few channels, saved to a folder, so the backends load them
through the same ``from_pretrained`` path as a downloaded model. Their pictures are noise,
but noise with the slot's shape, in the right place, and the same for the same seed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from bs4 import BeautifulSoup
from PIL import Image

pytest.importorskip("torch")
pytest.importorskip("diffusers")

from tests.pagecheck import check_page
from tests.tiny_pipelines import (
    save_tiny_image_to_video,
    save_tiny_text_to_image,
    save_tiny_text_to_video,
)
from webagent.core.config import Settings
from webagent.core.context import GenerationContext
from webagent.core.contracts import (
    AssetContext,
    AssetSize,
    AssetSpec,
    DesignTokens,
    Fonts,
    ImageAttributes,
    Palette,
    VideoAttributes,
)
from webagent.core.errors import GenerationError, SettingsError
from webagent.core.records import RunRecord
from webagent.engine.build import build
from webagent.generators import check_backends, generate_asset
from webagent.generators.image import diffusers as image_backend
from webagent.generators.video import diffusers as video_backend
from webagent.generators.video import encoding

ROOT = Path(__file__).resolve().parent.parent
MAX_SIDE = 64  # the smallest diffusers_max_side_px: tiny pictures, made in milliseconds
TOKENS = DesignTokens(
    palette=Palette(
        background="#F7F5F0",
        surface="#FFFFFF",
        text="#1B1F2A",
        muted="#6B7280",
        primary="#1F4E79",
        secondary="#E07A5F",
        accent="#F2CC8F",
    ),
    fonts=Fonts(heading="'Inter', sans-serif", body="'Inter', sans-serif"),
)
MISSING_EXTRA = "needs the 'diffusers' extra: pip install 'mm-webagent[diffusers]'"


@pytest.fixture(scope="module")
def image_model(tmp_path_factory) -> Path:
    return save_tiny_text_to_image(tmp_path_factory.mktemp("tiny-sd"))


@pytest.fixture(scope="module")
def video_model(tmp_path_factory) -> Path:
    return save_tiny_text_to_video(tmp_path_factory.mktemp("tiny-t2v"))


def diffusers_settings(image_model: Path | str = "unused", video_model: Path | str = "unused", **overrides) -> Settings:
    return Settings(
        image_backend="diffusers",
        video_backend="diffusers",
        diffusers_image_model=str(image_model),
        diffusers_video_model=str(video_model),
        diffusers_steps=2,
        diffusers_max_side_px=MAX_SIDE,
        diffusers_device="cpu",
        **overrides,
    )


def image_spec(
    element_id: str = "hero-image", width: int = 1200, height: int = 800, prompt: str = "a mountain lodge at dusk"
) -> AssetSpec:
    return AssetSpec(
        id=element_id,
        kind="image",
        path=f"assets/{element_id}.webp",
        section_id="hero",
        size=AssetSize(width=width, height=height),
        context=AssetContext(section="hero", role="hero visual", page_style="editorial"),
        attributes=ImageAttributes(),
        prompt=prompt,
    )


def video_spec(seconds: float, width: int = 1200, height: int = 800) -> AssetSpec:
    return AssetSpec(
        id="reel",
        kind="video",
        path="assets/reel.mp4",
        section_id="hero",
        size=AssetSize(width=width, height=height),
        context=AssetContext(section="hero", role="background loop", page_style="cinematic"),
        attributes=VideoAttributes(seconds=seconds),
        prompt="waves rolling onto a beach",
    )


def make(spec: AssetSpec, out_dir: Path, settings: Settings, seed: int = 0):
    return generate_asset(spec, TOKENS, GenerationContext(out_dir=out_dir, seed=seed, settings=settings))


def pixels(path: Path) -> np.ndarray:
    with Image.open(path) as picture:
        return np.asarray(picture.convert("RGB"), dtype=np.float32)


def painted(spec: AssetSpec, out_dir: Path, settings: Settings, seed: int = 0) -> np.ndarray:
    """The pixels of the picture the backend writes for ``spec``."""
    make(spec, out_dir, settings, seed)
    return pixels(out_dir / spec.path)


# --- images ------------------------------------------------------------------------------


@pytest.mark.parametrize("width, height", [(1200, 800), (600, 900), (1600, 400)])
def test_the_picture_lands_at_the_element_path_with_the_slot_aspect(width, height, image_model, tmp_path):
    spec = image_spec(width=width, height=height)
    made = make(spec, tmp_path, diffusers_settings(image_model))
    assert (made.backend, made.path, made.warnings) == ("diffusers", spec.path, [])
    with Image.open(tmp_path / spec.path) as picture:
        assert picture.format == "WEBP"
        assert max(picture.size) == MAX_SIDE
        assert abs(picture.width - picture.height * width / height) <= 1
    assert [p.name for p in (tmp_path / "assets").iterdir()] == [f"{spec.id}.webp"]  # nothing half-written


def test_the_same_seed_paints_the_same_picture_and_another_seed_another(image_model, tmp_path):
    spec, settings = image_spec(), diffusers_settings(image_model)
    first = painted(spec, tmp_path / "first", settings, seed=7)
    again = painted(spec, tmp_path / "again", settings, seed=7)
    other = painted(spec, tmp_path / "other", settings, seed=8)
    assert np.array_equal(first, again)
    assert np.abs(first - other).mean() > 2


def test_elements_with_the_same_prompt_get_different_pictures(image_model, tmp_path):
    settings = diffusers_settings(image_model)
    one = painted(image_spec("gallery-1"), tmp_path, settings)
    two = painted(image_spec("gallery-2"), tmp_path, settings)
    assert np.abs(one - two).mean() > 2


def test_a_model_is_loaded_once_and_then_served_from_memory(tmp_path):
    model = save_tiny_text_to_image(tmp_path / "model")
    settings = diffusers_settings(model)
    make(image_spec("first"), tmp_path / "page", settings)
    shutil.rmtree(model)  # a second load would fail now
    made = make(image_spec("second"), tmp_path / "page", settings)
    assert (made.backend, made.warnings) == ("diffusers", [])
    assert (tmp_path / "page" / made.path).is_file()


def test_elements_made_in_parallel_threads_match_elements_made_one_by_one(image_model, tmp_path):
    settings = diffusers_settings(image_model)
    specs = [image_spec(f"card-{n}", width=800 + 100 * n) for n in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        made = list(pool.map(lambda spec: make(spec, tmp_path / "parallel", settings), specs))
    assert {(m.backend, len(m.warnings)) for m in made} == {("diffusers", 0)}
    for spec in specs:
        assert np.array_equal(
            pixels(tmp_path / "parallel" / spec.path), painted(spec, tmp_path / "one-by-one", settings)
        )


def test_a_model_folder_that_does_not_exist_is_a_clear_error(tmp_path):
    missing = tmp_path / "no-model-here"
    ctx = GenerationContext(out_dir=tmp_path, settings=diffusers_settings(missing))
    with pytest.raises(GenerationError) as error:
        image_backend.generate(image_spec(), TOKENS, ctx)
    assert str(error.value) == (
        f"diffusers model '{missing}' cannot be loaded: there is no such folder; "
        "set WEBAGENT_DIFFUSERS_IMAGE_MODEL to a local folder or a hub id"
    )
    assert not (tmp_path / "assets").exists()


def test_a_folder_without_a_model_is_a_one_line_error_and_the_build_falls_back_to_offline(tmp_path):
    folder = tmp_path / "empty-model"
    folder.mkdir()
    made = make(image_spec(), tmp_path / "page", diffusers_settings(folder))
    assert made.backend == "offline"
    [warning] = made.warnings
    assert f"diffusers model '{folder}' cannot be loaded: " in warning
    assert "model_index.json" in warning and "WEBAGENT_DIFFUSERS_IMAGE_MODEL" in warning and "\n" not in warning
    assert (tmp_path / "page" / made.path).is_file()


def test_a_model_that_failed_to_load_is_not_tried_again_by_later_elements(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    settings = diffusers_settings(folder)
    [first] = make(image_spec("first"), tmp_path / "page", settings).warnings
    assert save_tiny_text_to_image(tmp_path) == folder  # a model now, but this process already saw it fail
    [second] = make(image_spec("second"), tmp_path / "page", settings).warnings
    assert second.replace("second", "first") == first


MISSING_PACKAGE_SCRIPT = """
import sys
sys.modules[{blocked!r}] = None  # as if it were not installed
import webagent.generators.image.diffusers, webagent.generators.video.diffusers  # the backends still import
from webagent.generators import check_backends, generate_asset
from webagent.core.context import GenerationContext
from pathlib import Path
from webagent.core.config import Settings
from webagent.core.errors import MissingExtraError
from webagent.core.contracts import AssetSpec, DesignTokens

for kind in ("image", "video"):
    try:
        check_backends(Settings(**{{kind + "_backend": "diffusers"}}))
    except MissingExtraError as exc:
        print(exc)
spec, tokens = AssetSpec.model_validate_json({spec!r}), DesignTokens.model_validate_json({tokens!r})
try:
    generate_asset(spec, tokens, GenerationContext(out_dir=Path({out!r}), settings=Settings(image_backend="diffusers")))
except MissingExtraError as exc:
    print(exc)
"""


@pytest.mark.parametrize("blocked", ["torch", "diffusers"])
def test_a_missing_optional_package_is_one_line_naming_the_extra(blocked, tmp_path):
    script = MISSING_PACKAGE_SCRIPT.format(
        blocked=blocked, spec=image_spec().model_dump_json(), tokens=TOKENS.model_dump_json(), out=str(tmp_path)
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"the diffusers image backend {MISSING_EXTRA}",
        f"the diffusers video backend {MISSING_EXTRA}",
        f"the diffusers image backend {MISSING_EXTRA}",
    ]
    assert not (tmp_path / "assets").exists()  # no offline stand-in: the build stops


def test_a_device_torch_cannot_use_is_refused_before_any_work():
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(SettingsError, match="WEBAGENT_DIFFUSERS_DEVICE is 'cuda'"):
        check_backends(Settings(image_backend="diffusers", diffusers_device="cuda"))


# --- videos ------------------------------------------------------------------------------


@pytest.mark.parametrize("seconds, frames", [(1.0, 8), (4.0, 16)])
def test_the_clip_has_the_slot_aspect_and_eight_frames_a_second_up_to_sixteen(seconds, frames, video_model, tmp_path):
    spec = video_spec(seconds)
    made = make(spec, tmp_path, diffusers_settings(video_model=video_model))
    assert (made.backend, made.warnings) == ("diffusers", [])
    assert (made.path, made.sources, made.poster) == (
        "assets/reel.mp4",
        ["assets/reel.webm"],
        "assets/reel-poster.webp",
    )
    reader = imageio_ffmpeg.read_frames(str(tmp_path / made.path))
    meta = next(reader)
    assert tuple(meta["size"]) == encoding.slot_size(spec) == (960, 640)
    assert meta["fps"] == video_backend.FPS
    assert sum(1 for _ in reader) == frames
    assert (tmp_path / made.sources[0]).stat().st_size > 0
    with Image.open(tmp_path / made.poster) as poster:
        assert poster.size == (960, 640)


@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")  # diffusers' Euler scheduler
def test_an_image_to_video_model_animates_a_still_from_the_image_model(image_model, tmp_path):
    settings = diffusers_settings(image_model, save_tiny_image_to_video(tmp_path / "svd"))
    spec = video_spec(seconds=1.0, width=800, height=800)
    made = make(spec, tmp_path / "page", settings)
    assert (made.backend, made.warnings) == ("diffusers", [])
    reader = imageio_ffmpeg.read_frames(str(tmp_path / "page" / made.path))
    assert tuple(next(reader)["size"]) == encoding.slot_size(spec) == (800, 800)
    assert sum(1 for _ in reader) == 8


def test_an_image_to_video_model_needs_the_image_model_for_its_still(tmp_path):
    missing = tmp_path / "no-image-model"
    ctx = GenerationContext(out_dir=tmp_path, settings=diffusers_settings(missing, save_tiny_image_to_video(tmp_path)))
    with pytest.raises(
        GenerationError, match=f"diffusers model '{missing}' cannot be loaded: .*WEBAGENT_DIFFUSERS_IMAGE_MODEL"
    ):
        video_backend.generate(video_spec(seconds=1.0), TOKENS, ctx)


# --- the whole build ---------------------------------------------------------------------


@pytest.mark.browser
def test_a_build_with_the_diffusers_backend_puts_its_pictures_in_the_page(image_model, tmp_path, browser_session):
    settings = Settings(
        image_backend="diffusers",
        diffusers_image_model=str(image_model),
        diffusers_steps=2,
        diffusers_max_side_px=MAX_SIDE,
        diffusers_device="cpu",
    )
    result = build(
        "A landing page for a mountain lodge, with a large photo of the lodge at dusk",
        tmp_path / "page",
        settings,
        browser=browser_session,
    )
    record = RunRecord.model_validate_json((result.out_dir / "run.json").read_text())
    assert record.backends["image"] == result.record.backends["image"] == "diffusers"
    images = [spec for spec in result.plan.assets if spec.kind == "image"]
    assert images, "the prompt asks for a photo"
    page = BeautifulSoup(result.page.read_text(encoding="utf-8"), "html.parser")
    for spec in images:
        assert not [w for w in record.warnings if spec.id in w]
        assert page.select_one(f'img[data-asset-id="{spec.id}"]')["src"] == spec.path
        with Image.open(result.out_dir / spec.path) as picture:  # the model's size, not the offline painter's
            assert max(picture.size) == MAX_SIDE
    report = browser_session.call(lambda browser: check_page(browser, result.out_dir))
    loaded = {image["src"]: image["ok"] for image in report.media["images"]}
    assert all(loaded.get(spec.path) for spec in images), loaded
