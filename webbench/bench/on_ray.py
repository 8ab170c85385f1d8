"""The Ray executor: bench cases run on a pool of Ray actors, each with its own warm browser.

With no address a local Ray is started for the run and shut down after it (the embedded default); with one,
the run joins that cluster. This process stays the only writer of results.jsonl: a worker returns its case's
result and the driver records it, once.

- **Keys never travel.** Workers get every setting but the API keys; each takes its keys from its own
  environment. A local Ray inherits them from this process (they are put in the environment it starts with);
  on a cluster each node must be started with them (README, "Running on a cluster"). Before any case runs,
  every worker's keys are compared with the driver's by salted hash and a mismatch is one clear error. Ray's
  runtime_env is not used for them: Ray writes it to its logs in the clear.
- **Shared storage.** Workers write pages and evidence into the bench folder, so every worker must see the
  folder the driver sees: each one reads the folder's mark and compares it with the driver's copy.
- **A worker that dies** (killed, out of memory, its node lost) takes only its case with it: the case runs
  again on a fresh worker, at most ``MAX_ATTEMPTS`` times, and its result line says how many runs it took.
  A case that fails every time is a failed row, never a crashed run.
- **Ctrl-C** cancels what is outstanding (the workers are killed) and leaves the folder resumable: every
  finished case is already in results.jsonl, and a half-built page goes on from its checkpoint next time.
- **GPUs.** With a diffusers backend and GPUs in the cluster, each worker asks for one, so the media models
  load once per worker, on a GPU; model API calls stay concurrent inside each worker (``max_parallel``).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from webagent.core.browser import BrowserSession
from webagent.core.config import Settings
from webagent.core.errors import MissingExtraError, OutputDirError, SettingsError, WebAgentError
from webagent.core.ownership import MARK_FILE
from webagent.webbench.bench.dataset import BenchCase
from webagent.webbench.bench.runner import FATAL_ERRORS, BenchResult, CaseRun, CaseSetup, one_line

MAX_ATTEMPTS = 3  # runs of one case before it is recorded as failed because its workers kept dying
OBJECT_STORE_BYTES = 128 * 1024 * 1024  # a local Ray's object store: results are small JSON lines
FATAL_BY_NAME: dict[str, type[WebAgentError]] = {error.__name__: error for error in FATAL_ERRORS}


class RayClusterError(WebAgentError):
    """The Ray cluster cannot run this bench: not reachable, or its workers lack the keys or the folder."""


def import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise MissingExtraError("--executor ray needs the 'ray' extra: pip install 'mm-webagent[ray]'") from None
    return ray


def mark_digest(bench_dir: Path) -> str:
    """The bench folder's mark as a hash: a worker that reads the same bytes sees the same folder."""
    try:
        return hashlib.sha256((bench_dir / MARK_FILE).read_bytes()).hexdigest()
    except OSError:
        return ""


class CaseWorker:
    """One Ray actor: a browser kept warm between cases, and the run's settings with this node's keys."""

    def __init__(self, setup_values: dict[str, Any], settings_values: dict[str, Any]) -> None:
        settings = Settings.with_keys_from(settings_values, os.environ)
        pages = setup_values["pages_dir"]
        self.setup = CaseSetup(Path(setup_values["bench_dir"]), setup_values["judge"], settings, pages and Path(pages))
        session = BrowserSession(settings.browser)
        session.__enter__()  # closed with the process: a worker lives as long as the run
        self.run = CaseRun(self.setup, session)

    def readiness(self, salt: str) -> dict[str, Any]:
        """What the driver checks before the first case: this worker's keys (hashed) and its view of the folder."""
        return {
            "keys": self.setup.settings.key_fingerprints(salt),
            "mark": mark_digest(self.setup.bench_dir),
            "node": os.uname().nodename,
        }

    def run_case(self, case_json: str) -> dict[str, str]:
        """The case's result line, or the error that would stop every case (its class name and message)."""
        try:
            result = self.run.run(BenchCase.model_validate_json(case_json))
        except FATAL_ERRORS as exc:
            return {"fatal": type(exc).__name__, "message": str(exc)}
        return {"result": result.model_dump_json()}


@contextmanager
def keys_in_environment(settings: Settings) -> Iterator[None]:
    """The settings' API keys in this process's environment while a local Ray starts, so its workers inherit them."""
    variables = settings.key_variables()
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def cluster_address(settings: Settings) -> str:
    """The cluster a run joins: the ray_address setting, else Ray's own RAY_ADDRESS; '' starts a local Ray."""
    return settings.ray_address or os.environ.get("RAY_ADDRESS", "")


REACH_TIMEOUT_S = 5.0


def check_reachable(address: str) -> None:
    """One line, at once, when nothing answers at ``host:port`` (Ray itself would retry for minutes, logging);
    an address Ray resolves itself ("auto") is left to it."""
    host, colon, port = address.removeprefix("ray://").rpartition(":")
    if not colon or not port.isdigit():
        return
    try:
        socket.create_connection((host or "127.0.0.1", int(port)), timeout=REACH_TIMEOUT_S).close()
    except OSError as exc:
        raise RayClusterError(
            f"nothing answers at the Ray cluster address {address} ({exc.strerror or exc}): "
            "start the cluster with `ray start --head`, or fix --ray-address"
        ) from None


def start_ray(ray: Any, settings: Settings, jobs: int) -> None:
    """Join the configured cluster, or start a local Ray with room for ``jobs`` workers."""
    address = cluster_address(settings)
    if address:
        check_reachable(address)
    try:
        if address:
            ray.init(address=address, log_to_driver=False, logging_level="ERROR")
            return
        with keys_in_environment(settings):
            ray.init(
                num_cpus=max(jobs, os.cpu_count() or 1),
                include_dashboard=False,
                log_to_driver=False,
                logging_level="ERROR",
                object_store_memory=OBJECT_STORE_BYTES,
            )
    except (ConnectionError, RuntimeError, ValueError, OSError) as exc:
        where = address or "a local Ray"
        raise RayClusterError(f"cannot start or reach {where}: {one_line(exc)}") from None


def worker_options(ray: Any, settings: Settings) -> dict[str, Any]:
    """One CPU per worker, and one GPU where a diffusers backend runs and the cluster has GPUs."""
    diffusers = "diffusers" in (settings.image_backend, settings.video_backend)
    gpus = 1 if diffusers and ray.cluster_resources().get("GPU", 0) >= 1 else 0
    return {"num_cpus": 1, "num_gpus": gpus, "max_restarts": 0}


class WorkerPool:
    """The run's actors: started together, replaced when one dies, killed at the end."""

    def __init__(self, ray: Any, setup: CaseSetup, size: int) -> None:
        self.ray = ray
        self.actor_class = ray.remote(**worker_options(ray, setup.settings))(CaseWorker)
        setup_values = {
            "bench_dir": str(setup.bench_dir),
            "judge": setup.judge,
            "pages_dir": str(setup.pages_dir) if setup.pages_dir else None,
        }
        self.arguments = (setup_values, setup.settings.without_keys())
        self.idle = [self.new_worker() for _ in range(size)]

    def new_worker(self) -> Any:
        return self.actor_class.remote(*self.arguments)

    def renew(self, dead: Any) -> None:
        self.ray.kill(dead, no_restart=True)
        self.idle.append(self.new_worker())

    def kill_all(self, busy: list[Any]) -> None:
        for worker in [*self.idle, *busy]:
            self.ray.kill(worker, no_restart=True)


def check_workers(ray: Any, pool: WorkerPool, setup: CaseSetup) -> None:
    """Every worker has the driver's keys and sees the driver's bench folder, or one error says which does not."""
    salt = secrets.token_hex(16)
    wanted_keys = setup.settings.key_fingerprints(salt)
    wanted_mark = mark_digest(setup.bench_dir)
    try:
        answers = ray.get([worker.readiness.remote(salt) for worker in pool.idle])
    except ray.exceptions.RayError as exc:
        raise RayClusterError(f"a Ray worker could not start: {one_line(exc)}") from None
    for answer in answers:
        names = [n for n in sorted({*wanted_keys, *answer["keys"]}) if wanted_keys.get(n) != answer["keys"].get(n)]
        if names:
            raise SettingsError(
                f"the Ray worker on {answer['node']} does not have the API keys this run uses ({', '.join(names)}): "
                "start every node with the same WEBAGENT_*_API_KEY variables (README, 'Running on a cluster')"
            )
        if answer["mark"] != wanted_mark:
            raise OutputDirError(
                f"the Ray worker on {answer['node']} cannot see the bench folder {setup.bench_dir}: "
                "put --out on storage every node mounts at the same path"
            )


def run_on_ray(cases: list[BenchCase], setup: CaseSetup, jobs: int, record: Callable[[BenchResult], None]) -> None:
    """Run ``cases`` on ``jobs`` Ray workers and ``record`` each result here, in the order they finish."""
    ray = import_ray()
    start_ray(ray, setup.settings, jobs)
    pool: WorkerPool | None = None
    running: dict[Any, tuple[BenchCase, Any, int]] = {}  # task → (case, worker, attempt)
    try:
        pool = WorkerPool(ray, setup, min(jobs, len(cases)))
        check_workers(ray, pool, setup)
        waiting = [(case, 1) for case in cases]
        while waiting or running:
            while waiting and pool.idle:
                case, attempt = waiting.pop(0)
                worker = pool.idle.pop()
                running[worker.run_case.remote(case.model_dump_json())] = (case, worker, attempt)
            [done], _ = ray.wait(list(running), num_returns=1)
            case, worker, attempt = running.pop(done)
            try:
                answer = ray.get(done)
            except ray.exceptions.RayActorError:  # the worker died under the case: run it again elsewhere
                pool.renew(worker)
                if attempt < MAX_ATTEMPTS:
                    waiting.insert(0, (case, attempt + 1))
                else:
                    record(setup.failed(case, f"build: the Ray worker running it died {attempt} times", attempt))
                continue
            except ray.exceptions.RayTaskError as exc:  # a bug, not the case's: a failed row with the reason
                pool.idle.append(worker)
                record(setup.failed(case, f"internal error: {one_line(exc.cause or exc)}", attempt))
                continue
            pool.idle.append(worker)
            if "fatal" in answer:
                raise FATAL_BY_NAME[answer["fatal"]](answer["message"])
            result = BenchResult.model_validate_json(answer["result"])
            result.attempts = attempt
            record(result)
    finally:
        if pool is not None:
            pool.kill_all([worker for _, worker, _ in running.values()])
        ray.shutdown()
