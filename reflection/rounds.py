"""Checkpoints of a page folder under ``rounds/``: one per build, reflection round and edit.

A checkpoint lists the page's files (``index.html``, ``source.json``, ``plan.json`` and everything
under ``assets/``) by content hash; the bytes live once in ``rounds/store/``. Restoring a round
writes those exact bytes back and removes page files the round did not have, so a restored page
is the earlier version byte for byte. ``rounds/history.json`` lists every round and which one the
folder shows.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from webagent.core.errors import UnsafePathError, WebAgentError
from webagent.core.files import atomic_write_bytes, atomic_write_json, safe_join
from webagent.core.ownership import remove_file
from webagent.core.records import History, RoundRecord

ROUNDS = "rounds"
STORE = "store"
HISTORY = "history.json"
MANIFEST = "files.json"
PAGE_FILES = ("index.html", "source.json", "plan.json")
PAGE_FOLDERS = ("assets",)
DIGEST = re.compile(r"[0-9a-f]{64}")


class RoundError(WebAgentError):
    """A round that does not exist, or a folder without rounds."""


def round_dir(out_dir: Path, number: int) -> Path:
    """The folder of one round: its manifest, evaluation and screenshots."""
    return out_dir / ROUNDS / f"{number:03d}"


def page_files(out_dir: Path) -> list[str]:
    """Relative paths of the files that make the page, sorted."""
    found = [name for name in PAGE_FILES if (out_dir / name).is_file()]
    for folder in PAGE_FOLDERS:
        root = out_dir / folder
        found += [
            p.relative_to(out_dir).as_posix() for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")
        ]
    return sorted(name for name in found if is_inside(out_dir, name))


def is_inside(out_dir: Path, relative: str) -> bool:
    """Whether ``relative`` stays inside the folder (a symlink out of it is never snapshotted nor removed)."""
    try:
        safe_join(out_dir, relative)
    except UnsafePathError:
        return False
    return True


def snapshot(out_dir: Path, number: int) -> dict[str, str]:
    """Store the page's current files as round ``number``; return its manifest (path → sha256)."""
    store = out_dir / ROUNDS / STORE
    manifest: dict[str, str] = {}
    for relative in page_files(out_dir):
        data = (out_dir / relative).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if not (store / digest).is_file():
            atomic_write_bytes(store / digest, data)
        manifest[relative] = digest
    atomic_write_json(round_dir(out_dir, number) / MANIFEST, manifest)
    return manifest


def load_history(out_dir: Path) -> History:
    """The folder's rounds, or a RoundError when it has none (not built by webagent, or too old)."""
    path = out_dir / ROUNDS / HISTORY
    if not path.is_file():
        raise RoundError(f"{out_dir} has no rounds/history.json: build it with `webagent build` first")
    try:
        return History.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise RoundError(f"{path} is damaged ({str(exc).splitlines()[0]})") from None


def history_or_empty(out_dir: Path) -> History:
    """The folder's rounds, or an empty history for a page being built."""
    return load_history(out_dir) if (out_dir / ROUNDS / HISTORY).is_file() else History()


def record_round(out_dir: Path, record: RoundRecord, current: int) -> History:
    """Append ``record`` to the history and say which round the folder now shows."""
    history = history_or_empty(out_dir)
    history.rounds = [r for r in history.rounds if r.number != record.number] + [record]
    history.current = current
    atomic_write_json(out_dir / ROUNDS / HISTORY, history)
    return history


def next_round(out_dir: Path) -> int:
    """The number the next round gets."""
    history = history_or_empty(out_dir)
    return max((r.number for r in history.rounds), default=-1) + 1


def manifest_of(out_dir: Path, number: int) -> dict[str, str]:
    path = round_dir(out_dir, number) / MANIFEST
    if not path.is_file():
        known = ", ".join(str(r.number) for r in history_or_empty(out_dir).rounds) or "none"
        raise RoundError(f"{out_dir} has no round {number} (rounds: {known})")
    return json.loads(path.read_text(encoding="utf-8"))


def restore(out_dir: Path, number: int) -> None:
    """Make the page files exactly those of round ``number`` and mark it current."""
    manifest = manifest_of(out_dir, number)
    store = out_dir / ROUNDS / STORE
    for relative, digest in manifest.items():
        target = safe_join(out_dir, relative)
        if not DIGEST.fullmatch(digest):
            raise RoundError(f"round {number}'s file list is damaged: {relative!r} has no valid digest")
        data = (store / digest).read_bytes()
        if not target.is_file() or target.read_bytes() != data:
            atomic_write_bytes(target, data)
    for relative in set(page_files(out_dir)) - set(manifest):
        remove_file(out_dir / relative)  # a link: the link itself, never what it points at
    history = history_or_empty(out_dir)
    history.current = number
    atomic_write_json(out_dir / ROUNDS / HISTORY, history)
