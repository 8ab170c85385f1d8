"""Copy placement: every quoted string goes into the section that mentions it.

Roles from quotes.py are settled against the section they land in (nav outside the header
becomes a link, a long body line in a testimonials block is the quotation), fragments of a
longer quoted string nearby are dropped (they are already visible), and items that belong to
one card, step, plan or testimonial share a group number.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

from webagent.core.contracts import ContentItem
from webagent.planners.offline.quotes import QuotedText
from webagent.planners.offline.sections import Chunk
from webagent.planners.offline.sentences import Prose
from webagent.planners.offline.text import COUNT_WORDS, count_of
from webagent.planners.offline.vocabulary import load

_CARD_SECTIONS = {
    "features",
    "steps",
    "pricing",
    "testimonials",
    "speakers",
    "team",
    "gallery",
    "schedule",
    "stats",
    "courses",
    "articles",
    "faq",
    "partners",
    "chart",
}
_CARD_NOUNS = (
    r"(?:cards?|steps?|plans?|tiers?|columns?|panels?|tiles?|testimonials?|quotes?|items?|box(?:es)?|blocks?|"
    r"reasons?|features?|sessions?|stats?|metrics?|rows?|modules?|speakers?|projects?|courses?|entry|entries|questions?|"
    r"pass(?:es)?|options?|lessons?|pillars?|tracks?|workshops?|events?|reviews?|members?|profiles?|"
    r"dishes|drinks?|products?|services?|cartes?|formules?|tarjetas?|planes|karten|kurse)"
)
_NEW_CARD = re.compile(
    r"^(?:the |a |an |and |then |for |on |in |at )?(?:very )?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|1st|2nd|3rd|4th|5th|last|final|next|another|other)"
    r"\b[\w\s,-]{0,30}?\b" + _CARD_NOUNS + r"\b"
    r"|^(?:the |a |an |and |then |for |on |in |at )?(?:left(?:most)?|middle|center|centre|central|right(?:most)?|top[- ]left|top[- ]right|"
    r"bottom[- ]left|bottom[- ]right|upper|lower)\s+(?:[\w-]+\s+){0,2}?(?:cards?|plans?|tiers?|tiles?|testimonials?|box(?:es)?|"
    r"pass(?:es)?|options?|profiles?)\b"
    r"|^(?:the |a )?(?:first|second|third|fourth|fifth|sixth|last|final)(?:\s+one)?\s*(?:[:,]|reads|says|is|shows|features|lists)?\s*(?:[:,]\s*)?$"
    r"|^step (?:one|two|three|four|five|six|\d)\b|^(?:day|week|phase|stage|chapter|track|module|level) (?:\d|one|two|three|four)\b"
    r"|^(?:card|step|tier|plan|option|item|panel|tile|column) (?:\d|one|two|three|four|[a-d]\b)",
    re.I,
)
_END_CARDS = re.compile(
    r"^(?:directly |just )?(?:under|below|beneath|after|underneath) (?:these|the|all|this row of|the row of) (?:\w+ ){0,2}?"
    r"(?:cards|plans|steps|columns|tiles|testimonials|boxes|panels|tiers|items)\b"
    r"|^(?:on|to|in) the (?:far )?(?:right|left)(?: side| half| column| part)?(?: of (?:this|the) section)?,(?![^,]{0,60}\b(?:card|tile|plan|tier|box)s?\b)",
    re.I,
)
# "three cards: “A”, “B”, “C”" / "two plans: “Starter” at “$9”, “Pro” at “$29”" / "trois cartes : « … »".
_COUNTED_LIST = re.compile(
    r"(?<![\w-])(?P<count>[2-9]|1[0-2]|"
    + COUNT_WORDS
    + r")\s+(?:[\w-]+\s+){0,2}?(?!columns?\b|rows?\b)"
    + _CARD_NOUNS
    + r"(?:\s+(?:named|called|titled|reading|labell?ed))?\s*[:—–-]?\s*$",
    re.I,
)
_WEAK_ROLES = {"", "label", "link", "nav", "list_item", "tag", "caption", "subheading", "heading", "body", "eyebrow"}
_ACTIVE = re.compile(r"\b(?:active|current(?:ly)?|selected|highlighted|underlined|bold(?:ed)?|emphasi[sz]ed)\b", re.I)
_PRIMARY = re.compile(r"\b(?:primary|main|solid|filled|prominent|large|bold|big|hero)\b", re.I)
_SECONDARY = re.compile(
    r"\b(?:secondary|ghost|outline[d]?|text-only|minimal|transparent|hollow|subtle|understated)\b", re.I
)
_FEATURED = re.compile(
    r"\b(?:most popular|emphasi[sz]ed|highlighted|featured|recommended|best value|visually emphasized|stands out)\b",
    re.I,
)


def normalise(text: str) -> str:
    """Lower-case, accents kept, quotes/dashes unified, whitespace collapsed, end punctuation off."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"[‐‑‒–—―]", "-", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" .,;:!?\"'…")


@dataclass
class PlacedItem:
    text: str
    role: str
    start: int
    sentence: int  # index of the sentence within its section
    group: int = 0
    emphasis: bool = False
    name_of_part: bool = False
    cue: str = ""


@dataclass
class SectionCopy:
    items: list[PlacedItem] = field(default_factory=list)
    title: str = ""

    def content(self) -> list[ContentItem]:
        return [ContentItem(text=i.text, role=i.role, emphasis=i.emphasis, group=i.group) for i in self.items]


def place_copy(prose: Prose, chunks: list[Chunk], quotes: list[QuotedText], title: str) -> list[SectionCopy]:
    """The copy of each section, in section order."""
    copies = [SectionCopy() for _ in chunks]
    if not chunks:
        return copies
    starts = [c.start for c in chunks]
    sentence_starts = [[s.start for s in c.sentences] for c in chunks]
    preamble: list[QuotedText] = []
    buckets: list[list[QuotedText]] = [[] for _ in chunks]
    seen_texts: set[str] = set()
    for quote in quotes:
        if quote.start < chunks[0].start:
            preamble.append(quote)
            continue
        if quote.start > chunks[-1].end and normalise(quote.text) in seen_texts:
            continue  # a closing remark naming copy that is already on the page
        seen_texts.add(normalise(quote.text))
        buckets[_index_at(starts, quote.start)].append(quote)

    fonts = set(load("fonts.json")["families"])
    colophon = [q for q in preamble if q.text in fonts]
    preamble = [q for q in preamble if q.text not in fonts and normalise(q.text) != normalise(title)]
    for bucket in buckets:
        colophon.extend(q for q in bucket if q.text in fonts)
        bucket[:] = [q for q in bucket if q.text not in fonts]

    for index, (chunk, bucket) in enumerate(zip(chunks, buckets)):
        items = [
            PlacedItem(
                q.text,
                q.role,
                q.start,
                _index_at(sentence_starts[index], q.start),
                name_of_part=q.name_of_part,
                cue=q.cue_before,
            )
            for q in bucket
        ]
        _settle_roles(chunk.role, items)
        copies[index].items = items

    hero = hero_index(chunks)
    hero_items = copies[hero].items
    first_heading = next((k for k, i in enumerate(hero_items) if i.role == "heading"), None)
    if first_heading:
        for item in hero_items[:first_heading]:
            if item.role in {"label", "tag", "caption"} and len(item.text.split()) <= 10:
                item.role = "eyebrow"
                break
    has_eyebrow = any(i.role == "eyebrow" for i in hero_items)
    lead = [
        PlacedItem(
            q.text,
            "eyebrow" if i == 0 and not has_eyebrow else ("subheading" if len(q.text.split()) > 6 else "tag"),
            q.start,
            0,
            cue=q.cue_before,
        )
        for i, q in enumerate(preamble)
    ]
    hero_items[:0] = lead

    for index, chunk in enumerate(chunks):
        _assign_groups(prose, chunk, copies[index].items)
    _drop_fragments(copies)
    for index, chunk in enumerate(chunks):
        _mark_emphasis(prose, chunk, copies[index].items)
        _one_heading(chunk.role, copies[index].items)
    if colophon:
        footer = copies[-1] if chunks[-1].role == "footer" else copies[-1]
        footer.items.append(
            PlacedItem("Set in " + " / ".join(dict.fromkeys(q.text for q in colophon)), "caption", 10**12, 10**6)
        )
    _ensure_title(chunks, copies, title, hero)
    for index in range(len(chunks)):
        copies[index].title = _title_of(copies[index].items)
    return copies


def _index_at(starts: list[int], position: int) -> int:
    """Which of the runs starting at `starts` holds `position` (the first one when before them all)."""
    return max(0, bisect.bisect_right(starts, position) - 1)


def hero_index(chunks: list[Chunk]) -> int:
    """The hero section: the one classified so, else the first that is not header or sidebar."""
    for i, chunk in enumerate(chunks):
        if chunk.role == "hero":
            return i
    for i, chunk in enumerate(chunks):
        if chunk.role not in {"header", "sidebar"}:
            return i
    return 0


def _settle_roles(section_role: str, items: list[PlacedItem]) -> None:
    seen_nav = False
    for i, item in enumerate(items):
        if section_role == "header":
            if (
                item.role == "link"
                and len(item.text) <= 30
                and not re.search(r"\b(?:log ?in|sign ?in|sign ?up|register|account|cart|my )", item.text, re.I)
            ):
                item.role = "nav"
            if item.role == "nav":
                seen_nav = True
            elif (
                i == 0
                and not seen_nav
                and item.role in {"tag", "label", "heading", "subheading", "eyebrow", "body"}
                and len(item.text) <= 40
            ):
                item.role = "logo"
            elif (
                item.role in {"heading", "subheading"}
                and len(item.text) <= 40
                and not any(x.role == "logo" for x in items[:i])
            ):
                item.role = "logo"
        elif section_role == "sidebar":
            if item.role in {"link", "label"} and len(item.text) <= 30:
                item.role = "nav"
        else:
            if item.role == "nav":
                item.role = "link"
            if item.role == "logo" and section_role != "footer":
                item.role = "label"
        if section_role == "footer" and item.role == "heading":
            item.role = "label"
        if (
            section_role == "testimonials"
            and item.role in {"body", "subheading", "caption"}
            and len(item.text.split()) >= 7
        ):
            item.role = "quote"


def _assign_groups(prose: Prose, chunk: Chunk, items: list[PlacedItem]) -> None:
    """Card numbers from cue sentences ("The second card …"), else from counted lists."""
    _group_by_cues(prose, chunk, items)
    if not any(item.group for item in items):
        _group_counted_lists(items)


def _group_counted_lists(items: list[PlacedItem]) -> None:
    """'three cards: “A”, “B”, “C”': the quotes that follow the count, in its sentence, are the cards.

    When the list holds a multiple of the count, each card takes that many in turn (a name and
    a price); the first of each card is its title and weak roles after it become body copy.
    """
    for k, item in enumerate(items):
        m = _COUNTED_LIST.search(item.cue) if item.group == 0 else None
        if not m:
            continue
        run = [item]
        for member in items[k + 1 :]:
            if member.sentence != item.sentence or _COUNTED_LIST.search(member.cue):
                break
            run.append(member)
        count = count_of(m.group("count"))
        if count < 2 or len(run) % count:
            continue
        per_card = len(run) // count
        first_group = group_next(items, 0)
        for position, member in enumerate(run):
            member.group = first_group + position // per_card
            if member.role in _WEAK_ROLES:
                member.role = "subheading" if position % per_card == 0 else "body"


def _group_by_cues(prose: Prose, chunk: Chunk, items: list[PlacedItem]) -> None:
    text = prose.text[chunk.start : min(chunk.end, chunk.start + 20000)]
    cardish = chunk.role in _CARD_SECTIONS or re.search(
        r"\b(?:cards?|tiles?|steps?|plans?|tiers?|columns|boxes|testimonials|panels)\b", text, re.I
    )
    if not cardish or len(items) < 3:
        return
    group = 0
    has: set[str] = set()
    pending_new = False
    last_sentence = -1
    for item in items:
        first_in_sentence = item.sentence != last_sentence
        if first_in_sentence:
            # Sentences between two items can open or close a card too ("On the right, …").
            for k in range(last_sentence + 1, item.sentence):
                between = chunk.sentences[k]
                opening = prose.without_quotes(between.start, min(between.end, between.start + 240)).strip()
                if _END_CARDS.match(opening):
                    group, has, pending_new = 0, set(), False
                elif _NEW_CARD.match(opening) and group:
                    pending_new = True
        last_sentence = item.sentence
        sentence = chunk.sentences[item.sentence]
        opening = prose.without_quotes(sentence.start, min(item.start, sentence.start + 240)).strip()
        if first_in_sentence and _END_CARDS.match(opening):
            group, has, pending_new = 0, set(), False
        elif (first_in_sentence and _NEW_CARD.match(opening)) or pending_new:
            group, has, pending_new = group_next(items, group), set(), False
        elif item.role == "quote" and "quote" in has:
            group, has = group_next(items, group), set()
        elif item.role == "price" and "price" in has:
            group, has = group_next(items, group), set()
        elif (
            item.role == "subheading"
            and re.search(r"\b(?:card|tile|step|plan|tier|panel)\b", item.cue[-60:], re.I)
            and group
            and ("subheading" in has or "body" in has)
        ):
            group, has = group_next(items, group), set()
        item.group = group
        if group:
            has.add(item.role)
    used = sorted({i.group for i in items if i.group})
    if len(used) == 1 and sum(1 for i in items if i.group) <= 1:
        for item in items:
            item.group = 0
    if not used:
        _group_title_description_pairs(prose, items)


_PAIR_GAP = re.compile(r"^[\s“”\"]*[—–:-][\s“”\"]*$")


def _group_title_description_pairs(prose: Prose, items: list[PlacedItem]) -> None:
    """Cards written as a list of pairs: “48-Hour Dough” — “Long, cold fermentation…”; “Local Flour” — …

    Each short title joined to the next string by a dash or colon becomes a card of its own.
    """
    pairs = []
    for title, description in zip(items, items[1:]):
        title_end = prose.text.find(title.text, title.start, description.start) + len(title.text)
        gap = prose.text[title_end : description.start]
        if len(title.text.split()) <= 6 and len(gap) <= 8 and _PAIR_GAP.match(gap):
            pairs.append((title, description))
    if len(pairs) < 2 or len({id(item) for pair in pairs for item in pair}) < 2 * len(pairs):
        return
    for number, (title, description) in enumerate(pairs, start=1):
        title.group, title.role = number, "heading"
        description.group = number
        if description.role not in ("quote", "price"):
            description.role = "body"


def group_next(items: list[PlacedItem], current: int) -> int:
    return max([current] + [i.group for i in items]) + 1


def _drop_fragments(copies: list[SectionCopy]) -> None:
    """Drop a quote that is part of a longer quote in its own or a neighbouring section."""
    normals = [[normalise(i.text) for i in c.items] for c in copies]
    snapshot = [list(c.items) for c in copies]
    for index, copy in enumerate(copies):
        keep: list[PlacedItem] = []
        for k, item in enumerate(copy.items):
            mine = normals[index][k]
            if not mine:
                keep.append(item)
                continue
            dropped = False
            for other_index in (index, index - 1, index + 1):
                if not 0 <= other_index < len(copies):
                    continue
                window = normals[other_index]
                if other_index == index:
                    lo, hi = max(0, k - 60), k + 60
                elif other_index < index:
                    lo, hi = max(0, len(window) - 60), len(window)
                else:
                    lo, hi = 0, 60
                for j in range(lo, min(hi, len(window))):
                    if other_index == index and j == k:
                        continue
                    other = window[j]
                    other_item = snapshot[other_index][j]
                    if (
                        len(other) > len(mine)
                        and 0 < item.start - other_item.start < 700
                        and _contains(other, mine)
                        and item.role not in _NEVER_FRAGMENT
                        and len(mine.split()) <= 6
                        and (
                            item.role in {"label", "tag", "caption", "body", "eyebrow"}
                            or _REFERS_BACK.search(item.cue[-60:])
                        )
                    ):
                        dropped = True
                        break
                    if other == mine and other_index == index and j < k and other_item.group == item.group:
                        if _ACTIVE.search(item.cue[-50:]):
                            other_item.emphasis = True
                        dropped = True
                        break
                if dropped:
                    break
            if not dropped:
                keep.append(item)
        copy.items = keep


_REFERS_BACK = re.compile(
    r"\b(?:word|words|line|lines|phrase|letters|term|part|portion|active|highlighted|emphasi\w+|colou?red|name)\b", re.I
)
_NEVER_FRAGMENT = {"logo", "nav", "button", "link", "price", "stat", "placeholder", "legal", "heading"}


def _contains(longer: str, shorter: str) -> bool:
    i = longer.find(shorter)
    while i >= 0:
        before = longer[i - 1] if i > 0 else " "
        after = longer[i + len(shorter)] if i + len(shorter) < len(longer) else " "
        if not before.isalnum() and not after.isalnum():
            return True
        i = longer.find(shorter, i + 1)
    return False


def _mark_emphasis(prose: Prose, chunk: Chunk, items: list[PlacedItem]) -> None:
    for item in items:
        if item.role == "nav" and _ACTIVE.search(item.cue[-60:]):
            item.emphasis = True
    buttons = [i for i in items if i.role == "button"]
    for button in buttons:
        cue = button.cue[-80:]
        if _PRIMARY.search(cue) and not _SECONDARY.search(cue[-40:]):
            button.emphasis = True
    if buttons and not any(b.emphasis for b in buttons):
        buttons[0].emphasis = True
    featured_groups = set()
    for item in items:
        sentence_start = chunk.sentences[item.sentence].start
        if item.group and _FEATURED.search(prose.text[max(sentence_start, item.start - 300) : item.start]):
            featured_groups.add(item.group)
    if chunk.role == "pricing":
        for item in items:
            if item.group in featured_groups and item.role in {"subheading", "price", "button", "heading"}:
                item.emphasis = True


def _one_heading(section_role: str, items: list[PlacedItem]) -> None:
    """One main heading per section; card titles and later headings become subheadings."""
    seen = False
    for item in items:
        if item.role != "heading":
            continue
        if item.group or seen:
            item.role = "subheading"
        seen = True
    if not seen and section_role not in {"header", "footer", "sidebar"}:
        named = next((i for i in items if i.name_of_part and i.group == 0), None)
        if named is None:
            named = next(
                (i for i in items[:2] if i.role == "subheading" and i.group == 0 and len(i.text.split()) <= 10), None
            )
        if named:
            named.role = "heading"
    else:
        for item in items:
            if item.name_of_part and item.role not in {"heading", "subheading"}:
                item.role = "eyebrow"
                break


def _ensure_title(chunks: list[Chunk], copies: list[SectionCopy], title: str, hero: int) -> None:
    """The page title is always visible: the header's logo, else the hero's heading."""
    if not title:
        return
    wanted = normalise(title)
    if any(wanted and _contains(normalise(i.text), wanted) for c in copies for i in c.items):
        return
    if chunks[0].role == "header" and not any(i.role == "logo" for i in copies[0].items):
        copies[0].items.insert(0, PlacedItem(title, "logo", chunks[0].start, 0))
        return
    hero_items = copies[hero].items
    role = "heading" if not any(i.role == "heading" for i in hero_items) else "eyebrow"
    hero_items.insert(0, PlacedItem(title, role, chunks[hero].start, 0))


def _title_of(items: list[PlacedItem]) -> str:
    for item in items:
        if item.role == "heading" and item.group == 0:
            return item.text
    for item in items:
        if item.role == "heading":
            return item.text
    return ""
