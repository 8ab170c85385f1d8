"""Start-up: how long the CLI takes before it does anything, and what a whole `webagent build` process adds to a build.

    .venv/bin/python benchmarks/startup.py [--runs 15] [--build-runs 3]

Each command runs ``--runs`` times in a child process; the median wall and CPU (user + system) seconds are
printed: ``python -c "import webagent.cli"``, ``webagent --help`` and ``webagent history`` on a page built first
with ``webagent build … --planner offline --coder offline --chart offline``. Then one offline build, ``--build-runs``
times each way: the whole ``webagent build`` process (interpreter, imports, Chromium, build, exit) beside
``webagent.engine.build.build(...)`` called in this process with the same settings (its modules imported before the
clock starts; it starts its own Chromium, as the command does). Every build has the media cache off, so each is
cold. The commands run in a temporary folder and write only there (the cache too); the figures are printed and
written to benchmarks/results/startup.json. CPU seconds barely move when other processes share the machine; wall seconds do.
Not a test: it measures.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dev_set import RESULTS, figures_file, save_figures

PROMPT = "a landing page for a bakery called Crumb & Co., with a photo of the shop and a chart of weekly sales"
OFFLINE_FLAGS = ["--planner", "offline", "--coder", "offline", "--chart", "offline", "--image", "offline"]
OFFLINE_FLAGS += ["--video", "offline", "--no-cache"]


def webagent_command() -> list[str]:
    """The installed console script beside this Python, as a user runs it."""
    script = Path(sys.executable).parent / "webagent"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "webagent"]


def child_seconds(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of ``command`` in ``cwd``; it must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def medians(samples: list[tuple[float, float]], cpu: bool = True) -> dict[str, float]:
    """Median and least wall seconds, and median CPU seconds (left out for builds: Chromium's CPU is counted
    for a child process, not for this one)."""
    walls, cpus = zip(*samples)
    figures = {"wall_s": round(statistics.median(walls), 3), "wall_min_s": round(min(walls), 3)}
    if cpu:
        figures["cpu_s"] = round(statistics.median(cpus), 3)
    return {**figures, "runs": len(samples)}


def in_process_build(out_dir: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of ``build`` called here, with the settings the command's flags give."""
    from webagent.core.config import Settings
    from webagent.engine.build import build

    settings = Settings(planner="offline", coder="offline", chart_backend="offline", media_cache=False)
    cpu = time.process_time()
    started = time.perf_counter()
    build(PROMPT, out_dir, settings)
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each quick command")
    parser.add_argument("--build-runs", type=int, default=3, help="builds each way")
    parser.add_argument("--out", type=figures_file, default=RESULTS / "startup.json")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="webagent-startup-") as work:
        tmp, serial = Path(work), itertools.count()
        # the defaults and the flags only: no settings file, no model settings, a cache of its own (in this
        # process too, for the in-process builds)
        for name in [name for name in os.environ if name.startswith(("WEBAGENT_", "OPENAI_"))]:
            del os.environ[name]
        os.environ.update(WEBAGENT_CONFIG=os.devnull, WEBAGENT_CACHE_DIR=str(tmp / "cache"))
        env = dict(os.environ)

        def cli_build() -> tuple[float, float]:
            out = tmp / f"cli-{next(serial)}"
            return child_seconds([*webagent_command(), "build", PROMPT, "--out", str(out), *OFFLINE_FLAGS], env, tmp)

        cli_build()  # the page `history` lists; and a first build warms the disk cache
        page = tmp / "cli-0"
        quick = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "python -c 'import webagent.cli'": [sys.executable, "-c", "import webagent.cli"],
            "webagent --help": [*webagent_command(), "--help"],
            "webagent history PAGE": [*webagent_command(), "history", str(page)],
        }
        figures = {
            name: medians([child_seconds(command, env, tmp) for _ in range(args.runs)])
            for name, command in quick.items()
        }
        figures["webagent build (whole process)"] = medians([cli_build() for _ in range(args.build_runs)], cpu=False)
        started = time.perf_counter()
        importlib.import_module("webagent.engine.build")  # what the command imports, before the build's clock starts
        figures["import webagent.engine.build (in process)"] = {"wall_s": round(time.perf_counter() - started, 3)}
        figures["build() (in process)"] = medians(
            [in_process_build(tmp / f"lib-{next(serial)}") for _ in range(args.build_runs)], cpu=False
        )

    print(f"\n{'':<42} {'wall s':>8} {'min s':>8} {'CPU s':>8} {'runs':>5}")
    for name, value in figures.items():
        cells = [f"{value[key]:8.3f}" if key in value else f"{'':>8}" for key in ("wall_s", "wall_min_s", "cpu_s")]
        print(f"{name:<42} {' '.join(cells)} {value.get('runs', 1):5d}")
    whole, inside = figures["webagent build (whole process)"]["wall_s"], figures["build() (in process)"]["wall_s"]
    print(f"\na whole `webagent build` process takes {whole - inside:+.2f} s beside build() in process (medians)")
    save_figures(args.out, {"figures": figures, "python": sys.version.split()[0], "cpus": os.cpu_count()})


if __name__ == "__main__":
    main()
