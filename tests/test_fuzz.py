"""Fuzzing the parsers: the offline prompt compiler, the markdown-table parser, cell numbers and the
benchmark dataset loader take hypothesis-made input without crashing and within a time bound.

Each property says what the parser promises: a valid plan with at least one section, tables whose
rows have as many cells as columns, a float or None for a cell, cases or one DatasetError line.
The regression tests at the end pin the super-linear regexes and loader crashes fuzzing found.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webagent.core.contracts import Dataset, PagePlan
from webagent.core.datasets import parse_number
from webagent.planners.offline import compile_prompt
from webagent.planners.offline.series import inline_series
from webagent.planners.offline.tables import find_tables, parse_markdown_tables
from webagent.webbench.bench.dataset import DatasetError, load_dataset

FUZZ = settings(
    max_examples=150,
    deadline=5000,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
FAST = settings(FUZZ, max_examples=300, deadline=1000)
QUOTES = ["“", "”", '"', "'", "«", "»", "‘", "’", "„", "「", "」"]


# --- strategies ------------------------------------------------------------------------------------

any_text = st.text(st.characters(exclude_categories=()), max_size=400)  # lone surrogates and NUL included
word = st.sampled_from(
    [
        "Hero",
        "hero",
        "Pricing:",
        "Footer",
        "Header",
        "features",
        "gallery",
        "a",
        "the",
        "with",
        "called",
        "titled",
        "landing page",
        "dashboard",
        "bakery",
        "chart",
        "bar chart",
        "line chart",
        "video",
        "image",
        "photo",
        "values",
        "Jan 120,",
        "Feb 140,",
        "Q1: 40%,",
        "12",
        "3.5k",
        "#ff0000",
        "#0af",
        "navy",
        "Inter",
        "serif",
        ".",
        ",",
        ":",
        ";",
        "!",
        "?",
        "-",
        "—",
        "|",
        "||",
        "---",
        "#",
        "##",
        "**",
        "__",
        "```",
        "```csv",
        "~~~",
        "\\|",
        "\n",
        "\n\n",
        "section",
        "background",
        "card",
        "Section 1",
        "Montserrat",
        "rounded",
        "dark",
        "日本語",
        "Ünïcödé",
        "🙂",
        *QUOTES,
    ]
)
prompt_like = st.lists(word, max_size=120).map(" ".join)
long_prompt = st.lists(word, min_size=80, max_size=400).map(" ".join)  # long enough for the detailed compiler
cell = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\n\r"), max_size=12),
    st.sampled_from(["", " ", "|", "\\|", "12", "$1,200", "(3.5)", "—", "n/a", "**b**", "`x|y`"]),
    st.just("x" * 5000),
)  # a huge cell


@st.composite
def markdown_table(draw) -> str:
    """A markdown-ish table: maybe a heading, ragged rows, a missing or broken separator, stray pipes."""
    width = draw(st.integers(0, 6))
    header = [draw(cell) for _ in range(width)]
    lines = [draw(st.sampled_from(["", "# Sales by month", "**Table 1**", "Revenue by region:", "## "]))]
    lines.append(draw(row_text(header)))
    separator = draw(st.sampled_from(["|" + "---|" * width, "|" + ":--:|" * width, "", "---", "| - |", "|||", "|-|x|"]))
    if separator:
        lines.append(separator)
    for _ in range(draw(st.integers(0, 8))):
        lines.append(draw(row_text([draw(cell) for _ in range(draw(st.integers(0, width + 2)))])))
    return "\n".join(lines)


@st.composite
def row_text(draw, cells: list[str]) -> str:
    body = "|".join(cells)
    return draw(st.sampled_from([f"| {body} |", f"|{body}", f"{body} |", body, f"|| {body} ||"]))


tables_text = st.lists(
    st.one_of(markdown_table(), prompt_like, st.sampled_from(["```", "```csv\na,b\n1,2\n```"])), max_size=4
).map("\n\n".join)
long_text = st.text(st.characters(exclude_categories=()), min_size=300, max_size=3000)


@contextmanager
def fallback_warnings() -> Iterator[list[str]]:
    """Messages of the compiler's 'detailed compile failed' fallback (a swallowed crash) while inside."""
    found: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "compile failed" in record.getMessage():
                found.append(record.getMessage())

    logger = logging.getLogger("webagent.planners.offline.compiler")
    handler = Catch()
    logger.addHandler(handler)
    try:
        yield found
    finally:
        logger.removeHandler(handler)


def assert_valid_plan(plan: PagePlan) -> None:
    """The plan survives its own contract, has a section, and every table is rectangular."""
    again = PagePlan.model_validate(plan.model_dump())
    assert again.sections
    tables = [t for s in again.sections for t in s.tables] + [a.dataset for a in again.assets if a.dataset]
    for table in tables:
        assert all(len(row) == len(table.columns) for row in table.rows), table


def assert_rectangular(tables: list[Dataset]) -> None:
    for table in tables:
        assert table.columns and any(table.columns), table
        assert all(len(row) == len(table.columns) for row in table.rows), table


# --- the offline prompt compiler -------------------------------------------------------------------


@FUZZ
@given(
    st.one_of(
        any_text,
        prompt_like,
        tables_text,
        long_text,
        long_prompt,
        st.tuples(long_prompt, tables_text, long_prompt).map("\n\n".join),
    )
)
def test_any_prompt_compiles_to_a_valid_plan_without_the_fallback(prompt):
    with fallback_warnings() as fallbacks:
        plan = compile_prompt(prompt)
    assert_valid_plan(plan)
    assert fallbacks == []


@FUZZ
@given(
    st.lists(st.tuples(st.sampled_from(QUOTES), st.text(max_size=30)), max_size=30),
    st.sampled_from(["A landing page for a café called ", "Hero titled ", "Pricing: ", ""]),
    long_prompt,
)
def test_nested_and_unbalanced_quotes_compile(pieces, opening, rest):
    prompt = opening + "".join(quote + text for quote, text in pieces) + " " + rest
    with fallback_warnings() as fallbacks:
        plan = compile_prompt(prompt)
    assert_valid_plan(plan)
    assert fallbacks == []


def test_one_megabyte_prompt_compiles_within_the_bound():
    section = (
        "## Section {n}\nA “quoted headline {n}” on a navy band with a bar chart of sales: "
        "Jan 120, Feb 140, Mar 165. | Region | Sales |\n|---|---|\n| North | 12 |\n| South | 9 |\n\n"
    )
    prompt = "A landing page for a bakery called “Crumb & Co”.\n\n"
    n = 0
    while len(prompt) < 1_000_000:
        prompt += section.format(n=n)
        n += 1
    started = time.perf_counter()
    plan = compile_prompt(prompt)
    seconds = time.perf_counter() - started
    assert_valid_plan(plan)
    print(f"1 MB prompt ({len(prompt)} chars) compiled in {seconds:.2f} s")
    assert seconds < 20


# --- the markdown-table parser ---------------------------------------------------------------------


@FAST
@given(st.one_of(tables_text, any_text))
def test_any_text_gives_rectangular_tables(text):
    assert_rectangular(parse_markdown_tables(text))
    assert_rectangular(find_tables(text))
    series = inline_series(text)
    assert series is None or (len(series.rows) >= 3 and all(len(r) == 2 for r in series.rows))


safe_cell = st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=10)


@FAST
@given(
    st.lists(safe_cell, min_size=1, max_size=5, unique=True).flatmap(
        lambda header: st.tuples(
            st.just(header), st.lists(st.lists(safe_cell, min_size=len(header), max_size=len(header)), max_size=6)
        )
    )
)
def test_well_formed_table_is_read_cell_for_cell(table):
    header, rows = table
    text = "\n".join(
        ["| " + " | ".join(header) + " |", "|" + "---|" * len(header), *("| " + " | ".join(row) + " |" for row in rows)]
    )
    [parsed] = parse_markdown_tables("Intro.\n\n" + text + "\n\nAfter.")
    assert parsed.columns == header and parsed.rows == rows


@FAST
@given(st.integers(1, 8), st.integers(0, 8))
def test_ragged_rows_are_padded_or_cut_to_the_header(width, extra):
    header = [f"h{k}" for k in range(width)]
    text = "| " + " | ".join(header) + " |\n|---|\n| " + " | ".join(str(k) for k in range(extra)) + " |"
    [parsed] = parse_markdown_tables(text)
    assert parsed.columns == header
    expected = [([str(k) for k in range(extra)] + [""] * width)[:width]] if extra else []
    assert parsed.rows == expected


def test_escaped_pipe_stays_inside_its_cell():
    [parsed] = parse_markdown_tables("| a | b |\n|---|---|\n| x \\| y | 2 |")
    assert parsed.rows == [["x | y", "2"]]


# --- numbers in cells ------------------------------------------------------------------------------


@FAST
@given(
    st.one_of(
        any_text,
        st.from_regex(r"[-+(]?\s?[$€£]?\s?\d{1,40}(\.\d{1,20})?\s?(k|M|bn|million)?\s?\w{0,30}[)!]?", fullmatch=True),
    )
)
def test_any_cell_is_a_float_or_none(text):
    value = parse_number(text)
    assert value is None or (isinstance(value, float) and math.isfinite(value))


@FAST
@given(st.integers(-(10**12), 10**12), st.sampled_from(["", "$", "€"]), st.sampled_from(["", "%", " kg", " units"]))
def test_written_numbers_are_read_back(number, currency, unit):
    sign = "-" if number < 0 else ""
    assert parse_number(f"{sign}{currency}{abs(number):,}{unit}") == float(number)


# --- the benchmark dataset loader ------------------------------------------------------------------

json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)
row = st.one_of(
    st.fixed_dictionaries(
        {
            "file_id": st.one_of(st.text(max_size=12), st.integers(), json_value),
            "input": st.one_of(st.text(max_size=40), json_value),
        }
    ),
    json_value,
)
raw_line = st.one_of(
    row.map(lambda r: json.dumps(r, ensure_ascii=False)),
    any_text,
    st.sampled_from(["[" * 50_000, '{"file_id": ' + "9" * 5000 + ', "input": "x"}', "{", "\ufeff{}"]),
)


@FUZZ
@given(st.lists(raw_line, max_size=8), st.sampled_from(["\n", "\r\n", "\r"]))
def test_any_dataset_file_loads_or_is_one_clear_error(tmp_path_factory, lines, newline):
    path = tmp_path_factory.mktemp("ds") / "cases.jsonl"
    path.write_bytes(newline.join(lines).encode("utf-8", "surrogatepass"))
    try:
        cases = load_dataset(path)
    except DatasetError as error:
        message = str(error)
        assert "\n" not in message and message.startswith(str(path)) and len(message) < 600, message
        return
    assert cases and len({c.file_id for c in cases}) == len(cases)


case_id = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,20}", fullmatch=True)
case_prompt = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=60).filter(str.strip)


@FUZZ
@given(st.dictionaries(case_id, case_prompt, min_size=1, max_size=6), st.booleans())
def test_a_valid_dataset_reads_back_exactly(tmp_path_factory, cases, ascii_only):
    path = tmp_path_factory.mktemp("ds") / "cases.jsonl"
    path.write_text(
        "\n".join(json.dumps({"file_id": k, "input": v}, ensure_ascii=ascii_only) for k, v in cases.items()),
        encoding="utf-8",
    )
    assert [(c.file_id, c.prompt) for c in load_dataset(path)] == list(cases.items())


# --- regressions fuzzing found ---------------------------------------------------------------------


def quick(function, argument, limit_s: float = 1.0):
    """``function(argument)`` and the assertion that it took under ``limit_s``."""
    started = time.perf_counter()
    result = function(argument)
    assert time.perf_counter() - started < limit_s, (function.__name__, len(argument))
    return result


@pytest.mark.parametrize("cell", ["1" + "a" * 40 + "!", "1" * 50_000 + "x!", "-" + " " * 50_000 + "x"])
def test_long_non_number_cells_are_refused_in_linear_time(cell):
    assert quick(parse_number, cell) is None


@pytest.mark.parametrize("text", ["# " + "#" * 50_000 + "!", "| a |\n# " + "#" * 50_000 + "x"])
def test_a_line_of_hashes_is_read_in_linear_time(text):
    quick(find_tables, text)


@pytest.mark.parametrize(
    "text",
    ["Q1 " + "1" * 50_000 + "x", "A" * 50_000 + " 5x", "values" + " " * 50_000 + "of x", "Jan 1," + " " * 50_000 + "x"],
)
def test_inline_series_runs_in_linear_time(text):
    quick(inline_series, text)


def test_closing_hashes_are_not_part_of_a_table_title():
    [parsed] = parse_markdown_tables("## Sales by month ##\n| Month | Sales |\n|---|---|\n| Jan | 3 |")
    assert parsed.title == "Sales by month"


def test_a_number_too_large_for_a_float_is_no_number():
    assert parse_number("9" * 400) is None and parse_number("9" * 300) == float("9" * 300)


def test_json_nested_too_deeply_is_one_clear_error(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text("[" * 100_000)
    with pytest.raises(DatasetError, match=r"line 1: not usable JSON \(nested too deeply\)"):
        load_dataset(path)


def test_integer_too_long_to_read_is_one_clear_error(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text('{"file_id": ' + "1" * 5000 + ', "input": "x"}')
    with pytest.raises(DatasetError, match=r"line 1: not usable JSON \(Exceeds the limit"):
        load_dataset(path)


def test_line_separator_inside_a_prompt_is_not_a_line_break(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps({"file_id": "a", "input": "one\u2028two\u0085three"}, ensure_ascii=False) + "\n")
    assert [c.prompt for c in load_dataset(path)] == ["one\u2028two\u0085three"]
