"""An output folder's life: one writer at a time, builds staged beside it, interrupted builds kept to resume.

A build writes into ``.<name>.building`` next to the folder and moves it into place only when it
has finished, so a half-written page is never taken for a finished one. While it runs it holds an
``flock`` on ``.<name>.lock`` (released by the kernel even when the process is killed), so a second
build or edit of the same folder is refused at once instead of mixing its files in.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from webagent.errors import FolderBusyError, OutputDirError

DIR_MODE = 0o755
PROMPT_FILE = "prompt.txt"


def sibling(folder: Path, suffix: str) -> Path:
    """The hidden file or folder ``.<name>.<suffix>`` beside ``folder``."""
    return folder.with_name(f".{folder.name}.{suffix}")


def make_parent(folder: Path) -> None:
    """Create the folder's parent, or say in one line why it cannot be."""
    blocker = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        raise OutputDirError(f"cannot write to {folder}: {blocker} is a file, not a folder")
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputDirError(f"cannot write to {folder.parent}: {exc.strerror or exc}") from None


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the write lock of ``folder`` for the block, or refuse at once when another writer holds it."""
    folder = folder.resolve()
    make_parent(folder)
    path = sibling(folder, "lock")
    fd = acquire(path, folder)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
        yield
    finally:
        path.unlink(missing_ok=True)  # before unlocking: a writer waiting on this file then sees it is stale
        os.close(fd)


def acquire(path: Path, folder: Path) -> int:
    """An open, exclusively locked descriptor of the lock file ``path`` (the one at that path now, not a stale one)."""
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputDirError(f"cannot lock {folder}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("utf-8", "replace").strip() or "another process"
            os.close(fd)
            raise FolderBusyError(f"{folder} is being written by another webagent run ({holder}): "
                                  "wait for it to finish or choose another --out") from None
        try:
            if os.fstat(fd).st_ino == os.stat(path).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)  # the holder removed this file as we locked it: lock the new one


def interrupted_prompt(final: Path) -> str | None:
    """The prompt of an interrupted build of ``final`` waiting in its staging folder, if there is one."""
    file = sibling(final.resolve(), "building") / PROMPT_FILE
    return file.read_text(encoding="utf-8") if file.is_file() else None


@contextmanager
def staged_output_dir(final: Path, keep_interrupted: bool = False) -> Iterator[Path]:
    """Build into ``.<name>.building`` beside ``final`` and move it into place when the block succeeds.

    With ``keep_interrupted`` what an earlier build left there (killed, or stopped with Ctrl-C) is
    kept for the block to resume; otherwise it is cleared. A block that raises leaves ``final`` as
    it was and removes the staging folder, except after Ctrl-C, when it stays for ``--resume``.
    Call it while holding ``folder_lock(final)``.
    """
    final = final.resolve()
    make_parent(final)
    staging = sibling(final, "building")
    if not keep_interrupted:
        shutil.rmtree(staging, ignore_errors=True)
    for stale in staging.rglob(".*.part*"):  # temporary files a killed writer left; never taken as written
        stale.unlink(missing_ok=True)
    try:
        staging.mkdir(mode=DIR_MODE, exist_ok=True)
    except OSError as exc:
        raise OutputDirError(f"cannot write to {final.parent}: {exc.strerror or exc}") from None
    try:
        yield staging
    except KeyboardInterrupt:
        raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    move_into_place(staging, final)


def move_into_place(staging: Path, final: Path) -> None:
    """Replace ``final`` with the finished ``staging`` folder (the previous one goes only once the new one is in)."""
    if final.exists():
        previous = sibling(final, "previous")
        shutil.rmtree(previous, ignore_errors=True)
        os.replace(final, previous)
        os.replace(staging, final)
        shutil.rmtree(previous, ignore_errors=True)
    else:
        os.replace(staging, final)
