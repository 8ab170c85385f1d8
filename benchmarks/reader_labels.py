"""The prompt reader and the offline planner against hand-counted images, videos and charts of 30 dev prompts.

    .venv/bin/python benchmarks/reader_labels.py [--dataset ../shared/bench/mm-webgen-bench-dev.jsonl]
        [--errors tuning|validation]

Per split (tests/data/required_element_labels.json: 20 tuning ids, 10 validation ids) and kind: the share of
prompts counted exactly and the mean absolute error. --errors lists the reader's miscounts on one split.
Prints a table and writes benchmarks/results/reader_labels.json. Not a test: it measures.
"""

from __future__ import annotations

import argparse
from collections import Counter

from dev_set import dev_rows, save_figures

from tests.element_labels import KINDS, SPLITS, Labels, count_errors, load_labels, split_scores
from webagent.planners.offline import compile_prompt
from webagent.webbench.evaluation.reading import read_prompt

PROGRAMS = ("reader", "planner")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--errors", choices=SPLITS, help="list the reader's miscounts on this split")


def program_counts(prompts: dict[str, str]) -> dict[str, dict[str, Counter[str]]]:
    """Per program, the element kinds it counts in each labelled prompt."""
    return {
        "reader": {i: Counter(e.kind for e in read_prompt(p).elements) for i, p in prompts.items()},
        "planner": {i: Counter(a.kind for a in compile_prompt(p).assets) for i, p in prompts.items()},
    }


def figures_of(labels: Labels, counts: dict[str, dict[str, Counter[str]]]) -> dict:
    """Per split and program, each kind's exact-count accuracy and mean absolute error."""
    return {
        split: {
            program: {kind: score._asdict() for kind, score in split_scores(labels, counts[program], split).items()}
            for program in PROGRAMS
        }
        for split in SPLITS
    }


def print_table(figures: dict, labels: Labels) -> None:
    print(f"{'split':<11} {'n':>3} {'program':<8} " + " ".join(f"{kind + ' acc / mae':>17}" for kind in KINDS))
    for split, programs in figures.items():
        for program, scores in programs.items():
            cells = " ".join(f"{scores[k]['accuracy']:>9.2f} / {scores[k]['mae']:<5.2f}" for k in KINDS)
            print(f"{split:<11} {len(labels.splits[split]):>3} {program:<8} {cells}")


def main() -> None:
    args, rows = dev_rows(__doc__.splitlines()[0], "reader_labels.json", add_arguments)
    labels = load_labels()
    prompts = {row["file_id"]: row["input"] for row in rows if row["file_id"] in labels.counts}
    missing = sorted(set(labels.counts) - set(prompts))
    if missing:
        raise SystemExit(f"labelled prompts not in {args.dataset}: {', '.join(missing)}")
    counts = program_counts(prompts)
    figures = figures_of(labels, counts)
    print_table(figures, labels)
    if args.errors:
        for error, file_id, what in count_errors(labels, counts["reader"], args.errors):
            print(f"{file_id:>5}  off by {error:>2}  {what}")
    save_figures(args.out, figures)


if __name__ == "__main__":
    main()
