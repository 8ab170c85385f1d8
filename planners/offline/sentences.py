"""Split a design prompt into prose, quoted spans and sentences.

Everything downstream works on offsets into one string, ``Prose.text``: the prompt with its
tables, code blocks and markdown headings blanked out (replaced by spaces, so offsets and
paragraph breaks survive). Quote spans are found first so that a full stop inside a quoted
headline (“READ TOGETHER. / THINK DEEPER.”) never ends a sentence.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

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
_BOUNDARY = re.compile(r"[.!?…]+[\"”’)\]]*\s+|\n")
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


def prose_lines(prompt: str) -> str:
    """The prompt with table rows, fenced code and markdown heading lines blanked out."""
    out: list[str] = []
    in_fence = False
    for line in prompt.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
            out.append(" " * len(line))
            continue
        if in_fence or _TABLE_LINE.match(line) or _HEADING_LINE.match(line):
            out.append(" " * len(line))
        else:
            out.append(line)
    return "\n".join(out)


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
            if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
                continue
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


def read_prose(prompt: str) -> Prose:
    text = prose_lines(prompt)
    quotes = find_quotes(text)
    prose = Prose(text=text, quotes=quotes, _quote_starts=[q.start for q in quotes])
    prose.sentences = split_sentences(text, quotes)
    return prose
