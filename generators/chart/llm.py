"""LLM chart backend: the coder model writes an ECharts option; we check its data, then theme it.

The answer must draw the element's dataset as it is: every number in the series data is a number
of the dataset and the dataset's numbers are all drawn; category labels are the dataset's cells or
headers; nothing in the option points outside the page or could run as script. A failing answer
gets one repair request listing its problems; when the repair fails too, ModelOutputError reaches
``webagent.generators.generate_asset``, which makes the chart offline. An accepted option keeps its layout
but loses its own colours and fonts, and takes the page's theme.
"""

from __future__ import annotations

import json
import math
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from webagent.core.answers import ChartDraft
from webagent.core.context import GenerationContext
from webagent.core.contracts import AssetSpec, Dataset, DesignTokens, GeneratedAsset
from webagent.core.datasets import numeric_columns, plain_number
from webagent.core.errors import GenerationError
from webagent.core.files import atomic_write_json, safe_join
from webagent.core.prompt_book import PromptBook
from webagent.generators.chart.theme import apply_theme, chart_attributes, series_colours

BACKEND = "llm"
PROMPTS = PromptBook(Path(__file__).with_name("prompts"))
SERIES_TYPE = {"area": "line", "donut": "pie"}  # chart types that ECharts draws with another series type
CARTESIAN_TYPES = ("bar", "line", "scatter", "effectScatter", "pictorialBar", "heatmap")
SERIES_TYPES = (*CARTESIAN_TYPES, "pie", "funnel", "gauge", "radar")
NAMED_ITEM_TYPES = ("pie", "funnel")  # their item names are category labels
SINGLE_MEASURE_TYPES = ("pie", "funnel", "gauge")  # they draw one column of the dataset
REMOTE_OR_SCRIPT = re.compile(r"^\s*(?:https?:|//|image://|javascript:)|<script", re.IGNORECASE)
BLANK_VALUES = (None, "-")  # how ECharts data marks a missing value
RELATIVE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Cell:
    """One number of the dataset, with the column and row label it belongs to."""

    column: str
    row: str
    value: float | int


def dataset_cells(dataset: Dataset) -> list[Cell]:
    """Every number of the dataset's numeric columns, column by column."""
    return [
        Cell(header, row[0], value)
        for header, values in numeric_columns(dataset).items()
        for row, value in zip(dataset.rows, values)
        if value is not None
    ]


def components(option: dict, key: str) -> list[dict]:
    """The objects of an option component given as one object or as a list of them."""
    value = option.get(key)
    return [part for part in (value if isinstance(value, list) else [value]) if isinstance(part, dict)]


def axis_of(option: dict, key: str, index: Any) -> tuple[str, list | None]:
    """(type, category data) of axis ``index`` of ``key``; ECharts makes an axis with data a category axis."""
    axes = components(option, key)
    axis = axes[index] if isinstance(index, int) and 0 <= index < len(axes) else {}
    data = axis.get("data") if isinstance(axis.get("data"), list) else None
    return axis.get("type") or ("category" if data is not None else "value"), data


def label_text(label: Any) -> str:
    """A category label as the dataset would write it (2024 → "2024")."""
    if isinstance(label, float):
        label = plain_number(label)
    return str(label).strip()


def is_number(value: Any) -> bool:
    """Whether a JSON value is a finite number (true and false are not)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def shown(value: Any, limit: int = 60) -> str:
    """A value as JSON, shortened for a problem line."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def strings(node: Any, where: str) -> list[tuple[str, str]]:
    """Every string in a JSON value (keys included) with where it is."""
    if isinstance(node, str):
        return [(where, node)]
    if isinstance(node, dict):
        return [found for key, value in node.items() for found in [(where, key), *strings(value, f"{where}.{key}")]]
    if isinstance(node, list):
        return [found for index, value in enumerate(node) for found in strings(value, f"{where}[{index}]")]
    return []


def remote_problems(option: dict) -> list[str]:
    """Links, remote images and script anywhere in the option: a page loads nothing remote."""
    return [
        f"{where} is {shown(text)}: the page loads nothing remote and runs no script, remove it"
        for where, text in strings(option, "option")
        if REMOTE_OR_SCRIPT.search(text)
    ]


def type_problems(series: list[dict], chart_type: str) -> list[str]:
    """Series types this backend cannot check, and a chart that is not of the type the plan asks for."""
    problems = [
        f"series[{i}] has type {shown(s.get('type'))}; use one of: {', '.join(SERIES_TYPES)}"
        for i, s in enumerate(series)
        if s.get("type") not in SERIES_TYPES
    ]
    wanted = SERIES_TYPE.get(chart_type, chart_type)
    if not any(s.get("type") == wanted for s in series):
        problems.append(f'the chart should be a {chart_type} chart: draw it with series of type "{wanted}"')
    return problems


class DataCheck:
    """Compares the data of one option with the element's dataset, collecting problems and drawn cells."""

    def __init__(self, dataset: Dataset) -> None:
        self.cells = dataset_cells(dataset)
        self.labels = {text.strip() for text in [*dataset.columns, *(cell for row in dataset.rows for cell in row)]}
        self.problems: list[str] = []
        self.drawn: set[int] = set()  # indexes into self.cells

    def value(self, where: str, value: Any) -> None:
        """A number that must be a number of the dataset (or ECharts' blank)."""
        if value in BLANK_VALUES:
            return
        if not is_number(value):
            self.problems.append(f"{where} is {shown(value)}, not a number: write dataset numbers as JSON numbers")
            return
        matches = {
            i for i, cell in enumerate(self.cells) if math.isclose(value, cell.value, rel_tol=RELATIVE_TOLERANCE)
        }
        if not matches:
            self.problems.append(
                f"{where} is {shown(value)}, which is not a number of the dataset: copy the numbers exactly"
            )
        self.drawn |= matches

    def label(self, where: str, label: Any) -> None:
        """A category label that must be a cell or header of the dataset."""
        if label_text(label) not in self.labels:
            self.problems.append(
                f"{where} is {shown(label)}, which is not a cell or header of the dataset: copy labels verbatim"
            )

    def coordinate(self, where: str, position: Any, categories: list | None) -> None:
        """A position on a category axis: the index of a category, or its label."""
        is_index = isinstance(position, int) and not isinstance(position, bool)
        if not (is_index and (categories is None or 0 <= position < len(categories))):
            self.label(where, position)

    def series(self, option: dict, number: int, series: dict) -> None:
        """The data of series ``number``, read as its type places values on axes, slices or a radar."""
        where, kind, data = f"series[{number}]", series.get("type"), series.get("data")
        if not isinstance(data, list):
            self.problems.append(f'{where} has no "data" list: put its values in series[].data')
            return
        axes = (
            axis_of(option, "xAxis", series.get("xAxisIndex", 0)),
            axis_of(option, "yAxis", series.get("yAxisIndex", 0)),
        )
        for index, item in enumerate(data):
            at = f"{where}.data[{index}]"
            value, at_value = (item.get("value"), f"{at}.value") if isinstance(item, dict) else (item, at)
            if kind in CARTESIAN_TYPES:
                self.cartesian(at_value, value, axes)
            elif kind == "radar":
                for position, part in enumerate(value if isinstance(value, list) else [value]):
                    self.value(f"{at_value}[{position}]", part)
            elif kind in SERIES_TYPES:
                self.value(at_value, value)
                if kind in NAMED_ITEM_TYPES and isinstance(item, dict) and "name" in item:
                    self.label(f"{at}.name", item["name"])

    def cartesian(self, where: str, value: Any, axes: tuple[tuple[str, list | None], ...]) -> None:
        """A point on x/y axes: category positions are indexes or labels, value positions dataset numbers."""
        if not isinstance(value, list):
            self.value(where, value)
            return
        for position, part in enumerate(value):
            axis_type, categories = axes[position] if position < len(axes) else ("value", None)
            if axis_type == "category":
                self.coordinate(f"{where}[{position}]", part, categories)
            elif axis_type != "time":
                self.value(f"{where}[{position}]", part)

    def categories(self, option: dict) -> None:
        """Category axis labels and radar indicator names must come from the dataset."""
        for key in ("xAxis", "yAxis"):
            for number, axis in enumerate(components(option, key)):
                for index, entry in enumerate(axis.get("data") or []):
                    label = entry.get("value") if isinstance(entry, dict) else entry
                    self.label(f"{key}[{number}].data[{index}]", label)
        for number, radar in enumerate(components(option, "radar")):
            for index, indicator in enumerate(radar.get("indicator") or []):
                if isinstance(indicator, dict):
                    self.label(f"radar[{number}].indicator[{index}].name", indicator.get("name"))

    def missing(self, kinds: set[str]) -> list[str]:
        """Dataset numbers the chart leaves out: one value for a gauge, one whole column for a pie or
        funnel, every number otherwise."""
        drawn_columns = {self.cells[i].column for i in self.drawn}
        if not drawn_columns:
            return ["the chart draws none of the dataset's numbers"]
        if kinds <= {"gauge"}:
            return []
        wanted = drawn_columns if kinds <= set(SINGLE_MEASURE_TYPES) else {cell.column for cell in self.cells}
        return [
            f"the dataset value {shown(cell.value)} ({cell.column}, {cell.row}) is missing from the chart"
            for index, cell in enumerate(self.cells)
            if cell.column in wanted and index not in self.drawn
        ]


def option_problems(option: dict, dataset: Dataset, chart_type: str) -> list[str]:
    """Why a model's option cannot be drawn on the page as it is; empty when it can."""
    series = option.get("series")
    if not isinstance(series, list) or not series or not all(isinstance(s, dict) for s in series):
        return ['the option needs a "series" list of objects, each with a "type" and its "data"']
    problems = [*remote_problems(option), *type_problems(series, chart_type)]
    if "dataset" in option:
        problems.append('put the values in series[].data, not in an ECharts "dataset" component')
    check = DataCheck(dataset)
    for number, one in enumerate(series):
        check.series(option, number, one)
    check.categories(option)
    kinds = {s.get("type") for s in series if s.get("type") in SERIES_TYPES}
    return [*problems, *check.problems, *check.missing(kinds)]


def is_colour_key(key: str) -> bool:
    return key == "color" or key.endswith("Color")  # color, backgroundColor, borderColor, shadowColor, …


def page_styles_only(node: Any, page_colours: set[str]) -> Any:
    """The model's option without its own fonts and without colours that are not the page's."""
    if isinstance(node, dict):
        return {
            key: page_styles_only(value, page_colours)
            for key, value in node.items()
            if key != "fontFamily" and not (is_colour_key(key) and str(value).upper() not in page_colours)
        }
    if isinstance(node, list):
        return [page_styles_only(value, page_colours) for value in node]
    return node


def page_colours(spec: AssetSpec, tokens: DesignTokens) -> set[str]:
    """The colours a chart on this page may use, upper-case: its series colours and the palette."""
    return {c.upper() for c in [*series_colours(chart_attributes(spec), tokens), *tokens.palette.model_dump().values()]}


def prompt_values(spec: AssetSpec, dataset: Dataset, tokens: DesignTokens) -> dict[str, object]:
    """The plain values the chart prompt is written from."""
    attributes = chart_attributes(spec)
    return {
        "brief": spec.prompt.strip(),
        "place": f"{spec.context.role} in the {spec.context.section} section; page style: {spec.context.page_style}",
        "section": spec.context.section,
        "title": spec.title or dataset.title,
        "chart_type": attributes.chart_type,
        "series_type": SERIES_TYPE.get(attributes.chart_type, attributes.chart_type),
        "horizontal": attributes.horizontal,
        "stacked": attributes.stacked,
        "style": attributes.chart_style,
        "emphasis": attributes.emphasis,
        "dataset": dataset.model_dump_json(),
        "numbers": json.dumps(numeric_columns(dataset), ensure_ascii=False),
        "width": spec.size.width,
        "height": spec.size.height,
        "palette": tokens.palette.model_dump_json(),
        "accent": tokens.palette.accent,
        "fonts": f"{tokens.fonts.heading} for the title, {tokens.fonts.body} for other text",
    }


def generate(spec: AssetSpec, tokens: DesignTokens, ctx: GenerationContext) -> GeneratedAsset:
    """Ask the coder model for the chart's option, check and theme it, and write it as JSON to ``spec.path``."""
    started = time.perf_counter()
    dataset = spec.dataset
    if dataset is None or not numeric_columns(dataset):
        raise GenerationError(f"chart {spec.id} has no numeric data")
    chart_type = chart_attributes(spec).chart_type
    messages = PROMPTS.messages("chart_option.md.j2", **prompt_values(spec, dataset, tokens))
    draft = ctx.model("coder").complete_json(
        f"chart {spec.id}",
        messages,
        ChartDraft,
        check=lambda answer: option_problems(answer.option, dataset, chart_type),
    )
    option = apply_theme(page_styles_only(draft.option, page_colours(spec, tokens)), spec, tokens)
    atomic_write_json(safe_join(ctx.out_dir, spec.path), option)
    return GeneratedAsset(
        id=spec.id,
        kind="chart",
        path=spec.path,
        backend=BACKEND,
        chart_option=option,
        seconds=round(time.perf_counter() - started, 3),
    )
