"""The command line the dev-set benchmarks share: which dataset, how many prompts, where results go."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATASET = ROOT.parent / "shared" / "bench" / "mm-webgen-bench-dev.jsonl"


def dev_rows(description: str, results_name: str,
             more: Callable[[argparse.ArgumentParser], None] | None = None) -> tuple[argparse.Namespace, list[dict]]:
    """Parse --dataset, --limit and --out (default benchmarks/results/<results_name>), and the arguments ``more``
    adds; return them and the rows."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--limit", type=int, default=0, help="the first N prompts only")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / results_name)
    if more:
        more(parser)
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.dataset.read_text(encoding="utf-8").splitlines() if line.strip()]
    return args, rows[: args.limit] if args.limit else rows
