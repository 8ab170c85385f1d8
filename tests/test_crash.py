"""Crash safety: builds killed at any step resume to the same page, one writer per folder, Chromium crashes survived."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import psutil
import pytest
from PIL import Image

from tests.test_cli import WEBAGENT, assert_one_line_error, run
from webagent.core.browser import BrowserSession
from webagent.core.errors import BrowserCrashedError, FolderBusyError
from webagent.core.ownership import MARK_FILE, sibling
from webagent.core.workdir import folder_lock
from webagent.engine.checkpoints import CHECKPOINT_FILE
from webagent.webbench.evaluation.evidence import collect_evidence

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("crash")]

PROMPT = (
    'A landing page "Crumb & Co" in warm brown #7A4A2A and cream. Hero "Bread worth waking for" with a photo '
    'of fresh sourdough. A section "Our Ovens" with a short video tour of the bakery ovens. A section "Sales" '
    'with a bar chart of loaves sold: Jan 120, Feb 140, Mar 180. Footer "© Crumb & Co 2026".'
)
KILL_AT_CHECKPOINTS = (1, 2, 4, 6, 8)  # after planning, mid local planning, mid generation, after render, evaluation


def checkpoints(out: Path) -> int:
    """How many checkpoints the build staged beside ``out`` has saved (-1 while there is no readable file)."""
    database = sibling(out.resolve(), "building") / CHECKPOINT_FILE
    if not database.is_file():
        return -1
    try:
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=0.2)) as connection:
            return connection.execute("SELECT count(*) FROM checkpoints").fetchone()[0]
    except sqlite3.Error:
        return -1


def start_build(out: Path, *args: str) -> subprocess.Popen:
    """`webagent build` in its own process group (so Chromium dies with it), output discarded."""
    return subprocess.Popen(
        [*WEBAGENT, "build", *args, "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def kill_when(process: subprocess.Popen, ready: Callable[[], bool], timeout_s: float = 120) -> None:
    """SIGKILL the build's whole process group as soon as ``ready()``; fail if it finished first."""
    deadline = time.monotonic() + timeout_s
    try:
        while not ready():
            assert process.poll() is None, "the build finished before the kill point"
            assert time.monotonic() < deadline, "the kill point never came"
            time.sleep(0.01)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class Shot:
    """A screenshot, equal to another that a person could not tell from it: Chromium may draw a video's frame a
    level or two differently from one run to the next, so up to 0.1 % of pixels may differ by at most 8 levels."""

    def __init__(self, data: bytes) -> None:
        self.pixels = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=np.int16)
        self.digest = hashlib.sha256(data).hexdigest()[:12]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Shot) or self.pixels.shape != other.pixels.shape:
            return False
        difference = np.abs(self.pixels - other.pixels).max(axis=2)
        return int(difference.max()) <= 8 and np.count_nonzero(difference) <= difference.size // 1000

    def __repr__(self) -> str:
        return f"Shot({self.pixels.shape}, {self.digest})"


def page_files(folder: Path) -> dict[str, str | Shot]:
    """sha256 of every file of the page a user gets (run.json's timings, the mark naming the command that wrote
    the page, and the rounds' shots aside); screenshots as pictures."""
    files: dict[str, str | Shot] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and relative not in ("run.json", MARK_FILE) and not relative.startswith("rounds/"):
            data = path.read_bytes()
            if relative == "source.json":  # generation times differ, and a rerun copies media from the cache
                source = json.loads(data)
                for asset in source["assets"].values():
                    asset.pop("seconds", None)
                    asset.pop("cached", None)
                data = json.dumps(source, sort_keys=True).encode()
            if relative.startswith("screenshots/"):
                files[relative] = Shot(data)
                continue
            files[relative] = hashlib.sha256(data).hexdigest()
    return files


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """The page an uninterrupted build makes."""
    out = tmp_path_factory.mktemp("reference") / "page"
    result = run("build", PROMPT, "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_build_killed_at_each_step_resumes_to_the_same_page(tmp_path, reference):
    expected = page_files(reference)
    assert {"index.html", "source.json", "assets/page.css"} <= expected.keys()
    for point in KILL_AT_CHECKPOINTS:
        out = tmp_path / f"killed-{point}"
        kill_when(start_build(out, PROMPT), lambda out=out, point=point: checkpoints(out) >= point)
        assert not out.exists()  # nothing that looks like a finished page
        assert checkpoints(out) >= point

        resumed = run("build", "--resume", "--out", str(out))
        assert resumed.returncode == 0, resumed.stderr
        assert "(resumed 1 time)" in resumed.stdout
        assert page_files(out) == expected, f"killed after checkpoint {point}"
        record = json.loads((out / "run.json").read_text())
        assert record["resumed"] == 1 and record["health"]["elements"]
        assert not list(out.rglob("*.part*")) and not (out / CHECKPOINT_FILE).exists()
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(f".{out.name}")) == []


def test_a_build_killed_twice_still_resumes_and_counts_both(tmp_path, reference):
    out = tmp_path / "page"
    kill_when(start_build(out, PROMPT), lambda: checkpoints(out) >= 1)
    kill_when(start_build(out, "--resume"), lambda: checkpoints(out) >= 5)
    staging = sibling(out.resolve(), "building")
    (staging / "assets").mkdir(exist_ok=True)
    (staging / "assets" / ".hero.webp.x1y2.part").write_bytes(b"half an image")  # as a writer killed mid-file leaves
    resumed = run("build", PROMPT, "--resume", "--out", str(out))  # the same prompt may be given again
    assert resumed.returncode == 0, resumed.stderr
    assert "(resumed 2 times)" in resumed.stdout
    assert page_files(out) == page_files(reference) and not list(out.rglob("*.part"))


def test_a_killed_rebuild_leaves_the_previous_page_as_it_was(tmp_path, reference):
    out = tmp_path / "page"
    shutil.copytree(reference, out)
    (out / "index.html").write_text("the page from yesterday")
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    kill_when(start_build(out, PROMPT), lambda: checkpoints(out) >= 3)
    assert {path: path.read_bytes() for path in out.rglob("*") if path.is_file()} == before


def test_without_resume_an_interrupted_build_starts_over(tmp_path, reference):
    out = tmp_path / "page"
    kill_when(start_build(out, PROMPT), lambda: checkpoints(out) >= 2)
    again = run("build", PROMPT, "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert "resumed" not in again.stdout and json.loads((out / "run.json").read_text())["resumed"] == 0
    assert page_files(out) == page_files(reference)


def test_resume_refuses_another_prompt_and_keeps_the_interrupted_build(tmp_path):
    out = tmp_path / "page"
    kill_when(start_build(out, PROMPT), lambda: checkpoints(out) >= 2)
    saved = checkpoints(out)
    other = run("build", "A page about kites", "--resume", "--out", str(out))
    assert_one_line_error(other, f"the interrupted build of {out.resolve()} was started with another prompt")
    assert checkpoints(out) == saved


def test_resume_with_nothing_to_resume_says_so(tmp_path):
    result = run("build", "--resume", "--out", str(tmp_path / "page"))
    assert_one_line_error(result, "no interrupted build was found there; give a prompt to start one")
    assert_one_line_error(run("build", "--resume"), "--resume needs the --out folder of the interrupted build")


def test_ctrl_c_stops_with_one_line_and_the_build_resumes(tmp_path, reference):
    out = tmp_path / "page"
    process = subprocess.Popen(
        [*WEBAGENT, "build", PROMPT, "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while checkpoints(out) < 3:
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert (
        stderr.strip()
        == f"error: interrupted: `webagent build --resume --out {out}` continues from the last finished step"
    )
    resumed = run("build", "--resume", "--out", str(out))
    assert resumed.returncode == 0, resumed.stderr
    assert page_files(out) == page_files(reference)


def test_a_second_build_into_a_busy_folder_is_refused_until_the_first_is_gone(tmp_path, reference):
    out = tmp_path / "page"
    holder = subprocess.Popen(  # another process holding the folder, as a running build does, until it is killed
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from webagent.core.workdir import folder_lock\n"
            "with folder_lock(Path(sys.argv[1])):\n    print('holding', flush=True); time.sleep(600)",
            str(out),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "holding\n"
        second = run("build", PROMPT, "--out", str(out))
        assert_one_line_error(
            second,
            f"{out.resolve()} is being written by another webagent run (pid {holder.pid}): "
            "wait for it to finish or choose another --out",
        )
        assert not out.exists()
    finally:
        holder.kill()
        holder.wait()
    again = run("build", PROMPT, "--out", str(out))  # the kernel released the killed holder's lock
    assert again.returncode == 0, again.stderr
    assert page_files(out) == page_files(reference)
    assert not sibling(out.resolve(), "lock").exists()


def test_two_writers_in_one_process_are_refused_too(tmp_path):
    out = tmp_path / "page"
    with folder_lock(out):
        with pytest.raises(FolderBusyError, match=f"pid {os.getpid()}"):
            with folder_lock(out):
                pass
    with folder_lock(out):  # free again once released
        pass


class OwnBrowser:
    """A browser session of the test's own (the tests kill it), and a way to kill its Chromium alone."""

    def __init__(self) -> None:
        before = {child.pid for child in psutil.Process().children()}
        self.session = BrowserSession()
        self.session.call(lambda browser: browser.version)
        self.drivers = [child for child in psutil.Process().children() if child.pid not in before]

    def kill_chromium(self) -> None:
        for driver in self.drivers:
            for process in driver.children(recursive=True):
                if "chrom" in process.name().lower():
                    with contextlib.suppress(psutil.NoSuchProcess):
                        process.kill()


@pytest.fixture
def own_browser():
    browser = OwnBrowser()
    yield browser
    browser.session.close()


def test_chromium_dying_mid_render_is_replaced_and_the_render_retried_once(tmp_path, reference, own_browser):
    shots = tmp_path / "evidence"
    killed = threading.Event()

    def kill_once_the_first_screenshot_is_written() -> None:
        while not (shots / "page-1440.png").exists():
            time.sleep(0.005)
        own_browser.kill_chromium()
        killed.set()

    watcher = threading.Thread(target=kill_once_the_first_screenshot_is_written, daemon=True)
    watcher.start()
    evidence = collect_evidence(own_browser.session, reference, shots)
    assert killed.is_set() and own_browser.session.restarts == 1
    assert all(element.rendered for element in evidence.elements) and len(evidence.elements) >= 2
    assert "BREAD WORTH WAKING FOR" in evidence.visible_text.upper()
    assert (shots / "page-390.png").is_file()


def test_chromium_dying_twice_is_one_clear_error(own_browser):
    def always_crashes(browser: Any) -> str:
        page = browser.new_page()
        own_browser.kill_chromium()
        time.sleep(0.3)
        return page.content()

    with pytest.raises(BrowserCrashedError, match=r"^Chromium crashed twice in a row \(.+\): .+; check free memory"):
        own_browser.session.call(always_crashes)
    assert own_browser.session.restarts == 1
    assert (
        own_browser.session.call(lambda browser: browser.new_page().evaluate("1 + 1")) == 2
    )  # and a third one serves on


def test_a_bench_killed_mid_build_resumes_that_build_on_the_next_run(tmp_path, reference):
    dataset = tmp_path / "dataset.jsonl"
    dataset.write_text(json.dumps({"file_id": "crumb", "input": PROMPT}) + "\n", encoding="utf-8")
    bench = tmp_path / "bench"
    page = bench / "cases" / "crumb" / "page"
    process = subprocess.Popen(
        [*WEBAGENT, "bench", "--dataset", str(dataset), "--out", str(bench)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    kill_when(process, lambda: checkpoints(page) >= 4)
    rerun = run("bench", "--dataset", str(dataset), "--out", str(bench))
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads((page / "run.json").read_text())["resumed"] == 1
    assert page_files(page) == page_files(reference)


def test_an_in_process_build_gives_the_callers_ctrl_c_handler_back(tmp_path):
    from typer.testing import CliRunner

    from webagent.cli import app

    before = signal.getsignal(signal.SIGINT)
    result = CliRunner().invoke(
        app, ["build", "A page called Kite Club with a photo of kites", "--out", str(tmp_path / "p")]
    )
    assert result.exit_code == 0, result.output
    assert signal.getsignal(signal.SIGINT) is before
