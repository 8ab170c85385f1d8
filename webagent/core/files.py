"""Paths inside an output folder, and atomic writes to them."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from pydantic import BaseModel

from webagent.core.errors import UnsafePathError

FILE_MODE = 0o644  # temporary files are created private; finished ones are readable like any page


NAME_MAX_BYTES = 255  # longest file or folder name Linux and macOS accept
PATH_MAX_BYTES = 4096  # longest whole path they accept


def _shown(relative: str) -> str:
    """``relative`` as it appears in an error: its repr (one line), cut when huge."""
    return repr(relative) if len(relative) <= 120 else f"{relative[:120]!r}… ({len(relative)} characters)"


def relative_parts(relative: str) -> PurePosixPath:
    """``relative`` as a path that can only name something below a folder, checked without the disk.

    Refuses the empty path, NUL bytes, names the file system cannot encode, URLs and ``scheme:``
    references, drive letters, absolute and UNC paths, ``..`` (with either slash) and over-long names.
    """
    if not relative or "\x00" in relative:
        raise UnsafePathError(f"refused path {_shown(relative)}: it is empty or contains a NUL byte")
    try:
        encoded = os.fsencode(relative)
    except UnicodeEncodeError:
        raise UnsafePathError(f"refused path {_shown(relative)}: it is not a valid file name") from None
    if ":" in relative:
        raise UnsafePathError(f"refused path {_shown(relative)}: URLs, schemes and drive letters are not allowed")
    pure = PurePosixPath(relative.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts:
        raise UnsafePathError(f"refused path {_shown(relative)}: it must stay inside the output folder")
    if not pure.parts:
        raise UnsafePathError(f"refused path {_shown(relative)}: it names the output folder itself, not a file in it")
    if len(encoded) > PATH_MAX_BYTES or any(len(os.fsencode(part)) > NAME_MAX_BYTES for part in pure.parts):
        raise UnsafePathError(f"refused path {_shown(relative)}: it is too long for a file name")
    return pure


def safe_join(root: Path, relative: str) -> Path:
    """Resolve ``relative`` inside ``root``; refuse anything that would leave it.

    The one gate for every path we write or serve: lexical checks first (``relative_parts``), then
    symbolic links are resolved, so a link (or a linked parent folder) pointing outside is refused too.
    """
    pure = relative_parts(relative)
    root_resolved = root.resolve()
    try:
        target = (root_resolved / pure).resolve()
    except (OSError, RuntimeError):  # a symlink loop, or a name the file system rejects
        raise UnsafePathError(
            f"refused path {_shown(relative)}: it cannot be resolved (a symbolic link loop or an unreadable folder)"
        ) from None
    if root_resolved not in target.parents:
        raise UnsafePathError(f"refused path {_shown(relative)}: it resolves outside the output folder")
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
