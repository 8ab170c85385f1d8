"""The property behind the ownership gate: whatever the path (relative or absolute, ``..``, ``~``, links, files
and folders already there) and whatever the command, no file webagent did not create changes or disappears.

Each example builds a small world in a fresh folder under the test's temporary folder (HOME inside it too),
draws a target that resolves inside that folder, runs a command and compares every person's entry before
and after. Targets that would resolve outside the world are never drawn.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.test_ownership import PROMPT, fingerprint, persons_folder
from webagent.core.config import Settings
from webagent.core.errors import OutputDirError, WebAgentError
from webagent.core.files import atomic_write_text
from webagent.core.ownership import claim_output, prepare_output, remove_file, remove_tree, require_ours
from webagent.core.workdir import folder_lock, staged_output_dir
from webagent.engine.build import build
from webagent.engine.edit import edit_page, restore_page
from webagent.webbench.bench.runner import score_page

NAMES = [
    "mine",
    "notes",
    "checkout",
    "site",
    "empty",
    "ours",
    "new",
    "file.txt",
    "link-to-mine",
    "link-to-empty",
    "link-to-ours",
    "link-loop",
    "home",
    "sub",
    "assets",
    "crops",
]
SEGMENTS = [*NAMES, "..", "."]
PLANTED = [None, "building", "previous", "lock"]  # a person's file or folder of that name beside the target
CURRENT = ["", "home/sub", "notes", "ours"]
WEBAGENTS = "ours"  # the one folder of the world webagent made; it and what is in it may be replaced
counter = itertools.count()


def fake_page(staging: Path) -> None:
    """What a build writes, without the graph: the files the gate must recognise as a page's."""
    (staging / "assets").mkdir(exist_ok=True)
    atomic_write_text(staging / "assets" / "hero.webp", "picture")
    for name in ("index.html", "prompt.txt", "plan.json", "source.json", "run.json"):
        atomic_write_text(staging / name, name)


def staged_build(target: Path, fail: bool = False) -> None:
    """The folder handling of ``webagent.engine.build.build``: claim, lock, stage, move into place."""
    folder = claim_output(target, "page")
    with folder_lock(folder), staged_output_dir(folder) as staging:
        fake_page(staging)
        if fail:
            raise RuntimeError("the build failed half-way")


def evaluation(target: Path) -> None:
    folder = prepare_output(target, "evaluation")
    remove_tree(folder / "crops")
    atomic_write_text(folder / "evidence.json", "{}")


def bench(target: Path) -> None:
    atomic_write_text(prepare_output(target, "bench") / "results.jsonl", "")


def change(target: Path) -> None:
    """What an edit or restore does to a page folder: rewrite a page file, remove an asset."""
    folder = require_ours(target)
    with folder_lock(folder):
        atomic_write_text(folder / "index.html", "changed")
        remove_file(folder / "assets" / "hero.webp")


GATE_COMMANDS: dict[str, Callable[[Path], None]] = {
    "build": staged_build,
    "failed build": lambda target: staged_build(target, fail=True),
    "evaluation": evaluation,
    "bench": bench,
    "change": change,
    "remove": remove_tree,
    "remove a file": remove_file,
}


def make_world(root: Path) -> None:
    """A person's folders and files, a folder webagent made, and links between them."""
    home = root / "home"
    (home / "sub").mkdir(parents=True)
    (home / ".bashrc").write_text("export EDITOR=vi\n")
    (root / "outside.txt").write_text("a file\n")
    persons_folder(root / "mine")
    persons_folder(root / "notes", "nested folder")
    persons_folder(root / "checkout", "git checkout")
    site = persons_folder(root / "site", "nested folder")  # a person's folder with the names webagent's folders use
    for name in ("index.html", "results.jsonl", "evidence.json", "assets/hero.webp", "crops/a.png", "rounds/x"):
        (site / name).parent.mkdir(exist_ok=True)
        (site / name).write_text(f"my {name}\n")
    (root / "notes" / ".hidden").write_text("hidden\n")
    (root / "empty").mkdir()
    (root / "file.txt").write_text("a file of mine\n")
    staged_build(root / WEBAGENTS)
    for name, to in (
        ("link-to-mine", "mine"),
        ("link-to-empty", "empty"),
        ("link-to-ours", WEBAGENTS),
        ("link-loop", "link-loop"),
    ):
        (root / name).symlink_to(root / to)


def plant(root: Path, text: str, suffix: str | None) -> None:
    """A person's file or folder named ``.NAME.<suffix>`` (a name webagent uses) beside the target ``text``."""
    if suffix is None:
        return
    try:
        beside = Path(text).expanduser().resolve()
    except (OSError, RuntimeError):
        return
    planted = beside.with_name(f".{beside.name}.{suffix}")
    if not planted.parent.is_relative_to(root.resolve()) or not planted.parent.is_dir() or planted.exists():
        return
    if suffix == "lock":
        planted.write_text("my own lock notes\n")
    else:
        persons_folder(planted, "nested folder")


def persons_entries(root: Path) -> dict[str, str]:
    """Every entry of the world that webagent did not make (its own page folder and what is in it aside)."""
    return {
        path: value
        for path, value in fingerprint(root).items()
        if path != WEBAGENTS and not path.startswith(f"{WEBAGENTS}/")
    }


def assert_kept(root: Path, before: dict[str, str], what: str) -> None:
    """Every entry in ``before`` is still there, unchanged (new entries may have appeared)."""
    after = persons_entries(root)
    changed = {path: (value, after.get(path)) for path, value in before.items() if after.get(path) != value}
    assert changed == {}, f"{what} changed or removed a person's files"


def target_text(root: Path, anchor: str, parts: list[str]) -> str:
    joined = "/".join(parts)
    if anchor == "absolute":
        return f"{root}/{joined}" if joined else str(root)
    if anchor == "home":
        return f"~/{joined}" if joined else "~"
    return joined or "."


def stays_inside(root: Path, text: str) -> bool:
    """Whether ``text`` resolves (by pathlib, not by the code under test) inside the world."""
    try:
        return Path(text).expanduser().resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return True  # a link loop: it leads nowhere, let alone outside


@contextmanager
def in_world(tmp_path: Path, monkeypatch_context, cwd: str):
    """A fresh world under ``tmp_path`` with HOME in it, and the current folder ``cwd`` inside it."""
    root = tmp_path / f"world-{next(counter)}"
    root.mkdir()
    make_world(root)
    with monkeypatch_context() as patch:
        patch.setenv("HOME", str(root / "home"))
        patch.chdir(root / cwd)
        yield root


ANCHOR = st.sampled_from(["relative", "absolute", "home"])
TARGET = st.one_of(
    st.tuples(ANCHOR, st.lists(st.sampled_from(SEGMENTS), max_size=3)),
    st.tuples(ANCHOR, st.sampled_from(NAMES).map(lambda name: [name])),
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    command=st.sampled_from(sorted(GATE_COMMANDS)),
    target=TARGET,
    planted=st.sampled_from(PLANTED),
    cwd=st.sampled_from(CURRENT),
)
def test_no_gate_command_changes_a_file_webagent_did_not_create(tmp_path, command, target, planted, cwd):
    with in_world(tmp_path, pytest.MonkeyPatch.context, cwd) as root:
        text = target_text(root, *target)
        assume(stays_inside(root, text))
        plant(root, text, planted)
        before = persons_entries(root)
        try:
            GATE_COMMANDS[command](Path(text))
        except (OutputDirError, RuntimeError):
            pass  # refused, or the failed build's own error
        assert_kept(root, before, f"{command} {text} (cwd {cwd})")


@pytest.mark.browser
@settings(max_examples=16, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    command=st.sampled_from(["build", "edit", "restore", "eval"]),
    target=TARGET,
    planted=st.sampled_from(PLANTED),
    cwd=st.sampled_from(CURRENT),
)
def test_no_real_command_changes_a_file_webagent_did_not_create(
    tmp_path, browser_session, command, target, planted, cwd
):
    """The same property through the library calls the CLI, the app and bench make (offline, one Chromium)."""
    with in_world(tmp_path, pytest.MonkeyPatch.context, cwd) as root:
        text = target_text(root, *target)
        assume(stays_inside(root, text))
        build(PROMPT, root / WEBAGENTS, Settings(), browser=browser_session)  # a real page in place of the fake
        plant(root, text, planted)
        before = persons_entries(root)
        commands: dict[str, Callable[[], object]] = {
            "build": lambda: build(PROMPT, Path(text), Settings(), browser=browser_session),
            "edit": lambda: edit_page(Path(text), "make the hero darker", Settings(), browser=browser_session),
            "restore": lambda: restore_page(Path(text), 0),
            "eval": lambda: score_page(
                PROMPT, "page", Path(text), Path(text) / "evaluation", "static", Settings(), browser_session
            ),
        }
        try:
            commands[command]()
        except WebAgentError:
            pass
        except FileNotFoundError:
            assert command == "eval", "only eval reads a folder it was given without checking it first"
        assert_kept(root, before, f"{command} {text} (cwd {cwd})")
        assert not os.path.lexists(root / "home" / ".webagent.json")
