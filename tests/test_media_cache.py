"""The media cache: an unchanged element is copied from the cache, never generated twice.

Every test has an empty cache of its own (``WEBAGENT_CACHE_DIR``, set in conftest.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.model_server import ScriptedServer
from tests.scripted_model import ScriptedDesigner
from tests.test_generators import REVENUE, TOKENS, make_spec
from tests.test_llm_build import PROMPT, model_settings
from webagent.core.config import Settings
from webagent.core.context import GenerationContext
from webagent.core.contracts import AssetSpec
from webagent.core.edits import Fix
from webagent.core.llm import ModelHub
from webagent.core.source import PageSource
from webagent.core.store import ENTRY_FILE, cache_root, load_entry
from webagent.engine.build import build
from webagent.generators import generate_asset
from webagent.generators.cache import media_root
from webagent.reflection.element import amended_spec
from webagent.webbench.evaluation.evidence_cache import evidence_root

WEBAGENT = [sys.executable, "-m", "webagent"]
OFFLINE_PROMPT = (
    "A landing page for a small mountain coffee roaster: a hero photo of the hills and a note on the beans."
)


def entries(root: Path) -> list[Path]:
    """The published entries of a cache folder (not the temporary folders of writes in progress)."""
    return sorted(p for p in root.glob("*") if p.is_dir() and not p.name.startswith(".")) if root.is_dir() else []


def all_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.is_dir() else []


def media_files(folder: Path, source: PageSource) -> dict[str, bytes]:
    """Every file the page's images and videos consist of, by path."""
    paths = [p for a in source.assets.values() if a.kind != "chart" for p in (a.path, a.poster, *a.sources) if p]
    return {path: (folder / path).read_bytes() for path in paths}


def page_source(folder: Path) -> PageSource:
    return PageSource.model_validate_json((folder / "source.json").read_text())


def offline_ctx(out_dir: Path, seed: int = 0) -> GenerationContext:
    return GenerationContext(out_dir, seed, Settings())


@pytest.fixture
def designer_server() -> Iterator[ScriptedServer]:
    with ScriptedServer(ScriptedDesigner()) as running:
        yield running


@pytest.fixture
def image_ctx(designer_server, tmp_path) -> Iterator[GenerationContext]:
    """A context whose image backend is the scripted server's Images API."""
    hub = ModelHub(model_settings(designer_server))
    yield GenerationContext(tmp_path / "out", 0, hub.settings, hub)
    hub.close()


@pytest.mark.browser
def test_rebuild_of_the_same_prompt_reuses_every_image_and_video(tmp_path, designer_server, browser_session):
    settings = model_settings(designer_server)
    first = build(PROMPT, tmp_path / "first", settings, browser=browser_session).out_dir
    requests = {kind: len(designer_server.seen(f"/{kind}")) for kind in ("images", "videos")}
    second = build(PROMPT, tmp_path / "second", settings, browser=browser_session).out_dir

    assert requests["images"] >= 1 and requests["videos"] >= 1
    assert {kind: len(designer_server.seen(f"/{kind}")) for kind in ("images", "videos")} == requests
    before, after = page_source(first), page_source(second)
    media = [a for a in after.assets.values() if a.kind != "chart"]
    assert {a.kind for a in media} == {"image", "video"}
    assert all(a.cached for a in media) and not any(a.cached for a in before.assets.values())
    assert media_files(second, after) == media_files(first, before)


def test_same_element_again_is_copied_from_the_cache(tmp_path):
    spec = make_spec("image")
    made = generate_asset(spec, TOKENS, offline_ctx(tmp_path / "a"))
    copied = generate_asset(spec, TOKENS, offline_ctx(tmp_path / "b"))

    assert (made.cached, copied.cached) == (False, True)
    assert copied.model_dump(exclude={"cached", "seconds"}) == made.model_dump(exclude={"cached", "seconds"})
    assert (tmp_path / "b" / spec.path).read_bytes() == (tmp_path / "a" / spec.path).read_bytes()


def test_video_files_and_poster_are_copied_to_the_new_elements_paths(tmp_path):
    spec = make_spec("video", width=640, height=360, seconds=1)
    made = generate_asset(spec, TOKENS, offline_ctx(tmp_path / "a"))
    moved = spec.model_copy(update={"path": "assets/loop-v2.mp4"})
    copied = generate_asset(moved, TOKENS, offline_ctx(tmp_path / "b"))

    assert copied.cached
    assert (copied.path, copied.poster, copied.sources) == (
        "assets/loop-v2.mp4",
        "assets/loop-v2-poster.webp",
        ["assets/loop-v2.webm"],
    )
    for old, new in zip((made.path, made.poster, *made.sources), (copied.path, copied.poster, *copied.sources)):
        assert (tmp_path / "b" / new).read_bytes() == (tmp_path / "a" / old).read_bytes()


@pytest.mark.parametrize("change", ["seed", "prompt", "size", "palette"])
def test_another_seed_prompt_size_or_palette_is_generated_anew(tmp_path, change):
    spec = make_spec("image")
    generate_asset(spec, TOKENS, offline_ctx(tmp_path / "a"))
    tokens, seed = TOKENS, 0
    if change == "seed":
        seed = 1
    elif change == "prompt":
        spec = spec.model_copy(update={"prompt": "a stormy sea at dusk"})
    elif change == "size":
        spec = spec.model_copy(update={"size": spec.size.model_copy(update={"width": 900})})
    else:
        tokens = TOKENS.model_copy(update={"palette": TOKENS.palette.model_copy(update={"accent": "#ff0066"})})

    again = generate_asset(spec, tokens, offline_ctx(tmp_path / "b", seed))

    assert not again.cached
    assert len(entries(media_root(Settings()))) == 2


def test_offline_charts_are_not_cached(tmp_path):
    generate_asset(make_spec("chart", dataset=REVENUE), TOKENS, offline_ctx(tmp_path / "a"))

    assert entries(media_root(Settings())) == []


def test_corrupt_entry_is_generated_again_and_replaced(tmp_path):
    spec = make_spec("image")
    generate_asset(spec, TOKENS, offline_ctx(tmp_path / "a"))
    [entry] = entries(media_root(Settings()))
    (entry / "0").write_bytes(b"not the picture")

    remade = generate_asset(spec, TOKENS, offline_ctx(tmp_path / "b"))
    copied = generate_asset(spec, TOKENS, offline_ctx(tmp_path / "c"))

    assert (remade.cached, copied.cached) == (False, True)
    assert load_entry(entry, entry.name) is not None
    assert (tmp_path / "c" / spec.path).read_bytes() == (tmp_path / "a" / spec.path).read_bytes()


def test_entry_without_its_description_is_a_miss_and_left_alone(tmp_path):
    """Without entry.json nothing shows webagent made the folder: it is neither read nor replaced."""
    spec = make_spec("image")
    generate_asset(spec, TOKENS, offline_ctx(tmp_path / "a"))
    [entry] = entries(media_root(Settings()))
    (entry / ENTRY_FILE).unlink()
    before = {path: path.read_bytes() for path in all_files(entry)}

    assert not generate_asset(spec, TOKENS, offline_ctx(tmp_path / "b")).cached
    assert {path: path.read_bytes() for path in all_files(entry)} == before


def test_media_cache_off_reads_and_writes_nothing(tmp_path):
    spec = make_spec("image")
    generate_asset(spec, TOKENS, offline_ctx(tmp_path / "a"))
    before = all_files(media_root(Settings()))

    made = generate_asset(spec, TOKENS, GenerationContext(tmp_path / "b", 0, Settings(media_cache=False)))

    assert not made.cached
    assert all_files(media_root(Settings())) == before


def fixed(spec: AssetSpec, version: int) -> AssetSpec:
    return amended_spec(
        spec,
        Fix(level="element", action="regenerate", target=spec.id, reason="too dark", instruction="make it brighter"),
        version,
        None,
    )


def test_fix_prompt_misses_and_the_earlier_prompt_hits_again(image_ctx, designer_server, tmp_path):
    spec = make_spec("image")
    first = generate_asset(spec, TOKENS, image_ctx)
    with_fix = generate_asset(fixed(spec, 2), TOKENS, image_ctx)
    back = generate_asset(spec.model_copy(update={"path": "assets/hero-v3.webp"}), TOKENS, image_ctx)

    assert "Fix: make it brighter" in designer_server.seen("/images")[1].text()
    assert len(designer_server.seen("/images")) == 2  # the third element was not requested
    assert (first.cached, with_fix.cached, back.cached) == (False, False, True)
    out = tmp_path / "out"
    assert (out / "assets/hero-v3.webp").read_bytes() == (out / first.path).read_bytes()
    assert (out / with_fix.path).read_bytes() != (out / first.path).read_bytes()


def test_model_backend_falling_back_offline_is_not_cached_as_the_models(tmp_path):
    settings = Settings(
        image_backend="openai", base_url="http://127.0.0.1:9/v1", api_key="sk-x", model_retries=0, model_timeout_s=1
    )
    hub = ModelHub(settings)
    try:
        ctx = GenerationContext(tmp_path / "out", 0, settings, hub)
        made = generate_asset(make_spec("image"), TOKENS, ctx)
        again = generate_asset(make_spec("image"), TOKENS, ctx)
    finally:
        hub.close()

    assert made.backend == "offline" and made.warnings  # the server is unreachable: made offline
    assert again.cached and again.warnings[0].startswith("image image-1: the openai backend failed")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*WEBAGENT, *args], capture_output=True, text=True, env=dict(os.environ), timeout=300)


@pytest.mark.browser
def test_no_cache_build_reads_and_writes_nothing_in_the_cache(tmp_path):
    root = cache_root(Settings())  # neither media nor renders
    result = run_cli("build", OFFLINE_PROMPT, "--out", str(tmp_path / "page"), "--no-cache")

    assert result.returncode == 0, result.stderr
    assert all_files(root) == []
    assert not any(a.cached for a in page_source(tmp_path / "page").assets.values())


@pytest.mark.browser
def test_two_concurrent_builds_of_one_prompt_both_finish_with_intact_entries(tmp_path):
    command = [*WEBAGENT, "build", OFFLINE_PROMPT, "--out"]
    builds = [
        subprocess.Popen(
            [*command, str(tmp_path / name)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(os.environ),
        )
        for name in ("one", "two")
    ]
    outcomes = [(process.wait(timeout=300), process.stderr.read()) for process in builds]

    assert [code for code, _ in outcomes] == [0, 0], outcomes
    roots = [media_root(Settings()), evidence_root(Settings())]
    found = [entry for root in roots for entry in entries(root)]
    assert found and all(load_entry(entry, entry.name) is not None for entry in found)
    assert [p.name for root in roots for p in root.iterdir() if p.name.startswith(".")] == []  # no temporary folder
    one, two = page_source(tmp_path / "one"), page_source(tmp_path / "two")
    assert media_files(tmp_path / "one", one) == media_files(tmp_path / "two", two)
    assert json.loads((tmp_path / "one" / "plan.json").read_text()) == json.loads(
        (tmp_path / "two" / "plan.json").read_text()
    )
