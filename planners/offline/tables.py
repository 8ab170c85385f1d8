"""Tables and data: markdown/CSV tables, inline number series, and which chart gets which.

Cells are kept verbatim (only stripped); a chart's data is the prompt's own data whenever the
prompt gives it. A chart the prompt gives no data for gets a small, plausible dataset built
from its own axis and category words, titled "… (illustrative)" so nobody mistakes it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re

from webagent.core.contracts import AssetSpec, Dataset, PagePlan
from webagent.core.datasets import numeric_columns, parse_number, reads_decimal_comma
from webagent.planners.offline.language import detect_language
from webagent.planners.offline.series import inline_series
from webagent.planners.offline.text import CHART_WORDS, unique_id

COMMA_LANGUAGES = {"es", "fr", "de", "it", "pt", "nl"}  # languages that write 1.234,5
SPACE_GROUP_LANGUAGES = {"fr"}  # languages that write 1 234,5 (a space between thousands)
MIN_SERIES_ROWS = 3  # a line of data is three label–value pairs or more

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
        separated = i + 1 < len(lines) and "|" in lines[i + 1] and _is_separator(lines[i + 1])
        if (_looks_like_row(line) or ("|" in line and separated)) and (line.strip().startswith("|") or separated):
            pipes = line.strip().count("|")  # "Month | Bookings" over "--- | ---": a table without outer pipes
            block = []
            while i < len(lines) and (_looks_like_row(lines[i]) or lines[i].strip().count("|") == pipes):
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
    """Fenced data blocks — CSV, TSV, semicolon-separated or JSON — titled by the heading or the lead-in
    line above them; a leading 'Chart' column splits one CSV block into one table per chart."""
    datasets: list[Dataset] = []
    lines = text.split("\n")
    heading = lead_in = ""
    i = 0
    while i < len(lines):
        fence = _FENCE.match(lines[i])
        heading_match = _HEADING.match(lines[i])
        if heading_match and not fence:
            heading, lead_in = _useful_heading(heading_match), ""
        elif not fence and lines[i].strip():
            lead_in = _lead_in_title(lines[i])
        if not fence:
            i += 1
            continue
        body: list[str] = []
        i += 1
        while i < len(lines) and not _FENCE.match(lines[i]):
            body.append(lines[i])
            i += 1
        i += 1
        datasets += _block_datasets(fence.group(2).lower(), body, lead_in or heading)
        heading = lead_in = ""
    return datasets


def _block_datasets(language: str, body: list[str], title: str) -> list[Dataset]:
    """The tables one fenced block holds, by its language tag or, untagged, by its look."""
    text = "\n".join(body).strip()
    if language == "json" or (not language and text[:1] in "[{"):
        table = _json_table(text, title)
        return [table] if table is not None else []
    if language not in {"csv", "tsv", ""}:
        return []
    delimiter = next((d for d in ("\t", ";", ",") if all(d in row for row in body if row.strip())), None)
    if delimiter is None:
        return []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = [[c.strip() for c in r] for r in reader if any(c.strip() for c in r)]
    if len(rows) < 2:
        return []
    header, data = rows[0], rows[1:]
    if header[0].strip().lower() != "chart":
        table = _table_from_rows(rows, title)
        return [table] if table is not None else []
    groups: dict[str, list[list[str]]] = {}
    for row in data:
        groups.setdefault(row[0] if row else "", []).append(row[1:])
    tables = []
    for name, group_rows in groups.items():
        width = max(len(r) for r in group_rows)
        columns = (
            header[1:]
            if len(header) - 1 >= width
            else header[1:] + [f"Value {k}" for k in range(len(header), width + 1)]
        )
        table = _table_from_rows([columns] + group_rows, name)
        if table is not None:
            tables.append(_drop_empty_columns(table))
    return tables


def _json_table(text: str, title: str) -> Dataset | None:
    """A JSON list of records ([{"type": "Restoration", "projects": 27}, …]) or a mapping of labels to
    numbers ({"Mon": 12, …}) as a table; anything else is no table."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than any table
        return None
    if isinstance(data, dict) and data and all(isinstance(v, (int, float, str)) for v in data.values()):
        return Dataset(title=title, columns=["Label", "Value"], rows=[[str(k), _cell(v)] for k, v in data.items()])
    if not (isinstance(data, list) and data and all(isinstance(r, dict) for r in data)):
        return None
    columns = list(dict.fromkeys(key for record in data for key in record))
    rows = [[_cell(record.get(column, "")) for column in columns] for record in data]
    return Dataset(title=title, columns=[str(c) for c in columns], rows=rows)


def _cell(value: object) -> str:
    """A JSON value as a table cell: numbers as JSON writes them, nested values as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


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


_DELIMITERS = (";", "\t", ",")
_NUMBER_CELL = re.compile(r"^\s*[-−+]?[$€£¥]?\s?\d[\d\s,.]*\s?(?:%|k|K|M|bn)?\s*$")
MIN_BARE_ROWS = 2  # a header line and two rows of data make a bare block


def fence_bare_blocks(text: str) -> str:
    """``text`` with each run of delimited lines written outside a fence ("Jahr;Ernte" then "2021;412,5" …)
    fenced, so it is read as a data block, not as prose: a header line, then rows whose cells after the first
    are numbers, every line split by the same semicolon, tab or comma the same number of times."""
    lines = text.split("\n")
    out: list[str] = []
    in_fence = False
    i = 0
    while i < len(lines):
        if _FENCE.match(lines[i]):
            in_fence = not in_fence
        end = i if in_fence else _bare_block_end(lines, i)
        if end > i:
            out += ["```", *lines[i:end], "```"]
            i = end
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


def _bare_block_end(lines: list[str], start: int) -> int:
    """Past the last line of the bare data block starting at ``start``, or ``start`` when none does."""
    header = lines[start]
    if "|" in header or "`" in header:
        return start
    for delimiter in _DELIMITERS:
        width = header.count(delimiter)
        if not width or _NUMBER_CELL.match(header.split(delimiter)[-1]):
            continue
        end = start + 1
        while (
            end < len(lines)
            and lines[end].count(delimiter) == width
            and all(_NUMBER_CELL.match(c) for c in lines[end].split(delimiter)[1:])
        ):
            end += 1
        if end - start - 1 >= MIN_BARE_ROWS:
            return end
    return start


def find_tables(prompt: str) -> list[Dataset]:
    """All tables of a prompt in order: markdown tables, then CSV blocks; long tables made wide."""
    return [widened(table) for table in parse_markdown_tables(prompt) + parse_csv_blocks(prompt)]


# "Taproom revenue by quarter: Q1 $182k, Q2 $246k, Q3 $311k": a line of data under a title of its own.
_SERIES_LINE = re.compile(r"^[ \t]*(?:[-*•][ \t]+)?(?P<title>[^:\n|`]{3,80}):[ \t]*(?P<data>[^\n]+)$", re.M)


# "Monthly signups:" then a line per point ("- January: 340", "2. March – 520"): a list of data under its title.
_LIST_BLOCK = re.compile(
    r"^[ \t]*(?P<title>[^\n:|`]{3,80}):[ \t]*\n(?P<items>(?:[ \t]*(?:[-*•]|\d{1,2}[.)])?[ \t]*[^\n:=]{1,40}[:=–][ \t]*[^\n]{1,40}(?:\n|$)){3,})",
    re.M,
)
_ITEM_MARK = re.compile(r"^[ \t]*(?:[-*•]|\d{1,2}[.)])?[ \t]*")


def _list_blocks(text: str) -> list[tuple[str, str]]:
    """Each titled list of data as (title, the same points written on one line)."""
    blocks = []
    for m in _LIST_BLOCK.finditer(text):
        points = [_point(_ITEM_MARK.sub("", line)) for line in m.group("items").splitlines()]
        blocks.append((m.group("title"), ", ".join(p.strip() for p in points if p.strip())))
    return blocks


def _point(item: str) -> str:
    """One list item as "label: value", split at its colon, else its "=", else its dash ("30–39: 1,245" keeps its
    range whole; "March – 520")."""
    mark = next((m for m in (":", "=") if m in item), "–")
    label, _, value = item.partition(mark)
    return f"{label.strip()}: {value.strip()}" if value else item


def parse_series_lines(text: str) -> list[Dataset]:
    """Lines that are a title, a colon and an inline series, outside any chart's sentence, and titled lists of
    points, as two-column tables.

    A chart takes such a line only when their titles match ("Taproom revenue"): a price list is no chart's data."""
    space_grouped = detect_language(text) in SPACE_GROUP_LANGUAGES
    found = []
    lines = [
        (m.group("title"), m.group("data")) for m in _SERIES_LINE.finditer(text) if not CHART_WORDS.search(m.group(0))
    ]
    for title, data in lines + _list_blocks(text):
        series = inline_series(data, space_grouped)
        if series is not None and len(series.rows) >= MIN_SERIES_ROWS:
            found.append(series.model_copy(update={"title": title.strip(" *#")}))
    return found


_YEAR = re.compile(r"(?:1[89]|2[01])\d\d")


def _is_label(cell: str) -> bool:
    """A category label: words, or a year ("2021"), but no other number."""
    return bool(_YEAR.fullmatch(cell.strip())) or parse_number(cell) is None


LONG_TABLE_FILL = 0.75  # a long table gives most (series, category) pairs a value; a ranking gives a diagonal


def widened(table: Dataset) -> Dataset:
    """A long table (``Metric | State | Value``, a row per pair) as a wide one: a row per state, a
    column per metric, every value in its cell. Of the two label columns the one with fewer distinct
    labels gives the series. Other tables are returned as they are."""
    if len(table.columns) != 3 or table.columns[2] not in numeric_columns(table):
        return table
    if any(not _is_label(row[0]) or not _is_label(row[1]) for row in table.rows):
        return table
    firsts = list(dict.fromkeys(row[0] for row in table.rows))
    seconds = list(dict.fromkeys(row[1] for row in table.rows))
    series_at = 0 if len(firsts) <= len(seconds) else 1
    series, categories = (firsts, seconds) if series_at == 0 else (seconds, firsts)
    cells = {(row[1 - series_at], row[series_at]): row[2] for row in table.rows}
    filled = len(cells) / (len(series) * len(categories))
    if len(series) < 2 or len(categories) < 2 or len(cells) != len(table.rows) or filled < LONG_TABLE_FILL:
        return table  # not one value per (series, category) for most pairs: keep it as written
    rows = [[category] + [cells.get((category, name), "") for name in series] for category in categories]
    axis = table.columns[1 - series_at]
    return Dataset(title=table.title, columns=[axis, *series], rows=rows, illustrative=table.illustrative)


def mark_decimal_commas(plan: PagePlan) -> PagePlan:
    """Mark every dataset of the plan whose numbers are written with a decimal comma ("46,5 %", "38.400"
    in a Spanish prompt), so that charts read them as the prompt means them."""
    datasets = [a.dataset for a in plan.assets if a.dataset] + [t for s in plan.sections for t in s.tables]
    for dataset in datasets:
        mark_decimal_comma(dataset, plan.language)
    return plan


def mark_decimal_comma(dataset: Dataset, language: str) -> Dataset:
    """``dataset``, marked when its numbers are written with a decimal comma in a prompt of ``language``."""
    cells = [cell for row in dataset.rows for cell in row[1:]]
    dataset.decimal_comma = reads_decimal_comma(cells, language in COMMA_LANGUAGES)
    return dataset


_PER_SERIES = re.compile(
    r"\b(?:one|a|an|separate)\s+(?:[\w-]+\s+){0,2}(?:charts?|graphs?)\s+(?:per|for each|for every)\s+"
    r"(?:metric|series|measure|indicator|kpi|variable)\b",
    re.I,
)


def one_chart_per_series(plan: PagePlan) -> PagePlan:
    """'One line chart per metric': a chart asked for each series of its table becomes one chart per series,
    each beside the first in its section."""
    used = {a.id for a in plan.assets}
    assets: list[AssetSpec] = []
    for asset in plan.assets:
        parts = _series_parts(asset, used)
        assets += parts
        if len(parts) > 1:
            section = plan.section(asset.section_id)
            at = section.asset_ids.index(asset.id) if asset.id in section.asset_ids else len(section.asset_ids) - 1
            section.asset_ids[at + 1 : at + 1] = [part.id for part in parts[1:]]
    plan.assets = assets
    return plan


def _series_parts(asset: AssetSpec, used: set[str]) -> list[AssetSpec]:
    """The chart as one chart per numeric column when its description asks for that, else the chart alone."""
    dataset = asset.dataset
    series = list(numeric_columns(dataset)) if asset.kind == "chart" and dataset is not None else []
    if dataset is None or len(series) < 2 or not _PER_SERIES.search(asset.prompt):
        return [asset]
    parts = []
    for k, header in enumerate(series):
        column = dataset.columns.index(header)
        rows = [[row[0], row[column]] for row in dataset.rows]
        part = dataset.model_copy(update={"title": header, "columns": [dataset.columns[0], header], "rows": rows})
        asset_id = asset.id if k == 0 else unique_id(f"{asset.id}-{k + 1}", used)
        path = asset.path.replace(asset.id, asset_id, 1)
        parts.append(asset.model_copy(update={"id": asset_id, "path": path, "title": header, "dataset": part}))
    return parts


# "One chart for each dataset", "a chart per table": every table of numbers gets a chart like the one named.
EACH_DATASET = re.compile(
    r"\b(?:one|a|an|1)\s+(?:[\w-]+\s+)?(?:charts?|graphs?)\s+(?:for|per|of)\s+(?:each|every)\s+"
    r"(?:[\w-]+\s+)?(?:datasets?|data ?sets?|tables?|series|blocks?)\b",
    re.I,
)


def plottable_tables(prompt: str) -> list[Dataset]:
    """The prompt's tables that hold numbers to draw, read with the prompt's decimal mark."""
    language = detect_language(prompt)
    return [table for table in find_tables(prompt) if numeric_columns(mark_decimal_comma(table, language))]


# ----------------------------------------------------------------------------- matching


def tokens(text: str) -> set[str]:
    words = set(re.findall(r"[a-z0-9]+", text.lower().replace("’", "'")))
    return {_stem(w) for w in words if w not in _STOP and len(w) > 1}


def _stem(word: str) -> str:
    if word.endswith("ing") and len(word) > 5:
        return word[:-3]  # "booking" → "book"
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


WEAK_LINE_MATCH = 0.2  # a line of data no chart names goes to a chart whose words share one with its title


def weakly_matched(title: str, text: str, candidates: list[Dataset], indices: list[int]) -> int | None:
    """Of ``candidates[i]`` for i in ``indices``, the one that best fits a chart no table fits, when one fits at all."""
    if len(indices) == 1 and not tokens(f"{title} {text}") - _CHART_VOCABULARY:
        return indices[0]  # "Show that as a bar chart.": a chart that names nothing draws the one line of data
    scored = [(match_score(title, text, candidates[i]), -i) for i in indices]
    best = max(scored, default=(0.0, 0))
    return -best[1] if best[0] >= WEAK_LINE_MATCH else None


# Words that say how to draw a chart, not what it is about (stemmed as tokens() leaves them).
_CHART_VOCABULARY = {
    *("bar", "line", "pie", "donut", "doughnut", "column", "area", "chart", "graph", "plot", "diagram", "histogram"),
    *("show", "display", "draw", "visualise", "visualize", "add", "simple", "small", "big", "large", "stacked"),
    *("grouped", "horizontal", "vertical", "that", "this", "these", "those", "it", "them", "as", "a", "an", "the"),
}


def is_kpi_table(table: Dataset) -> bool:
    names = [c.lower() for c in table.columns]
    return (
        len(names) >= 2
        and names[0] in {"metric", "kpi", "measure", "indicator", "kpi name"}
        and "value" in " ".join(names[1:])
    )


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
        return Dataset(
            title=name, columns=["Metric", "Value"], rows=[[title or "Progress", str(value)]], illustrative=True
        )
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
            title=name,
            columns=["Category", "Share (%)"],
            rows=[[label, str(v)] for label, v in zip(labels, shares)],
            illustrative=True,
        )
    base = 40 + seed % 50 if not percent else 55 + seed % 25
    rows = []
    level = float(base)
    for k, label in enumerate(labels):
        step = ((seed >> (k * 2)) % 11) - 4
        level = max(1.0, level + step * (1.5 if not percent else 0.8))
        value = min(99.0, level) if percent else level
        rows.append([label, f"{value:.0f}" if not percent else f"{value:.1f}"])
    return Dataset(title=name, columns=[_axis_name(lowered, labels), measure], rows=rows, illustrative=True)


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
