"""Tables and data: markdown/CSV tables, inline number series, and which chart gets which.

Cells are kept verbatim (only stripped); a chart's data is the prompt's own data whenever the
prompt gives it. A chart the prompt gives no data for gets a small, plausible dataset built
from its own axis and category words, titled "… (illustrative)" so nobody mistakes it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re

from webagent.core.contracts import Dataset

_SEPARATOR_CELL = re.compile(r"^:?-{1,}:?$")
# An ATX heading's closing hashes are cut in Python (``_without_closing_hashes``): the regex form
# ``(.+?)\s*#*\s*$`` rescanned the line's tail at every character, minutes on a line of hashes.
_HEADING = re.compile(r"^\s{0,3}(?:#{1,6}\s+(.+)|\*\*(.+?)\*\*:?\s*$|__(.+?)__\s*$)")
_FENCE = re.compile(r"^\s*(```|~~~)\s*([\w+-]*)\s*$")
_STOP = {
    "the",
    "a",
    "an",
    "of",
    "and",
    "or",
    "by",
    "for",
    "in",
    "on",
    "to",
    "with",
    "per",
    "vs",
    "versus",
    "at",
    "from",
    "chart",
    "graph",
    "table",
    "data",
    "dataset",
    "panel",
    "card",
    "titled",
    "showing",
    "shows",
    "last",
    "this",
    "that",
    "is",
    "are",
    "as",
    "its",
    "each",
    "%",
    "value",
    "values",
    "count",
    "total",
    "number",
}


def parse_markdown_tables(text: str) -> list[Dataset]:
    """Every markdown table in the text, titled by the nearest heading line above it."""
    datasets: list[Dataset] = []
    lines = text.split("\n")
    heading = ""
    prose_since_heading = 0
    lead_in = ""
    i = 0
    in_fence = False
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line):
            in_fence = not in_fence
            i += 1
            continue
        if in_fence:
            i += 1
            continue
        heading_match = _HEADING.match(line)
        if heading_match:
            heading = _useful_heading(heading_match)
            prose_since_heading = 0
            i += 1
            continue
        if _looks_like_row(line) and (
            line.strip().startswith("|") or (i + 1 < len(lines) and _is_separator(lines[i + 1]))
        ):
            block = []
            while i < len(lines) and _looks_like_row(lines[i]):
                block.append(lines[i])
                i += 1
            title = heading if heading and prose_since_heading <= 2 else lead_in
            table = _table_from_rows([_split_row(row) for row in block], title)
            if table is not None:
                datasets.append(table)
            heading = lead_in = ""
            continue
        if line.strip():
            prose_since_heading += 1
            lead_in = _lead_in_title(line)
        i += 1
    return datasets


_LAST_SENTENCE = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[A-Z“\"])")


def _lead_in_title(line: str) -> str:
    """A title for an unheaded table from the prose line that introduces it ("…sales by product:").

    The first quoted string of the line's last sentence when it has one, else that sentence, shortened.
    """
    text = _LAST_SENTENCE.split(line.strip())[-1]
    if not text.endswith(":"):
        return ""
    quoted = re.search(r"“([^”]{1,120})”|\"([^\"]{1,120})\"", text)
    if quoted:
        return (quoted.group(1) or quoted.group(2)).strip()
    return text.rstrip(":").strip()[-80:]


def parse_csv_blocks(text: str) -> list[Dataset]:
    """Fenced CSV blocks; a leading 'Chart' column splits one block into one table per chart."""
    datasets: list[Dataset] = []
    lines = text.split("\n")
    heading = ""
    i = 0
    while i < len(lines):
        fence = _FENCE.match(lines[i])
        heading_match = _HEADING.match(lines[i])
        if heading_match and not fence:
            heading = _useful_heading(heading_match)
        if not fence:
            i += 1
            continue
        body: list[str] = []
        i += 1
        while i < len(lines) and not _FENCE.match(lines[i]):
            body.append(lines[i])
            i += 1
        i += 1
        language = fence.group(2).lower()
        if language not in {"csv", ""} or not any("," in row for row in body):
            continue
        rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO("\n".join(body))) if any(c.strip() for c in r)]
        if len(rows) < 2:
            continue
        header, data = rows[0], rows[1:]
        if header and header[0].strip().lower() == "chart":
            groups: dict[str, list[list[str]]] = {}
            for row in data:
                groups.setdefault(row[0] if row else "", []).append(row[1:])
            for name, group_rows in groups.items():
                width = max(len(r) for r in group_rows)
                columns = (
                    header[1:]
                    if len(header) - 1 >= width
                    else header[1:] + [f"Value {k}" for k in range(len(header), width + 1)]
                )
                table = _table_from_rows([columns] + group_rows, name)
                if table is not None:
                    datasets.append(_drop_empty_columns(table))
        else:
            table = _table_from_rows(rows, heading)
            if table is not None:
                datasets.append(table)
        heading = ""
    return datasets


def _useful_heading(heading_match: re.Match) -> str:
    """A heading line's text names a table unless it is a generic one such as 'Dataset' or 'Data'."""
    atx, *others = heading_match.groups()
    text = _without_closing_hashes(atx) if atx is not None else next(g for g in others if g is not None)
    text = text.strip().rstrip(":").strip()
    if re.fullmatch(
        r"(?:the )?(?:data ?sets?|data|tables?|data tables?|appendix|values|numbers|sample data|chart data)", text, re.I
    ):
        return ""
    return text


def _without_closing_hashes(text: str) -> str:
    """``# Title ##`` → ``Title``: the heading text without its optional closing run of hashes."""
    return text.rstrip().rstrip("#").rstrip()


def _drop_empty_columns(table: Dataset) -> Dataset:
    keep = [k for k in range(len(table.columns)) if any(row[k] not in {"", "NA", "N/A", "-"} for row in table.rows)]
    if len(keep) == len(table.columns) or not keep:
        return table
    return Dataset(
        title=table.title, columns=[table.columns[k] for k in keep], rows=[[row[k] for k in keep] for row in table.rows]
    )


def _looks_like_row(line: str) -> bool:
    stripped = line.strip()
    return stripped.count("|") >= 1 and (stripped.startswith("|") or stripped.count("|") >= 2) and len(stripped) > 1


def _is_separator(line: str) -> bool:
    cells = [c.strip() for c in _split_row(line)]
    return bool(cells) and all(_SEPARATOR_CELL.match(c) for c in cells if c) and any(cells)


def _split_row(line: str) -> list[str]:
    stripped = line.strip().replace("\\|", "\u0000")
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|"):
        stripped = stripped[:-1]
    return [cell.strip().replace("\u0000", "|") for cell in stripped.split("|")]


def _table_from_rows(rows: list[list[str]], title: str) -> Dataset | None:
    rows = [r for r in rows if not (r and all(_SEPARATOR_CELL.match(c) for c in r if c) and any(r))]
    rows = [r for r in rows if any(c for c in r)]
    if not rows:
        return None
    header = rows[0]
    width = len(header)
    if width == 0 or not any(header):
        return None
    body = [(r + [""] * width)[:width] for r in rows[1:]]
    return Dataset(title=title.strip(), columns=header, rows=body)


def find_tables(prompt: str) -> list[Dataset]:
    """All tables of a prompt in order: markdown tables, then CSV blocks."""
    return parse_markdown_tables(prompt) + parse_csv_blocks(prompt)


# ----------------------------------------------------------------------------- matching


def tokens(text: str) -> set[str]:
    words = set(re.findall(r"[a-z0-9]+", text.lower().replace("’", "'")))
    return {_stem(w) for w in words if w not in _STOP and len(w) > 1}


def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def match_score(chart_title: str, chart_text: str, table: Dataset, chart_words: set[str] | None = None) -> float:
    """How well a table fits a chart: title overlap first, then words of its columns and labels."""
    score = 0.0
    table_title = tokens(table.title)
    title = tokens(chart_title)
    if title and table_title:
        overlap = len(title & table_title) / max(1, min(len(title), len(table_title)))
        score += 3.0 * overlap
        if overlap >= 0.99 and len(title) >= 2:
            score += 1.0
    body = (chart_words if chart_words is not None else tokens(chart_text)) | title
    table_words = tokens(" ".join(table.columns)) | {
        t for row in table.rows[:12] for t in tokens(row[0] if row else "")
    }
    if table_words:
        score += 1.5 * len(body & table_words) / len(table_words)
    if table_title and body:
        score += 0.8 * len(body & table_title) / len(table_title)
    return score


def is_kpi_table(table: Dataset) -> bool:
    names = [c.lower() for c in table.columns]
    return (
        len(names) >= 2
        and names[0] in {"metric", "kpi", "measure", "indicator", "kpi name"}
        and "value" in " ".join(names[1:])
    )


# ----------------------------------------------------------------------------- inline series

# Label words and values are bounded ({0,40}, {0,30}) and blanks possessive (\s*+): with open-ended
# runs a failed match rescanned the rest of a long word or number at every start, quadratic in it.
_PAIR = re.compile(
    r"(?P<label>(?:[A-Z][\w.'’&/-]{0,40}|Q[1-4](?: \d{4})?|\d{4}|\d{1,2}:\d{2}|\d{1,2}(?:am|pm|AM|PM))(?:\s[A-Za-z][\w.'’&/-]{0,40}){0,2}"
    r"|(?<![\w'’-])[a-zà-ÿ][\w'’-]{0,40})"  # or one lower-case word: "bread 40, cakes 35, coffee 25"
    r"\s*+(?:[:=]|\bat\b|\bwith\b|\(|—|–|-)?\s*+(?P<value>[-−]?[$€£]?\d[\d,.]{0,30}\s?(?:%|k|K|M|bn)?)(?=\)|[\s,;.]|$)"
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


def inline_series(text: str) -> Dataset | None:
    """'Jan 120, Feb 140, Mar 165', 'Q1: 40%, Q2: 55%' or 'values 12, 18, 25 and 31', verbatim."""
    best: list[tuple[str, str]] = []
    run: list[tuple[str, str]] = []
    last_end = -1
    for m in _PAIR.finditer(text):
        gap = text[last_end : m.start()] if last_end >= 0 else ""
        label = m.group("label").strip()
        if label.lower() in _NOT_LABELS:
            continue
        if last_end >= 0 and re.fullmatch(r"\s*+(?:[,;]|and|&|\bthen\b)?\s*+(?:and\s+)?", gap):
            run.append((label, m.group("value").strip().rstrip(",.")))
        else:
            if len(run) > len(best):
                best = run
            run = [(label, m.group("value").strip().rstrip(",."))]
        last_end = m.end()
    if len(run) > len(best):
        best = run
    if len(best) >= 3:
        return Dataset(title="", columns=["Label", "Value"], rows=[[a, b] for a, b in best])
    values = _VALUES.search(text)
    if values:
        numbers = re.findall(r"[-−]?\d[\d,.]*%?", values.group(1))
        numbers = [n.rstrip(",.") for n in numbers]
        if len(numbers) >= 3:
            return Dataset(title="", columns=["Point", "Value"], rows=[[str(i + 1), n] for i, n in enumerate(numbers)])
    return None


# ----------------------------------------------------------------------------- illustrative data

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def illustrative_dataset(title: str, text: str, chart_type: str, categories: list[str]) -> Dataset:
    """A small plausible dataset for a chart the prompt gives no numbers for."""
    seed = int(hashlib.sha256((title + text[:200]).encode("utf-8", "replace")).hexdigest()[:8], 16)
    lowered = text.lower()
    percent = bool(re.search(r"%|percent|rate|share|utili[sz]ation|uptime|score|completion|progress", lowered))
    measure = _measure_name(text) or ("Share (%)" if percent else "Value")
    name = (title or "Chart") + " (illustrative)"
    if chart_type == "gauge":
        value = 55 + seed % 40
        return Dataset(title=name, columns=["Metric", "Value"], rows=[[title or "Progress", str(value)]])
    labels = [c for c in categories if c][:8]
    if len(labels) < 3:
        labels = _time_labels(lowered) or ["Item A", "Item B", "Item C", "Item D", "Item E"]
    if chart_type in {"pie", "donut", "funnel"}:
        labels = labels[:6]
        weights = [(seed >> (k * 3)) % 7 + 3 for k in range(len(labels))]
        if chart_type == "funnel":
            weights = sorted(weights, reverse=True)
        total = sum(weights)
        shares = [round(100 * w / total) for w in weights]
        shares[0] += 100 - sum(shares)
        return Dataset(
            title=name, columns=["Category", "Share (%)"], rows=[[label, str(v)] for label, v in zip(labels, shares)]
        )
    base = 40 + seed % 50 if not percent else 55 + seed % 25
    rows = []
    level = float(base)
    for k, label in enumerate(labels):
        step = ((seed >> (k * 2)) % 11) - 4
        level = max(1.0, level + step * (1.5 if not percent else 0.8))
        value = min(99.0, level) if percent else level
        rows.append([label, f"{value:.0f}" if not percent else f"{value:.1f}"])
    return Dataset(title=name, columns=[_axis_name(lowered, labels), measure], rows=rows)


def _time_labels(lowered: str) -> list[str]:
    days = re.search(r"last (\d{1,2}) days", lowered)
    if days:
        n = max(3, min(14, int(days.group(1))))
        return [f"Day {k + 1}" for k in range(n)]
    if re.search(r"\b(?:month|months|monthly|year-to-date|ytd)\b", lowered):
        return _MONTHS[:6]
    if re.search(r"\b(?:day|days|daily|week|weekly|7-day|seven days)\b", lowered):
        return _DAYS
    if re.search(r"\b(?:hour|hours|hourly|24h|24 hours|time of day|today)\b", lowered):
        return ["00:00", "04:00", "08:00", "12:00", "16:00", "20:00"]
    if re.search(r"\b(?:quarter|quarters|quarterly|q1)\b", lowered):
        return ["Q1", "Q2", "Q3", "Q4"]
    if re.search(r"\b(?:year|years|annual|yearly)\b", lowered):
        return ["2020", "2021", "2022", "2023", "2024"]
    return []


def _axis_name(lowered: str, labels: list[str]) -> str:
    if labels and labels[0] in _MONTHS:
        return "Month"
    if labels and labels[0] in _DAYS:
        return "Day"
    if labels and re.match(r"\d\d:\d\d", labels[0]):
        return "Hour"
    if labels and labels[0].startswith("Q"):
        return "Quarter"
    if labels and labels[0].isdigit():
        return "Year"
    return "Category"


def _measure_name(text: str) -> str:
    m = re.search(
        r"[“\"]([^”\"]{2,40})[”\"]\s+on the y-axis|y-axis (?:as|showing|labell?ed) [“\"]([^”\"]{2,40})[”\"]", text
    )
    if m:
        return next(g for g in m.groups() if g)
    return ""
