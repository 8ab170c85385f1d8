"""How many of a thing a determiner asks for: "a", "three", "a pair of", "12"."""

from __future__ import annotations

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "single": 1,
    "another": 1,
    "two": 2,
    "both": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "dozen": 12,
}
MANY = "|".join([r"\d+", *(word for word, count in NUMBER_WORDS.items() if count > 1)])  # a count of two or more
MAX_COUNT = 24  # a larger number is a measure ("400 px"), not a count of media


def count_of(word: str) -> int | None:
    """The count a determiner word states ("three" → 3, "4" → 4), or None when it states none."""
    word = word.casefold()
    if word.isdigit():
        return int(word) if 0 < int(word) <= MAX_COUNT else None
    return NUMBER_WORDS.get(word)
