"""The command line the dev-set benchmarks share: which dataset, how many prompts, where results go."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from webagent.core.errors import OutputDirError  # noqa: E402
from webagent.core.files import atomic_write_text  # noqa: E402
from webagent.core.ownership import claim_output_file  # noqa: E402

DEFAULT_DATASET = ROOT.parent / "shared" / "bench" / "mm-webgen-bench-dev.jsonl"
RESULTS = ROOT / "benchmarks" / "results"  # the benchmarks' own folder (git-ignored): files in it are replaced


def dev_rows(
    description: str, results_name: str, more: Callable[[argparse.ArgumentParser], None] | None = None
) -> tuple[argparse.Namespace, list[dict]]:
    """Parse --dataset, --limit and --out (default benchmarks/results/<results_name>), and the arguments ``more``
    adds; return them and the rows."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--limit", type=int, default=0, help="the first N prompts only")
    parser.add_argument("--out", type=figures_file, default=RESULTS / results_name)
    if more:
        more(parser)
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.dataset.read_text(encoding="utf-8").splitlines() if line.strip()]
    return args, rows[: args.limit] if args.limit else rows


def figures_file(text: str) -> Path:
    """``--out``, checked when the arguments are read, before any work: a new file, or one in
    benchmarks/results/; anything else is one argparse error line, not a traceback after the run."""
    try:
        return claim_output_file(Path(text), RESULTS)
    except OutputDirError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def save_figures(path: Path, figures: object) -> Path:
    """Write ``figures`` as JSON to ``path`` (a new file, or one in benchmarks/results/: never a file of someone
    else's) and say where."""
    target = claim_output_file(path, RESULTS)
    atomic_write_text(target, json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {target}")
    return target
