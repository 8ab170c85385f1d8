"""What a short prompt says its page is about: the name, the kind of place or thing, and where it is.

"Landing page for Granite & Chalk, a bouldering gym in Leeds" → name "Granite & Chalk", kind
"bouldering gym", place "Leeds". "Página para la panadería La Espiga de Triana, en Sevilla" → kind
"panadería", name "La Espiga de Triana", place "Sevilla". The scene copy of a short prompt is written
around these words (scenes.json slots {name}, {kind}, {in_place}, {town}), so two pages about
different subjects never share an invented sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from webagent.planners.offline.leads import role_of_name
from webagent.planners.offline.text import CAPITAL

_ARTICLES = r"(?:an?|the|une?|la|le|l['’]|el|los|las|una?|die|der|das|ein(?:e[mnr]?)?|o|os|as|het|de)"
_NAME_WORD = rf"(?:{CAPITAL}|[0-9])[\w'’&.+!-]*"
_NAME_LINK = r"(?:&|and|of|the|de|du|des|del|la|le|et|y|und|von|van|da|do|dos)"
# "the bakery La Espiga de Triana", "die Imkerei Sonnenwabe": a kind noun (capitalised only in German), then a
# capitalised name.
_KIND_THEN_NAME = re.compile(
    rf"\b(?:(?:(?:for|voor|für|pour|para|per|för|til|dla)\s+(?:{_ARTICLES}\s+|l['’])?|{_ARTICLES}\s+)(?!{_ARTICLES}\s)(?P<kind>[a-zà-ÿ][\w-]*(?:\s+(?:de\s+|da\s+)?[a-zà-ÿ][\w-]*){{0,2}})"
    rf"|(?:die|der|das|ein|eine)\s+(?P<noun>[A-ZÄÖÜ][a-zäöüß-]+))\s+"
    rf"(?P<name>{_NAME_WORD}(?:\s+(?:{_NAME_LINK}\s+)?{_NAME_WORD}){{0,4}})"
)
# "Casa Nilo — Sudanese café in Rotterdam-West": a prompt whose first line names the subject, then says what it is.
_TITLE_LINE_NAME = re.compile(
    rf"^\s*(?P<name>{_NAME_WORD}(?:\s+(?:{_NAME_LINK}\s+)?{_NAME_WORD}){{0,4}})\s+[—–-]\s+"
    rf"(?P<then>{_NAME_WORD}(?:\s+(?:{_NAME_LINK}\s+)?{_NAME_WORD}){{1,4}})?[^\n]{{0,120}}(?:\n|$)"
)
# "Hanul Dance Academy is a dance school in Hongdae": a prompt that opens with its subject's name.
_NAME_IS_A = re.compile(
    rf"^\s*(?P<name>{_NAME_WORD}(?:\s+(?:{_NAME_LINK}\s+)?{_NAME_WORD}){{0,4}})\s+(?:is|are)\s+(?:an?|the)\s"
)
# "I run Kettle & Crumb, a tea room in Whitby": a name, a comma, then what it is.
_NAME_COMMA_KIND = re.compile(
    rf"(?P<name>{_NAME_WORD}(?:\s+(?:{_NAME_LINK}\s+)?{_NAME_WORD}){{0,4}}),\s+(?:an?|the)\s+[a-z]"
)
# "ferment bar 'Sour Note' in Leeds": a quoted name right after the kind it is, then where it is.
_QUOTED_AFTER_KIND = re.compile(
    rf"\b(?P<kind>[a-z][\w-]+)\s+['‘“\"«](?P<name>{CAPITAL}[^'’”\"»\n]{{0,40}}?)['’”\"»](?=\s+(?:in|at|on|from|en|à|a|na|w|i)\b|\s*[,.;:(—–-])"
)
# Words before a quote that name a piece of the page, not the subject: 'a button "Book now" in red'.
_PAGE_PART_WORDS = re.compile(
    r"^(?:buttons?|headings?|headlines?|heading|titles?|titled|called|named|lines?|labels?|texts?|captions?|slogans?|"
    r"taglines?|links?|words?|says|reading|reads|phrase|message|banner|cta|quote|motto|lema|bouton|botón|knopf|knop|botão)$",
    re.I,
)
_NOT_NAMES = re.compile(r"^(?:brief|page|site|website|homepage|landing page|web page|project|task|draft)$", re.I)
# "Make a page for the Ostrava Chess Club", "para la Academia Lingua": a capitalised name after "for the".
_FOR_NAME = re.compile(
    r"\b(?:for|about|para|pour|für|per|voor|de|di)\s+(?:the|la|el|le|l['’]|die|der|das|o|a|il|lo|het|de)\s*"
    rf"(?P<name>{_NAME_WORD}(?:\s+(?:{_NAME_LINK}\s+)?{_NAME_WORD}){{1,4}})"
)
# A kind is a noun phrase: not a media element, not a phrase running on into a preposition.
_NOT_A_KIND = re.compile(
    r"\b(?:of|with|and|or|for|in|on|at|to|by|chart|graph|photo|image|video|picture|gallery|button|page|site|website|"
    r"de|en|à|con|mit|für|photos?|images?|videos?|pictures?)$|\b(?:charts?|graphs?|gallery|button)\b",
    re.I,
)
# "Granite & Chalk, a bouldering gym in Leeds": the kind after the name.
_KIND_AFTER = r"(?:,|\s+(?:is|are))?\s+{article}\s+(?P<kind>[^,.;:()“”\"\n]{{3,60}}?)(?=\s+(?:in|on|at|en|à|em|na|no|im|bei|near|based|from|for|with|that|who|which|serving|selling)\b|[,.;:()\n]|$)"
# "a climbing gym called Crux": the kind before the name.
_KIND_BEFORE = re.compile(r"\b(?:an?|the)\s+(?P<kind>(?:[\w-]+\s+){0,3}?[\w-]+)\s+(?:called|named|branded as)\b", re.I)
# "for a bouldering gym in Leeds" with no name at all.
_KIND_FOR = re.compile(
    r"\b(?:for|about)\s+(?:an?|my|our)\s+(?P<kind>(?:[\w-]+\s+){0,3}?[\w-]+)(?=\s+(?:in|on|at|near|based|that|who|with)\b|[,.;:]|$)",
    re.I,
)
_PLACE = re.compile(
    r"(?:^|\s)(?:in|en|à|em|na|no|im|bei|bij|near|at|près de|cerca de)\s+(?:the\s+)?"
    rf"(?P<place>{CAPITAL}[\w'’-]+(?:[ -](?:{CAPITAL}[\w'’-]+|de|del|la|im|am|upon|on)){{0,3}})"
)
_POSSESSIVE = re.compile(r"['’]s$")
_SENTENCE_END = re.compile(r"\.(?:\s|$)")
_ABBREVIATION = re.compile(r"\b(?:Co|Inc|Ltd|St|Bros|Corp|Jr|Sr|Dr|Mr|Mrs|Ms)\.$")
_WORDS_NOT_KINDS = re.compile(r"^(?:page|site|website|web|landing|homepage|one-page|single|simple|new)\b", re.I)
MAX_KIND_WORDS = 4
MAX_OPENING_CHARS = 300


@dataclass(frozen=True)
class Subject:
    """The page's subject in the prompt's own words; empty strings where the prompt does not say."""

    name: str
    kind: str
    place: str

    @property
    def activity(self) -> str:
        """'bouldering gym' → 'bouldering': what the place is for; the kind itself when it is one word."""
        words = self.kind.split()
        return " ".join(words[:-1]) if len(words) > 1 else self.kind


def read_subject(text: str, name: str) -> Subject:
    """The kind and place of the subject ``name`` (found by the caller) as the prompt states them."""
    kind, found_name = "", name
    if name:
        after = re.search(re.escape(name) + _KIND_AFTER.format(article=_ARTICLES), text, re.I)
        kind = after.group("kind") if after else ""
    if not kind:
        before = _KIND_BEFORE.search(text) or _KIND_FOR.search(text)
        kind = before.group("kind") if before else ""
    if not kind or not found_name:
        for pair in _KIND_THEN_NAME.finditer(text):
            noun = pair.group("kind") or pair.group("noun")
            if _tidy_kind(noun):
                kind = kind or noun
                found_name = found_name or pair.group("name")
                break
    if not found_name:
        named = _FOR_NAME.search(text)
        found_name = named.group("name") if named else ""
    found_name = within_sentence(found_name)
    kind, place = _tidy_kind(kind), _place(text, found_name)
    return Subject(name=found_name or _name_from(kind, place), kind=kind, place=place)


def opening_name(text: str) -> str:
    """The name a prompt opens with when it says what that is ("Hanul Dance Academy is a dance school …"), or ''."""
    m = _NAME_IS_A.match(text)
    return m.group("name") if m and not _NOT_NAMES.match(m.group("name")) and not role_of_name(m.group("name")) else ""


def introduced_name(text: str) -> str:
    """The name the prompt's opening sentence introduces by saying what it is ("I run Kettle & Crumb, a tea
    room", "ferment bar 'Sour Note' in Leeds"), or ''."""
    end = _SENTENCE_END.search(text)
    opening = text[: end.start() if end else len(text)][:MAX_OPENING_CHARS]
    quoted = _QUOTED_AFTER_KIND.search(opening)
    if quoted and not _PAGE_PART_WORDS.match(quoted.group("kind")):
        return quoted.group("name").strip()
    for m in _NAME_COMMA_KIND.finditer(opening):
        name = m.group("name")
        if not _NOT_NAMES.match(name) and not role_of_name(name):
            return name
    return ""


_PLACE_WORDS = {"top", "bottom", "intro", "first", "then", "next", "below", "above", "layout", "sections", "structure"}


def without_label(name: str, following: str) -> str:
    """'Ironbridge Bike Co. Top' before ': full-width video …' → 'Ironbridge Bike Co.': a name run into the label
    of the part after it ("Top:", "Hero:"); 'Copperline Solar' before ': market size …' stays whole."""
    head, _, last = name.rpartition(" ")
    if following.startswith(":") and head and (last.lower() in _PLACE_WORDS or role_of_name(last)):
        return head
    return name


def title_line_name(text: str) -> str:
    """The name a prompt's first line gives before a dash ("Casa Nilo — Sudanese café …"), or ''."""
    m = _TITLE_LINE_NAME.match(text)
    if m is None or role_of_name(m.group("name")):  # "Hero — big photo" names a section, not the subject
        return ""
    return m.group("name") if not _NOT_NAMES.match(m.group("name")) else m.group("then") or ""  # "Brief — Fenwick …"


def within_sentence(name: str) -> str:
    """``name`` up to the end of its sentence, without a possessive: 'Riverside Animal Shelter. Headline' →
    'Riverside Animal Shelter', "Halden Public Library's" → 'Halden Public Library' ('Crumb & Co.' stays)."""
    for end in _SENTENCE_END.finditer(name):
        if not _ABBREVIATION.search(name[: end.start() + 1]):
            name = name[: end.start()]
            break
    return _POSSESSIVE.sub("", name.strip())


def _name_from(kind: str, place: str) -> str:
    """A page with no name of its own is named by what and where it is: 'Bristol Yoga Studio', 'Yoga Studio';
    '' when that says too little to be a name ('Gym'), and the scene's name stands."""
    if not kind or (len(kind.split()) < 2 and not place):
        return ""
    words = " ".join(w[:1].upper() + w[1:] for w in kind.split())
    return f"{place} {words}" if place else words


def _tidy_kind(kind: str) -> str:
    words = kind.strip().split()
    if (
        not words
        or len(words) > MAX_KIND_WORDS
        or _WORDS_NOT_KINDS.match(kind.strip())
        or _NOT_A_KIND.search(kind)
        or re.fullmatch(_ARTICLES, words[0], re.I)
    ):
        return ""
    return " ".join(words)


def _place(text: str, name: str) -> str:
    """The first place named with "in", "en", "à" … that is not part of the subject's own name."""
    for m in _PLACE.finditer(text):
        place = _POSSESSIVE.sub("", m.group("place"))
        if name and place.lower() in name.lower():
            continue
        return place
    return ""
