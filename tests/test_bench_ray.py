"""`webagent bench --executor ray`: a real local Ray (started by the run, or by `ray start` as a cluster would be),
real workers with their own Chromium, and the same results as the local executor.

Ray keeps its sockets and logs under RAY_TMPDIR: each test gives it a folder inside its own temporary folder,
reached through a short link (a Unix socket path may not exceed 107 bytes), and kills whatever Ray process of
that folder is left at the end.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.test_bench import result_lines, stop_at_the_next_result, write_dataset
from tests.test_cli import WEBAGENT, assert_one_line_error, run
from webagent.webbench.bench.runner import RESULTS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("ray")]

SECRET = "sk-ray-test-" + secrets.token_hex(8)
OFFLINE_WITH_A_KEY = {  # a key is set, so it must travel to the workers, yet no model is called
    "WEBAGENT_API_KEY": SECRET,
    "WEBAGENT_PLANNER": "offline",
    "WEBAGENT_CODER": "offline",
    "WEBAGENT_CHART_BACKEND": "offline",
    "WEBAGENT_CRITIC": "static",
}
CASES = ["bakery", "sales", "yoga"]


def ray_processes(marker: str) -> list[psutil.Process]:
    """The processes whose command line names ``marker`` (a Ray temporary folder, a process title)."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        with contextlib.suppress(psutil.Error):
            if marker in " ".join(process.info["cmdline"] or []):
                found.append(process)
    return found


def case_workers(driver: int) -> list[psutil.Process]:
    """The Ray actor processes of the bench whose driver is ``driver`` (its local Ray's workers descend from it;
    another test's are left alone), not the processes they forked (which carry their title)."""
    found = []
    try:
        ours = {child.pid for child in psutil.Process(driver).children(recursive=True)}
    except psutil.Error:
        return []
    for process in ray_processes("ray::CaseWorker"):
        if process.pid not in ours:
            continue
        with contextlib.suppress(psutil.Error):
            parent = process.parent()
            if parent is None or "ray::CaseWorker" not in " ".join(parent.cmdline()):
                found.append(process)
    return found


@pytest.fixture
def ray_folder(tmp_path, monkeypatch):
    """Ray's temporary folder for this test: inside tmp_path, named through a short link in /tmp."""
    real = tmp_path / "ray-tmp"
    real.mkdir()
    link = Path("/tmp") / f"wa-ray-{secrets.token_hex(4)}"
    link.symlink_to(real)
    monkeypatch.setenv("RAY_TMPDIR", str(link))
    try:
        yield real
    finally:
        for process in ray_processes(str(link)) + ray_processes(str(real)):
            with contextlib.suppress(psutil.Error):
                process.kill()
        if link.is_symlink() and link.resolve() == real.resolve():  # the link this fixture made, nothing else
            link.unlink()


def scores_by_case(bench: Path) -> dict[str, tuple]:
    """What must not depend on the executor: each case's status, scores, metrics and judge findings."""
    return {
        line["file_id"]: (
            line["status"],
            json.dumps({k: line["evaluation"][k] for k in ("scores", "metrics", "layout", "style")}, sort_keys=True),
        )
        for line in result_lines(bench)
    }


def files_holding(folder: Path, text: str) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and text.encode() in p.read_bytes()]


def test_the_ray_executor_gives_the_local_executors_results_and_no_key_reaches_its_logs(tmp_path, ray_folder):
    dataset = write_dataset(tmp_path, CASES)
    local = run(
        "bench", "--dataset", str(dataset), "--jobs", "2", "--out", str(tmp_path / "local"), env=OFFLINE_WITH_A_KEY
    )
    assert local.returncode == 0, local.stderr
    on_ray = run(
        "bench", "--dataset", str(dataset), "--jobs", "2", "--out", str(tmp_path / "ray"), "--executor", "ray",
        env=OFFLINE_WITH_A_KEY,
    )  # fmt: skip
    assert on_ray.returncode == 0, on_ray.stderr
    assert "(3 run now, 0 skipped" in on_ray.stdout

    assert scores_by_case(tmp_path / "ray") == scores_by_case(tmp_path / "local")
    assert sorted(scores_by_case(tmp_path / "ray")) == sorted(CASES)
    assert all(line["attempts"] == 1 for line in result_lines(tmp_path / "ray"))
    sessions = list((ray_folder / "ray").glob("session_2*"))
    assert len(sessions) == 1, "the run started no local Ray of its own"
    worker_logs = [p for p in sessions[0].glob("logs/*") if p.is_file() and b"CaseWorker" in p.read_bytes()]
    assert worker_logs, "no case ran on a Ray worker"
    assert files_holding(ray_folder, SECRET) == [] and files_holding(tmp_path / "ray", SECRET) == []
    assert SECRET not in on_ray.stdout + on_ray.stderr
    assert ray_processes(os.environ["RAY_TMPDIR"]) == [], "the local Ray outlived its run"


def test_a_worker_killed_mid_case_is_run_again_and_every_row_is_written(tmp_path, ray_folder):
    bench = tmp_path / "bench"
    args = ["bench", "--dataset", str(write_dataset(tmp_path, CASES)), "--out", str(bench), "--jobs", "2"]
    process = subprocess.Popen(
        [*WEBAGENT, *args, "--executor", "ray"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        while not (list(bench.glob("cases/*/.page.building")) and (workers := case_workers(process.pid))):
            assert process.poll() is None and time.monotonic() < deadline, "no worker started a case"
            time.sleep(0.2)
        assert not (bench / RESULTS).exists() or not (bench / RESULTS).read_bytes(), "a case finished too soon"
        for worker in workers:  # a page is being built: the worker building it dies mid-case
            worker.kill()
        stdout, stderr = process.communicate(timeout=400)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 0, stderr
    lines = result_lines(bench)
    assert sorted(line["file_id"] for line in lines) == sorted(CASES)  # each case once: the driver writes alone
    assert all(line["status"] == "done" for line in lines)
    retried = [line for line in lines if line["attempts"] > 1]
    assert retried and all(line["attempts"] == 2 for line in retried), [line["attempts"] for line in lines]
    for line in retried:
        assert f"retried: {line['file_id']}: 2 runs (a Ray worker died under it)" in stdout


def test_ctrl_c_and_a_killed_driver_leave_a_bench_that_resumes_where_it_stopped(tmp_path, ray_folder):
    bench = tmp_path / "bench"
    args = ["bench", "--dataset", str(write_dataset(tmp_path, CASES)), "--out", str(bench), "--executor", "ray"]
    status, stderr = stop_at_the_next_result([*args, "--jobs", "1"], bench, 240, signal.SIGINT)
    assert status == 130
    assert [line for line in stderr.splitlines() if line.strip()] == [
        f"error: bench interrupted; the cases scored so far are in {bench}: run the same command again to go on"
    ]
    assert not ray_processes(os.environ["RAY_TMPDIR"]), "Ctrl-C left Ray processes running"
    assert len(result_lines(bench)) == 1

    stop_at_the_next_result([*args, "--jobs", "1"], bench, 240)  # SIGKILL: the driver and its local Ray
    finished = {line["file_id"] for line in result_lines(bench)}
    assert len(finished) == 2

    rerun = run(*args, "--jobs", "2")
    assert rerun.returncode == 0, rerun.stderr
    assert "(1 run now, 2 skipped: already scored" in rerun.stdout
    assert sorted(line["file_id"] for line in result_lines(bench)) == sorted(CASES)


def test_a_cluster_whose_workers_lack_the_key_is_refused_and_one_started_with_it_runs_the_bench(tmp_path, ray_folder):
    port = str(free_port())
    ray_cli = [str(Path(sys.executable).parent / "ray")]
    head = [
        *ray_cli,
        "start",
        "--head",
        f"--port={port}",
        "--num-cpus=2",
        "--include-dashboard=false",
        "--disable-usage-stats",
    ]
    started = subprocess.run(head, capture_output=True, text=True, timeout=120, env={**os.environ, "RAY_ADDRESS": ""})
    assert started.returncode == 0, started.stderr
    address = f"127.0.0.1:{port}"
    dataset = write_dataset(tmp_path, ["bakery"])

    refused = run(
        "bench", "--dataset", str(dataset), "--out", str(tmp_path / "refused"), "--executor", "ray",
        "--ray-address", address, env=OFFLINE_WITH_A_KEY,
    )  # fmt: skip
    assert_one_line_error(refused, "does not have the API keys this run uses (WEBAGENT_API_KEY)")
    assert SECRET not in refused.stdout + refused.stderr

    no_key = {k: v for k, v in OFFLINE_WITH_A_KEY.items() if k != "WEBAGENT_API_KEY"}
    joined = run(
        "bench", "--dataset", str(dataset), "--out", str(tmp_path / "joined"), "--executor", "ray",
        "--ray-address", address, env=no_key,
    )  # fmt: skip
    assert joined.returncode == 0, joined.stderr
    assert [(line["file_id"], line["status"]) for line in result_lines(tmp_path / "joined")] == [("bakery", "done")]
    assert ray_processes(os.environ["RAY_TMPDIR"]), "the cluster outlives the runs that joined it"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_cluster_address_where_nothing_answers_is_one_line_at_once(tmp_path):
    started = time.monotonic()
    result = run(
        "bench", "--dataset", str(write_dataset(tmp_path, ["bakery"])), "--out", str(tmp_path / "bench"),
        "--executor", "ray", "--ray-address", f"127.0.0.1:{free_port()}",
    )  # fmt: skip
    assert_one_line_error(result, "nothing answers at the Ray cluster address 127.0.0.1:")
    assert "start the cluster with `ray start --head`, or fix --ray-address" in result.stderr
    assert time.monotonic() - started < 60, "Ray's own retries were waited for"


def test_the_ray_executor_without_the_ray_extra_is_one_line_naming_it(tmp_path):
    blocked = tmp_path / "no-ray"
    (blocked / "ray").mkdir(parents=True)
    (blocked / "ray" / "__init__.py").write_text("raise ImportError('ray is not installed here')\n")
    result = run(
        "bench", "--dataset", str(write_dataset(tmp_path, ["bakery"])), "--out", str(tmp_path / "bench"),
        "--executor", "ray", env={"PYTHONPATH": str(blocked)},
    )  # fmt: skip
    assert_one_line_error(result, "--executor ray needs the 'ray' extra: pip install 'mm-webagent[ray]'")


def test_doctor_names_the_executor_and_the_cluster_it_would_reach():
    local = run("doctor")
    assert "local: threads in this process" in local.stdout.replace("\n", " ")
    on_ray = run("doctor", env={"WEBAGENT_EXECUTOR": "ray", "WEBAGENT_RAY_ADDRESS": "10.0.0.5:6379", "COLUMNS": "200"})
    assert "ray: bench cases run on the Ray cluster at 10.0.0.5:6379" in on_ray.stdout


class ClusterView:
    """What worker_options asks of Ray: the cluster's resources (here, a cluster with or without GPUs)."""

    def __init__(self, gpus: int) -> None:
        self.gpus = gpus

    def cluster_resources(self) -> dict[str, float]:
        return {"CPU": 8.0, **({"GPU": float(self.gpus)} if self.gpus else {})}


def test_workers_ask_for_a_gpu_only_for_diffusers_on_a_cluster_that_has_gpus():
    from webagent.core.config import Settings
    from webagent.webbench.bench.on_ray import worker_options

    diffusers = Settings(image_backend="diffusers")
    assert worker_options(ClusterView(2), diffusers)["num_gpus"] == 1
    assert worker_options(ClusterView(0), diffusers)["num_gpus"] == 0
    assert worker_options(ClusterView(2), Settings())["num_gpus"] == 0
    assert worker_options(ClusterView(2), Settings(video_backend="diffusers"))["num_cpus"] == 1
