"""Items a prompt lists without quoting them: "a grid of six cards — vaccinations, dentistry, surgery …",
"Services: restoration, new build, lime pointing", "three events (breakfast talks, a review night …)".

Such a list is the section's cards, named in the user's words. A list counts when it follows a
section's label or a noun for things a section holds, has two to twelve short items, and sits in a
sentence that names no chart (a chart's inline data is read by series.py) and holds no quote (quoted
copy is placed by content.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from webagent.planners.offline.content import PlacedItem, SectionCopy
from webagent.planners.offline.sections import Chunk
from webagent.planners.offline.sentences import Prose
from webagent.planners.offline.text import CHART_WORDS, COUNT_WORDS
from webagent.planners.offline.vocabulary import load

MIN_ITEMS = 2
MAX_ITEMS = 12
MAX_ITEM_WORDS = 7
# The page's frame lists what it holds ("Footer: address, opening hours …"), not cards.
_FRAME_ROLES = {"header", "footer"}

_HOLDER_NOUNS = (
    r"cards?|tiles?|boxes|panels|columns|blocks|plans|tiers|steps|services|features|benefits|offerings|events|"
    r"courses|classes|treatments|products|topics|questions|items|categories|reasons|pillars|specs|sessions|workshops|"
    r"tracks|values|perks|dishes|beers|wines|rooms|spaces|programmes|programs|facts|options|"
    r"photos|pictures|images|shots|cartes|tarjetas|servicios|karten|leistungen|angebote|kurse"
)
# "Services: …" opening a section's first sentence; "… cards —", "… events (", "a specs list (" anywhere.
_LABEL_OPENER = re.compile(
    r"^(?:[-–*•·]\s+)?(?:\*\*)?[^\W\d_][\w'’&-]*(?:\s+[\w'’&-]+){0,3}(?:\*\*)?\s*(?::|\s[—–-])\s+"
)
_NOUN_OPENER = re.compile(
    rf"\b(?:{_HOLDER_NOUNS})(?:\s+(?:list|grid|row|side by side|in a row))?\s*(?:(?::|\s[—–-])\s+|\()", re.I
)
_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+|or\s+|&\s+)?|\s+(?:and|&|et|y|und|e|or)\s+", re.I)
_QUALIFIER = re.compile(r"^(?:each|every|all|both|with|plus|including|as well as)\b", re.I)
_LEAD_IN = re.compile(r"\s(?:for|of|with|named|called|titled|like|such as)\s", re.I)
_COUNTED = re.compile(rf"\b(?:{COUNT_WORDS}|\d{{1,2}})\s+[\w-]+", re.I)
_ARTICLE = re.compile(r"^(?:the|a|an|our|le|la|les|el|los|las|der|die|das)\s+", re.I)
# Not an item: a filler word, a quote, a piece that opens a list of its own ("a grid of six cards — …"), a
# description ("on the left", "but static", "about 260px wide", "#0055A4"): the words are prose about looks.
_NOT_AN_ITEM = re.compile(
    r"^(?:etc|and so on|more|others?)$|[“”\"«»„:()—–#/]|\d\s*px\b|\bcolumns?\b|"
    r"^(?:on|in|at|to|from|by|but|with|without|no|not|very|slightly|about|around|roughly|almost|mostly|"
    r"fully|softly|vertically|horizontally|subtly|thin|thick|light|dark|bright|crisp|flat|implied|described)\b",
    re.I,
)
_ONE_PICTURE = re.compile(
    r"\b(?:an?|the|this|its)\s+(?:[\w-]+\s+){0,3}(?:image|illustration|photo|photograph|picture|mock-?up|render|visual)\b(?!s)",
    re.I,
)
_SERIES_POINT = re.compile(r"^[^\d£$€¥]{1,30}\s-?\d[\d.,]*\s*[kKmMbn%]?$")


@dataclass(frozen=True)
class ListedItems:
    """The items of one list, as written (articles dropped, first letter raised), and where the list starts."""

    items: list[str]
    start: int  # offset in the text the list was read from


def listed_items(sentence: str, opens_section: bool) -> ListedItems | None:
    """The list a sentence holds after a holder noun, or after the label of a section it opens; else None."""
    if CHART_WORDS.search(sentence):
        return None
    label = _LABEL_OPENER.match(sentence) if opens_section else None
    # The opener nearest the list wins: "Services: a grid of six cards — vaccinations, …".
    for opener in [*reversed(list(_NOUN_OPENER.finditer(sentence))), *[label] * bool(label)]:
        if _ONE_PICTURE.search(sentence, 0, opener.start()):
            return None  # "the image shows a flat-lay of branded items: a box, a tin …": one picture's contents
        closing = ")" if opener.group(0).rstrip().endswith("(") else ""
        rest = sentence[opener.end() :]
        end = rest.find(closing) if closing else len(re.split(r"(?<=[^\s])\.(?:\s|$)|;", rest, maxsplit=1)[0])
        items = _items(rest[: end if end >= 0 else len(rest)])
        if items:
            return ListedItems(items, opener.end())
    return None


def _items(text: str) -> list[str]:
    """Two to twelve short items, or none: one long or odd piece means the words are prose, not a list."""
    pieces = [p.strip(" .:;—–-") for p in _SEPARATOR.split(text.strip())]
    pieces = [p for p in pieces if p]
    tail = next((k for k, p in enumerate(pieces) if k and _QUALIFIER.match(p)), len(pieces))
    pieces = pieces[:tail]  # "…, each with hours per week": what every item has, not an item
    if pieces and len(pieces[0].split()) > 3:
        pieces[0] = _LEAD_IN.split(pieces[0])[-1]  # "three columns side by side for Beginner" → "Beginner"
    if pieces and _COUNTED.search(pieces[0]):
        pieces = pieces[1:]  # "a photo of each of our three groomers, Maya, Joel and Sinead": the names are the items
    if not MIN_ITEMS <= len(pieces) <= MAX_ITEMS:
        return []
    if any(len(p.split()) > MAX_ITEM_WORDS or _NOT_AN_ITEM.search(p) for p in pieces):
        return []
    if 2 * sum(bool(_SERIES_POINT.match(p)) for p in pieces) >= len(pieces):
        return []  # "Mon 35, Tue 42 …": a chart's data (series.py), not cards
    colours = _colour_names()
    if 2 * sum(p.lower().split()[-1] in colours for p in pieces) >= len(pieces):
        return []  # "modules of acid green, electric blue and white": a palette, not cards
    return [_as_title(p) for p in pieces]


@cache
def _colour_names() -> frozenset[str]:
    return frozenset(name.split()[-1] for name in load("colour_names.json")["names"])


def _as_title(piece: str) -> str:
    text = _ARTICLE.sub("", piece)
    return text[:1].upper() + text[1:]


def add_listed_cards(prose: Prose, chunk: Chunk, copy: SectionCopy) -> None:
    """A section without cards of quoted copy gets one card per item of the first list its sentences hold."""
    if chunk.role in _FRAME_ROLES or any(item.group for item in copy.items):
        return
    for k, sentence in enumerate(chunk.sentences):
        # The prompt's first line names the page ("Brief — Fenwick Garden, Toronto"), not a section's cards.
        listed = listed_items(sentence.text, opens_section=k == 0 and chunk.named and sentence.start > 0)
        if listed is None:
            continue
        start = sentence.start + listed.start
        copy.items += [
            PlacedItem(text=text, role="subheading", start=start + n, sentence=k, group=n + 1)
            for n, text in enumerate(listed.items)
        ]
        return
