"""Small text utilities shared by the planner's modules: shortening, word-list patterns, ids."""

from __future__ import annotations

import re
from collections.abc import Iterable


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
