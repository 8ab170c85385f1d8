"""Numbers in dataset cells, read as people write them: one home for every module that needs them."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import NamedTuple

from webagent.core.contracts import Dataset

MISSING_CELLS = {"", "-", "–", "—", "n/a", "na", "null", "none"}
# Possessive runs (``++``, ``*+``) keep a failed match linear: a long cell that is not a number
# ("1" and 30 letters and "!", 16 000 digits and a letter, "-" and 20 000 spaces) took seconds to minutes.
NUMBER = re.compile(
    r"(?P<sign>[-+])?\s*+(?P<currency>[$€£¥₹])?\s*+(?P<inner_sign>[-+])?"
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?: \d{3})+(?![\d,])(?:\.\d+)?|\d++(?:\.\d++)?|\.\d++)"
    r"(?P<scale>(?:k|K|M|B|bn|mn|m)(?![^\W\d_])|\s*(?:thousand|million|billion)\b)?"
    r"(?P<unit>(?:\s*+[^\W\d_]++\.?|\s*+[%°/²³+]++)*+)"
)
SCALES = {
    "k": 1_000,
    "K": 1_000,
    "thousand": 1_000,
    "M": 1_000_000,
    "mn": 1_000_000,
    "m": 1_000_000,
    "million": 1_000_000,
    "B": 1_000_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}


# In a number written with a decimal comma, "." and spaces group thousands: "1.234,5", "1 250", "46,5 %".
_GROUPING = re.compile(r"(?<=\d)[.\s\u00a0\u202f](?=\d{3}(?!\d))")
_ENGLISH_NUMBER = re.compile(r"\d,\d{3}\.\d")
_COMMA_DECIMAL = re.compile(r"\d\.\d{3},\d|\d,\d{1,2}(?!\d)")
_DOT_GROUPS = re.compile(r"\d\.\d{3}(?!\d)")


def reads_decimal_comma(cells: list[str], comma_language: bool) -> bool:
    """Whether numbers in these cells are written with a decimal comma: "46,5", "1.234,5", or — in a
    language that writes them so — "38.400"; never when a cell reads "1,234.5"."""
    if any(_ENGLISH_NUMBER.search(cell) for cell in cells):
        return False
    if any(_COMMA_DECIMAL.search(cell) for cell in cells):
        return True
    return comma_language and any(_DOT_GROUPS.search(cell) for cell in cells)


def with_decimal_point(cell: str) -> str:
    """A cell written with a decimal comma, rewritten with a decimal point: "1.234,5 €" → "1234.5 €"."""
    return _GROUPING.sub("", cell).replace(",", ".")


def parse_number(cell: str, decimal_comma: bool = False) -> float | None:
    """The number a table cell states, or None when it states none.

    "14930", "22.9", "$1,200" → 1200, "12%" → 12, "−3.5" → -3.5, "(3.5)" → -3.5, "1.2k" → 1200,
    "$5m" → 5000000, "3 h" → 3, "1 250" (grouped by spaces, as French writes it) → 1250. A trailing unit is ignored; k, M, B, bn, million… scale the
    number, but a bare "m" only after a currency sign (otherwise it is metres or minutes). A number
    too large for a float is None. With ``decimal_comma``, "1.234,5" → 1234.5 and "46,5 %" → 46.5.
    """
    text = with_decimal_point(cell.strip()) if decimal_comma else cell.strip()
    text = text.replace("\u2212", "-").replace("\u00a0", " ").replace("\u202f", " ")
    if text.startswith("(") and text.endswith(")"):
        text = "-" + text[1:-1]  # accounting style
    match = NUMBER.fullmatch(text)
    if not match or (match["sign"] and match["inner_sign"]):
        return None
    value = Decimal(match["digits"].replace(",", "").replace(" ", ""))
    scale = (match["scale"] or "").strip()
    if scale and (scale != "m" or match["currency"]):
        value *= SCALES[scale]
    if "-" in (match["sign"], match["inner_sign"]):
        value = -value
    number = float(value)
    return number if math.isfinite(number) else None  # 400 digits are no chart value (and no JSON number)


def plain_number(value: float | None) -> float | int | None:
    """Whole numbers as ints, so the JSON reads 14930 rather than 14930.0."""
    return int(value) if value is not None and value.is_integer() and abs(value) < 2**53 else value


def is_missing(cell: str) -> bool:
    """Whether a cell is a blank or a placeholder such as "—" or "n/a"."""
    return cell.strip().lower() in MISSING_CELLS


def numeric_columns(dataset: Dataset) -> dict[str, list[float | int | None]]:
    """Every column after the first that holds numbers, by header; a cell that is no number is None.

    A column counts as numeric when at least half of its filled cells are numbers, so one "NaN", "∞"
    or "1e308" leaves a gap in its column (``unreadable_cells`` lists it) instead of losing the column.
    """
    columns: dict[str, list[float | int | None]] = {}
    for index, header in enumerate(dataset.columns[1:], start=1):
        cells = [row[index] for row in dataset.rows]
        values = [None if is_missing(c) else parse_number(c, dataset.decimal_comma) for c in cells]
        filled = sum(not is_missing(c) for c in cells)
        numbers = sum(v is not None for v in values)
        if numbers and 2 * numbers >= filled:
            columns[header] = [plain_number(v) for v in values]
    return columns


class UnreadableCell(NamedTuple):
    """A filled cell of a numeric column that states no number: left out of the chart, never replaced."""

    row: str
    column: str
    text: str


def unreadable_cells(dataset: Dataset) -> list[UnreadableCell]:
    """The filled cells of the numeric columns that are no number ("NaN", "∞", "1e308", "tbd")."""
    numeric = numeric_columns(dataset)
    index_of = {header: k for k, header in enumerate(dataset.columns)}
    return [
        UnreadableCell(row[0] if row else "", header, row[index_of[header]])
        for header, values in numeric.items()
        for row, value in zip(dataset.rows, values)
        if value is None and not is_missing(row[index_of[header]])
    ]
