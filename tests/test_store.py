"""The verified entry store under both caches: least recently used entries go first past the size limit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from webagent.core.config import Settings
from webagent.core.store import cache_root, entries, load_entry, save_entry, sha256, trim, usage
from webagent.engine.build import build

KB = 1024
PROMPT = "A landing page for a small mountain coffee roaster: a hero photo of the hills and a note on the beans."


def key(name: str) -> str:
    return sha256(name.encode())


def stored(root: Path, name: str, used_at: float, size: int = 10 * KB) -> Path:
    """An entry keyed by ``name``'s sha256, of ``size`` bytes, under ``root``, last used at ``used_at`` (epoch s)."""
    save_entry(root, key(name), [("file", os.urandom(size))], {})
    os.utime(root / key(name) / "entry.json", (used_at, used_at))
    return root / key(name)


def names(*roots: Path) -> set[str]:
    known = {key(name): name for name in ("a", "b", "c", "d", "old", "new")}
    return {known[folder.name] for root in roots for folder in entries(root)}


def test_trim_removes_the_least_recently_used_entries_of_every_store_first(tmp_path):
    media, evidence = tmp_path / "media", tmp_path / "evidence"
    for key, root, used_at in (("a", media, 100), ("b", evidence, 200), ("c", media, 300), ("d", evidence, 400)):
        stored(root, key, used_at)

    removed = trim(tmp_path, 25 * KB)

    assert removed == 2
    assert names(media, evidence) == {"c", "d"}
    assert [p.name for root in (media, evidence) for p in root.iterdir() if p.name.startswith(".")] == []


def test_a_read_marks_the_entry_used_so_it_outlives_newer_ones(tmp_path):
    root = tmp_path / "media"
    oldest = stored(root, "old", 100)
    stored(root, "new", 200)

    assert load_entry(oldest, key("old")) is not None  # read now: the most recently used
    trim(tmp_path, 15 * KB)

    assert names(root) == {"old"}


def test_trim_within_the_limit_removes_nothing(tmp_path):
    stored(tmp_path / "media", "a", 100)

    assert trim(tmp_path, 1024 * KB) == 0
    assert usage(tmp_path / "media")[0] == 1


def test_a_key_named_folder_without_the_description_naming_its_key_is_never_trimmed(tmp_path):
    """Only a folder whose entry.json names the key its name carries is an entry webagent made."""
    torn = stored(tmp_path / "media", "torn", 100)
    (torn / "entry.json").unlink()
    borrowed = stored(tmp_path / "media", "borrowed", 100)
    (borrowed / "entry.json").write_text(json.dumps({"key": key("other"), "files": []}))

    trim(tmp_path, 0)

    assert (torn / "0").is_file() and (borrowed / "0").is_file()


def test_trim_leaves_everything_but_the_stores_entries_alone(tmp_path):
    """CACHE_DIR pointed at a folder that holds other things: only entries of the media and render stores go."""
    mine = [tmp_path / "photos" / "2024", tmp_path / "media" / "holiday", tmp_path / "evidence" / ("f" * 63)]
    for folder in mine:
        folder.mkdir(parents=True)
        (folder / "file").write_bytes(os.urandom(10 * KB))
    entry = stored(tmp_path / "media", "a", 100)

    trim(tmp_path, 0)

    assert all((folder / "file").is_file() for folder in mine)
    assert not entry.exists()


@pytest.mark.browser
def test_a_build_keeps_the_cache_within_its_limit(tmp_path, browser_session):
    result = build(PROMPT, tmp_path / "page", Settings(cache_max_mb=0.001), browser=browser_session)

    assert (result.out_dir / "index.html").is_file()
    assert sum(usage(store)[1] for store in cache_root(Settings()).iterdir()) <= KB


@pytest.mark.browser
def test_doctor_shows_the_cache_and_its_limit():
    result = subprocess.run(
        [sys.executable, "-m", "webagent", "doctor"],
        capture_output=True,
        text=True,
        env=dict(os.environ, WEBAGENT_CACHE_MAX_MB="512"),
        timeout=120,
    )

    assert f"{cache_root(Settings())}: 0 elements, 0.0 MB; 0 page renders, 0.0 MB; limit 512 MB" in result.stdout
