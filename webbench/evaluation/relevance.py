"""Relevance: whether a page is about what its prompt asks, read from words alone (deterministic, no model).

The prompt's *subject words* are its words of three or more letters that say what the page is about rather than
how it looks or is built (``reading/form_words.txt`` lists the second kind). A word the prompt repeats weighs
more (1 + ln count), and a name (a word the prompt capitalises inside a sentence) weighs double. The page shows
a subject word when its visible text, or the alternative text or caption of one of its elements, holds it.
Words are compared case-folded and singular (a trailing "s" dropped); CJK text counts as character pairs.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

from bs4 import BeautifulSoup

from webagent.webbench.evaluation.contracts import ElementEvidence

FORM_WORDS = Path(__file__).parent / "reading" / "form_words.txt"
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
NAME = re.compile(r"(?<=[\w,;:)] )[A-Z][\w'’-]+")  # a capitalised word that does not open a sentence
PART_END = re.compile(r"(?<=[.!?])\s+|\n+")
NAME_WEIGHT = 2.0
# the grade: no more of the prompt's subject than an unrelated page shows by chance → 0; this share or more → 1
CHANCE_SHARE, FULL_SHARE = 0.15, 0.40
PART_WORDS = 3  # a prompt sentence with this many subject words or more is a part whose topic is checked
PARTS_LISTED = 5


@cache
def form_words() -> frozenset[str]:
    """The words that say how a page looks or is built, singular."""
    lines = FORM_WORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(singular(word) for line in lines if not line.startswith("#") for word in line.split())


def singular(word: str) -> str:
    """``word`` without a plural ending: 'stories' → 'story', 'classes' → 'class', 'photos' → 'photo'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The subject words of ``text`` in order: case-folded, singular, without form words; CJK as pairs."""
    text = HEX_COLOUR.sub(" ", unicodedata.normalize("NFKC", text)).casefold()
    found = []
    for match in WORD.finditer(text):
        word = match.group(0)
        if CJK.search(word):
            found += [word[i : i + 2] for i in range(max(1, len(word) - 1))]
        elif len(word) >= 3:
            found.append(singular(word))
    stop = form_words()
    return [word for word in found if word not in stop]


def subject_weights(prompt: str) -> dict[str, float]:
    """Each subject word of the prompt and its weight: 1 + ln(count), doubled for a name."""
    counts = Counter(words(prompt))
    names = set(words(" ".join(NAME.findall(prompt))))
    return {word: (1 + math.log(count)) * (NAME_WEIGHT if word in names else 1.0) for word, count in counts.items()}


def shown_words(visible_text: str, elements: list[ElementEvidence]) -> set[str]:
    """The subject words a reader meets on the page: its visible text and its elements' alt texts and captions."""
    told = []
    for element in elements:
        markup = BeautifulSoup(element.html, "html.parser")
        told += [str(tag.get("alt", "")) for tag in markup.find_all(alt=True)]
        told += [tag.get_text(" ") for tag in markup.find_all("figcaption")]
    return set(words(" ".join([visible_text, *told])))


def subject_share(weights: dict[str, float], shown: set[str]) -> float:
    """The weighted share of the prompt's subject words the page shows (1.0 when the prompt has none)."""
    total = sum(weights.values())
    return sum(w for word, w in weights.items() if word in shown) / total if total else 1.0


def grade(share: float) -> float:
    """The share mapped onto [0, 1]: chance-level (``CHANCE_SHARE``) or less is 0, ``FULL_SHARE`` or more is 1."""
    return min(1.0, max(0.0, (share - CHANCE_SHARE) / (FULL_SHARE - CHANCE_SHARE)))


def off_topic_parts(prompt: str, shown: set[str]) -> list[str]:
    """The prompt's sentences with ``PART_WORDS`` subject words or more of which the page shows none."""
    found = []
    for part in PART_END.split(prompt):
        own = list(dict.fromkeys(words(part)))
        if len(own) >= PART_WORDS and not shown.intersection(own):
            head = " ".join(part.split()[:10])
            found.append(f"“{head}…”: none of {', '.join(own[:4])} is on the page")
    return found


def relevance(prompt: str, visible_text: str, elements: list[ElementEvidence]) -> tuple[float, list[str]]:
    """The page's relevance to its prompt: ``grade`` of the weighted share of the prompt's subject words the page
    shows (module docstring). Missed, when under 1: the share, and the prompt sentences (at most five) none of
    whose subject words the page shows."""
    shown = shown_words(visible_text, elements)
    share = subject_share(subject_weights(prompt), shown)
    if grade(share) == 1.0:
        return 1.0, []
    parts = off_topic_parts(prompt, shown)[:PARTS_LISTED]
    return grade(share), [f"{share:.0%} of the prompt's subject words are on the page", *parts]
