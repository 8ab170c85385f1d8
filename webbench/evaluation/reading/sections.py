"""The sections a prompt names, in the order it first names them: a quoted section title ("a section
titled “Our Growth”") or the section's kind ("the hero", "a testimonials section", "the footer")."""

from __future__ import annotations

import re

from webagent.webbench.evaluation.metrics import normalise, quoted_strings
from webagent.webbench.evaluation.reading.prose import FUNCTION_WORDS, Sentence
from webagent.webbench.evaluation.reading.quotes import QuoteRole

LANDMARK = re.compile(r"\b(?P<kind>header|hero|footer|navbar|navigation bar)\b", re.IGNORECASE)
KIND_SECTION = re.compile(r"\b(?P<kind>[a-z][\w&-]*)\s+(?:section|band)\b", re.IGNORECASE)
SECTION_WORD = re.compile(r"\b(?:section|band)\b", re.IGNORECASE)
NOT_A_KIND = FUNCTION_WORDS | {
    "next", "new", "following", "final", "last", "first", "second", "third", "main", "whole", "entire", "another",
    "same", "previous", "lower", "upper", "wide", "full-width", "middle", "bottom", "top", "central", "single",
    "separate", "distinct", "dedicated", "short", "large", "small", "narrow", "tall", "full", "one", "two", "three",
}  # fmt: skip


def sentence_sections(sentence: Sentence, titles: list[str]) -> list[str]:
    """The sections one sentence names, in its order: its quoted title when it names a section with one,
    else the kinds it names."""
    if SECTION_WORD.search(sentence.masked) and titles:
        return titles[:1]
    kinds = [m for m in KIND_SECTION.finditer(sentence.masked) if m["kind"].casefold() not in NOT_A_KIND]
    kinds += LANDMARK.finditer(sentence.masked)
    return [m["kind"].casefold() for m in sorted(kinds, key=lambda m: m.start())]


def section_order(sentences: list[Sentence], roles: list[QuoteRole]) -> list[str]:
    """The named sections, first mention first, each once."""
    headings = {normalise(quote.text): quote.text for quote in roles if quote.role in ("heading", "title")}
    order: dict[str, str] = {}
    for sentence in sentences:
        titles = [headings[key] for key in map(normalise, quoted_strings(sentence.text)) if key in headings]
        for name in sentence_sections(sentence, titles):
            order.setdefault(normalise(name), name)
    return list(order.values())
