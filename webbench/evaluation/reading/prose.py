"""The prose of a prompt as sentences, with quoted text masked so rules never read inside quotes."""

from __future__ import annotations

import re
from typing import NamedTuple

from webagent.webbench.evaluation.metrics import QUOTED

DATA_LINE = re.compile(r"^\s*(?:\||#|```|\*\*[^\n]*\*\*\s*$).*$", re.MULTILINE)
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
MASK = "_"
FUNCTION_WORDS = {
    "a", "an", "the", "this", "that", "these", "those", "its", "their", "our", "your", "his", "her", "it", "they",
    "of", "with", "and", "or", "in", "on", "at", "to", "for", "from", "by", "into", "onto", "over", "under", "as",
    "than", "but", "while", "where", "when", "like", "then", "per", "which", "who", "there", "about", "around",
    "is", "are", "was", "were", "be", "has", "have", "each", "every", "all", "any", "only", "just", "nearly",
}  # fmt: skip


class Sentence(NamedTuple):
    """One sentence: its original text and the same text with every quote's inside masked."""

    text: str
    masked: str


def masked_quotes(text: str) -> str:
    """``text`` with the inside of every quote replaced by underscores (same length, same offsets)."""
    return QUOTED.sub(lambda m: m.group(0)[0] + MASK * (len(m.group(0)) - 2) + m.group(0)[-1], text)


def prose_of(prompt: str) -> str:
    """The prompt without table rows, headings and code fences (blanked, offsets kept)."""
    return DATA_LINE.sub(lambda m: " " * len(m.group(0)), prompt)


def sentences(prompt: str) -> list[Sentence]:
    """The prompt's prose sentences (a clause ending in ';' counts as one), in order."""
    text = prose_of(prompt)
    masked = masked_quotes(text)
    found, start = [], 0
    for end in [m.start() for m in SENTENCE_END.finditer(masked)] + [len(masked)]:
        if masked[start:end].strip():
            found.append(Sentence(text[start:end].strip(), masked[start:end].strip()))
        start = end
    return found
