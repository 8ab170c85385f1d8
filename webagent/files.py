"""Output folders: safe paths, atomic writes, and the build lock."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from pydantic import BaseModel

from webagent.errors import OutputDirError, UnsafePathError

FILE_MODE = 0o644  # temporary files are created private; finished ones are readable like any page
DIR_MODE = 0o755


def safe_join(root: Path, relative: str) -> Path:
    """Resolve ``relative`` inside ``root``; refuse anything that would leave it."""
    if not relative or "\x00" in relative:
        raise UnsafePathError(f"refused empty or NUL-containing path {relative!r}")
    if "://" in relative or relative.startswith(("//", "\\\\")) or ":" in relative.split("/")[0]:
        raise UnsafePathError(f"refused path {relative!r}: URLs and drive letters are not allowed")
    pure = PurePosixPath(relative.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts:
        raise UnsafePathError(f"refused path {relative!r}: it must stay inside the output folder")
    root_resolved = root.resolve()
    target = (root_resolved / pure).resolve()
    if target != root_resolved and root_resolved not in target.parents:
        raise UnsafePathError(f"refused path {relative!r}: it resolves outside the output folder")
    return target


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: Path, value: BaseModel | dict | list) -> Path:
    if isinstance(value, BaseModel):
        text = value.model_dump_json(indent=2)
    else:
        text = json.dumps(value, indent=2, ensure_ascii=False)
    return atomic_write_text(path, text + "\n")


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` for a tool to write; rename it on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.part{path.suffix}")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def staged_output_dir(final: Path) -> Iterator[Path]:
    """Build into a hidden staging folder beside ``final`` and move it into place on success.

    A failed build leaves ``final`` as it was: never a half-written page that looks finished.
    """
    final = final.resolve()
    blocker = next((p for p in (final, *final.parents) if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        raise OutputDirError(f"cannot write to {final}: {blocker} is a file, not a folder")
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.building-"))
        os.chmod(staging, DIR_MODE)
    except OSError as exc:
        raise OutputDirError(f"cannot write to {final.parent}: {exc.strerror or exc}") from None
    try:
        yield staging
        if final.exists():
            previous = final.with_name(f".{final.name}.previous")
            shutil.rmtree(previous, ignore_errors=True)
            os.replace(final, previous)
            os.replace(staging, final)
            shutil.rmtree(previous, ignore_errors=True)
        else:
            os.replace(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
