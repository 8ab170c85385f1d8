"""Which folders are webagent's: the one gate that every command that writes, replaces or removes goes through.

A folder is webagent's only when it carries the mark ``.webagent.json``: a format version, the kind of
folder and the command that wrote it. Every folder a command writes into directly gets it: a page
folder (and its staging folder), a bench folder, an evaluation folder and the app's folder of builds.

* ``claim_output`` says whether a command may write a folder: one that is missing or empty, or one
  marked with the same kind. Anything else is refused with one line, and some folders are refused
  whatever they hold (``never_reason``). Symbolic links are resolved first: a link to a person's
  folder *is* that folder. Folders of earlier versions, which wrote no mark, are recognised by their
  files once and marked.
* ``require_ours`` says whether a command may change a page folder that already exists.
* ``remove_tree`` and ``remove_file`` are the only ways webagent removes anything it made: they check
  again, at the moment of removal, that the path lies in a marked folder (or is a cache entry), is
  neither a link webagent did not make nor a mount point, and is not a folder from the never list.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import sys
from contextlib import suppress
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from webagent import __version__
from webagent.core.errors import OutputDirError
from webagent.core.files import atomic_write_json

MARK_FILE = ".webagent.json"
MARK_FORMAT = 1
FolderKind = Literal["page", "bench", "evaluation", "app"]
MARK_DEPTH = 4  # the deepest webagent removes below a marked folder: page/rounds/NNN/crops/…
LOCK_SIGNATURE = b"webagent lock"
LEGACY_LOCK = re.compile(rb"pid \d+\s*")  # the lock files of earlier versions
TEMPORARY = re.compile(r"\..+\.part(\..*)?")  # atomic writes in progress: .NAME.XXXX.part, .STEM.part.EXT
SIBLING = re.compile(r"\..+\.(building|lock|previous)")
CACHE_KEY = re.compile(r"[0-9a-f]{64}")
CACHE_ENTRY_FILE = "entry.json"

# What each kind of folder holds at its top: a page folder holding anything else is not rebuilt, and a
# folder of an earlier version is recognised only when it holds nothing else.
PAGE_LAYOUT = frozenset(
    {
        MARK_FILE,
        "index.html",
        "assets",
        "prompt.txt",
        "plan.json",
        "source.json",
        "run.json",
        "screenshots",
        "rounds",
        "evaluation",
        ".journal.json",
        ".checkpoints.sqlite",
        ".checkpoints.sqlite-wal",
        ".checkpoints.sqlite-shm",
        ".checkpoints.sqlite-journal",
    }
)
EVALUATION_LAYOUT = frozenset(
    {MARK_FILE, "page-1440.png", "page-390.png", "crops", "frames", "evidence.json", "evaluation.json"}
)
BENCH_LAYOUT = frozenset({MARK_FILE, "results.jsonl", "summary.md", "summary.csv", "report.html", "cases"})
LEGACY_PAGE_FILES = ("run.json", "plan.json", "source.json")


class FolderMark(BaseModel):
    """The content of ``.webagent.json``: this folder was written by webagent (newer fields are ignored)."""

    model_config = ConfigDict(extra="ignore")

    format: int
    kind: FolderKind
    written_by: str
    version: str


def sibling(folder: Path, suffix: str) -> Path:
    """The hidden file or folder ``.<name>.<suffix>`` beside ``folder`` (building, lock or previous)."""
    return folder.with_name(f".{folder.name}.{suffix}")


def current_command() -> str:
    """The program and subcommand running now, e.g. 'webagent build' (no further arguments: they may be long)."""
    program = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    return " ".join([program, *(arg for arg in sys.argv[1:2] if not arg.startswith("-"))])


def mark_folder(folder: Path, kind: FolderKind) -> None:
    """Write the mark into ``folder``: from now on it is webagent's."""
    atomic_write_json(
        folder / MARK_FILE, FolderMark(format=MARK_FORMAT, kind=kind, written_by=current_command(), version=__version__)
    )


def read_mark(folder: Path) -> FolderMark | None:
    """The folder's mark, or None when it has none or one that cannot be read."""
    path = folder / MARK_FILE
    if path.is_symlink():
        return None
    try:
        return FolderMark.model_validate_json(path.read_bytes())
    except (OSError, ValidationError):
        return None


def shown(given: Path, target: Path) -> str:
    """The folder as the person named it, and where it really is when that says more (relative, ``~``, links)."""
    return str(given) if str(given) == str(target) else f"{given} (= {target})"


def resolved(folder: Path) -> Path:
    """``folder`` with ``~`` expanded and every symbolic link and ``..`` resolved."""
    try:
        return folder.expanduser().resolve()
    except (OSError, RuntimeError):
        raise OutputDirError(
            f"{folder} cannot be resolved (a symbolic link loop or an unreadable folder): choose another folder"
        ) from None


def home_folders() -> set[Path]:
    """The home folder of $HOME and of the user's account (they differ when HOME is redirected)."""
    found = {Path.home()}
    with suppress(KeyError, OSError):
        found.add(Path(pwd.getpwuid(os.getuid()).pw_dir))
    return {home.resolve() for home in found}


def current_folder() -> Path | None:
    try:
        return Path.cwd().resolve()
    except OSError:  # the current folder was removed
        return None


def never_reason(target: Path) -> str | None:
    """Why no command may write, replace or remove ``target`` (resolved), whatever it holds; None when one may."""
    if target == Path(target.anchor):
        return "is the root of the file system"
    homes = home_folders()
    if target in homes:
        return "is your home folder"
    if any(target in home.parents for home in homes):
        return "holds your home folder"
    here = current_folder()
    if here is not None and target in here.parents:
        return "holds the current folder"
    if os.path.lexists(target / ".git"):
        return "is the root of a git work tree"
    if os.path.ismount(target):
        return "is a mount point"
    return None


def names_in(folder: Path) -> list[str]:
    return sorted(entry.name for entry in os.scandir(folder))


def unknown_names(names: list[str], layout: frozenset[str]) -> list[str]:
    """The names that are neither part of ``layout`` nor a write in progress."""
    return [name for name in names if name not in layout and not TEMPORARY.fullmatch(name)]


def is_legacy(folder: Path, kind: FolderKind) -> bool:
    """Whether ``folder`` (without a mark) is what an earlier version of webagent wrote for ``kind``."""
    names = names_in(folder)
    if kind == "page":
        return all((folder / name).is_file() and not (folder / name).is_symlink() for name in LEGACY_PAGE_FILES)
    if kind == "evaluation":
        return bool({"evidence.json", "evaluation.json"} & set(names)) and not unknown_names(names, EVALUATION_LAYOUT)
    if kind == "bench":
        return "results.jsonl" in names and not unknown_names(names, BENCH_LAYOUT)
    return bool(names) and all(SIBLING.fullmatch(name) or owns(folder / name, "page") for name in names)


def owns(folder: Path, kind: FolderKind) -> bool:
    """Whether ``folder`` is a real folder (not a link) webagent wrote as ``kind``: marked, or of an earlier version."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    mark = read_mark(folder)
    if mark is not None:
        return mark.kind == kind and mark.format <= MARK_FORMAT
    return not (folder / MARK_FILE).exists() and is_legacy(folder, kind)


def refuse(given: Path, target: Path, why: str) -> OutputDirError:
    return OutputDirError(f"{shown(given, target)} {why}")


def first_existing(target: Path) -> Path:
    """``target`` or the nearest folder above it that exists."""
    return next(p for p in (target, *target.parents) if os.path.lexists(p))


def check_reachable(given: Path, target: Path, beside: bool) -> None:
    """Refuse a target below a file, or one whose folder cannot be written (read-only, or not the user's):
    with ``beside`` the folder that holds an existing target is written (a page is staged beside its
    folder, a file is replaced there), else the target itself."""
    existing = first_existing(target)
    if existing != target and not existing.is_dir():
        raise refuse(given, target, f"cannot be made: {existing} is a file, not a folder")
    written = target.parent if existing == target and beside else existing
    if not os.access(written, os.W_OK | os.X_OK):
        raise refuse(given, target, f"cannot be written: {written} is read-only or not yours to write")


def check_contents(given: Path, target: Path, kind: FolderKind) -> None:
    """Refuse an existing folder that is not webagent's ``kind`` folder; mark one of an earlier version."""
    mark = read_mark(target)
    if mark is None and os.path.lexists(target / MARK_FILE):
        raise refuse(
            given, target, f"has a {MARK_FILE} webagent cannot read: choose a new folder, or empty it yourself"
        )
    if mark is not None and mark.format > MARK_FORMAT:
        raise refuse(
            given,
            target,
            f"was written by a newer webagent (mark format {mark.format}): upgrade webagent, or choose a new folder",
        )
    if mark is not None and mark.kind != kind:
        raise refuse(given, target, f"is a webagent {mark.kind} folder, not a {kind} folder: choose a new folder")
    if mark is None:
        if not is_legacy(target, kind):
            names = names_in(target)
            sample = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
            raise refuse(
                given,
                target,
                f"holds files webagent did not write ({sample}): choose a new folder, or empty it yourself",
            )
        mark_folder(target, kind)
    if kind == "page" and (extra := unknown_names(names_in(target), PAGE_LAYOUT)):
        raise refuse(
            given,
            target,
            f"is a webagent page, but holds files webagent did not write "
            f"({', '.join(extra[:3])}): move them out, or choose a new folder",
        )


def check_siblings(given: Path, target: Path) -> None:
    """Refuse when a file or folder of a name webagent uses beside a page (.NAME.building, .NAME.lock,
    .NAME.previous) is there and is not webagent's."""
    for suffix in ("building", "previous"):
        path = sibling(target, suffix)
        if not os.path.lexists(path):
            continue
        empty_staging = suffix == "building" and path.is_dir() and not path.is_symlink() and not names_in(path)
        if not empty_staging and not owns(path, "page"):
            raise refuse(
                given,
                target,
                f"cannot be built: {path} is in the way and webagent did not write it "
                "(move it away, or choose a new folder)",
            )
    lock = sibling(target, "lock")
    if os.path.lexists(lock) and not is_our_lock_file(lock):
        raise refuse(
            given,
            target,
            f"cannot be built: {lock} is in the way and webagent did not write it "
            "(move it away, or choose a new folder)",
        )


def is_our_lock(data: bytes) -> bool:
    """Whether a lock file's first bytes are ours (this version's signature or an earlier version's 'pid N')."""
    return data.startswith(LOCK_SIGNATURE) or bool(LEGACY_LOCK.fullmatch(data))


def is_our_lock_file(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    try:
        with open(path, "rb") as handle:
            return is_our_lock(handle.read(64))
    except OSError:
        return False


def claim_output(folder: Path, kind: FolderKind) -> Path:
    """The resolved folder a command may write as ``kind``, or an OutputDirError line saying why not.

    Allowed: a folder that does not exist yet (below folders that can be written), an empty folder,
    and webagent's own folder of the same kind. Nothing is written, except the mark of a folder an
    earlier version wrote.
    """
    target = resolved(folder)
    if (why := never_reason(target)) is not None:
        raise refuse(folder, target, f"{why}: webagent never writes there; choose a new folder, e.g. out/my-page")
    if target == current_folder() and not owns(target, kind):
        raise refuse(
            folder, target, "is the current folder and webagent did not make it: choose a new folder, e.g. out/my-page"
        )
    check_reachable(folder, target, beside=kind == "page")
    if os.path.lexists(target):
        if not target.is_dir():
            raise refuse(folder, target, "is a file, not a folder: choose a new folder")
        if names_in(target):
            check_contents(folder, target, kind)
    if kind == "page":
        check_siblings(folder, target)
    return target


def prepare_output(folder: Path, kind: FolderKind) -> Path:
    """``claim_output``, then create the folder (and the folders above it) and mark it."""
    target = claim_output(folder, kind)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise refuse(folder, target, f"cannot be made: {exc.strerror or exc}") from None
    if read_mark(target) is None:
        mark_folder(target, kind)
    return target


def claim_output_file(path: Path, own_folder: Path) -> Path:
    """The resolved file a report may be written to: a new file below folders that can be written, or one in
    ``own_folder`` (a folder only webagent writes); an existing file anywhere else is refused."""
    target = resolved(path)
    if os.path.lexists(target) and target.is_dir():
        raise refuse(path, target, "is a folder: give a file name, e.g. results.json")
    check_reachable(path, target, beside=True)
    if os.path.lexists(target) and resolved(own_folder) not in target.parents:
        raise refuse(path, target, "exists and webagent did not write it: choose a new file name")
    return target


def require_ours(folder: Path, kind: FolderKind = "page") -> Path:
    """The resolved folder of an existing webagent ``kind`` folder a command changes, or one line saying why not."""
    target = resolved(folder)
    if (why := never_reason(target)) is not None:
        raise refuse(folder, target, f"{why}: webagent never changes it")
    if not target.is_dir():
        raise refuse(folder, target, f"is not a folder: give a {kind} folder webagent wrote")
    if not owns(target, kind):
        raise refuse(
            folder, target, f"was not written by webagent (it has no {MARK_FILE}): give a {kind} folder webagent wrote"
        )
    if read_mark(target) is None:
        mark_folder(target, kind)
    return target


def is_cache_entry(folder: Path) -> bool:
    """Whether ``folder`` is an entry of a webagent cache: its entry.json names the key its name carries
    (the entry itself, or the entry moved aside as ``.KEY.<hex>.old`` on its way out)."""
    try:
        key = json.loads((folder / CACHE_ENTRY_FILE).read_bytes()).get("key")
    except (OSError, ValueError, AttributeError):
        return False
    if not isinstance(key, str) or not CACHE_KEY.fullmatch(key):
        return False
    return folder.name == key or bool(re.fullmatch(rf"\.{key}\.[0-9a-f]{{32}}\.old", folder.name))


def located(path: Path) -> Path:
    """``path`` made absolute, with the links of the folders above it resolved (the last part is not followed)."""
    plain = Path(os.path.abspath(path))
    try:
        return plain.parent.resolve() / plain.name
    except (OSError, RuntimeError):
        raise OutputDirError(f"refused to remove {path}: it cannot be resolved") from None


def owning_folder(real: Path) -> Path | None:
    """The marked folder the located path ``real`` lies in (the path itself or up to MARK_DEPTH folders
    above it), or None. A folder from the never list owns nothing, whatever its mark."""
    for folder in [real, *real.parents][: MARK_DEPTH + 1]:
        if read_mark(folder) is not None and not folder.is_symlink():
            return None if never_reason(folder) else folder
    return None


def check_removable(real: Path) -> None:
    """Refuse to remove the located path ``real`` unless it is webagent's: in a marked folder or a cache
    entry, not a link webagent did not make, not a mount point and not a folder from the never list."""
    if never_reason(real) is not None or os.path.ismount(real):
        raise OutputDirError(f"refused to remove {real}: webagent never removes it")
    if real.is_symlink():
        raise OutputDirError(f"refused to remove {real}: it is a link webagent did not make; move it away")
    if owning_folder(real) is None and not is_cache_entry(real):
        raise OutputDirError(f"refused to remove {real}: it is not in a folder webagent wrote")


def mounts_inside(folder: Path) -> list[str]:
    """Folders below ``folder`` that are mount points (removing the tree would empty other file systems)."""
    return [root for root, _, _ in os.walk(folder) if root != str(folder) and os.path.ismount(root)]


def remove_tree(folder: Path) -> None:
    """Remove a folder webagent made, with everything in it (only after ``check_removable``, and when no
    file system is mounted inside it); nothing when it is not there."""
    if not os.path.lexists(folder):
        return
    real = located(folder)
    check_removable(real)
    if not real.is_dir():
        raise OutputDirError(f"refused to remove {real}: it is a file where webagent keeps a folder")
    if mounted := mounts_inside(real):
        raise OutputDirError(f"refused to remove {real}: {mounted[0]} is mounted inside it")
    shutil.rmtree(real)


def remove_file(path: Path) -> None:
    """Remove a file webagent made (a link in webagent's folder: the link itself, never what it points at);
    nothing when it is not there."""
    if not os.path.lexists(path):
        return
    real = located(path)
    if real.is_symlink():
        if owning_folder(real.parent) is None:
            raise OutputDirError(f"refused to remove {real}: it is not in a folder webagent wrote")
    else:
        check_removable(real)
        if real.is_dir():
            raise OutputDirError(f"refused to remove {real}: it is a folder where webagent keeps a file")
    real.unlink(missing_ok=True)
