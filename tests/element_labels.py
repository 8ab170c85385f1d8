"""Hand-counted images, videos and charts of 30 dev prompts, and how near a count comes to them.

The labels (tests/data/required_element_labels.json, counting rule inside) were made by reading the prompts,
before either program ran on them; the first 20 ids tune the reader, the last 10 only check it. Shared by
tests/test_prompt_reader.py and benchmarks/reader_labels.py.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from statistics import fmean
from typing import NamedTuple

LABELS_FILE = Path(__file__).resolve().parent / "data" / "required_element_labels.json"
KINDS = ("image", "video", "chart")
SPLITS = ("tuning", "validation")


class Labels(NamedTuple):
    """Per file_id the counts a person read, and the ids of each split."""

    counts: dict[str, Counter[str]]
    splits: dict[str, list[str]]


class KindScore(NamedTuple):
    """How one program counts one kind over a split: share of exact counts, mean absolute error."""

    accuracy: float
    mae: float


def load_labels(path: Path = LABELS_FILE) -> Labels:
    """The labels file as counts per file_id and ids per split."""
    data = json.loads(path.read_text(encoding="utf-8"))
    counts = {file_id: Counter({kind: label[kind] for kind in KINDS}) for file_id, label in data["labels"].items()}
    return Labels(counts, {split: data[split] for split in SPLITS})


def split_scores(labels: Labels, counted: dict[str, Counter[str]], split: str) -> dict[str, KindScore]:
    """Per kind, how ``counted`` (counts per file_id) matches the labels over one split."""
    ids = labels.splits[split]
    return {
        kind: KindScore(
            accuracy=fmean(counted[i][kind] == labels.counts[i][kind] for i in ids),
            mae=fmean(abs(counted[i][kind] - labels.counts[i][kind]) for i in ids),
        )
        for kind in KINDS
    }


def count_errors(labels: Labels, counted: dict[str, Counter[str]], split: str) -> list[tuple[int, str, str]]:
    """The split's miscounts, largest first: (absolute error, file_id, "kind label→counted")."""
    errors = [
        (abs(counted[i][kind] - labels.counts[i][kind]), i, f"{kind} {labels.counts[i][kind]}→{counted[i][kind]}")
        for i in labels.splits[split]
        for kind in KINDS
        if counted[i][kind] != labels.counts[i][kind]
    ]
    return sorted(errors, key=lambda error: (-error[0], error[1]))
