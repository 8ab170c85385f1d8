"""Copy from what the prompt says a section tells, for sections the prompt quotes no body copy for.

"A timetable section titled “Sailing Times” lists the crossings every half hour from 8am to 6pm" gives the
section the line "Crossings every half hour from 8am to 6pm."; a listed part, "2. Visit: opening times and
ticket prices", the line "Opening times and ticket prices." Only a sentence whose subject is the section and
whose verb says what it tells counts, or a listed part's description, and only when what it tells names no
medium, is no quote, heading or layout element and no description of the look (colours, fonts, borders):
those are placed elsewhere or are design. A hero says what the opening sentence says the page's subject is
("…, a small passenger ferry between Oban and Kerrera"). English prompts only: the verbs are English.
"""

from __future__ import annotations

import re

from webagent.planners.offline.content import PlacedItem, SectionCopy
from webagent.planners.offline.sections import Chunk

# The sentence introducing a section says what it tells: "A timetable section titled “Sailing Times” lists …".
TELLS = re.compile(
    r"^(?:(?:then|next|below|after that|finally),?\s+)?(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:section|band|area|panel|part)"
    r"(?:\s+(?:titled|called|named|headed)\s+[“\"][^”\"]*[”\"])?,?\s+(?:that\s+|which\s+)?"
    r"(?:lists|gives|presents|offers|explains|describes|covers|introduces|outlines|summari[sz]es|tells|shares|"
    r"invites|announces|answers)\s+(?P<rest>.+)$",
    re.I,
)
NOT_COPY = re.compile(
    r"^(?:(?:of|is|are|with|in|on|at|by|to|that|which|how|where|its|their|one|two|three|four|five|six|seven|eight|"
    r"several|\d+)\b|(?:the |a |an )?(?:[\w-]+ ){0,3}?"
    r"(?:headlines?|headings?|titles?|subtitles?|taglines?|logos?|photos?|photographs?|images?|pictures?|videos?|"
    r"clips?|charts?|graphs?|buttons?|links?|grids?|cards?|rows?|columns?|icons?|galler(?:y|ies)|carousels?|maps?|"
    r"tables?|forms?|quotes?|illustrations?|screenshots?|thumbnails?|portraits?|badges?|tiles?|panels?|lists?)\b)",
    re.I,
)
# words that describe the look, not the subject: such a line is about the design, not copy for the page
DESIGN_WORDS = re.compile(
    r"\b(?:px|rem|font|fonts|typeface|serif|sans|colou?rs?|background|border|shadow|outline|gradient|layout|grid|"
    r"columns?|rows?|aligned|align|centered|centred|rounded|corner|icon|icons|hover|padding|margin|spacing|bold|"
    r"italic|uppercase|opacity|white|black|grey|gray|red|blue|green|yellow|orange|purple|pink|beige|cream|navy|"
    r"text|texts|iconography|imagery|typography|visual|visuals|visually|style|styled|structured|design|designed|"
    r"pastel|tone|list|links?)\b|\b(?:on|to) the (?:left|right)\b",
    re.I,
)
# "2. Visit: opening times, ticket prices and accessibility notes"
NAMED_PART = re.compile(r"^(?:\d{1,2}[.)]\s*|[-•*–]\s*)?(?P<name>[A-Z][\w '’&/-]{1,40}):\s+(?P<rest>.+)$")
MEDIA_WORDS = re.compile(
    r"\b(?:photos?|photographs?|images?|pictures?|videos?|clips?|charts?|graphs?|galler(?:y|ies)|carousels?|maps?|"
    r"illustrations?|icons?|screenshots?|thumbnails?|portraits?|logos?|footage|animation|shots?|tables?|csv|data)\b",
    re.I,
)
BODY_ROLES = {"body", "list_item", "quote"}
# "… a landing page for “Harbour Lights Ferry”, a small passenger ferry between Oban and Kerrera."
APPOSITIVE = re.compile(r"[”\"»],\s+(?P<what>(?:a|an|the)\s+[^.;:!?“”\"]{8,160})[.;]")
LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+(?![\w-]+['’]s\b)", re.I)  # "the school's …" keeps its article
MIN_WORDS, MAX_CHARS = 3, 220
DATA_NUMBERS = 4  # "Mon 35, Tue 42, Wed 28, Thu 50" is a chart's data, not copy


def described_line(sentence: str) -> str | None:
    """The copy line a describing sentence gives, or None when it describes no copy."""
    told = TELLS.match(sentence.strip())
    if told is None:
        told = NAMED_PART.match(sentence.strip())
        if told is None or MEDIA_WORDS.search(told.group("name")) or DESIGN_WORDS.search(told.group("name")):
            return None  # "Icons: a small question mark …" describes a picture, "Colours: …" the look
    return copy_line(told.group("rest"))


def copy_line(told: str, article: bool = False) -> str | None:
    """What a sentence tells, as a line of copy: capitalised, ending in a full stop, without its leading article
    unless ``article``; None when it is no copy."""
    rest = told.strip().rstrip(".!;: ")
    if (
        NOT_COPY.match(rest)
        or DESIGN_WORDS.search(rest)
        or MEDIA_WORDS.search(rest)
        or re.search(r"[“”\"«»:]", rest)
        or len(re.findall(r"\d+(?:[.,]\d+)?", rest)) >= DATA_NUMBERS
        or not MIN_WORDS <= len(rest.split())
        or len(rest) > MAX_CHARS
    ):
        return None
    rest = rest if article else LEADING_ARTICLE.sub("", rest)
    return rest[0].upper() + rest[1:] + "."


def subject_line(opening: str, title: str) -> str | None:
    """What the opening sentence says the page's subject is: "…“Harbour Lights Ferry”, a small passenger ferry
    between Oban and Kerrera." or "Hanul Dance Academy is a dance school in Hongdae, Seoul, …"."""
    name = re.escape(title) if title else r"(?!)"
    found = APPOSITIVE.search(opening) or re.search(
        rf"{name}[”\"»]?(?:,|\s+(?:is|are))\s+(?P<what>(?:a|an|the)\s+[^.;:!?“”\"]{{8,200}})[.;]", opening
    )
    return copy_line(found.group("what"), article=True) if found else None


def add_described_copy(chunks: list[Chunk], copies: list[SectionCopy], opening: str, title: str) -> None:
    """Give each section with no body copy of its own the lines its sentences describe (after its items); a hero
    with none says what the opening sentence says the page's subject is."""
    for chunk, copy in zip(chunks, copies):
        if chunk.role in {"header", "footer"} or any(item.role in BODY_ROLES for item in copy.items):
            continue
        lines = [(index, described_line(sentence.text)) for index, sentence in enumerate(chunk.sentences)]
        if chunk.role == "hero":
            lines.insert(0, (0, subject_line(opening, title)))
        copy.items += [PlacedItem(line, "body", chunk.end, index) for index, line in lines if line]
