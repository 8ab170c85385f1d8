"""Small text utilities shared by the planner's modules: shortening, word-list patterns, ids."""

from __future__ import annotations

import re
from collections.abc import Iterable

_COUNTS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "sept": 7,
    "huit": 8,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
}
# A capital letter of a Latin script, as a regex class: "Złoty Kłos", "Łódź", "Ørsted" start names too.
CAPITAL = "[A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper()) + "]"
# A regex alternation of the number words that count_of reads.
COUNT_WORDS = "|".join(sorted(_COUNTS, key=len, reverse=True))
# A word naming a chart in any language the planner reads: a sentence with one is that chart's own, and
# its numbers are the chart's data (series.py), never cards or a table of their own.
CHART_WORDS = re.compile(
    r"\b(?:charts?|graphs?|plots?|\w*diagram\w*|gr[áa]fic[oa]s?|graphiques?|sparklines?|histograms?|wykres\w*)\b", re.I
)

# A word naming a medium the page shows — a picture, a video or a chart — in any language the planner reads.
MEDIA_WORDS = re.compile(
    r"\b(?:\w*photo(?:graph)?s?|\w*fotos?|foto's|zdj[eę]\w*|images?|imagen(?:es)?|pictures?|pics?|\w*bild(?:er)?|portraits?|"
    r"illustrations?|\w*vid[eé]os?|vídeos?|clips?|footage)\b|" + CHART_WORDS.pattern,
    re.I,
)


def shorten(text: str, limit: int) -> str:
    """Whitespace collapsed and, past `limit` characters, cut at a word and ended with '…'."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 0.6 else cut).rstrip(" ,;:") + "…"


def words_pattern(words: Iterable[str], flags: int = 0, hyphen_joins: bool = False) -> re.Pattern:
    """One regex for a list of literal words or phrases, longest first, the match in group 1.

    Words end at `\\b`; with `hyphen_joins`, a hyphen counts as part of a word too, so
    "line" does not match inside "line-art"."""
    ordered = sorted(words, key=len, reverse=True)
    left, right = (r"(?<![\w-])", r"(?![\w-])") if hyphen_joins else (r"\b", r"\b")
    return re.compile(left + "(" + "|".join(re.escape(w) for w in ordered) + ")" + right, flags)


def unique_id(base: str, used: set[str], limit: int = 64) -> str:
    """`base`, or `base-2`, `base-3`, … : the first not in `used` (which it joins), at most `limit` long."""
    candidate, n = base, 1
    while candidate in used:
        n += 1
        suffix = f"-{n}"
        candidate = base[: limit - len(suffix)].rstrip("-") + suffix
    used.add(candidate)
    return candidate


def count_of(word: str) -> int:
    """The number a count word or 1–2 digit numeral stands for; 0 for anything else."""
    word = word.strip().lower()
    if word.isdigit() and len(word) <= 2:
        return int(word)
    return _COUNTS.get(word, 0)
