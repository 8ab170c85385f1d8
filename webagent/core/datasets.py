"""Numbers in dataset cells, read as people write them: one home for every module that needs them."""

from __future__ import annotations

import math
import re
from decimal import Decimal

from webagent.core.contracts import Dataset

MISSING_CELLS = {"", "-", "–", "—", "n/a", "na", "null", "none"}
# Possessive runs (``++``, ``*+``) keep a failed match linear: a long cell that is not a number
# ("1" and 30 letters and "!", 16 000 digits and a letter, "-" and 20 000 spaces) took seconds to minutes.
NUMBER = re.compile(
    r"(?P<sign>[-+])?\s*+(?P<currency>[$€£¥₹])?\s*+(?P<inner_sign>[-+])?"
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d++(?:\.\d++)?|\.\d++)"
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


def parse_number(cell: str) -> float | None:
    """The number a table cell states, or None when it states none.

    "14930", "22.9", "$1,200" → 1200, "12%" → 12, "−3.5" → -3.5, "(3.5)" → -3.5, "1.2k" → 1200,
    "$5m" → 5000000, "3 h" → 3. A trailing unit is ignored; k, M, B, bn, million… scale the
    number, but a bare "m" only after a currency sign (otherwise it is metres or minutes). A number
    too large for a float is None.
    """
    text = cell.strip().replace("\u2212", "-").replace("\u00a0", " ").replace("\u202f", " ")
    if text.startswith("(") and text.endswith(")"):
        text = "-" + text[1:-1]  # accounting style
    match = NUMBER.fullmatch(text)
    if not match or (match["sign"] and match["inner_sign"]):
        return None
    value = Decimal(match["digits"].replace(",", ""))
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
    """Every column after the first whose cells are all numbers (placeholders allowed), by header."""
    columns: dict[str, list[float | int | None]] = {}
    for index, header in enumerate(dataset.columns[1:], start=1):
        cells = [row[index] for row in dataset.rows]
        values = [None if is_missing(c) else parse_number(c) for c in cells]
        unreadable = [c for c, v in zip(cells, values) if v is None and not is_missing(c)]
        if not unreadable and any(v is not None for v in values):
            columns[header] = [plain_number(v) for v in values]
    return columns
