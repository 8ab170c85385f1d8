"""Datasets as people write them in a prompt: markdown tables, CSV blocks, "label – value" lists and
inline series ("bread 40, cakes 35, coffee 25", "Q1: 12, Q2: 18"). Cells are kept verbatim."""

from __future__ import annotations

import re
from itertools import groupby

from webagent.core.contracts import Dataset
from webagent.core.datasets import parse_number
from webagent.webbench.evaluation.reading.prose import FUNCTION_WORDS

TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
TABLE_RULE = re.compile(r"^[\s|:-]+$")
HEADING = re.compile(r"^\s*#+\s*(?P<title>.+?)\s*#*\s*$|^\s*\**(?P<lead>[^|\n]{1,80}?)\**:\s*$")
FENCE = re.compile(r"^\s*```")
DELIMITERS = (",", "\t", ";")
VALUE = r"[-+−]?\s?[$€£¥]?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|[-+−]?\s?[$€£¥]?\d+(?:\.\d+)?(?:%|\s?(?:k|K|M|bn)\b)?"
LIST_ITEM = re.compile(
    rf"^\s*(?:[-*•]|\d+[.)])?\s*\**(?P<label>[^\n:=–—|]*?[^\W\d_][^\n:=–—|]*?)\**\s*(?:[:=–—]|\s-)\s*(?P<value>{VALUE})\s*$"
)
SERIES_VALUE = re.compile(rf"(?<![\w.,])(?:{VALUE})(?!\w|\.\d)")
LABEL_BREAK = re.compile(r"[,;(\n]")
LABEL_END = re.compile(r"[:=]")
LABEL_SEPARATORS = ":=–—- "
LABEL_CHARS = 48
MAX_LIST_LINE = 120
SERIES_JOIN = re.compile(r"\s*(?:,|;|,?\s+and)\s*")
MAX_LABEL_WORDS = 4
MIN_SERIES, MIN_COLON_SERIES = 3, 2
SKIPPED_TITLES = {"dataset", "datasets", "data"}


def split_row(line: str) -> list[str]:
    """The cells of one markdown table row."""
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def heading_text(line: str) -> str:
    """The title a heading or "Title:" line gives, '' when the line is none (or only says "Dataset")."""
    found = HEADING.match(line)
    title = (found["title"] or found["lead"] or "").strip("* ") if found else ""
    return "" if title.casefold() in SKIPPED_TITLES else title


def title_above(lines: list[str], index: int) -> str:
    """The title of line ``index``'s table: its own first line when that is a heading, else the nearest
    non-blank line above it when that is one."""
    if heading_text(lines[index]):
        return heading_text(lines[index])
    above = [line for line in lines[max(0, index - 4) : index] if line.strip() and not FENCE.match(line)]
    return heading_text(above[-1]) if above else ""


def markdown_table(lines: list[str]) -> Dataset | None:
    """The table whose rows are ``lines`` (header, rule, body), or None when it is not one."""
    rows = [split_row(line) for line in lines if not TABLE_RULE.match(line)]
    if len(lines) < 3 or not TABLE_RULE.match(lines[1]) or len(rows) < 2:
        return None
    width = len(rows[0])
    body = [row for row in rows[1:] if len(row) == width]
    return Dataset(columns=rows[0], rows=body) if body else None


def delimited_table(lines: list[str]) -> Dataset | None:
    """A CSV-like block (comma, tab or semicolon), header first, or None when its rows do not line up."""
    for delimiter in DELIMITERS:
        rows = [[cell.strip() for cell in line.split(delimiter)] for line in lines]
        width = len(rows[0])
        if width >= 2 and all(len(row) == width for row in rows) and has_numbers(rows[1:]):
            return Dataset(columns=rows[0], rows=rows[1:])
    return None


def label_value_list(lines: list[str]) -> Dataset | None:
    """A list of "label – value" lines, or None when any line is not one."""
    if len(lines) < 2 or any(len(line) > MAX_LIST_LINE for line in lines):
        return None
    items = [LIST_ITEM.match(line) for line in lines]
    if not all(items):
        return None
    return Dataset(columns=["Label", "Value"], rows=[[m["label"].strip(), m["value"].strip()] for m in items])


def has_numbers(rows: list[list[str]]) -> bool:
    return any(parse_number(cell) is not None for row in rows for cell in row[1:])


def blocks(prompt: str) -> list[tuple[int, list[str], bool]]:
    """Runs of non-blank lines as (first line number, lines, inside a code fence)."""
    lines = prompt.splitlines()
    found, fenced = [], False
    for blank, group in groupby(enumerate(lines), key=lambda item: not item[1].strip() or bool(FENCE.match(item[1]))):
        group = list(group)
        if blank:
            fenced ^= sum(bool(FENCE.match(line)) for _, line in group) % 2 == 1
            continue
        found.append((group[0][0], [line for _, line in group], fenced))
    return found


def block_datasets(prompt: str) -> list[Dataset]:
    """Every table, CSV block and label–value list of the prompt, titled by the heading above it."""
    lines = prompt.splitlines()
    found = []
    for start, block, fenced in blocks(prompt):
        for offset, line_group in table_runs(block):
            dataset = read_block(line_group, fenced)
            if dataset is not None:
                found.append(dataset.model_copy(update={"title": title_above(lines, start + offset)}))
    return found


def table_runs(block: list[str]) -> list[tuple[int, list[str]]]:
    """A block split into runs of table rows and runs of other lines, with each run's offset."""
    runs, offset = [], 0
    for _, group in groupby(block, key=lambda line: bool(TABLE_ROW.match(line))):
        group = list(group)
        runs.append((offset, group))
        offset += len(group)
    return runs


def read_block(lines: list[str], fenced: bool) -> Dataset | None:
    """One run of lines as a dataset: a markdown table, a list of label–value lines or (fenced, or of three
    lines or more) a CSV-like block."""
    if TABLE_ROW.match(lines[0]):
        return markdown_table(lines)
    heading_free = [line for line in lines if not HEADING.match(line)]
    if not heading_free:
        return None
    listed = label_value_list(heading_free)
    if listed is not None:
        return listed
    return delimited_table(heading_free) if fenced or len(heading_free) >= 3 else None


def series_label(raw: str) -> str:
    """The words of ``raw`` after its last function word (at most four), '' when none are left."""
    words = raw.split()
    kept: list[str] = []
    for word in reversed(words):
        if word.casefold() in FUNCTION_WORDS or len(kept) == MAX_LABEL_WORDS:
            break
        kept.insert(0, word)
    return " ".join(kept)


def inline_series(text: str) -> list[Dataset]:
    """Series written in a sentence: three or more "label value" items, or two or more "label: value" ones,
    joined by commas, semicolons or "and", with distinct labels."""
    found: list[Dataset] = []
    run: list[tuple[str, str, bool]] = []
    end = -1
    for value in SERIES_VALUE.finditer(text):
        head = LABEL_BREAK.split(text[max(0, value.start() - LABEL_CHARS) : value.start()])[-1]
        named = head.rstrip(LABEL_SEPARATORS)
        label = series_label(LABEL_END.split(named)[-1])
        start = value.start() - len(head) + len(named) - len(label)
        if not label or not label[0].isalpha():
            found += series_of(run)
            run = []
            continue
        if run and not SERIES_JOIN.fullmatch(text[end:start]):
            found += series_of(run)
            run = []
        run.append((label, value.group(0).strip(), bool(head[len(named) :].strip())))
        end = value.end()
    return found + series_of(run)


def series_of(run: list[tuple[str, str, bool]]) -> list[Dataset]:
    """A run of items as a one-dataset list, or [] when it is too short or repeats a label."""
    labels = [label.casefold() for label, _, _ in run]
    colons = all(marked for _, _, marked in run)
    if len(run) < (MIN_COLON_SERIES if colons else MIN_SERIES) or len(set(labels)) < len(labels):
        return []
    return [Dataset(columns=["Label", "Value"], rows=[[label, value] for label, value, _ in run])]
