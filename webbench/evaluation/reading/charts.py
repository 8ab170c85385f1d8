"""Which dataset each chart draws: a series written in its own sentences, else the table that shares
the most words with the chart's sentence, then with the sentences after it (its title, columns, labels)."""

from __future__ import annotations

import re

from webagent.core.contracts import Dataset
from webagent.webbench.evaluation.reading.prose import FUNCTION_WORDS

CONTENT_WORD = re.compile(r"[^\W\d_]{3,}")


def content_words(text: str) -> set[str]:
    """The words of ``text`` that carry meaning: three letters or more, no function words."""
    return {word for word in CONTENT_WORD.findall(text.casefold()) if word not in FUNCTION_WORDS}


def dataset_words(dataset: Dataset) -> set[str]:
    """The words a prompt would use about a dataset: its title, column names and row labels."""
    return content_words(" ".join([dataset.title, *dataset.columns, *(row[0] for row in dataset.rows if row)]))


def best_table(own: str, context: str, tables: list[Dataset], taken: set[int]) -> int | None:
    """The index of the untaken table sharing most words with the chart's own sentence, then with its
    context; None when none shares any."""
    own_words, context_words = content_words(own), content_words(context)
    scores = {
        index: (len(own_words & words), len(context_words & words))
        for index, words in ((index, dataset_words(table)) for index, table in enumerate(tables))
        if index not in taken
    }
    best = max(scores, key=lambda index: (scores[index], -index), default=None)
    return best if best is not None and scores[best][1] > 0 else None
