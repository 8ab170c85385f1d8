"""Lead cues: sentences that open a section by naming it first.

Mid-length prompts describe a page as a list, a sentence or a line per section: "Hero with the
headline …", "A menu section with three cards: …", "Pricing: two plans …", "Section hero avec
…", "A short looping video of waves." Such a sentence starts with a section's name — a role
word, words before a section noun, or a video — followed by a colon or a connecting word. The
vocabulary is the "lead" entry of section_roles.json, beside the role words themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from webagent.planners.offline.text import CHART_WORDS, COUNT_WORDS, MEDIA_WORDS
from webagent.planners.offline.vocabulary import load

# A list item's marker: "- Hero: …", "• Pricing: …", "2. Gallery of …".
_LIST_MARKER = re.compile(r"^(?:[-–*•·]|\d{1,2}[.)])\s+")
# "Meet the vets: …", "Life in Osaka — …", "**Who works here.** …": a label of one to four words, then a colon,
# a dash, or the end of its bold.
_PARAGRAPH_LABEL = re.compile(
    r"^(?P<bold>\*\*|__)?(?P<name>[^\W\d_][\w'’&-]*(?: [\w'’&-]+){0,3})"
    r"(?(bold)[.:]?(?:\*\*|__)[.:]?|(?::|\s[—–-]))\s+(?=\S)"  # words follow: "Lessons by level:" over a table is a title
)
# Words that place an element inside the section just described ("… plays behind the headline").
_REFERS_BACK = re.compile(
    r"\b(?:behind|beside|alongside|next to|underneath|beneath|below|above|under|inside|within)\s+(?:it|them|this|that|these|the)\b"
    r"|\b(?:background|backdrop)\b",
    re.I,
)


@dataclass(frozen=True)
class Lead:
    """A sentence that opens a section by naming it."""

    role: str  # the role its name points to ("" when the name holds no role word)
    label: bool  # written as a label: "Pricing: …"
    media: bool  # named by a chart, map or video: it may be the element of the section before
    name: str = ""  # the section's name in the prompt's words ("Sales" for "Sales section: …"), "" for media
    listed: bool = False  # refers back to a section a list named before


@dataclass(frozen=True)
class _Vocabulary:
    label: re.Pattern  # "<name>:" / "<name> — "
    subject: re.Pattern  # "<name> with …"
    alone: re.Pattern  # "<name>" and nothing more: "a testimonials section"
    connector: re.Pattern  # a connector between words: " with ", " of ", …
    name_word: re.Pattern  # a role word, section noun or media noun inside a name
    section_noun: re.Pattern  # "section", "band", "rubrique", …
    media_noun: re.Pattern  # a name that ends with "video", "showreel", …
    weights: dict[str, tuple[str, float]]  # role word → (its strongest role, weight)
    media_roles: frozenset[str]
    not_name: re.Pattern  # an article or one of not_names, as a name's first word


def find_lead(plain: str) -> Lead | None:
    """The lead cue of a sentence (quotes blanked), or None when it does not name a section."""
    vocabulary = _vocabulary()
    head = _LIST_MARKER.sub("", re.sub(r"\s+", " ", plain.strip()[:200]))
    m = vocabulary.subject.match(head)
    if m:
        return _lead(m, label=False, sentence=head)
    m = vocabulary.label.match(head)
    if m and not _VALUE_ONLY.match(head, m.end()):
        return _lead(m, label=True, sentence=head)
    return None


def names_section(part: str) -> Lead | None:
    """The lead of one part of a list of sections: a lead's start, or a section's name alone ("a testimonials
    section", "pricing", "three feature cards")."""
    vocabulary = _vocabulary()
    head = _LIST_MARKER.sub("", re.sub(r"\s+", " ", part.strip()[:200]))
    m = vocabulary.subject.match(head) or vocabulary.alone.match(head)
    if m:
        return _lead(m, label=False, sentence=head)
    m = vocabulary.label.match(head)  # "Pricing: …", but not any word before a colon ("by month: Dec +12%")
    return _lead(m, label=True, sentence=head) if m and not m.group("bare") else None


def listed_lead(part: str) -> Lead:
    """The lead of a part that a list of sections names ("Sections: intro, where the money went, …")."""
    lead = names_section(part) or find_lead(part)  # "2. Work: a gallery …" is named "Work"
    if lead is not None:
        return lead
    vocabulary = _vocabulary()
    name = vocabulary.connector.split(_LIST_MARKER.sub("", part.strip(" .,;")), maxsplit=1)[0]
    name = re.sub(rf"^(?:{vocabulary.not_name.pattern})\s+", "", name, flags=re.I).strip()
    if not role_of_name(name) and MEDIA_WORDS.search(name):  # "uma foto grande da fachada": a medium's section
        return Lead(role="chart" if CHART_WORDS.search(name) else "", label=True, media=True)
    return Lead(role=role_of_name(name), label=True, media=False, name=_display_name(name[:60]))


def is_bare_name(part: str) -> bool:
    """Whether ``part`` is a section's name and nothing more: "a how-to-join section", "pricing"."""
    return bool(_vocabulary().alone.match(re.sub(r"\s+", " ", part.strip()[:200])))


# What follows a label when the line is a line of data, not a section: "January: 340", "Q1: 1.2k €".
_VALUE_ONLY = re.compile(r"\s*[-−+]?[$€£¥]?\s?\d[\d\s,.]*\s?(?:%|[kKM]|bn|[A-Za-z]{1,3}\b)?\s*[.;]?\s*$")


def find_paragraph_label(plain: str) -> Lead | None:
    """A paragraph opened by a short label of up to four words: "Meet the vets: …", "What we see most: …".

    Only a paragraph's first sentence may be read this way; a label inside a paragraph names a part
    of the section ("Headline: …")."""
    head = _LIST_MARKER.sub("", re.sub(r"\s+", " ", plain.strip()[:80]))
    m = _PARAGRAPH_LABEL.match(head)
    if m is None or _vocabulary().not_name.match(m.group("name")) or _VALUE_ONLY.match(head, m.end()):
        return None
    name = m.group("name")
    return Lead(role=role_of_name(name), label=True, media=False, name=_display_name(name))


def _lead(m: re.Match, label: bool, sentence: str) -> Lead | None:
    """The lead a name match makes, unless a media element's sentence places it in the section before."""
    vocabulary = _vocabulary()
    name = m.group("name") or m.groupdict().get("bare") or ""
    role = role_of_name(name)
    media = role in vocabulary.media_roles or bool(vocabulary.media_noun.search(name))
    if media and not label and _REFERS_BACK.search(sentence):
        return None  # "A looping video of waves plays behind the headline": the hero's own video
    counted = bool(m.group("count"))  # "Three feature cards: …" says what the section holds, not what it is called
    return Lead(role=role, label=label, media=media, name="" if media or counted else _display_name(name))


def _display_name(name: str) -> str:
    """'menu section' → 'Menu', 'Tarifs' → 'Tarifs'."""
    words = _vocabulary().section_noun.sub(" ", name).split()
    if not words:
        return ""
    text = " ".join(words)
    return text[0].upper() + text[1:]


def role_of_name(name: str) -> str:
    """The role of the strongest role word in a section's name ("" when it holds none)."""
    vocabulary = _vocabulary()
    best, best_weight = "", 0.0
    for m in vocabulary.name_word.finditer(name.lower()):
        role, weight = vocabulary.weights.get(re.sub(r"\s+", " ", m.group(0)), ("", 0.0))
        if weight > best_weight:
            best, best_weight = role, weight
    return best


def _alternation(words: list[str]) -> str:
    """A regex alternation of literal words and phrases, longest first, spaces matching any run."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@cache
def _vocabulary() -> _Vocabulary:
    data = load("section_roles.json")
    lead = data["lead"]
    weights: dict[str, tuple[str, float]] = {}
    for role, spec in data["roles"].items():
        for word, weight in spec["words"].items():
            if weight >= lead["min_weight"] and weight > weights.get(word, ("", 0.0))[1]:
                weights[word] = (role, float(weight))
    names = rf"(?:{_alternation(list(weights) + lead['media_nouns'])})(?![\w-])"
    nouns = rf"(?:{_alternation(lead['section_nouns'])})(?![\w-])"
    articles = _alternation(lead["articles"])
    free = rf"(?!(?:{articles}|{_alternation(lead['not_names'])})(?![\w-]))"  # not "the", "each", "second", …
    word = r"[^\W\d_][\w&'’-]*"
    counted = rf"(?(count)(?:{_alternation(lead['counted_nouns'])})(?![\w-])|(?!))"  # "three cards", never "the cards"
    start = (
        rf"^(?:(?:{_alternation(lead['transitions'])}),?\s+)?(?P<article>(?:{articles})\s+)?"
        rf"(?:(?P<count>\d{{1,2}}|{COUNT_WORDS})\s+)?"
    )
    # Up to two describing words, then a role word, section noun or video: "Sales section", "short looping video";
    # or a section noun before a role word, as French and Spanish put it: "Section hero".
    # A role word that starts with one of not_names is still a name: "Column chart of …".
    name = rf"(?P<name>(?:{free}{word}\s+){{0,2}}?(?:{names}|{free}(?:{nouns}|{counted}))|{nouns}\s+{names})"
    # A bare label of one or two words is a section's name too: "Work: …", "Opening hours: …".
    label = re.compile(
        rf"{start}(?:{name}|(?(article)(?!)|(?P<bare>{free}{word}(?:\s+{free}{word})?)))\s*(?::|\s[—–-]\s)", re.I
    )
    subject = re.compile(
        rf"{start}{name}(?:\s+(?:{_alternation(lead['containers'])}))?\s+(?:{_alternation(lead['connectors'])})(?![\w-])",
        re.I,
    )
    alone = re.compile(rf"{start}{name}(?:\s+(?:{_alternation(lead['containers'])}))?\s*[.!]?$", re.I)
    connector = re.compile(rf"\s+(?:{_alternation(lead['connectors'])})\s+", re.I)
    name_word = re.compile(rf"(?<![\w-])(?:{names}|{nouns})", re.I)
    section_noun = re.compile(rf"(?<![\w-]){nouns}", re.I)
    media_noun = re.compile(rf"(?<![\w-])(?:{_alternation(lead['media_nouns'])})$", re.I)
    not_name = re.compile(rf"(?:{articles}|{_alternation(lead['not_names'])})(?![\w-])", re.I)
    return _Vocabulary(
        label,
        subject,
        alone,
        connector,
        name_word,
        section_noun,
        media_noun,
        weights,
        frozenset(lead["media_roles"]),
        not_name,
    )
