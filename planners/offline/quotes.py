"""Quoted strings: the exact copy the prompt wants on the page, and the role each one plays.

The role comes from the words just before a quote ("a solid red button containing white text
“JOIN NOW”" → button), the word just after it ("a “LOG IN” link" → link), the list it belongs
to ("links: “ABOUT”, “HOW IT WORKS”" → all nav), and the shape of the text itself
("$19 / month" → price, "— LINA R., BERLIN" → attribution, "© 2025 …" → legal).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from webagent.planners.offline.sentences import Prose, Quote

# (pattern, role, strength). Stronger cues beat nearer weaker ones in the words before a quote.
_CUES: list[tuple[str, str, int]] = [
    (r"©|copyright|all rights reserved|legal line|fine print", "legal", 5),
    (
        r"placeholder|input field|input|text field|search (?:bar|box|field)|email field|form field|text box|field",
        "placeholder",
        5,
    ),
    (r"logo(?:type)?|wordmark|brand ?name|brand mark|logo text|monogram", "logo", 4),
    (r"nav(?:igation)?(?: bar| menu| links?| items?| tabs?)?|menu(?: items?)?|top links|tabs", "nav", 4),
    (r"buttons?|cta|call[- ]to[- ]action|btn|boutons?|bot[óo]n(?:es)?|schaltfläche", "button", 4),
    (r"(?:text |inline |arrow |secondary )?links?|anchor", "link", 3),
    (r"testimonials?|quotations?|quotes?|reviews?|pull[- ]quote|blockquote", "quote", 3),
    (r"attributed to|attribution|signed|byline|credited|name (?:and|with) (?:title|role)", "attribution", 4),
    (
        r"sub-?head(?:ing|line)?s?|sub-?titles?|taglines?|straplines?|sub-?text|dek|standfirst|lede|supporting line|intro line|slogan",
        "subheading",
        4,
    ),
    (r"eyebrow|kicker|overline|pre-?title|super-?title|micro-?label", "eyebrow", 4),
    (
        r"head(?:ing|line)s?|titles?|titled|section title|headed|heading reads|titres?|t[íi]tulos?|titel|überschrift",
        "heading",
        3,
    ),
    (
        r"(?:card|tile|panel|box|plan|tier|step|column)(?:\s+[\w-]+){0,2}\s+(?:is|reads|titled|named|called|labell?ed|headed)|"
        r"(?:first|second|third|fourth|fifth|next|last|final|leftmost|rightmost|middle|left|right|top|bottom|center|centre)"
        r"(?:[- ](?:left|right|tall|wide|small|large))?(?: [\w-]+)? (?:card|step|tile|plan|tier|panel|box)(?: is|,)?|card titles?",
        "subheading",
        4,
    ),
    (r"tags?|pills?|chips?|badges?|capsules?|stickers?|stamps?|labels? tag|hashtags?", "tag", 3),
    (
        r"captions?|captioned|footnotes?|notes?|microcopy|micro-?line|small print|disclaimer|hints?|helper text|reassurance(?: line)?|fine text|tooltip",
        "caption",
        3,
    ),
    (r"prices?|priced|costs?|fee", "price", 3),
    (r"stats?|kpis?|metrics?|counters?|figures?|values?|numbers?|percentages?|readouts?|score", "stat", 2),
    (
        r"features|bullets?(?: points?)?|list(?:ed|s)?|items|includes|included|perks|benefits|checklist|lines? (?:read|say)",
        "list_item",
        2,
    ),
    (
        r"body(?: text| copy)?|paragraphs?|descriptions?|bios?|blurbs?|copy|summary|intro(?:duction)?|explanation|text reads|statement",
        "body",
        2,
    ),
    (r"labels?|labell?ed|legend|axis|axes", "label", 1),
]
_CUE_RES = [
    (re.compile(r"(?<![\w-])(?:" + pattern + r")(?![\w-])", re.I), role, strength) for pattern, role, strength in _CUES
]
_AFTER_RES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^\W{0,3}\s*(?:text\s+)?(?:links?|anchors?)\b", re.I), "link"),
    (re.compile(r"^\W{0,3}\s*(?:buttons?|cta)\b", re.I), "button"),
    (re.compile(r"^\W{0,3}\s*(?:tags?|pills?|chips?|badges?|stickers?)\b", re.I), "tag"),
    (re.compile(r"^\W{0,3}\s*(?:labels?)\b", re.I), "label"),
    (re.compile(r"^\W{0,3}\s*(?:tabs?|menu items?|nav(?:igation)? items?)\b", re.I), "nav"),
    (re.compile(r"^\W{0,3}\s*(?:heading|headline|title)\b", re.I), "heading"),
    (re.compile(r"^\W{0,3}\s*(?:logo|wordmark)\b", re.I), "logo"),
    (
        re.compile(
            r"^\W{0,3}\s*(?:[\w&-]+\s+){0,3}?(?:section|area|band|block|strip|showcase|module|panel|page|segment|zone|table|widget)\b",
            re.I,
        ),
        "name",
    ),
]
_NAMES_A_PART = re.compile(
    r"\b(?:section|area|band|block|strip|showcase|module|segment|panel)\s+(?:\w+\s+){0,2}?(?:emphasi[sz]ing|titled|called|named|"
    r"labell?ed|about|introducing|highlighting|featuring|dedicated to|headed)\s*:?\s*$",
    re.I,
)
_LIST_GAP = re.compile(r"^[\s,;/&·|—–-]*(?:and|or|then|plus|&)?[\s,;:]*$", re.I)
_PRICE = re.compile(
    r"^(?:from\s+)?[$€£¥₹]\s?\d[\d,.]*(?:\s*(?:/|per)\s*\w+)?(?:\s*\w{1,4})?$|^\d[\d,.]*\s?(?:USD|EUR|GBP|CHF|€|\$)(?:\s*(?:/|per)\s*\w+)?$",
    re.I,
)
_STAT = re.compile(
    r"^[+\-−~≈<>]?\s?[$€£]?\d[\d,.:]*\s?(?:%|x|k|m|bn|b|kwh|ms|h|hrs|min|mins|s|pts|/\s?\d[\d,.]*|[a-z]{0,3})?\s*(?:/\s*\d[\d,.]*)?\s*[%+]?$",
    re.I,
)
_SENTENCEISH = re.compile(r"[.!?]\s+[A-Z]|[.!?]$")


@dataclass
class QuotedText:
    """A quoted string of the prompt with its inferred content role."""

    text: str
    role: str
    start: int
    end: int
    cue_before: str  # the words before it in its sentence, quotes blanked
    after: str  # the few words after it
    name_of_part: bool = False  # "the “How It Works” area": names a section/card rather than copy
    doubled: bool = False


def clean_quote(text: str) -> str:
    """Verbatim text, minus surrounding spaces and one trailing comma."""
    text = text.strip()
    if text.endswith(",") and not text.endswith(",,"):
        text = text[:-1].rstrip()
    return text


def read_quotes(prose: Prose) -> list[QuotedText]:
    """Every quoted string with a role, in prompt order."""
    found: list[QuotedText] = []
    sentence_starts = [s.start for s in prose.sentences]
    import bisect

    previous: QuotedText | None = None
    previous_cue_role = ""
    for quote in prose.quotes:
        text = clean_quote(quote.text)
        if not text or not re.search(r"\w|[→←↑↓•·★☆✓✔✕×+\-–—&%$€£©]", text):
            continue
        i = bisect.bisect_right(sentence_starts, quote.start) - 1
        sentence_start = prose.sentences[i].start if i >= 0 else 0
        window_start = max(sentence_start, quote.start - 140)
        if previous and previous.end > window_start:
            window_start = previous.end
        before = prose.without_quotes(window_start, quote.start)
        after = prose.text[quote.end : quote.end + 40]
        if re.search(r"[.!?]\s*$", quote.text):
            after = ""
        else:
            stop = re.search(r"[.;!?]", after)
            after = after[: stop.start()] if stop else after
        role, strength = _role_from_words(before)
        after_role = next((r for regex, r in _AFTER_RES if regex.search(after)), None)
        name_of_part = after_role == "name" or bool(_NAMES_A_PART.search(before[-70:]))
        if after_role and after_role != "name" and strength < 4:
            role, strength = after_role, 4
        gap = prose.text[previous.end : quote.start] if previous else "x"
        if previous and strength < 3 and _LIST_GAP.match(gap) and previous_cue_role not in {"heading", "logo", ""}:
            role = previous_cue_role
        elif (
            previous
            and not role
            and len(gap) <= 45
            and not re.search(r"[.;:!?]", gap)
            and previous_cue_role in {"list_item", "tag", "nav", "link", "label", "button", "caption"}
        ):
            role = previous_cue_role
        cue_role = role
        role = _role_from_shape(text, role, before, quote)
        item = QuotedText(text, role, quote.start, quote.end, before, after, name_of_part, quote.doubled)
        found.append(item)
        previous = item
        previous_cue_role = cue_role
    return found


_LOCATIVE = re.compile(
    r"\b(?:below|beneath|under|underneath|above|after|next to|beside|besides|near|before|from|than|between|around|behind|over)"
    r"\s+(?:the|these|this|those|its|their|each|a|an)?\s*(?:[\w-]+\s+){0,2}?[\w-]+(?=[,\s])",
    re.I,
)
_NOT_A_CUE_AFTER = re.compile(r"^\s*(?:icons?|shapes?|glyphs?|symbols?|styles?|-shaped|outlines?)\b", re.I)


def _role_from_words(before: str) -> tuple[str, int]:
    """The best cue in the words before a quote: strongest first, nearest breaks ties."""
    before = _LOCATIVE.sub(lambda m: " " * len(m.group(0)), before)
    best: tuple[int, int, str] | None = None
    for regex, role, strength in _CUE_RES:
        for m in regex.finditer(before):
            if _NOT_A_CUE_AFTER.match(before[m.end() : m.end() + 12]):
                continue
            distance = len(before) - m.end()
            if distance > 110:
                continue
            effective = strength - (1 if distance > 60 else 0)
            key = (effective, -distance, role)
            if best is None or key[:2] > best[:2]:
                best = key
    if best is None:
        return "", 0
    return best[2], best[0]


def _role_from_shape(text: str, role: str, before: str, quote: Quote) -> str:
    """Text shape overrides or settles the role: prices, stats, attributions, legal lines."""
    stripped = text.strip()
    words = len(stripped.split())
    if stripped.startswith("©") or re.search(r"\ball rights reserved\b", stripped, re.I):
        return "legal"
    if re.match(r"^[—–-]{1,2}\s*\S", stripped) and words <= 10:
        return "attribution"
    if quote.doubled and words >= 4:
        return "quote"
    if role == "placeholder" or re.match(r"^[\w.+-]+@[\w-]+\.\w+$", stripped):
        return "placeholder" if role in {"placeholder", ""} or "@" in stripped else role
    if _PRICE.match(stripped):
        return "price"
    if _STAT.match(stripped) and any(c.isdigit() for c in stripped) and role not in {"button", "nav", "link", "tag"}:
        return "stat"
    if role == "stat" and not any(c.isdigit() for c in stripped):
        return "label"
    if role in {"button", "nav", "link", "tag", "logo"} and words > 9:
        return "body" if words > 14 else "caption"
    if role in {"heading", "eyebrow", "label"} and words > 22:
        return "body"
    if role == "body" and words <= 3:
        return "label"
    if role == "quote" and words < 4:
        return "label"
    if not role:
        if words >= 14 or (_SENTENCEISH.search(stripped) and words >= 8):
            return "body"
        if words <= 4:
            return "label"
        return "subheading" if words <= 10 else "body"
    return role
