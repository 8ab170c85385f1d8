"""An output folder's life: one writer at a time, builds staged beside it, interrupted builds kept to resume.

A build writes into ``.<name>.building`` next to the folder and moves it into place only when it
has finished, so a half-written page is never taken for a finished one. While it runs it holds an
``flock`` on ``.<name>.lock`` (released by the kernel even when the process is killed), so a second
build or edit of the same folder is refused at once instead of mixing its files in. Which of these
files and folders are webagent's to replace or remove is decided by ``webagent.core.ownership``.
"""

from __future__ import annotations

import fcntl
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from webagent.core.errors import FolderBusyError, OutputDirError
from webagent.core.ownership import (
    LOCK_SIGNATURE,
    is_our_lock,
    mark_folder,
    owns,
    read_mark,
    remove_file,
    remove_tree,
    sibling,
)

DIR_MODE = 0o755
PROMPT_FILE = "prompt.txt"


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
        holder = LOCK_SIGNATURE + f": pid {os.getpid()}".encode()
        os.pwrite(fd, holder, 0)  # the signature stays at the start: the file is always recognisably ours
        os.ftruncate(fd, len(holder))
        yield
    finally:
        with suppress(FileNotFoundError):  # the file acquire checked and this process locked, and no other
            if os.stat(path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino:
                path.unlink()  # before unlocking: a waiting writer then sees it is stale
        os.close(fd)


def create_lock_file(path: Path, folder: Path) -> None:
    """Create the lock file with our signature in it from its first instant (written aside, then linked
    into place, which fails rather than replace a file that is there)."""
    if os.path.lexists(path):
        return
    spare = path.with_name(f"{path.name}.{uuid.uuid4().hex}.part")
    try:
        fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)  # a new file, never one that is there
    except OSError as exc:
        raise OutputDirError(f"cannot lock {folder}: {exc.strerror or exc}") from None
    try:
        os.write(fd, LOCK_SIGNATURE + b"\n")
        with suppress(FileExistsError):  # another writer made it first: that one is locked below
            os.link(spare, path)
    except OSError as exc:
        raise OutputDirError(f"cannot lock {folder}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
        spare.unlink()  # the spare file this call created; the lock file keeps its own link


def acquire(path: Path, folder: Path) -> int:
    """An open, exclusively locked descriptor of the lock file ``path`` (the one at that path now, not a stale one)."""
    while True:
        create_lock_file(path, folder)
        try:
            fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW)
        except FileNotFoundError:
            continue  # its holder removed it as we looked: make a new one
        except OSError as exc:
            raise OutputDirError(
                f"cannot lock {folder}: {path} is not a lock file webagent made ({exc.strerror or exc}); move it away"
            ) from None
        if not is_our_lock(os.pread(fd, 64, 0)):
            os.close(fd)
            raise OutputDirError(
                f"cannot lock {folder}: {path} is in the way and webagent did not write it; "
                "move it away, or choose another folder"
            )
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).removeprefix(LOCK_SIGNATURE + b": ").decode("utf-8", "replace").strip()
            os.close(fd)
            raise FolderBusyError(
                f"{folder} is being written by another webagent run ({holder or 'another process'}): "
                "wait for it to finish or choose another --out"
            ) from None
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
    Call it after ``claim_output(final, "page")``, while holding ``folder_lock(final)``.
    """
    final = final.resolve()
    make_parent(final)
    staging = sibling(final, "building")
    if not keep_interrupted and read_mark(staging) is not None:  # an empty one (killed before its mark) is reused
        remove_tree(staging)
    try:
        staging.mkdir(mode=DIR_MODE, exist_ok=True)
    except OSError as exc:
        raise OutputDirError(f"cannot write to {final.parent}: {exc.strerror or exc}") from None
    if read_mark(staging) is None:
        mark_folder(staging, "page")
    for stale in staging.rglob(".*.part*"):  # temporary files a killed writer left; never taken as written
        remove_file(stale)
    try:
        yield staging
    except KeyboardInterrupt:
        raise
    except BaseException:
        with suppress(OSError, OutputDirError):  # the error that got us here is the one to report
            remove_tree(staging)
        raise
    move_into_place(staging, final)


def move_into_place(staging: Path, final: Path) -> None:
    """Replace ``final`` with the finished ``staging`` folder: at once when ``final`` is missing or empty
    (a rename cannot replace a folder with anything in it); when ``final`` is webagent's page, it goes
    to ``.<name>.previous`` until the new one is in, then is removed. Anything else stays untouched."""
    previous = sibling(final, "previous")
    remove_tree(previous)  # one a killed build left (claim_output refused the folder if it was not ours)
    try:
        os.replace(staging, final)
        return
    except OSError:
        if not owns(final, "page"):
            raise OutputDirError(
                f"{final} changed during the build and webagent did not write what is there "
                f"now: it was left as it is, and the new page is in {staging}"
            ) from None
    os.replace(final, previous)
    os.replace(staging, final)
    remove_tree(previous)
