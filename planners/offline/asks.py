"""What a short prompt asks for: the media it names and the kinds of media it rules out.

A one-liner names its media in phrases: "a hero video of a sunrise class", "three photos of
pastries", "a bar chart of revenue: Q1 12, Q2 19, Q3 15". The phrases are found by the same rules
as in long prompts (media.py: nouns, counts, negation), then each is read for its parts:
- the words just before the noun, or "in the …" after it, may name its section ("hero video");
- "of …", "showing …" give its subject, which titles a chart and describes a picture;
- number pairs after it are a chart's data, kept verbatim (series.inline_series); a chart without
  them takes the prompt's next table of numbers.
Every sentence of a short prompt speaks for the whole page, so any negation rules a kind out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from webagent.core.contracts import Dataset
from webagent.planners.offline.language import detect_language
from webagent.planners.offline.media import MediaDraft, find_media, globally_negated
from webagent.planners.offline.quotes import read_quotes
from webagent.planners.offline.sections import Chunk, Segmentation, role_scores
from webagent.planners.offline.sentences import Prose, read_prose
from webagent.planners.offline.series import inline_series
from webagent.planners.offline.tables import (
    EACH_DATASET,
    SPACE_GROUP_LANGUAGES,
    parse_series_lines,
    plottable_tables,
    weakly_matched,
)
from webagent.planners.offline.text import COUNT_WORDS

_CONNECTOR = (
    r"(?:with|and|or|plus|of|for|in|on|at|to|featuring|including|avec|et|pour|con|y|para|mit|und|für|de|du|des)"
)
# "a gallery of", then the article or count that opens a media phrase, then up to three words that qualify the noun.
_HEAD = re.compile(
    r"(?<![\w'’-])(?:(?:an?|the)\s+(?P<container>gallery|grid|row|carousel|collection|set|series|slideshow|mosaic|wall)\s+of\s+)?"
    rf"(?:(?:an?|the|one|{COUNT_WORDS}|\d{{1,2}}|some|several|une?|des|una?|unos|unas|ein(?:e[mnr]?)?)\s+)?"
    rf"(?P<modifiers>(?:(?!{_CONNECTOR}\b)[\w'’-]+\s+){{0,3}})$",
    re.I,
)
# The chart type a Romance language puts after the noun: "gráfico de barras", "graphique en barres", "grafico a torta".
_TYPE_AFTER = re.compile(
    r"^\s+(?:(?:de|en|a|em|in)\s+)?(?:barras?|barres?|barre|columnas?|colonnes?|colunas?|l[íi]neas?|lignes?|linee|"
    r"linhas?|secteurs?|torta|pastel|camembert|circular|circulaire|anillo|donut)(?:\s+(?:agrupadas?|group[ée]es?|apiladas?|"
    r"empil[ée]es?|horizontales?|verticales?))?\b",
    re.I,
)
_SUBJECT = re.compile(
    r"^(?:\s+[a-z]+)??\s+(?:(?:of|showing|depicting|about|del|della|dei|delle|degli|des|der|dos|das|da|do|de|von|vom|di|sobre)\b\s*|d['’]\s*)"
    rf"(?P<subject>[^.;:!?,()—–]+?)(?=\s*(?:[.;:!?,()—–]|$)|\s+{_CONNECTOR}\s)",
    re.I,
)
_PLACE = re.compile(
    r"\s+(?:in|on|at|inside|within|dans|sur|en|im|in der)\s+(?:the\s+|la\s+|le\s+|el\s+|der\s+|dem\s+)?(?P<place>[\w-]+)",
    re.I,
)
_LAST_NUMBER = re.compile(r".*\d[%kKMbn]*", re.S)
_ARTICLE = re.compile(
    r"^(?:an?|the|our|my|their|une?|les?|la|des|el|los|las|una?|der|die|das|ein(?:e[mnr]?)?)\s+", re.I
)
# Media never go in the page's frame. A role word of weight 2 ("about") or more names a section
# (section_roles.json; one mention scores 2.6 × its weight); a weaker one ("menu", "banner") does not.
_FRAME = {"header", "footer"}
_NAMES_SECTION = 5.0
_DANGLING = re.compile(rf"^(?:[\s,;:]|\b{_CONNECTOR}\b)+|(?:[\s,;:]|\b{_CONNECTOR}\b)+$", re.I)


@dataclass
class MediaAsk:
    """One medium a short prompt names, with everything the phrase says about it."""

    kind: str  # image | video | chart
    noun: str  # "video", "photo"
    count: int
    start: int  # the phrase in the prompt: "a hero video of a sunrise class"
    end: int
    phrase: str
    modifiers: str  # the words that qualify the noun: "hero", "bar"
    place: str  # "in the gallery" → "gallery"
    subject: str  # "a sunrise class"
    chart_type: str = "bar"
    horizontal: bool = False
    stacked: bool = False
    dataset: Dataset | None = None

    @property
    def title(self) -> str:
        """The subject as a title: 'monthly active users' → 'Monthly active users'."""
        subject = _ARTICLE.sub("", self.subject.strip())
        return subject[:1].upper() + subject[1:]

    @property
    def is_bare(self) -> bool:
        """No subject or data of its own: "a video reel", "a chart"."""
        return not self.subject and self.dataset is None

    @property
    def description(self) -> str:
        """One item of the phrase: 'A hero video of a sunrise class'; 'three photos of pastries' → 'A photo of pastries'."""
        if self.count == 1:
            text = self.phrase
        else:
            words = " ".join(w for w in (self.modifiers, self.noun) if w)
            text = (
                ("an " if words[:1].lower() in "aeiou" else "a ")
                + words
                + (f" of {self.subject}" if self.subject else "")
            )
        return text[:1].upper() + text[1:]

    def section_role(self, roles: set[str]) -> str:
        """The section the phrase clearly names among `roles` ("a hero video" → hero), else ""."""
        words = f"{self.modifiers} {self.place}".strip()
        candidates = roles - _FRAME
        scores = {
            role: score
            for role, score in role_scores(words, words).items()
            if role in candidates and score >= _NAMES_SECTION
        }
        return max(scores, key=lambda role: scores[role]) if scores else ""


@dataclass
class Asks:
    """The media a short prompt names, in prompt order, and the kinds it rules out."""

    media: list[MediaAsk]
    banned: set[str]

    @property
    def kinds(self) -> set[str]:
        return {ask.kind for ask in self.media}

    def topic(self, text: str) -> str:
        """The prompt without its media phrases: what the page is about."""
        pieces, position = [], 0
        for ask in self.media:
            pieces.append(text[position : ask.start])
            position = ask.end
        pieces.append(text[position:])
        kept = (_DANGLING.sub("", piece) for piece in pieces)
        return " ".join(piece for piece in kept if piece)


def read_asks(text: str) -> Asks:
    """Every medium the prompt names and every kind it rules out."""
    prose = read_prose(text)
    if not prose.sentences:
        return Asks([], set())
    page = Segmentation(list(prose.sentences), [Chunk(sentences=list(prose.sentences))], [])
    drafts = find_media(prose, page, read_quotes(prose), listing=True)
    groups: list[list[MediaDraft]] = []
    for draft in drafts:
        if groups and groups[-1][0].start == draft.start:
            groups[-1].append(draft)
        else:
            groups.append([draft])
    limits = [group[0].start for group in groups[1:]] + [len(prose.text)]
    space_grouped = detect_language(text) in SPACE_GROUP_LANGUAGES
    media: list[MediaAsk] = []
    for group, limit in zip(groups, limits):
        media.append(_ask(prose, group, limit, space_grouped, media[-1].end if media else 0))
    _give_tables_to_charts(text, media)
    _give_neighbouring_series(prose, media, space_grouped)
    return Asks(media, globally_negated(prose, page))


def _give_neighbouring_series(prose: Prose, media: list[MediaAsk], space_grouped: bool) -> None:
    """A chart still without numbers takes the series of the sentence just before or after its own ("Sign-ups:
    2.3k in January, 3.1k in February. Bar chart."), unless that sentence names a chart of its own."""
    sentences = prose.sentences
    at = [next((k for k, s in enumerate(sentences) if s.start <= ask.start < s.end), -1) for ask in media]
    charted = {k for ask, k in zip(media, at) if ask.kind == "chart"}
    taken: set[int] = set()
    for ask, k in zip(media, at):
        if ask.kind != "chart" or ask.dataset is not None or k < 0:
            continue
        for j in (k - 1, k + 1):
            if 0 <= j < len(sentences) and j not in charted and j not in taken:
                series = inline_series(sentences[j].text, space_grouped)
                if series is not None:
                    ask.dataset, _ = series, taken.add(j)
                    break


def _give_tables_to_charts(text: str, media: list[MediaAsk]) -> None:
    """The prompt's tables of numbers go, in order, to the charts that have no numbers of their own; then a
    line of data ("Joining routes: Website 61%, …") to the chart whose words it shares."""
    tables = iter(plottable_tables(text))
    lines = parse_series_lines(text)
    taken: set[int] = set()
    for ask in media:
        if ask.kind == "chart" and ask.dataset is None:
            ask.dataset = next(tables, None)
            free = [i for i in range(len(lines)) if i not in taken]
            line = weakly_matched(ask.title, ask.phrase, lines, free) if ask.dataset is None else None
            if line is not None:
                taken.add(line)
                ask.dataset = lines[line]
    each = next(
        (k for k, ask in enumerate(media) if ask.kind == "chart" and EACH_DATASET.match(text, ask.start, ask.end + 40)),
        None,
    )
    if each is not None:  # "one chart for each dataset": the tables left get a chart like it, beside it
        media[each + 1 : each + 1] = [replace(media[each], dataset=table, subject="") for table in tables]


def _ask(prose: Prose, group: list[MediaDraft], limit: int, space_grouped: bool, after: int) -> MediaAsk:
    """One phrase of the prompt read for its section, subject and data (``after``: where the phrase before it
    ended, so that numbers another medium already holds are not read twice)."""
    draft, text = group[0], prose.text
    start, modifiers = _head(text, draft.start)
    sentence_end = next((s.end for s in prose.sentences if s.start <= draft.start < s.end), len(text))
    tail = text[draft.end : min(limit, sentence_end)]
    typed = _TYPE_AFTER.match(tail) if draft.kind == "chart" else None
    skip = typed.end() if typed else 0
    subject = _SUBJECT.match(tail[skip:])
    end = draft.end + skip + (subject.end() if subject else 0)
    place = _PLACE.match(text, end)
    dataset = inline_series(tail, space_grouped) if draft.kind == "chart" else None
    if dataset is not None:
        end = draft.end + _LAST_NUMBER.match(tail).end()
    elif draft.kind == "chart":  # "Revenue: $42k from memberships, $18.5k from regattas — show it as a donut chart"
        sentence_start = next((s.start for s in prose.sentences if s.start <= draft.start < s.end), start)
        dataset = inline_series(text[max(sentence_start, after) : start], space_grouped)
    return MediaAsk(
        kind=draft.kind,
        noun=draft.noun,
        count=len(group),
        start=start,
        end=end,
        phrase=text[start:end].strip(),
        modifiers=modifiers,
        place=place.group("place") if place else "",
        subject=subject.group("subject").strip() if subject else "",
        chart_type=draft.chart_type,
        horizontal=draft.horizontal,
        stacked=draft.stacked,
        dataset=dataset,
    )


def _head(text: str, noun_start: int) -> tuple[int, str]:
    """Where the phrase of the noun at `noun_start` begins, and the words that qualify the noun."""
    head = _HEAD.search(text, max(0, noun_start - 60), noun_start)
    if head is None:
        return noun_start, ""
    return head.start(), " ".join(filter(None, head.group("container", "modifiers"))).strip()
