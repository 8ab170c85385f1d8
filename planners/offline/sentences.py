"""Split a design prompt into prose, quoted spans and sentences.

Everything downstream works on offsets into one string, ``Prose.text``: the prompt with its
tables, code blocks and markdown headings blanked out (replaced by spaces, so offsets and
paragraph breaks survive). Quote spans are found first so that a full stop inside a quoted
headline (“READ TOGETHER. / THINK DEEPER.”) never ends a sentence.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from webagent.planners.offline.enumerations import split_listed_sections
from webagent.planners.offline.text import CHART_WORDS

# A quoted string may be at most this long; an opening quote without a close this near is
# treated as a stray character, which keeps the scan linear on hostile input.
MAX_QUOTE_CHARS = 800
# Beyond these counts a prompt is not a design brief; the rest is left unread.
MAX_QUOTES = 5000
MAX_SENTENCES = 6000

_CURLY = re.compile(r"“([^“”\n]{1,%d}?)”" % MAX_QUOTE_CHARS)
_LOW_HIGH = re.compile(r"„([^„“”\n]{1,%d}?)[“”]" % MAX_QUOTE_CHARS)
_GUILLEMETS = re.compile(r"«\s?([^«»\n]{1,%d}?)\s?»" % MAX_QUOTE_CHARS)
_STRAIGHT = re.compile(r'(?<![\w"])"([^"\n]{1,%d})"(?![\w"])' % MAX_QUOTE_CHARS)

_TABLE_LINE = re.compile(r"^\s*\|.*\|?\s*$")
_HEADING_LINE = re.compile(r"^\s{0,3}(#{1,6}\s+\S.*|\*\*[^*\n]{1,200}\*\*:?\s*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")
# A line of a list of data points: "- January: 340", "2. March – 520 kg". Three in a row, with the title line above
# them ("Monthly signups:"), are data (read by tables.parse_series_lines), not prose.
_DATA_ITEM = re.compile(
    r"^[ \t]*(?:[-*•]|\d{1,2}[.)])?[ \t]*[^\n:=–|]{1,40}[:=–][ \t]*[-−+]?[$€£¥]?\s?\d[\d \t,.]*\s?(?:%|[kKM]|bn|[A-Za-z]{1,3})?\s*$"
)
MIN_DATA_ITEMS = 3
_BOUNDARY = re.compile(r"[.!?…]+[\"”’)\]]*\s+|\n")
_LABEL_AHEAD = re.compile(r"[A-Z][\w-]{1,20}(?: [\w-]{1,20})?:\s")
_LIST_NUMBER = re.compile(r"(?:^|(?<=\n))[ \t]*\d{1,2}$")
_ABBREVIATIONS = {
    "e.g",
    "i.e",
    "vs",
    "etc",
    "approx",
    "dr",
    "mr",
    "mrs",
    "ms",
    "st",
    "no",
    "fig",
    "ca",
    "cf",
    "inc",
    "ltd",
    "co",
    "jr",
    "sr",
    "mt",
    "ft",
    "min",
    "max",
    "avg",
    "est",
    "u.s",
    "p",
    "pp",
    "vol",
}


@dataclass(frozen=True)
class Quote:
    """One quoted string of the prompt: the text between the marks and where it sits."""

    text: str
    start: int  # offset of the opening mark
    end: int  # offset just past the closing mark
    doubled: bool = False  # written ““like this”” (a quotation inside quotes)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int
    heading: bool = False  # a markdown heading, read as the label of the section under it ("## Pricing")
    listed: bool = False  # one section of a sentence that lists several ("Sections: intro, work, contact.")
    piece: int = 0  # its place in that sentence, from 1 (0: a whole sentence)


@dataclass
class Prose:
    """The prompt's prose (tables and code blanked), its quotes and its sentences."""

    text: str
    quotes: list[Quote] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    _quote_starts: list[int] = field(default_factory=list, repr=False)

    def quotes_between(self, start: int, end: int) -> list[Quote]:
        i = bisect.bisect_left(self._quote_starts, start)
        found = []
        while i < len(self.quotes) and self.quotes[i].start < end:
            found.append(self.quotes[i])
            i += 1
        return found

    def without_quotes(self, start: int, end: int) -> str:
        """The text of [start, end) with every quoted string replaced by spaces."""
        chunk = list(self.text[start:end])
        for quote in self.quotes_between(start, end):
            for k in range(max(quote.start, start), min(quote.end, end)):
                chunk[k - start] = " "
        return "".join(chunk)


def prose_lines(prompt: str) -> tuple[str, set[int]]:
    """The prompt with table rows, fenced code and lists of data points blanked out, and each markdown heading
    with prose under it written as its section's label ("## Pricing" → "Pricing:"); a heading over nothing but
    data is blanked. Also the offsets where those labels start."""
    lines = prompt.split("\n")
    out: list[str] = []
    prose: list[bool] = []  # whether the line is prose a heading may stand over
    in_fence = False
    for line in lines:
        fence = bool(_FENCE.match(line))
        blank = fence or in_fence or bool(_TABLE_LINE.match(line))
        in_fence = in_fence != fence
        out.append(" " * len(line) if blank else line)
        prose.append(not blank and bool(line.strip()) and not _HEADING_LINE.match(line))
    for first, last in _data_lists(lines):
        title = lines[first - 1] if first > 0 else ""
        if title.rstrip().endswith(":") and len(title) <= 80 and not CHART_WORDS.search(title):
            first -= 1  # the list's title: "Monthly signups:" ("Area chart of visits:" asks for a chart and stays)
        for k in range(first, last):
            out[k] = " " * len(lines[k])
            prose[k] = False
    labels: set[int] = set()
    offset = 0
    for k, line in enumerate(lines):
        if out[k] == line and _HEADING_LINE.match(line):
            following = next((prose[n] for n in range(k + 1, len(lines)) if lines[n].strip()), False)
            out[k] = _as_label(line) if following else " " * len(line)
            if out[k].strip():
                labels.add(offset)
        offset += len(line) + 1
    return "\n".join(out), labels


def _as_label(heading: str) -> str:
    """A markdown heading line as the label of the section it opens, at the same length: "## Pricing" →
    "Pricing:   "; a heading with no room for its colon ("**X**" is one) is blanked."""
    name = heading.strip().lstrip("#").strip().strip("*").strip().rstrip(":")
    label = f"{name}:" if name else ""
    return label.ljust(len(heading)) if len(label) <= len(heading) else " " * len(heading)


def _data_lists(lines: list[str]) -> list[tuple[int, int]]:
    """(first, past last) line of each run of MIN_DATA_ITEMS or more data points."""
    runs: list[tuple[int, int]] = []
    start = None
    for k, line in enumerate([*lines, ""]):
        if k < len(lines) and _DATA_ITEM.match(line):
            start = k if start is None else start
            continue
        if start is not None and k - start >= MIN_DATA_ITEMS:
            runs.append((start, k))
        start = None
    return runs


def find_quotes(text: str) -> list[Quote]:
    """Every quoted string, in order: “curly”, „low-high“, «guillemets» and "straight"."""
    taken: list[tuple[int, int]] = []
    quotes: list[Quote] = []

    def free(a: int, b: int) -> bool:
        i = bisect.bisect_right(taken, (a, 1 << 62)) - 1
        if i >= 0 and taken[i][1] > a:
            return False
        j = i + 1
        return not (j < len(taken) and taken[j][0] < b)

    for pattern in (_CURLY, _LOW_HIGH, _GUILLEMETS, _STRAIGHT):
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            inner = m.group(1)
            start, end = m.start(), m.end()
            doubled = False
            if pattern is _CURLY:
                # ““A quotation inside quotes”” — swallow the doubled marks into one span.
                if start > 0 and text[start - 1] == "“" and end < len(text) and text[end] == "”":
                    start, end, doubled = start - 1, end + 1, True
            if not free(start, end):
                continue
            bisect.insort(taken, (start, end))
            quotes.append(Quote(inner, start, end, doubled))
    quotes.sort(key=lambda q: q.start)
    return [q for q in quotes if q.text.strip(' ,“”"')][:MAX_QUOTES]


def split_sentences(text: str, quotes: list[Quote]) -> list[Sentence]:
    """Sentences with offsets; never split inside a quoted string or after an abbreviation."""
    starts = [q.start for q in quotes]

    def inside_quote(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos - 1) - 1
        return i >= 0 and quotes[i].start < pos < quotes[i].end

    breaks = [m.start() for m in re.finditer(r"\n[ \t]*\n", text)]
    sentences: list[Sentence] = []
    begin = 0
    for m in _BOUNDARY.finditer(text):
        if len(sentences) >= MAX_SENTENCES:
            return sentences
        cut = m.end()
        if m.group(0) != "\n":
            if inside_quote(m.start() + 1) and inside_quote(cut - 1):
                continue
            following = text[cut : cut + 1]
            if following and following.islower():
                continue
            word = re.search(r"([\w.]+)\.$", text[max(begin, m.start() - 12) : m.start() + 1])
            if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS and not _LABEL_AHEAD.match(text, cut):
                continue  # "Bike Co. Top: a video …" ends at "Co." all the same: a label opens the next sentence
            if _LIST_NUMBER.search(text, max(begin, m.start() - 4), m.start()):
                continue  # "2. Work: …" — a numbered list item starts here, not a sentence end
        _append(sentences, text, begin, cut, breaks)
        begin = cut
    _append(sentences, text, begin, len(text), breaks)
    return sentences


def _append(sentences: list[Sentence], text: str, begin: int, end: int, breaks: list[int]) -> None:
    chunk = text[begin:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    start = begin + lead
    paragraph = bisect.bisect_right(breaks, start)
    sentences.append(Sentence(start, start + len(stripped), stripped, paragraph))


def read_prose(prompt: str, cut_lists: bool = True) -> Prose:
    """The prompt's prose; with ``cut_lists``, a sentence listing several sections is cut into one per section."""
    text, headings = prose_lines(prompt)
    quotes = find_quotes(text)
    prose = Prose(text=text, quotes=quotes, _quote_starts=[q.start for q in quotes])
    sentences = [replace(s, heading=True) if s.start in headings else s for s in split_sentences(text, quotes)]
    prose.sentences = split_listed_sections(sentences, prose.without_quotes(0, len(text))) if cut_lists else sentences
    return prose
