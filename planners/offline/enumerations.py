"""Sentences that list several sections of the page one after another.

"Sections: intro, where the money went, our volunteers, footer.", "Hero with a photo of the table, then three
feature cards, then pricing.", "Then a masonry gallery of eight photos, a testimonials section, and a booking
form." Each listed section becomes a sentence of its own, marked ``listed``, so that segmentation opens a
section at each. A sentence is such a list when a cue opens it ("Sections:") or when two or more of its parts
(cut at commas, semicolons and "then") name a section; a part that names none stays with the part before it
("a hero with a photo, a headline and a button"). A colon or a dash inside a part opens that part's contents
("a bar chart of covers — Mon 42, Tue 38"): the rest of the sentence is that part's.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from webagent.planners.offline.leads import is_bare_name, names_section

if TYPE_CHECKING:
    from webagent.planners.offline.sentences import Sentence

# "Sections: …", "Page sections: …", "Rubriques : …": every part after the cue is a section.
_CUE = re.compile(
    r"^(?:the\s+)?(?:page\s+)?(?:sections?|secciones|seções|secções|rubriques|abschnitte|bereiche|sezioni|secties|onderdelen)"
    r"\s*:\s*",
    re.I,
)
_THEN = r"then|and then|after that|puis|ensuite|luego|después|dann|danach|poi|depois|daarna"
_AND = r"and|plus|y|et|und|e|en"
# Where one listed part ends and the next begins.
_CUT = re.compile(rf"\s*[,;]\s*(?:(?:{_AND}|{_THEN})\s+)*|\s+(?:{_THEN})\s+", re.I)
_BY_SEMICOLON = re.compile(rf"\s*;\s*(?:(?:{_AND}|{_THEN})\s+)*", re.I)
# "a how-to-join section and a FAQ": "and" joins two sections only after a name alone ("a gallery of three photos
# and a pie chart" may be one section's contents).
_JOIN = re.compile(rf"\s+(?:{_AND}|&)\s+", re.I)
# A colon or a spaced dash opens a part's contents; parts are not cut after it.
_CONTENTS = re.compile(r":|\s[—–-]\s")
# "There are no animations, videos, or charts": a list of what the page leaves out is no list of sections.
_NEGATED = re.compile(
    r"\b(?:no|not|without|never|nor|neither|sans|sin|ohne|kein\w*|senza|geen|zonder|nenhum\w*)\b", re.I
)
# "Below the header, the pricing section …": a place, not a section of its own.
_PLACE = re.compile(
    r"^\s*(?:directly\s+|just\s+|right\s+)?(?:below|beneath|under|underneath|after|above|before|following|beside|"
    r"behind|next to|sous|après|debajo de|después de|unter|nach|neben)\s+(?:the|it|this|that|le|la|les|l['’]|el|los|"
    r"las|der|die|das|dem|den)\b",
    re.I,
)
_BRACKETED = re.compile(r"\([^()\n]{0,300}\)|\[[^\[\]\n]{0,300}\]")
MIN_LISTED = 2  # fewer named parts are one section's description
_BULLET = re.compile(r"^\s*(?:[-–*•·]|\d{1,2}[.)])\s+")
# "- Palette #3E2723 and #FFB300", "- No video": a bullet about the whole page, not a section.
_PAGE_WIDE = re.compile(
    r"#[0-9a-f]{3,8}\b|^(?:no|geen|sin|sans|pas de|kein\w*|ohne|nessun\w*|senza|nenhum\w*|without)\b", re.I
)
MIN_BULLETS = 3  # a bulleted brief has three bullets or more …
MAX_PROSE_AROUND_BULLETS = 3  # … and few sentences that are not bullets
MAX_LIST_CHARS = 800  # a longer sentence describes; it is not read as a list (and its cuts are never sought)


def lists_sections_after_a_cue(text: str) -> bool:
    """Whether a line or sentence of ``text`` opens with a cue to a list of sections ("Sections: …")."""
    return any(_CUE.match(line.strip()) for line in re.split(r"\n|(?<=[.!?])\s+", text))


def split_listed_sections(sentences: list[Sentence], plain_text: str) -> list[Sentence]:
    """``sentences`` with each sentence that lists sections cut into one sentence per section.

    ``plain_text`` is the prose with quoted strings blanked, at the same offsets."""
    out: list[Sentence] = []
    for sentence in sentences:
        out.extend(_listed_parts(sentence, plain_text[sentence.start : sentence.end]))
    return _bullets_listed(out, plain_text)


def _bullets_listed(sentences: list[Sentence], plain_text: str) -> list[Sentence]:
    """A brief written as a bulleted list — a title line or two, then bullets, one naming a section — lists a
    section per bullet ("- Sticky header with …", "- Menu in two columns", "- One photo of …")."""
    bullets = [i for i, s in enumerate(sentences) if _BULLET.match(s.text)]
    if len(bullets) < MIN_BULLETS or len(sentences) - len(bullets) > MAX_PROSE_AROUND_BULLETS:
        return sentences
    if not any(names_section(plain_text[sentences[i].start : sentences[i].end]) for i in bullets):
        return sentences
    marked = list(sentences)
    for i in bullets:
        if not _PAGE_WIDE.search(_BULLET.sub("", sentences[i].text)):
            marked[i] = dataclasses.replace(sentences[i], listed=True)
    return marked


def _listed_parts(sentence: Sentence, plain: str) -> list[Sentence]:
    if len(plain) > MAX_LIST_CHARS:
        return [sentence]
    cue = _CUE.match(plain)
    if cue is None and _NEGATED.search(plain):
        return [sentence]
    begin = cue.end() if cue else 0
    scanned = _BRACKETED.sub(lambda m: "_" * len(m.group(0)), plain)  # no cut inside brackets
    contents = _CONTENTS.search(scanned, begin)
    limit = contents.start() if contents else len(plain)
    cut = _BY_SEMICOLON if ";" in scanned[begin:limit] else _CUT  # "a; b, told more; c": commas are inside a part
    cuts = [(m.start(), m.end()) for m in cut.finditer(scanned, begin, limit) if m.start() > begin]
    spans = list(zip([begin] + [end for _, end in cuts], [start for start, _ in cuts] + [len(plain)]))
    spans = [piece for a, b in spans for piece in _split_joined(plain, scanned, a, b)]
    if len(spans) < MIN_LISTED:
        return [sentence]
    named = [cue is not None or _names(plain[a:b]) for a, b in spans]
    if sum(named) < MIN_LISTED:
        return [sentence]
    parts: list[tuple[int, int, bool]] = []
    for (a, b), is_named in zip(spans, named):
        if parts and not is_named:
            parts[-1] = (parts[-1][0], b, parts[-1][2])  # "… a headline and a button" stays with its part
        else:
            parts.append((a, b, is_named))
    return [_part(sentence, a, b, listed, piece) for piece, (a, b, listed) in enumerate(parts, start=1)]


def _names(part: str) -> bool:
    """Whether a part names a section; "Below the header" places the next one."""
    return not _PLACE.match(part) and names_section(part) is not None


def _split_joined(plain: str, scanned: str, a: int, b: int) -> list[tuple[int, int]]:
    """[a, b) cut where "and" follows a section's bare name and a section's name follows it."""
    for m in _JOIN.finditer(scanned, a, b):
        if is_bare_name(plain[a : m.start()]) and _names(plain[m.end() : b]):
            return [(a, m.start()), *_split_joined(plain, scanned, m.end(), b)]
    return [(a, b)]


def _part(sentence: Sentence, a: int, b: int, listed: bool, piece: int) -> Sentence:
    text = sentence.text[a:b]
    lead = len(text) - len(text.lstrip(" ,;"))
    text = text.strip(" ,;")
    start = sentence.start + a + lead
    return dataclasses.replace(sentence, start=start, end=start + len(text), text=text, listed=listed, piece=piece)
