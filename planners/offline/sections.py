"""Sections: cut the prompt's sentences into page sections, in the order the prompt tells them.

Boundaries come from paragraphs and from the sentence cues long one-paragraph prompts use
("At the very top…", "Below the hero…", "The next section…", "The footer…"); on dashboards,
region cues ("The left column of the dashboard…", "At the bottom right…") cut panels apart.
A paragraph written as a list of sections ("Hero with …. Pricing: …. A short looping video of
….", or one such line per section) is cut at every sentence that names a section (leads.py).
Each cut is then given a role by keyword scores, and tiny fragments are merged.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from webagent.planners.offline.leads import Lead, find_lead, find_paragraph_label, listed_lead, role_of_name
from webagent.planners.offline.sentences import Prose, Sentence
from webagent.planners.offline.text import MEDIA_WORDS, words_pattern
from webagent.planners.offline.vocabulary import load

log = logging.getLogger(__name__)

# Prose merges into a readable page of this many sections (more for a longer prompt, see _merge).
_FEWEST_SECTIONS, _MOST_PROSE_SECTIONS = 7, 12
# A prompt that names its sections keeps every one of them, up to this many; past it they merge.
MAX_NAMED_SECTIONS = 40
# A line of up to ten words with no full stop: a title, when it opens the prompt.
_TITLE_LINE = re.compile(r"^(?:[^\s.!?]+\s+){0,9}[^\s.!?]+$")
MIN_NAME_CHARS = 4  # a listed section's name shorter than this is not looked for again ("FAQ" may be any word)

_SECTION_NOUN = (
    r"(?:hero|header(?: bar)?|nav(?:igation)? bar|navbar|top bar|nav\w*|banner|section|band|intro\w*|fold|divider|gallery|testimonials?|pricing|schedule|"
    r"footer|features?|showcase|timeline|speakers?|faq|strip|module|masthead|panel row|area|segment|"
    r"block of (?:cards|plans|steps)|tracks? section)"
)
_ELEMENT_AFTER = r"(?!\s+(?:text|row|list|grid|item|items|name|names|card|cards|headline|title|image|illustration|copy|content|buttons?|cta|heading|label|video|stats|column|grid|tagline|subheading|links?|logo|visual|photo|bar))"

_TOP = re.compile(
    r"^(?:at|along|across) the (?:very )?top (?:edge )?of the (?:page|screen|viewport|site|homepage|website|layout|dashboard)"
    r"|^(?:at|along|across) the very top\b|^the (?:very )?top of the page",
    re.I,
)
_TOP_BARE = re.compile(r"^at the top(?:,| of the page| sits| is| there)", re.I)
_NAV_WORDS = re.compile(
    r"\b(?:header|nav\w*|menu|logo|top bar|title bar|brand|wordmark|title|masthead|strip|bar)\b", re.I
)
_FOOTER_SUBJECT = re.compile(
    r"^(?:(?:at|along|in|across|toward|towards|near) the (?:very )?(?:bottom|foot|end)(?: of the (?:page|site|layout))?,?\s+|finally,?\s+|lastly,?\s+)"
    r"(?:the |a |an )?(?:[\w-]+,? ){0,3}?footer\b",
    re.I,
)
_LEADING_STOP = {
    "below",
    "beneath",
    "under",
    "underneath",
    "above",
    "after",
    "in",
    "on",
    "to",
    "of",
    "with",
    "for",
    "and",
    "its",
    "their",
    "this",
    "that",
    "these",
    "side",
    "column",
    "card",
    "panel",
    "table",
    "row",
    "section",
    "chart",
    "modal",
    "has",
    "have",
    "is",
    "are",
    "sub",
    "each",
    "every",
    "right",
    "left",
    "inside",
    "within",
    "into",
    "near",
    "beside",
    "behind",
    "from",
    "at",
    "by",
    "directly",
    "just",
    "immediately",
    "same",
    "cell",
}
# A line of a bulleted or numbered list: "- Hero image of …", "• Specs list", "2) Pricing".
_BULLET = re.compile(r"^\s*(?:[-•*–]|\d{1,2}[.)])\s+")
_HEADER_START = re.compile(
    r"^(?:the |a |an )?((?:[\w-]+,? ){0,4}?)(?:header|navigation bar|nav bar|navbar|top bar|top navigation|global navigation|site navigation)\b(?! (?:text|title|image|background is|row|cell))",
    re.I,
)
_FOOTER_START = re.compile(
    r"^(?:the |a |an )?((?:[\w-]+,? ){0,3}?)footer\b|^(?:at|along|in) the (?:very )?(?:bottom|foot) of the page|^the page (?:ends|closes|concludes)|^(?:finally|lastly),? (?:the |a |an )?(?:[\w-]+ ){0,3}?footer",
    re.I,
)
_ORDINAL_SECTION = re.compile(
    r"\b(?:next|following|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|final|last|closing|new|subsequent)\s+"
    r"(?:major\s+|main\s+|content\s+|full-width\s+)?(?:section|segment|band|part of the page)\b(?! (?:title|heading|is labell?ed|label))",
    re.I,
)
_BELOW_SECTION = re.compile(
    r"^(?:directly |immediately |just |right |then,? )?(?:below|beneath|under|underneath|after|following|past|beyond)"
    r" (?:the|this|that|these|all) (?:[\w-]+,? ){0,3}?" + _SECTION_NOUN + r"s?\b" + _ELEMENT_AFTER,
    re.I,
)
_TRANSITION = re.compile(
    r"^(?:next|then|further down|farther down|lower down|scrolling (?:down|further)|as (?:the user|you) scroll|"
    r"continu\w+ (?:down\w*|scrolling)|approaching the bottom|towards? the (?:bottom|end)|near the (?:bottom|end)|"
    r"finally|after (?:more|some|another|generous|a) [\w\s-]{0,30}(?:space|whitespace|breathing room|gap|divider)|"
    r"immediately below|directly below|just below|below (?:this|that|it)|beneath (?:this|that|it)|following (?:this|that)|"
    r"under (?:this|that|it)|after (?:this|that))(?![\w])",
    re.I,
)
_INTRO_SECTION = re.compile(
    r"^(?:[\w-]+,? ){0,8}?(?:comes|appears|follows|begins|starts|sits|lies|is|introduces|features|presents|opens|create|place|add|include|insert|introduce|design|put|build|show|use)"
    r" (?:a|an|the) (?:[\w“”\"'’&-]+,? ){0,5}?(?:section|band|segment|area|strip|block|module)\b",
    re.I,
)
_NAMED_SECTION = re.compile(
    r"^(?:a|an|the) (?!entire|whole|same|above|previous|current|this|rest|active|selected|highlighted|corresponding|relevant|linked|respective)"
    r"(?:(?:[\w-]+ ){1,3}?(?:section|band)\b(?! (?:title|heading|headline|label|of)\b)"
    r"|(?:section|band) (?=(?:titled|called|named|headed|labell?ed)\b))",  # "A section titled “On Board” …"
    re.I,
)
_GLOBAL = re.compile(
    r"^(?:the (?:entire|whole|overall) (?:page|site|layout|design|experience|composition|interface|homepage|aesthetic|website|impression|feel|look|effect|vibe|mood|tone|dashboard|visual)|"
    r"throughout(?: the)?|overall,|across the (?:entire |whole )?(?:page|site)|all (?:images|imagery|text|elements|buttons|sections|interactive)|"
    r"there (?:are|is) (?:no|absolutely no)|no (?:videos?|animations?|charts?|element)|every (?:visible|element|section)|"
    r"the page (?:should|must|uses|relies|feels)|everything (?:is|on the page)|the design (?:should|must)|the aesthetic|"
    r"the whole|global (?:styles?|rules?)|the (?:colou?r )?palette (?:remains|is|stays|uses|throughout)|spacing between|"
    r"typography (?:throughout|across)|all (?:cards|corners|charts|panels|icons|typography|copy) |"
    r"(?:colou?rs?|palette|fonts?|typography|style|tone|mood|vibe|look and feel|notes?|goals?|audience|target audience|brand|voice|"
    r"requirements|constraints|inspiration|references|accessibility|couleurs|polices?|colores|fuentes|farben|schriften?)\s*:)",
    re.I,
)
_CONTINUE = re.compile(
    r"\b(?:this|the same|that) (?:section|band|area|block|strip|panel|part)\b|^(?:inside|within|each|beneath it|below it|under it|its|their)\b"
    r"|^(?:the|this) (?:section|band|area|strip|module)\b",
    re.I,
)
_REGION = re.compile(
    r"^(?:at|on|in|along|across|to|toward|towards|into|within) (?:the )?(?:very |far |extreme )?(?:top|bottom|left|right|center|centre|central|middle|upper|lower)"
    r"(?:[- ](?:left|right|center|centre|middle|half|third))?\b"
    r"(?![^,]{0,40}\b(?:of|in|inside|within) (?:this|the|that|each|its) (?:card|panel|tile|chart|hero|header|widget|module|block|box|strip|gauge|map|list|table))"
    r"|^the (?:far[- ])?(?:left|right|center|centre|central|middle|top|bottom|lower|upper|main)(?:most)?[\w\s-]{0,20}?(?:column|side|section|area|row|region|half|third|rail|sidebar|zone|panel|module|card|strip|band)\b"
    r"(?! of (?:this|the|that) (?:card|panel|tile|chart|hero|header|widget))"
    r"|^(?:dominating|occupying|filling|spanning|anchoring|centered in|in the middle of) the (?:central|center|centre|main|middle|lower|upper|bottom|top)",
    re.I,
)


_REGION_STRICT = re.compile(
    r"^(?:at|on|in|along|across|toward|towards|into) (?:the )?(?:very |far )?(?:top|bottom|left|right|center|centre|central|middle|upper|lower)"
    r"(?:[\w\s-]{0,25}?)(?:column|side|section|area|row|region|zone|of the (?:page|dashboard|screen|layout|canvas|viewport))\b"
    r"(?! of (?:this|the|that) (?:card|panel|tile|chart|hero|header|widget|module|block))"
    r"|^the (?:left|right|center|centre|central|middle|lower|upper)[\w\s-]{0,20}?(?:column|side|section|region|rail|sidebar|zone)\b"
    r"(?! of (?:this|the|that) (?:card|panel|tile|chart|hero|header|widget|module|block))",
    re.I,
)


@dataclass
class Chunk:
    """A run of sentences that describes one section."""

    sentences: list[Sentence]
    hint: str = ""  # role suggested by the cue that opened it
    strong: bool = False  # opened by an explicit section cue
    named: bool = False  # opened by a sentence that names it ("Pricing: …"): never a fragment
    parts: list[int] = field(default_factory=list)  # where sections merged into it by the cap begin (sentence indexes)
    name: str = ""  # that sentence's name for it, in the prompt's words ("Sales" for "Sales section: …")
    media: bool = False  # named by its chart, map or video ("A short looping video of waves.")
    role: str = ""
    refers_back: bool = False  # describes a section a list named before: the page puts it where the list did
    global_ids: set[int] = field(default_factory=set)  # indexes of sentences about the whole page
    scores: dict[str, float] = field(default_factory=dict)

    @property
    def start(self) -> int:
        return self.sentences[0].start

    @property
    def end(self) -> int:
        return self.sentences[-1].end

    def spans(self) -> list[tuple[int, int]]:
        """(first, past last) sentence indexes of each section the cap merged into this one; one span if none."""
        bounds = [0, *self.parts, len(self.sentences)]
        return list(zip(bounds, bounds[1:]))


@dataclass
class Segmentation:
    preamble: list[Sentence]
    chunks: list[Chunk]
    closing: list[Sentence]  # sentences about the whole page after the last section


def segment(prose: Prose, dashboard: bool) -> Segmentation:
    sentences = prose.sentences
    if not sentences:
        return Segmentation([], [], [])
    paragraphs = len({s.paragraph for s in sentences})
    region = _REGION if dashboard and paragraphs <= 3 else (_REGION_STRICT if dashboard else None)
    leads = _listed_leads(prose, sentences)
    first = _first_structural(prose, sentences, leads)
    preamble = sentences[:first]
    chunks: list[Chunk] = []
    current: Chunk | None = None
    last_paragraph = sentences[first].paragraph if first < len(sentences) else 0
    for index, sentence in enumerate(sentences[first:], start=first):
        plain = prose.without_quotes(sentence.start, sentence.end).strip()
        hint, strong = _boundary(plain, region)
        lead = leads.get(index)
        if lead is not None and (strong or sentence.listed or not _same_role(lead, current)):
            hint, strong = hint or lead.role or None, True
        else:
            lead = None
        new_paragraph = sentence.paragraph != last_paragraph
        last_paragraph = sentence.paragraph
        if current is None:
            if not hint and (_TOP.match(plain) or _TOP_BARE.match(plain)):
                hint = "header"
            current = _opened(sentence, hint, True, lead)
            chunks.append(current)
            continue
        if not strong and current.hint == "header" and len(chunks) == 1 and re.search(r"\bhero\b", plain[:100], re.I):
            hint, strong = "hero", True  # "Behind the hero section, …" leaves the header
        if hint == "header" and (
            any(c.hint == "header" for c in chunks) or (len(chunks) > 2 and not _TOP.match(plain))
        ):
            hint, strong = None, bool(_TOP.match(plain))
        if hint == "footer" and (current.hint == "footer" or current.role == "footer"):
            strong = False
        if (
            strong
            and any(c.hint == "footer" for c in chunks)
            and hint != "footer"
            and not _explicit_section(plain)
            and not (lead is not None and lead.listed)
        ):
            strong = False
        if new_paragraph and any(c.hint == "footer" for c in chunks) and not strong:
            new_paragraph = False if not _GLOBAL.match(plain) else new_paragraph
        if len(current.sentences) == 1 and current.sentences[0].heading and not sentence.heading:
            current.sentences.append(sentence)  # "## Growth" then "A bar chart …": what the heading names
            continue
        if strong or (new_paragraph and not _continues(plain, current, prose)):
            current = _opened(sentence, hint, strong, lead)
            chunks.append(current)
        else:
            current.sentences.append(sentence)
        if _GLOBAL.match(plain):
            current.global_ids.add(len(current.sentences) - 1)

    chunks = [c for c in chunks if not all(s.heading for s in c.sentences)]  # "### Dataset" over a table only
    closing: list[Sentence] = []
    if chunks:
        closing = _trailing_globals(prose, chunks)
    for chunk in chunks:
        chunk.role = classify(prose, chunk)
    header_at = next((k for k, c in enumerate(chunks) if c.hint == "header"), 0)
    if 0 < header_at <= 3:  # the prompt described the header late ("At the very top…" after the hero)
        chunks.insert(0, chunks.pop(header_at))
        chunks[1].strong = True
    chunks = _merge(prose, chunks)
    _settle_roles(chunks)
    return Segmentation(preamble, chunks, closing)


def _opened(sentence: Sentence, hint: str | None, strong: bool, lead: Lead | None) -> Chunk:
    """A new chunk; named when a lead cue opened it as a hard boundary."""
    if not strong or lead is None:
        return Chunk([sentence], hint=hint or "", strong=strong)
    return Chunk(
        [sentence], hint=hint or "", strong=True, named=True, name=lead.name, media=lead.media, refers_back=lead.listed
    )


def lists_sections(prose: Prose) -> bool:
    """Whether the prompt, or one of its paragraphs, is written as a list of sections ("Hero with …. Pricing: …")."""
    return bool(_listed_leads(prose, prose.sentences))


def _listed_leads(prose: Prose, sentences: list[Sentence]) -> dict[int, Lead]:
    """The lead cues of a prompt, or of its paragraphs, written as a list of sections, by sentence index.

    Such a text has two or more leads making up a third or more of its sentences; a long
    paragraph about one section may name a few of its parts ("Features: …") without being one.
    A prompt written a paragraph per section, each opened by its name ("Pricing: …" then more
    sentences about it), lists those opening leads however long its paragraphs are.
    """
    found: dict[int, Lead] = {}
    leads: Counter[int] = Counter()
    names: list[str] = []  # the names a list of sections gave ("Sections: intro, where the money went, …")
    for index, sentence in enumerate(sentences):
        plain = prose.without_quotes(sentence.start, min(sentence.end, sentence.start + 240)).strip()
        opens_paragraph = index == 0 or sentences[index - 1].paragraph != sentence.paragraph
        page_wide = bool(_GLOBAL.match(_BULLET.sub("", plain)))  # "- Couleurs : #8C5A2B" is about the page
        lead = None if page_wide else (listed_lead(plain) if sentence.listed else find_lead(plain))
        if sentence.heading:
            continue  # a markdown heading opens a section of its own (below), whatever the list around it
        if sentence.listed and lead is not None and lead.name:
            names.append(lead.name)
        elif not sentence.listed:
            lead = _named_before(plain, names) or lead
        if lead is None and opens_paragraph and index > 0 and not page_wide:
            lead = find_paragraph_label(plain)
        if lead is not None:
            found[index] = lead
            leads[sentence.paragraph] += 1
    sizes = Counter(s.paragraph for s in sentences)
    whole = _is_list(len(found), len(sentences))
    listed = {p for p, n in leads.items() if whole or _is_list(n, sizes[p])}
    openers = {i for i in found if i == 0 or sentences[i - 1].paragraph != sentences[i].paragraph}
    headed = _is_headed(len(openers), len(sizes))
    if (
        0 in found
        and not found[0].role
        and _TITLE_LINE.match(prose.without_quotes(sentences[0].start, sentences[0].end))
    ):
        del found[0]  # the prompt's title line ("Casa Nilo — Sudanese café") counts towards a list but opens nothing
    kept = {i: lead for i, lead in found.items() if sentences[i].paragraph in listed or (headed and i in openers)}
    return kept | _heading_leads(prose, sentences)


def _heading_leads(prose: Prose, sentences: list[Sentence]) -> dict[int, Lead]:
    """The markdown headings that have prose under them ("## Pricing" then "Free and Team plans."), as leads;
    a heading over a table alone ("**KPI Gauges:**") opens nothing."""
    leads: dict[int, Lead] = {}
    for index, sentence in enumerate(sentences[:-1]):
        if not sentence.heading or sentences[index + 1].heading:
            continue
        plain = prose.without_quotes(sentence.start, sentence.end).strip()
        lead = None if _GLOBAL.match(plain) else find_paragraph_label(plain + " …") or find_lead(plain)
        if lead is not None:
            leads[index] = lead
    return leads


def _named_before(plain: str, names: list[str]) -> Lead | None:
    """A sentence that opens with the name of a section listed before ("Where the money went (pie chart): …")
    describes that section."""
    lowered = plain.casefold()
    for name in names:
        if len(name) >= MIN_NAME_CHARS and re.match(rf"{re.escape(name.casefold())}(?![\w-])", lowered):
            return Lead(role=role_of_name(plain[:120]), label=True, media=False, name=name, listed=True)
    return None


def _is_list(leads: int, sentences: int) -> bool:
    """Two or more leads, and at least one sentence in three a lead."""
    return leads >= 2 and 3 * leads >= sentences


def _is_headed(openers: int, paragraphs: int) -> bool:
    """Three or more paragraphs opened by a lead, and at least half of all paragraphs."""
    return openers >= 3 and 2 * openers >= paragraphs


def _same_role(lead: Lead, current: Chunk | None) -> bool:
    """'Pricing: …' then 'Pricing cards have …': the second sentence goes on with the same section."""
    return current is not None and bool(lead.role) and lead.role == current.hint


def _first_structural(prose: Prose, sentences: list[Sentence], leads: dict[int, Lead]) -> int:
    """Index of the first sentence that describes a part of the page, not the whole of it."""
    limit = min(len(sentences), max(3, len(sentences) // 4), 12)
    for i, sentence in enumerate(sentences[:limit]):
        if i in leads and (i > 0 or leads[i].label):
            return i  # "Hero: …" may open the prompt; "A portfolio with …" describes the page
        if sentence.piece == 1 and i + 1 < len(sentences) and sentences[i + 1].listed:
            return i  # "Big photo of the harbour, a menu section, …": a list of sections starts here
        if i == 0:
            continue
        if _BULLET.match(sentence.text) and any(j >= i and sentences[j].paragraph == sentence.paragraph for j in leads):
            return i  # the first item of a list of sections is one, whether or not it opens with a name
        plain = prose.without_quotes(sentence.start, sentence.end).strip()
        if _is_overview(plain[:220]) or _GLOBAL.match(plain):
            continue
        hint, strong = _boundary(plain, None)
        if (
            strong
            or _HEADER_START.match(plain)
            or re.search(r"\b(?:at the (?:very )?top|navigation bar|nav bar|header bar|top bar)\b", plain[:80], re.I)
        ):
            return i
        if sentence.paragraph > sentences[0].paragraph:
            return i
    return 1 if len(sentences) > 1 else 0


def _boundary(plain: str, region: re.Pattern | None) -> tuple[str | None, bool]:
    """(role hint, is a hard boundary) for one sentence with its quotes blanked."""
    head = re.sub(r"\s+", " ", plain[:220])[:160]
    inside = re.match(
        r"^(?:at|along|across) the (?:very )?top (?:edge )?of (?:this|that|each|every|its|their|the (?!page|screen|viewport|site|homepage|website|layout|dashboard))",
        head,
        re.I,
    )
    if (_TOP.match(head) or _TOP_BARE.match(head)) and not inside:
        if _NAV_WORDS.search(head) or _TOP.match(head):
            return ("header" if _NAV_WORDS.search(head) else None), True
    if _is_overview(head):
        return None, False
    if _leading_ok(_FOOTER_START.match(head)) or _FOOTER_SUBJECT.match(head) or _footer_cue(head):
        return "footer", True
    if _leading_ok(_HEADER_START.match(head)) and not re.search(r"\b(?:text|title) in the header\b", head, re.I):
        return "header", True
    if _ORDINAL_SECTION.search(head[:110]):
        return None, True
    if _BELOW_SECTION.match(head):
        return None, True
    if _TRANSITION.match(head) and re.search(r"\b(?:section|band|segment|footer)\b", head[:120], re.I):
        return None, True
    if _INTRO_SECTION.match(head) and _TRANSITION.match(head):
        return None, True
    if _NAMED_SECTION.match(head):
        return None, True
    if re.search(r"\b(?:a|an)\s+(?:[\w-]+,?\s+){0,4}?hero\s+(?:section|area|block|banner|panel|module)\b", head, re.I):
        return "hero", True
    if region is not None and region.match(head):
        return None, True
    return None, False


_OVERVIEW_ROLES = re.compile(
    r"\b(?:header|hero|footer|gallery|pricing|testimonials?|schedule|features?|faq|newsletter|speakers|sidebar|"
    r"about|contact|cta|call[- ]to[- ]action)\b",
    re.I,
)


def _is_overview(head: str) -> bool:
    """'The page is stacked: a header, a hero section, event details, …' describes the whole page."""
    if _BELOW_SECTION.match(head) or _TRANSITION.match(head) or _TOP.match(head) or _TOP_BARE.match(head):
        return False
    roles = {m.group(0).lower().rstrip("s") for m in _OVERVIEW_ROLES.finditer(head)}
    return len(roles) >= 3 and head.count(",") >= 2


def _footer_cue(head: str) -> bool:
    """'The very bottom of the page has a quiet footer' — footer as the subject, not a landmark."""
    m = re.search(r"\bfooter\b", head[:170], re.I)
    if not m:
        return False
    before = head[: m.start()]
    if re.search(
        r"\b(?:above|before|behind|into|of|from|to|than|toward|towards|supports?|beneath|under|below|like|resembl\w*|"
        r"with|for|and|near|separates|until|just|over)\s+(?:the\s+|a\s+|an\s+|this\s+)?(?:[\w-]+,?\s+){0,3}$",
        before,
        re.I,
    ):
        return False
    if re.search(r"\b(?:the|this) (?:footer|header)\b", before, re.I):
        return False
    return bool(
        re.search(
            r"\b(?:a|an|the|its|quiet|slim|simple|minimal|narrow|thin|compact|full-width)\s+(?:[\w-]+,?\s+){0,3}$",
            before,
            re.I,
        )
        or not before.strip()
    )


def _explicit_section(plain: str) -> bool:
    """A cue that plainly opens a new section, strong enough to follow the footer's start."""
    head = re.sub(r"\s+", " ", plain[:220])[:160]
    return bool(
        _ORDINAL_SECTION.search(head[:110])
        or _NAMED_SECTION.match(head)
        or (_INTRO_SECTION.match(head) and _TRANSITION.match(head))
        or (_BELOW_SECTION.match(head) and not re.search(r"\bfooter\b", head[:60], re.I))
    )


def _leading_ok(m: re.Match | None) -> bool:
    """A header/footer cue counts only when the words before the noun are adjectives."""
    if not m:
        return False
    lead = (m.group(1) or "") if m.lastindex else ""
    return not any(w.strip(",").lower() in _LEADING_STOP for w in lead.split())


def _continues(plain: str, current: Chunk, prose: Prose) -> bool:
    """Whether a new paragraph goes on describing the current section."""
    head = plain[:140]
    if _CONTINUE.search(head):
        return True
    role = current.role or classify(prose, current)
    words = load("section_roles.json")["roles"].get(role, {}).get("words", {})
    strong_words = [w for w, weight in words.items() if weight >= 3]
    return any(re.search(r"\b" + re.escape(w) + r"\b", head, re.I) for w in strong_words) and role not in {
        "",
        "content",
    }


def _trailing_globals(prose: Prose, chunks: list[Chunk]) -> list[Sentence]:
    """Page-wide sentences at the very end leave the last section (whole chunks of them too)."""
    closing: list[Sentence] = []
    footer_at = max((k for k, c in enumerate(chunks) if c.hint == "footer"), default=-1)
    while (
        footer_at >= 0
        and len(chunks) - 1 > footer_at
        and not chunks[-1].refers_back
        and (
            not any(prose.quotes_between(s.start, s.end) for s in chunks[-1].sentences)
            or _GLOBAL.match(prose.without_quotes(chunks[-1].start, chunks[-1].sentences[0].end).strip())
        )
    ):
        closing[:0] = chunks.pop().sentences
    while len(chunks) > 2 and _GLOBAL.match(
        prose.without_quotes(chunks[-1].start, chunks[-1].sentences[0].end).strip()
    ):
        closing[:0] = chunks.pop().sentences
    while len(chunks) > 1 and all(
        (k in chunks[-1].global_ids or _GLOBAL.match(prose.without_quotes(s.start, s.end).strip()))
        and not prose.quotes_between(s.start, s.end)
        for k, s in enumerate(chunks[-1].sentences)
    ):
        closing[:0] = chunks.pop().sentences
    last = chunks[-1]
    while len(last.sentences) > 1:
        index = len(last.sentences) - 1
        sentence = last.sentences[index]
        plain = prose.without_quotes(sentence.start, sentence.end).strip()
        if index in last.global_ids or _GLOBAL.match(plain):
            if prose.quotes_between(sentence.start, sentence.end):
                break
            closing.insert(0, last.sentences.pop())
            last.global_ids.discard(index)
        else:
            break
    return closing


_AS_SECTION = re.compile(r"\s+(?:section|area|band|block|strip|panel|module)\b")


@cache
def _role_index() -> tuple[re.Pattern, dict[str, list[tuple[str, float]]]]:
    """One regex for every role word, and which roles (with weights) each word points to."""
    roles = load("section_roles.json")["roles"]
    index: dict[str, list[tuple[str, float]]] = {}
    for role, spec in roles.items():
        for word, weight in spec["words"].items():
            index.setdefault(word, []).append((role, float(weight)))
    return words_pattern(index, hyphen_joins=True), index


def role_scores(text: str, first: str) -> dict[str, float]:
    pattern, index = _role_index()
    lowered = re.sub(r"\s+", " ", text.lower())
    first_l = re.sub(r"\s+", " ", first.lower())
    in_first: dict[str, int] = {}
    boosted: set[str] = set()
    for m in pattern.finditer(first_l):
        word = m.group(1)
        in_first[word] = in_first.get(word, 0) + 1
        if _AS_SECTION.match(first_l, m.end()):
            boosted.add(word)
    in_all: dict[str, int] = {}
    for m in pattern.finditer(lowered):
        in_all[m.group(1)] = in_all.get(m.group(1), 0) + 1
    scores: dict[str, float] = {}
    for word in sorted(set(in_first) | set(in_all)):  # sorted: the same plan on every run
        for role, weight in index[word]:
            score = weight * (2.0 * min(in_first.get(word, 0), 2) + 0.6 * min(3, in_all.get(word, 0)))
            if word in boosted:
                score += weight * 3
            scores[role] = scores.get(role, 0.0) + score
    return scores


_BEHIND = re.compile(
    r"\b(?:below|beneath|under|underneath|after|following|past|beyond|above|than|before|until|toward|towards|into|like|resembling)\s+(?:the|this|that)\s+[\w-]+(?:\s+[\w-]+)?",
    re.I,
)


def classify(prose: Prose, chunk: Chunk) -> str:
    body = [s for i, s in enumerate(chunk.sentences) if i not in chunk.global_ids] or chunk.sentences
    first = _BEHIND.sub(" ", prose.without_quotes(body[0].start, min(body[0].end, body[0].start + 600)))
    text = " ".join(prose.without_quotes(s.start, min(s.end, s.start + 600)) for s in body[:14])
    quoted = " ".join(q.text for s in body[:4] for q in prose.quotes_between(s.start, s.end))
    scores = role_scores(text + " " + quoted, first)
    if chunk.hint:
        scores[chunk.hint] = scores.get(chunk.hint, 0) + 25
    first_l = first.lower()
    for edge in ("header", "footer"):
        if (
            edge in scores
            and chunk.hint != edge
            and not re.search(rf"\b{edge}\b|\bnav(?:igation)?\b" if edge == "header" else rf"\b{edge}\b", first_l)
        ):
            scores[edge] *= 0.2
    chunk.scores = scores
    if not scores:
        return "content"
    return max(scores.items(), key=lambda kv: kv[1])[0]


def _size(prose: Prose, chunk: Chunk) -> tuple[int, int]:
    quotes = sum(len(prose.quotes_between(s.start, s.end)) for s in chunk.sentences)
    return quotes, chunk.end - chunk.start


# Words that make a short fragment an element of the page, not a remark to fold away.
_ELEMENT_WORDS = re.compile(r"\b(?:screenshots?|mock-?ups?|tables?|maps?|tabla|tableau|tabelle|tabel)\b", re.I)


def _merge(prose: Prose, chunks: list[Chunk]) -> list[Chunk]:
    """Fold fragments into neighbours, weak repeats of one role together, and cap the count."""
    merged: list[Chunk] = []
    pending: list[Chunk] = []
    for i, chunk in enumerate(chunks):
        quotes, length = _size(prose, chunk)
        text = prose.text[chunk.start : chunk.end]
        tiny = (
            quotes == 0
            and not chunk.named
            and not MEDIA_WORDS.search(text)
            and not _ELEMENT_WORDS.search(text)
            and (length < 260 or len(chunk.sentences) <= 2)
        )
        if tiny and i + 1 < len(chunks) and chunk.role not in {"header", "footer"}:
            pending.append(chunk)
            continue
        for early in reversed(pending):
            # The fragment opens the section after it, or the one before when the header was moved up past it:
            # sections stay in the prompt's order, each starting where its first sentence is.
            _join(merged[-1] if merged and merged[-1].start > early.start else chunk, early, front=True)
        pending = []
        if merged and _should_join(prose, merged[-1], chunk):
            _join(merged[-1], chunk)
            continue
        merged.append(chunk)
    for late in pending:
        if merged:
            _join(merged[-1], late)
    limit = _section_limit(prose, merged)
    while len(merged) > limit:
        k = min(range(1, len(merged)), key=lambda j: _join_cost(prose, merged, j))
        merged[k - 1].parts.append(len(merged[k - 1].sentences))
        _join(merged[k - 1], merged[k])
        merged[k - 1].role = classify(prose, merged[k - 1])
        del merged[k]
    return merged


def _section_limit(prose: Prose, chunks: list[Chunk]) -> int:
    """How many sections the page keeps: every named one (up to MAX_NAMED_SECTIONS) and the header, hero and
    footer around them, else a readable 7–12."""
    named = sum(1 for c in chunks if c.named)
    if named > MAX_NAMED_SECTIONS:
        log.warning(
            "offline planner: the prompt names %d sections; a page keeps at most %d, so %d are merged into their neighbours",
            named,
            MAX_NAMED_SECTIONS,
            named - MAX_NAMED_SECTIONS,
        )
    prose_sections = min(_MOST_PROSE_SECTIONS, 4 + len(prose.text) // 1500)
    frame = sum(1 for c in chunks if not c.named and c.role in {"header", "hero", "footer"})
    return max(_FEWEST_SECTIONS, prose_sections, min(MAX_NAMED_SECTIONS, named + frame))


def _join(target: Chunk, other: Chunk, front: bool = False) -> None:
    if front:
        offset = len(other.sentences)
        target.sentences[:0] = other.sentences
        target.global_ids = {g + offset for g in target.global_ids} | other.global_ids
        target.parts = other.parts + [p + offset for p in target.parts]
        if other.strong and not target.hint:
            target.strong = True
    else:
        offset = len(target.sentences)
        target.sentences.extend(other.sentences)
        target.global_ids |= {g + offset for g in other.global_ids}
        target.parts += [p + offset for p in other.parts]


def _join_cost(prose: Prose, chunks: list[Chunk], k: int) -> float:
    chunk, previous = chunks[k], chunks[k - 1]
    if previous.role == "header" and chunk.role != "header":
        return 10.0**9
    if chunk.role == "footer" and previous.role != "footer":
        return 10.0**9
    cost = float(_size(prose, chunk)[1] + _size(prose, previous)[1] * 0.3)
    if chunk.role == previous.role:
        cost *= 0.5
    if not chunk.strong:
        cost *= 0.7
    if chunk.named and previous.named:
        cost += 10.0**6  # two sections the prompt names merge last (past MAX_NAMED_SECTIONS)
    return cost


def _should_join(prose: Prose, previous: Chunk, chunk: Chunk) -> bool:
    if previous.role == chunk.role and not chunk.strong:
        return True
    if chunk.role == previous.role and chunk.role in {"footer", "header"}:
        return True
    quotes, length = _size(prose, chunk)
    return quotes <= 1 and length < 200 and not chunk.strong and chunk.role not in {"footer", "header"}


def _settle_roles(chunks: list[Chunk]) -> None:
    """One header (first), one hero, one footer (last); other claims fall to their next-best role."""
    for chunk in chunks:
        if chunk.media and chunk.role == "header":
            chunk.role = "hero"  # "A video of broth simmering at the top, the menu …" is no header
    content = [c for c in chunks if c.role not in {"header", "sidebar"}]
    if content and not any(c.role == "hero" for c in chunks):
        first = content[0]
        if first.role in {"content", "about", "cta", "features", "courses", "articles"} and (
            first is chunks[min(1, len(chunks) - 1)] or (first is chunks[0] and first.named)
        ):
            first.role = "hero"
    if chunks and chunks[0].role != "header" and chunks[0].hint == "header":
        chunks[0].role = "header"
    seen: set[str] = set()
    last = next((c for c in reversed(chunks) if not c.refers_back), None)  # sections described late move up
    for index, chunk in enumerate(chunks):
        unique_ok = {
            "header": index == 0 or (index == 1 and chunks[0].role == "sidebar"),
            "hero": "hero" not in seen,
            "footer": chunk is last,
        }
        if chunk.role in unique_ok and not unique_ok[chunk.role]:
            chunk.role = _next_best(chunk, exclude={"header", "hero", "footer"})
        seen.add(chunk.role)


def _next_best(chunk: Chunk, exclude: set[str]) -> str:
    ranked = sorted(((score, role) for role, score in chunk.scores.items() if role not in exclude), reverse=True)
    if ranked and ranked[0][0] >= 2.0:
        return ranked[0][1]
    return "content"
