"""Verified content-addressed folders: the storage under the media cache and the render cache.

An entry is one folder named by its key, holding its files as ``0``, ``1``, … (so no stored name ever
becomes a path) and ``entry.json``: the key, each file's name and sha256, and what the caller keeps
beside them. Entries are written to a temporary folder and renamed into place, and checked on every
read: a torn or corrupt entry is a miss, and writing the key again replaces it. A read marks the entry
used (the mtime of ``entry.json``); ``trim`` removes the least recently used entries of every store in
the cache folder past its size limit. Only folders that ``webagent.core.ownership.is_cache_entry`` recognises
(their entry.json names the key their name carries) are ever replaced or removed; anything else in the
cache folder is left alone. The store only saves time: an entry that cannot be written is skipped,
never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from contextlib import suppress
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from webagent.core.config import Settings
from webagent.core.errors import OutputDirError
from webagent.core.ownership import CACHE_ENTRY_FILE, CACHE_KEY, is_cache_entry, remove_tree

ENTRY_FILE = CACHE_ENTRY_FILE
MB = 1024 * 1024
STORES = MEDIA, EVIDENCE = ("media", "evidence")  # the stores in the cache folder; trim touches nothing else


class StoredFile(BaseModel):
    """One file of an entry: the name its owner gave it, and its sha256."""

    name: str
    sha256: str


class StoredEntry(BaseModel):
    """What an entry folder holds: its files (stored as 0, 1, … in this order) and its owner's facts."""

    key: str
    files: list[StoredFile]
    facts: dict[str, Any] = {}


def cache_root(settings: Settings) -> Path:
    """The cache folder: the setting, else $WEBAGENT_CACHE_DIR, else $XDG_CACHE_HOME/webagent, else
    ~/.cache/webagent (read when used, so the environment can move it). Each kind of entry has a folder in it."""
    if settings.cache_dir is not None:
        return settings.cache_dir.expanduser()
    if os.environ.get("WEBAGENT_CACHE_DIR"):
        return Path(os.environ["WEBAGENT_CACHE_DIR"]).expanduser()
    base = Path(os.environ["XDG_CACHE_HOME"]) if os.environ.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return base / "webagent"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def key_of(described: dict[str, Any]) -> str:
    """The sha256 of a description, written canonically (sorted keys, no spaces)."""
    return sha256(json.dumps(described, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode())


def load_entry(folder: Path, key: str) -> tuple[StoredEntry, list[bytes]] | None:
    """An entry's description and file contents, or None when it is missing, torn or corrupt."""
    try:
        entry = StoredEntry.model_validate_json((folder / ENTRY_FILE).read_bytes())
        contents = [(folder / str(index)).read_bytes() for index in range(len(entry.files))]
    except (OSError, ValidationError):
        return None
    if entry.key != key or any(sha256(data) != file.sha256 for data, file in zip(contents, entry.files)):
        return None
    with suppress(OSError):  # a read-only cache still serves its entries
        os.utime(folder / ENTRY_FILE)
    return entry, contents


def save_entry(root: Path, key: str, files: list[tuple[str, bytes]], facts: dict[str, Any]) -> None:
    """Store ``files`` (name, contents) and ``facts`` under ``key``: built in a temporary folder, then renamed.

    An intact entry already there (a concurrent writer finished first) is kept; a broken one is replaced.
    """
    staging = root / f".{key}.{uuid.uuid4().hex}.part"
    try:
        staging.mkdir(parents=True)  # refuses a folder that is there: what is removed below is this call's own
    except OSError:
        return  # a full or read-only cache costs the next run time, never this one its result
    try:
        for index, (_, data) in enumerate(files):
            (staging / str(index)).write_bytes(data)
        entry = StoredEntry(
            key=key, files=[StoredFile(name=name, sha256=sha256(data)) for name, data in files], facts=facts
        )
        (staging / ENTRY_FILE).write_text(entry.model_dump_json(), encoding="utf-8")
        _publish(staging, root / key, key)
    except (OSError, OutputDirError):
        pass  # as above; an entry in the way that is not webagent's is left, and this one not stored
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # the folder this call made (after publishing, gone already)


def _publish(staging: Path, entry: Path, key: str) -> None:
    """Rename ``staging`` to ``entry``; a broken entry of ours in the way is moved aside and removed first
    (a folder of that name that is not a cache entry stays, and the new entry is not stored)."""
    try:
        staging.rename(entry)
        return
    except OSError:
        if load_entry(entry, key) is not None or not is_cache_entry(entry):
            return
    aside = entry.with_name(f".{entry.name}.{uuid.uuid4().hex}.old")
    try:
        entry.rename(aside)
    except FileNotFoundError:
        pass  # another writer moved it first
    try:
        staging.rename(entry)
    except OSError:
        pass  # another writer published its copy in between: that one stands
    with suppress(OSError, OutputDirError):  # the gate's refusal: the folder stays, the cache only loses time
        remove_tree(aside)


def entries(root: Path) -> list[Path]:
    """The published entries of a store folder: folders named by a key (not the temporary folders of writes in
    progress, nor anything else)."""
    return (
        [folder for folder in root.iterdir() if CACHE_KEY.fullmatch(folder.name) and folder.is_dir()]
        if root.is_dir()
        else []
    )


def entry_size(folder: Path) -> int:
    return sum(file.stat().st_size for file in folder.iterdir() if file.is_file())


def last_used(folder: Path) -> float:
    """When the entry was last read or written."""
    return (folder / ENTRY_FILE).stat().st_mtime


def usage(root: Path) -> tuple[int, int]:
    """How many entries a store folder holds and their size in bytes (0, 0 when it does not exist)."""
    found = entries(root)
    return len(found), sum(entry_size(folder) for folder in found)


def trim(cache_folder: Path, max_bytes: int) -> int:
    """Remove the least recently used entries of the stores in ``cache_folder`` until they hold at most
    ``max_bytes``; how many were removed. Entries another process removes meanwhile are skipped."""
    found = []
    for store in STORES:
        for folder in filter(is_cache_entry, entries(cache_folder / store)):
            with suppress(OSError):
                found.append((last_used(folder), entry_size(folder), folder))
    total, removed = sum(size for _, size, _ in found), 0
    for _, size, folder in sorted(found, key=lambda item: item[0]):
        if total <= max_bytes:
            break
        aside = folder.with_name(f".{folder.name}.{uuid.uuid4().hex}.old")
        with suppress(OSError, OutputDirError):
            folder.rename(aside)  # gone from readers at once; the files follow
            remove_tree(aside)
            total, removed = total - size, removed + 1
    return removed


def trim_cache(settings: Settings) -> None:
    """Keep the cache folder within ``cache_max_mb`` (least recently used entries go first); never an error."""
    if settings.media_cache:
        with suppress(OSError):
            trim(cache_root(settings), int(settings.cache_max_mb * MB))
