"""Webagent never destroys what it did not write: every command that writes, replaces or removes asks one gate.

Every path lives under the test's temporary folder, with HOME redirected there too. A check compares the
sha256 of every file (and the target of every link) in and around the target before and after the command.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.test_bench import hand_made_page, result_lines, write_dataset
from tests.test_cli import WEBAGENT, assert_one_line_error, run
from webagent.core.config import Settings
from webagent.core.errors import OutputDirError
from webagent.core.ownership import (
    claim_output,
    claim_output_file,
    mark_folder,
    prepare_output,
    remove_file,
    remove_tree,
    require_ours,
)
from webagent.core.store import save_entry, sha256, trim
from webagent.engine.build import build
from webagent.engine.edit import edit_page

PROMPT = "A page for a tea shop called Leaf & Cup with a hero photo of green tea leaves."


def fingerprint(root: Path) -> dict[str, str]:
    """Every entry below ``root``: a file's sha256, a link's target, or 'folder' (links are never followed)."""
    found = {}
    for folder, folders, files in os.walk(root):
        for name in folders + files:
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[relative] = f"link to {os.readlink(path)}"
            elif path.is_dir():
                found[relative] = "folder"
            else:
                found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def persons_folder(folder: Path, kind: str = "all") -> Path:
    """A folder of a person's own: a hidden file, a nested folder and a link (``all``), one of them, or a git checkout."""
    folder.mkdir(parents=True, exist_ok=True)
    if kind in ("hidden file", "all"):
        (folder / ".env").write_text("TOKEN=mine\n")
    if kind in ("nested folder", "all"):
        (folder / "notes" / "2026").mkdir(parents=True)
        (folder / "notes" / "2026" / "plan.md").write_text("# my plans\n")
    if kind in ("symlink", "all"):
        (folder / "latest").symlink_to(folder.parent / "outside.txt")
    if kind == "git checkout":
        (folder / ".git" / "refs").mkdir(parents=True)
        (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
        (folder / "main.py").write_text("print('mine')\n")
    return folder


@pytest.fixture
def world(tmp_path, monkeypatch) -> Path:
    """A person's machine in miniature under tmp_path: a home with dotfiles and a Python, and a file outside."""
    home = tmp_path / "home"
    (home / ".local" / "lib" / "python3.11" / "site-packages" / "mine").mkdir(parents=True)
    (home / ".local" / "lib" / "python3.11" / "site-packages" / "mine" / "__init__.py").write_text("x = 1\n")
    (home / ".bashrc").write_text("export EDITOR=vi\n")
    (home / "sub").mkdir()
    (home / "sub" / "draft.txt").write_text("a draft\n")
    (tmp_path / "outside.txt").write_text("a file outside\n")
    monkeypatch.setenv("HOME", str(home))
    return tmp_path


@pytest.fixture(scope="module")
def webagent_page(tmp_path_factory, browser_session) -> Path:
    """A page webagent built and then edited once (rounds 0 and 1; the folder shows round 1)."""
    folder = tmp_path_factory.mktemp("built") / "page"
    build(PROMPT, folder, Settings(), browser=browser_session)
    edit_page(folder, "make the hero darker", Settings(), browser=browser_session)
    return folder


def copy_page(page: Path, to: Path) -> Path:
    shutil.copytree(page, to, symlinks=True)
    return to


def lookalike(page: Path, to: Path) -> Path:
    """A person's copy of a page folder without webagent's mark (nor run.json, so no earlier version wrote it)."""
    copy_page(page, to)
    (to / ".webagent.json").unlink()
    (to / "run.json").unlink()
    return to


def assert_refused(result: subprocess.CompletedProcess, world: Path, before: dict[str, str], expected: str) -> None:
    assert_one_line_error(result, expected)
    assert fingerprint(world) == before


# --- build -o DIR -----------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize(
    "kind, expected",
    [
        ("hidden file", "holds files webagent did not write (.env"),
        ("nested folder", "holds files webagent did not write (notes"),
        ("symlink", "holds files webagent did not write (latest"),
        ("git checkout", "is the root of a git work tree"),
    ],
)
def test_build_into_a_folder_holding_a_persons_files_is_refused(world, kind, expected):
    target = persons_folder(world / "mine", kind)
    before = fingerprint(world)

    result = run("build", PROMPT, "-o", str(target))

    assert_refused(result, world, before, f"error: {target} {expected}")
    assert "choose a new folder" in result.stderr


@pytest.mark.browser
@pytest.mark.parametrize(
    "out, expected",
    [
        ("~", "(= {home}) is your home folder"),
        ("{home}", "is your home folder"),
        (".", "(= {home}/sub) is the current folder and webagent did not make it"),
        ("..", "(= {home}) is your home folder"),
        ("../..", "holds your home folder"),
    ],
)
def test_home_the_current_folder_and_the_folders_above_them_are_refused(world, out, expected):
    home = world / "home"
    before = fingerprint(world)

    result = run("build", PROMPT, "-o", out.format(home=home), cwd=home / "sub")

    assert_refused(result, world, before, expected.format(home=home))


@pytest.mark.browser
def test_a_link_to_a_persons_folder_is_that_folder(world):
    mine = persons_folder(world / "mine")
    (world / "pages").mkdir()
    (world / "pages" / "site").symlink_to(mine)
    before = fingerprint(world)

    result = run("build", PROMPT, "-o", str(world / "pages" / "site"))

    assert_refused(result, world, before, f"(= {mine}) holds files webagent did not write")


@pytest.mark.browser
@pytest.mark.parametrize("name", [".site.previous", ".site.building", ".site.lock"])
def test_a_persons_file_of_a_name_webagent_uses_beside_the_target_is_untouched(world, webagent_page, name):
    copy_page(webagent_page, world / "site")
    planted = world / name
    if name.endswith(".lock"):
        planted.write_text("my lock notes\n")
    else:
        persons_folder(planted, "nested folder")
    before = fingerprint(world)

    result = run("build", PROMPT, "-o", str(world / "site"))

    assert_refused(result, world, before, f"{planted} is in the way and webagent did not write it")


@pytest.mark.browser
def test_a_rebuild_of_webagents_own_folder_replaces_it_and_keeps_it_marked(world, webagent_page):
    site = copy_page(webagent_page, world / "site")
    (world / "site-link").symlink_to(site)

    result = run(
        "build", "A page for a bike shop called Spokes with a photo of a red bicycle.", "-o", str(world / "site-link")
    )

    assert result.returncode == 0, result.stderr
    assert "Spokes" in (site / "index.html").read_text()
    assert (world / "site-link").is_symlink() and (site / ".webagent.json").is_file()
    assert sorted(p.name for p in world.iterdir()) == ["home", "outside.txt", "site", "site-link"]


@pytest.mark.browser
def test_a_webagent_page_holding_a_file_webagent_did_not_write_is_not_rebuilt(world, webagent_page):
    site = copy_page(webagent_page, world / "site")
    (site / "my-notes.txt").write_text("keep me\n")
    before = fingerprint(world)

    result = run("build", PROMPT, "-o", str(site))

    assert_refused(result, world, before, "holds files webagent did not write (my-notes.txt): move them out")


@pytest.mark.browser
def test_a_page_an_earlier_version_wrote_is_recognised_once_and_marked(world, webagent_page):
    site = copy_page(webagent_page, world / "site")
    (site / ".webagent.json").unlink()  # earlier versions wrote no mark; run.json, plan.json and source.json say it

    result = run("edit", str(site), "make the hero lighter")

    assert result.returncode == 0, result.stderr
    assert '"kind": "page"' in (site / ".webagent.json").read_text()


def test_the_file_systems_root_is_refused_without_a_look_inside():
    for claim in (
        lambda: claim_output(Path("/"), "page"),
        lambda: claim_output(Path("/"), "bench"),
        lambda: require_ours(Path("/")),
    ):
        with pytest.raises(OutputDirError, match="^/ is the root of the file system: webagent never"):
            claim()


def test_a_path_through_a_file_is_refused_and_nothing_is_made(world):
    before = fingerprint(world)
    with pytest.raises(OutputDirError, match="outside.txt is a file, not a folder"):
        claim_output(world / "outside.txt" / "page", "page")
    with pytest.raises(OutputDirError, match="outside.txt is a file, not a folder: choose a new folder"):
        claim_output(world / "outside.txt", "page")
    assert fingerprint(world) == before


def test_a_folder_of_another_kind_or_a_newer_version_is_refused(world):
    bench = world / "bench"
    prepare_output(bench, "bench")
    (bench / "results.jsonl").write_text("")
    newer = world / "newer"
    newer.mkdir()
    (newer / ".webagent.json").write_text(
        '{"format": 2, "kind": "page", "written_by": "webagent build", "version": "9.0"}'
    )
    (newer / "index.html").write_text("<p>newer</p>")
    damaged = world / "damaged"
    damaged.mkdir()
    (damaged / ".webagent.json").write_text("{not json")
    (damaged / "index.html").write_text("<p>mine</p>")

    with pytest.raises(OutputDirError, match="is a webagent bench folder, not a page folder"):
        claim_output(bench, "page")
    with pytest.raises(OutputDirError, match="was written by a newer webagent"):
        claim_output(newer, "page")
    with pytest.raises(OutputDirError, match="has a .webagent.json webagent cannot read"):
        claim_output(damaged, "page")


# --- a mount point and a read-only parent, in a mount namespace of the test's own ----------------------


def namespace_prefix() -> list[str]:
    """`unshare` into a private mount namespace (a user namespace too when not root), or skip where none can be made."""
    prefix = (
        ["unshare", "--mount", "--propagation", "private"]
        if os.geteuid() == 0
        else ["unshare", "--user", "--map-root-user", "--mount"]
    )
    if shutil.which("unshare") is None or subprocess.run([*prefix, "true"], capture_output=True).returncode != 0:
        pytest.skip("no mount namespace can be made here (unshare is missing or not permitted)")
    return prefix


def in_mount_namespace(script: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """``script`` (sh) in a mount namespace of its own: its mounts vanish with it."""
    return subprocess.run(
        [*namespace_prefix(), "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env, "WEBAGENT": " ".join(WEBAGENT)},
    )


@pytest.mark.browser
def test_a_mount_point_is_refused_with_one_line_and_nothing_is_left_behind(world):
    volume = world / "vol"
    volume.mkdir()
    before = fingerprint(world)

    result = in_mount_namespace(
        'mount -t tmpfs webagent-test "$VOL" && echo kept > "$VOL/mine.txt" && '
        '$WEBAGENT build "$PROMPT" -o "$VOL"; status=$?; echo "exit $status"; cat "$VOL/mine.txt"; ls -A "$VOL"; '
        "exit $status",
        {"VOL": str(volume), "PROMPT": PROMPT},
    )

    assert result.stdout.split() == ["exit", "1", "kept", "mine.txt"], result.stdout + result.stderr
    assert_refused(result, world, before, f"{volume} is a mount point")


@pytest.mark.browser
def test_a_read_only_parent_is_refused_with_one_line(world):
    parent = world / "ro"
    parent.mkdir()
    before = fingerprint(world)

    result = in_mount_namespace(
        'mount -t tmpfs -o ro webagent-test "$RO" && $WEBAGENT build "$PROMPT" -o "$RO/page"',
        {"RO": str(parent), "PROMPT": PROMPT},
    )

    assert result.returncode == 1
    assert_refused(result, world, before, f"{parent / 'page'} cannot be written: {parent} is read-only")


# --- changing a page: edit, regenerate, reflect, restore ------------------------------------------------


CHANGES = {
    "edit": ["edit", "{folder}", "make the hero lighter"],
    "regenerate": ["regenerate", "{folder}", "--element", "{element}"],
    "reflect": ["reflect", "{folder}"],
    "restore": ["restore", "{folder}", "0"],
}


@pytest.mark.browser
@pytest.mark.parametrize("command", CHANGES)
@pytest.mark.parametrize(
    "case, expected",
    [
        ("a person's copy without the mark", "was not written by webagent"),
        ("a link to a person's copy", "was not written by webagent"),
        ("webagent's page turned into a git checkout", "is the root of a git work tree"),
    ],
)
def test_changing_a_folder_that_is_not_webagents_is_refused(world, webagent_page, command, case, expected):
    if case == "webagent's page turned into a git checkout":
        folder = copy_page(webagent_page, world / "page")
        persons_folder(folder, "git checkout")
    else:
        folder = lookalike(webagent_page, world / "page")
        if case == "a link to a person's copy":
            (world / "link").symlink_to(folder)
            folder = world / "link"
    element = json.loads((folder / "plan.json").read_text())["assets"][0]["id"]
    before = fingerprint(world)

    result = run(*[arg.format(folder=folder, element=element) for arg in CHANGES[command]])

    assert_refused(result, world, before, expected)


# --- bench, eval and the app ------------------------------------------------------------------------


@pytest.mark.browser
def test_bench_into_a_persons_folder_is_refused(world):
    mine = persons_folder(world / "results")
    dataset = write_dataset(world, ["bakery"])
    before = fingerprint(world)

    result = run("bench", "--dataset", str(dataset), "--out", str(mine))

    assert_refused(result, world, before, f"{mine} holds files webagent did not write")


@pytest.mark.browser
def test_a_bench_case_whose_folders_hold_a_persons_files_fails_and_leaves_them(world):
    pages = world / "pages"
    hand_made_page(pages / "bakery", "Crumb")
    bench = world / "bench"
    prepare_output(bench, "bench")
    persons_folder(bench / "cases" / "bakery" / "evaluation" / "crops", "nested folder")
    persons_folder(bench / "cases" / "sales" / "page", "nested folder")
    (world / "bakery").mkdir()
    (world / "sales").mkdir()
    bakery, sales = write_dataset(world / "bakery", ["bakery"]), write_dataset(world / "sales", ["sales"])
    before = fingerprint(world)
    mine = fingerprint(bench / "cases")

    scored = run("bench", "--dataset", str(bakery), "--pages", str(pages), "--out", str(bench))
    built = run("bench", "--dataset", str(sales), "--out", str(bench))

    assert scored.returncode == 0 and built.returncode == 0, scored.stderr + built.stderr
    reasons = {line["file_id"]: line["reason"] for line in result_lines(bench)}
    assert "evaluation: " in reasons["bakery"] and "holds files webagent did not write" in reasons["bakery"]
    assert "build: " in reasons["sales"] and "holds files webagent did not write" in reasons["sales"]
    assert fingerprint(bench / "cases") == mine
    after = fingerprint(world)
    assert {path: after.get(path) for path in before} == before  # new: the results and reports, Chromium's profile


@pytest.mark.browser
def test_eval_refuses_an_evaluation_folder_holding_a_persons_files(world):
    page = hand_made_page(world / "site", "Crumb")
    persons_folder(page / "evaluation" / "crops")
    before = fingerprint(world)

    result = run("eval", str(page))

    assert_refused(result, world, before, f"{page / 'evaluation'} holds files webagent did not write (crops")


def test_ui_refuses_a_persons_folder_before_the_app_starts(world):
    mine = persons_folder(world / "mine")
    before = fingerprint(world)
    process = subprocess.Popen(
        [*WEBAGENT, "ui", "--no-open", "--port", "8599", "-o", str(mine)],
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("the app started on a person's folder")

    assert_refused(
        subprocess.CompletedProcess([], process.returncode, out, err),
        world,
        before,
        f"{mine} holds files webagent did not write",
    )


def test_the_app_builds_only_into_a_folder_of_its_own_and_lists_only_webagents_pages(world, webagent_page):
    from webagent.ui.state import build_folder, earlier_builds

    mine = persons_folder(world / "mine")
    before = fingerprint(world)
    with pytest.raises(OutputDirError, match="holds files webagent did not write"):
        build_folder(mine, PROMPT)
    assert fingerprint(world) == before

    root = world / "app"
    first = build_folder(root, PROMPT)
    copy_page(webagent_page, first)
    second = build_folder(root, PROMPT)
    lookalike(webagent_page, root / "copied-by-hand")

    assert second != first and second.parent == first.parent == root.resolve() and not second.exists()
    assert [p.resolve() for p in earlier_builds(root)] == [first]


# --- removals -----------------------------------------------------------------------------------------


def test_removal_is_refused_outside_webagents_folders(world):
    mine = persons_folder(world / "mine")
    page = world / "page"
    page.mkdir()
    mark_folder(page, "page")
    (page / "screenshots").symlink_to(mine)
    before = fingerprint(world)

    for path, expected in [
        (mine, "not in a folder webagent wrote"),
        (mine / "notes", "not in a folder webagent wrote"),
        (page / "screenshots", "a link webagent did not make"),
        (page / "screenshots" / "notes", "not in a folder webagent wrote"),
        (world / "home", "never removes it"),
    ]:
        with pytest.raises(OutputDirError, match=expected):
            remove_tree(path)
    with pytest.raises(OutputDirError, match="not in a folder webagent wrote"):
        remove_file(mine / ".env")

    assert fingerprint(world) == before


def test_cache_trimming_removes_only_entries_webagent_wrote(world):
    cache = world / "cache"
    persons_folder(cache / "media" / ("a" * 64))
    persons_folder(cache / "evidence" / "holiday")
    save_entry(cache / "media", sha256(b"one"), [("file", b"x" * 4096)], {})
    before = {path: value for path, value in fingerprint(world).items() if sha256(b"one") not in path}

    assert trim(cache, 0) == 1
    assert fingerprint(world) == before


def test_a_benchmark_writes_only_a_new_file_or_one_in_its_own_folder(world):
    from benchmarks.dev_set import save_figures

    own = world / "results"
    own.mkdir()
    (own / "old.json").write_text("{}")
    before = fingerprint(world)

    with pytest.raises(OutputDirError, match="exists and webagent did not write it: choose a new file name"):
        save_figures(world / "home" / ".bashrc", {"pages": 1})
    with pytest.raises(OutputDirError, match="is a folder"):
        save_figures(world / "home", {"pages": 1})
    assert fingerprint(world) == before
    assert claim_output_file(own / "old.json", own) == (own / "old.json").resolve()

    written = save_figures(world / "new" / "figures.json", {"pages": 1})
    assert written.read_text() == '{\n  "pages": 1\n}\n'


# --- every removal in the code base is accounted for -------------------------------------------------


def test_every_removal_in_the_code_is_listed_in_the_reliability_doc():
    """Each rmtree, unlink, rmdir, rename, replace or move in the code base has a row in docs/reliability.md
    saying what it may remove and why that is always webagent's."""
    from tests.removals import removal_sites

    doc = (Path(__file__).parent.parent / "docs" / "reliability.md").read_text(encoding="utf-8")
    rows = {
        name
        for line in doc.splitlines()
        if line.startswith("| `")
        for name in re.findall(r"`([^`]+)`", line.split("|")[1])
    }
    sites = removal_sites()

    assert len(sites) >= 15
    assert sorted(site for site in sites if site not in rows) == []


def test_require_ours_accepts_only_webagents_pages(world, webagent_page):
    ours = copy_page(webagent_page, world / "ours")
    theirs = lookalike(webagent_page, world / "theirs")

    assert require_ours(ours) == ours.resolve()
    with pytest.raises(OutputDirError, match="was not written by webagent"):
        require_ours(theirs)
    with pytest.raises(OutputDirError, match="is not a folder"):
        require_ours(world / "missing")


@pytest.mark.browser
def test_a_page_built_into_an_empty_folder_through_a_link_lands_in_that_folder(world, browser_session):
    empty = world / "empty"
    empty.mkdir()
    (world / "link").symlink_to(empty)

    result = build(PROMPT, world / "link", Settings(), browser=browser_session)

    assert result.out_dir == empty.resolve() and (empty / "index.html").is_file()
    assert (world / "link").is_symlink()
    soup = BeautifulSoup((empty / "index.html").read_text(), "html.parser")
    assert "Leaf & Cup" in soup.get_text()
