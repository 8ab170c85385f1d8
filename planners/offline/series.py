"""Numbers written inline as a series: "Jan 120, Feb 140, Mar 165", "ours 5100 vs theirs 2300",
"40 in 2019, 55 in 2020", "in 2021 we had 34 singers, in 2022 41", "unter 18: 22 %, 18–30: 48 %", "46% cream teas, 31% lunches", "boats €48,000, clubhouse repairs €12,000", "绿茶 40, 红茶 35", "values 12, 18, 25".

A series is the longest run of label–value pairs joined by commas, semicolons, "and" or a comparison
word ("vs", "tegenover", "contre"…), in any language; labels and values are kept verbatim.
"""

from __future__ import annotations

import re

from webagent.core.contracts import Dataset
from webagent.planners.offline.text import MEDIA_WORDS

# Bounded runs ({0,40}, {0,30}) and possessive blanks (\s*+): an open-ended run rescanned a long word
# or number at every start of a failed match, quadratic in its length.
_WORD = r"[^\W\d_][\w.'’&/-]{0,40}"
_SPECIAL_LABEL = r"Q[1-4](?: \d{4})?|\d{4}(?:/\d{2})?|\d{1,2}:\d{2}|\d{1,2}(?:am|pm|AM|PM)"
# A label: a quarter, a year, a time, or up to three words in any script ("Mar 2", "regional average").
# A range of ages or sizes as a label: "de 18 a 30", "18 to 30", "from 5 to 10".
_RANGE_LABEL = r"(?<![\w'’-])(?:[^\W\d_]{1,12}\s)?\d{1,3}\s(?:a|to|bis|à|al)\s\d{1,3}(?=\s)"
_LABEL = rf"(?:{_SPECIAL_LABEL}|{_RANGE_LABEL}|(?<![\w'’-]){_WORD}(?:\s{_WORD}|\s\d{{1,2}}(?!\d|[.,]\d|\s\d{{3}}(?!\d))){{0,2}})"
# A value never starts "045": a leading zero before a digit is part of a larger number ("1 045").
_VALUE = r"[-−+]?[$€£¥]?\s?(?!0\d)\d[\d,.]{0,30}\s?(?:%|k|K|M|bn)?"
# "1 250", "12 500" with a (narrow, non-breaking) space between thousands, as French and Nordic prompts write them.
_GROUPED_VALUE = r"[-−+]?[$€£¥]?\s?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])(?:,\d+)?\s?(?:%|k|K|M|bn)?"
# A value ends the pair; a number right after it means it was a label ("per year: 2019 40", "— 2019 : 120").
_VALUE_END = r"(?=\)|[\s,;.]|$)(?!\s*+[:=]?\s*+[-−+]?[$€£¥]?\d)"


def _label_first(value: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?P<label>{_LABEL})\s*+(?:[:=]|\bat\b|\bwith\b|\(|—|–|-(?=\s))?\s*+(?P<value>{value}){_VALUE_END}"
    )


def _colon_first(value: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w+–-])(?P<label>{_COLON_LABEL})\s*+:\s++(?P<value>{value}){_VALUE_END}")


# "unter 18: 22 %", "30–39: 1,245", "50+: 604": before a colon, a label may hold numbers of its own.
_COLON_LABEL = r"[^\W_][\w+'’.]{0,30}(?:(?:\s|–|-)[\w+'’.]{1,30}){0,3}"
# A cell the prompt marks as missing inside a series ("2019 3,120 · 2020 cancelled · 2021 2,480"): kept as a pair,
# so the run goes on, and dropped with a warning where the chart's numbers are read.
_MISSING = r"(?:n/a|N/A|NaN|nan|none|cancell?ed|tbd|TBD|unknown|closed|postponed|[–—-](?=\s*[,;·|]))"
_LABEL_FIRST = _label_first(rf"(?:{_VALUE}|{_MISSING})")
_LABEL_FIRST_GROUPED = _label_first(rf"(?:{_GROUPED_VALUE}|{_VALUE}|{_MISSING})")
_COLON_FIRST = _colon_first(_VALUE)
_COLON_FIRST_GROUPED = _colon_first(rf"(?:{_GROUPED_VALUE}|{_VALUE})")
# Up to three words ending where the pair ends: "memberships", "the bar", "cream teas".
_WORDS_LABEL = r"[^\W\d_][\w'’-]{0,30}(?:\s[^\W\d_][\w'’-]{0,30}){0,2}?"
_PAIR_END = r"(?=\s*+(?:[,;.)—–·'’”\"]|\b(?:and|to)\b|$))"
# "2.3k in January", "$42k from memberships", "12,000 oysters in 2021, 15,500 in 2022": the value, perhaps its
# unit word, then what it was for.
_VALUE_FIRST = re.compile(
    rf"(?<![\w.,])(?P<value>{_VALUE})(?:\s++[^\W\d_][\w'’-]{{0,20}})?\s++(?:in|for|from|during|en|im|em|nel|dans)\s++"
    rf"(?P<label>{_SPECIAL_LABEL}|{_WORDS_LABEL}){_PAIR_END}"
)
# "46% cream teas, 31% lunches", "180 applied, 96 invited, 41 accepted": a value, then what it counts.
_VALUE_THEN_WORDS = re.compile(rf"(?<![\w.,])(?P<value>{_VALUE})\s+(?P<label>{_WORDS_LABEL}){_PAIR_END}")
# "in 2021 we had 34 singers, in 2022 41, in 2023 52": a year, a few words, the value and its unit word.
_IN_YEAR_FIRST = re.compile(
    r"\b(?:in|en|im|em|nel|dans)\s+(?P<label>(?:19|20)\d\d)\s*,?\s*(?:[^\W\d_][\w'’]{0,20}\s+){0,3}?"
    rf"(?P<value>{_VALUE})(?:\s+(?!(?:in|and|en|im|em|nel|dans|et|y|und|e)\b)[^\W\d_][\w'’]{{0,20}})?(?=[\s,;.)]|$)"
)
_COMPARED = r"vs\.?|versus|against|tegenover|contre|gegen(?:über)?|frente a|contra|rispetto a|comparado con"
# Between two pairs: a comma, "and", a comparison word… after the first value's unit word ("120 membres, 2020 : 95").
_JOINED = re.compile(
    rf"(?:\s++[^\W\d_][\w'’-]{{0,19}}(?=\s*+[,;/]))?\s*+(?:[,;/|·]|and|&|\bthen\b|\bto\b|{_COMPARED})?\s*+(?:and\s+)?",
    re.I,
)
_COMPARISON = re.compile(rf"\b(?:{_COMPARED})\b", re.I)
_LEADING_CONNECTOR = re.compile(
    rf"^(?:(?:and|or|&|then|plus|y|et|und|en|e|o|to|e\.g\.,?|i\.e\.,?|such as|for example|like|{_COMPARED})\s+)+", re.I
)
_NOT_LABELS = {
    "the",
    "a",
    "an",
    "and",
    "with",
    "at",
    "of",
    "or",
    "to",
    "from",
    "by",
    "in",
    "on",
    "is",
    "are",
    "was",
    "about",
    "around",
    "over",
    "under",
    "than",
    "then",
}
_VALUES = re.compile(
    r"\bvalues?(?:\s++of)?\s*+:?\s*+((?:[-−]?\d[\d,.]{0,30}%?\s*+(?:,|and|&)\s*+){2,11}[-−]?\d[\d,.]{0,30}%?)", re.I
)
MIN_PAIRS = 3  # fewer pairs are a sentence's numbers, not a series …
MIN_COMPARED = 2  # … unless a comparison word joins them: "ours 5100 vs theirs 2300"

Pair = tuple[str, str]


def inline_series(text: str, space_grouped: bool = False) -> Dataset | None:
    """The text's longest inline series as a two-column dataset, verbatim, or None. With ``space_grouped``
    (a language that writes "1 250"), a space between thousands keeps a number whole."""
    label_first = _LABEL_FIRST_GROUPED if space_grouped else _LABEL_FIRST
    colon_first = _COLON_FIRST_GROUPED if space_grouped else _COLON_FIRST
    patterns = (label_first, colon_first, _VALUE_FIRST, _VALUE_THEN_WORDS, _IN_YEAR_FIRST)
    best = max((_longest_run(text, pattern) for pattern in patterns), key=lambda run: len(run[0]))
    pairs, compared = best
    if len(pairs) >= MIN_PAIRS or (compared and len(pairs) >= MIN_COMPARED):
        return Dataset(title="", columns=["Label", "Value"], rows=[[label, value] for label, value in pairs])
    values = _VALUES.search(text)
    if values:
        numbers = [n.rstrip(",.") for n in re.findall(r"[-−]?\d[\d,.]*%?", values.group(1))]
        if len(numbers) >= MIN_PAIRS:
            return Dataset(title="", columns=["Point", "Value"], rows=[[str(i + 1), n] for i, n in enumerate(numbers)])
    return None


def _longest_run(text: str, pattern: re.Pattern[str]) -> tuple[list[Pair], bool]:
    """The longest run of adjacent pairs ``pattern`` finds, and whether a comparison word joins it."""
    best: tuple[list[Pair], bool] = ([], False)
    run: list[Pair] = []
    compared = False
    last_end = -1
    for m in pattern.finditer(text):
        raw_label = m.group("label").strip()
        label = _LEADING_CONNECTOR.sub("", raw_label)
        if not label or label.lower() in _NOT_LABELS or MEDIA_WORDS.fullmatch(label):
            continue  # "3 photos, 2 videos and 1 map" counts media, not data
        joint = text[last_end : m.start()] + raw_label[: len(raw_label) - len(label)]
        pair = (label, m.group("value").strip().rstrip(",."))
        if last_end >= 0 and _JOINED.fullmatch(joint):
            run.append(pair)
            compared = compared or bool(_COMPARISON.search(joint))
        else:
            if len(run) > len(best[0]):
                best = (run, compared)
            run, compared = [pair], False
        last_end = m.end()
    return (run, compared) if len(run) > len(best[0]) else best
