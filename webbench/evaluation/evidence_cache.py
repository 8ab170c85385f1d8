"""Render cache: a page whose files are byte for byte ones already rendered gets that render's evidence back.

Loading a page in Chromium and taking its screenshots is most of a build's time; a rerun of an
unchanged build, or a reflection round that leads back to a page already seen, needs none of it.
An entry's key is the sha256 of the page's files (``index.html`` and everything under ``assets/``,
all our pages load) and of the code that collects evidence (webbench/evidence.py, webagent/render.py
and the page scripts), so changing either is a miss. Entries hold the screenshots, crops, video
frames and evidence.json, stored by ``webagent.core.store`` in the ``evidence`` folder of the cache folder.
A load that timed out is never stored: the next run tries again.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib.metadata import version
from pathlib import Path

from pydantic import ValidationError

import webagent.core.render
import webagent.webbench.evaluation.evidence
from webagent.core.config import Settings
from webagent.core.errors import UnsafePathError
from webagent.core.files import atomic_write_bytes, atomic_write_json, safe_join
from webagent.core.ownership import remove_tree
from webagent.core.store import EVIDENCE, cache_root, key_of, load_entry, save_entry, sha256
from webagent.webbench.evaluation.contracts import PageEvidence
from webagent.webbench.evaluation.evidence import CROPS, EVIDENCE_JSON, FRAMES, LOAD_TIMEOUT, READY_TIMEOUT, STATIC

RENDER_CACHE_VERSION = 1
PAGE_FILES = ("index.html", "assets")


def evidence_root(settings: Settings) -> Path:
    """The render cache's folder inside the cache folder."""
    return cache_root(settings) / EVIDENCE


@cache
def collector_digest() -> str:
    """sha256 of the code whose change changes evidence: the collector's modules, its page scripts, Playwright."""
    sources = [
        Path(webagent.webbench.evaluation.evidence.__file__),
        Path(webagent.core.render.__file__),
        *sorted(STATIC.glob("*.js")),
    ]
    return key_of({"code": [sha256(path.read_bytes()) for path in sources], "playwright": version("playwright")})


def page_key(page_folder: Path) -> str:
    """The key of the page in ``page_folder``: its files' paths and contents, and the collector's code."""
    files = [page_folder / PAGE_FILES[0], *sorted(p for p in (page_folder / PAGE_FILES[1]).rglob("*") if p.is_file())]
    return key_of(
        {
            "version": RENDER_CACHE_VERSION,
            "collector": collector_digest(),
            "page": [[path.relative_to(page_folder).as_posix(), sha256(path.read_bytes())] for path in files],
        }
    )


def evidence_files(evidence: PageEvidence) -> list[str]:
    """The files an evidence refers to, relative to its folder: screenshots, crops and video frames."""
    shots = [evidence.screenshot, evidence.mobile_screenshot]
    return [
        name
        for name in (*shots, *(e.crop for e in evidence.elements), *(f for e in evidence.elements for f in e.frames))
        if name
    ]


def remembered_evidence(
    page_folder: Path, evidence_folder: Path, root: Path | None, collect: Callable[[], PageEvidence]
) -> PageEvidence:
    """The evidence of ``page_folder`` from the store at ``root`` when an intact entry has it, else ``collect()``'s,
    stored for next time. ``root`` None: always ``collect()``."""
    if root is None:
        return collect()
    key = page_key(page_folder.resolve())
    found = _read(root / key, key, page_folder.resolve(), evidence_folder)
    if found is not None:
        return found
    evidence = collect()
    if not {LOAD_TIMEOUT, READY_TIMEOUT} & set(evidence.console_errors):
        _write(root, key, evidence, evidence_folder)
    return evidence


def _read(entry_folder: Path, key: str, page_folder: Path, evidence_folder: Path) -> PageEvidence | None:
    """The stored evidence written into ``evidence_folder``, now describing ``page_folder``; None on a miss."""
    entry = load_entry(entry_folder, key)
    if entry is None:
        return None
    stored, contents = entry
    try:
        evidence = PageEvidence.model_validate(stored.facts).model_copy(update={"folder": str(page_folder)})
    except ValidationError:
        return None
    try:
        targets = [safe_join(evidence_folder, file.name) for file in stored.files]
    except UnsafePathError:
        return None
    evidence_folder.mkdir(parents=True, exist_ok=True)
    for stale in (CROPS, FRAMES):
        remove_tree(evidence_folder / stale)
    for target, data in zip(targets, contents):
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, data)
    atomic_write_json(evidence_folder / EVIDENCE_JSON, evidence)
    return evidence


def _write(root: Path, key: str, evidence: PageEvidence, evidence_folder: Path) -> None:
    """Store the evidence and the files it refers to; evidence whose files cannot be read back is not stored."""
    try:
        files = [(name, safe_join(evidence_folder, name).read_bytes()) for name in evidence_files(evidence)]
    except OSError:
        return
    save_entry(root, key, files, evidence.model_dump(mode="json"))
