"""Offline chart backend: an Apache ECharts option built from the element's dataset.

Category labels and series names are the dataset's cells and headers, verbatim; values are the
numbers read from the cells, unscaled and unrounded. Colours and fonts come from the page tokens
(``webagent.generators.chart.theme``).
"""

from __future__ import annotations

import math
import re
import time

from webagent.core.colour import mix
from webagent.core.context import GenerationContext
from webagent.core.contracts import AssetSpec, ChartAttributes, Dataset, DesignTokens, GeneratedAsset
from webagent.core.datasets import numeric_columns, plain_number
from webagent.core.errors import GenerationError
from webagent.core.files import atomic_write_json, safe_join
from webagent.generators.chart.theme import apply_theme, chart_attributes

BACKEND = "offline"
MULTI_SERIES_TYPES = ("bar", "line", "area", "radar")


def nice_ceiling(value: float) -> float | int:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 × 10ⁿ at or above ``value``."""
    if value <= 0:
        return 1
    exponent = math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        nice = step * 10**exponent if exponent >= 0 else step / 10**-exponent
        if nice >= value:
            return plain_number(float(nice))
    return plain_number(float(10 ** (exponent + 1)))


def emphasised_index(categories: list[str], emphasis: str) -> int | None:
    """The category the emphasis cue names ("highlight 2024" → the 2024 bar), if any."""
    cue = emphasis.lower()
    for index, category in enumerate(categories):
        label = category.strip().lower()
        if label and re.search(rf"(?<!\w){re.escape(label)}(?!\w)", cue):
            return index
    return None


def cartesian_option(
    chart_type: str, attributes: ChartAttributes, categories: list[str], series: dict[str, list], tokens: DesignTokens
) -> dict:
    """Bar, line, area and one-measure scatter charts on a category axis."""
    highlight = emphasised_index(categories, attributes.emphasis)
    accent = tokens.palette.accent
    built = []
    for name, values in series.items():
        entry: dict = {
            "name": name,
            "type": "line" if chart_type == "area" else chart_type,
            "data": list(values),
            "emphasis": {"focus": "series"},
        }
        if chart_type in ("line", "area"):
            entry |= {"smooth": chart_type == "area", "symbolSize": 7}
        if chart_type == "area":
            entry["areaStyle"] = {"opacity": 0.25}
        if chart_type == "bar":
            entry["itemStyle"] = {"borderRadius": [4, 4, 0, 0] if not attributes.horizontal else [0, 4, 4, 0]}
            entry["barMaxWidth"] = 48
        if attributes.stacked and chart_type in ("bar", "line", "area"):
            entry["stack"] = "total"
        if highlight is not None and values[highlight] is not None:
            if chart_type == "bar" and len(series) == 1:
                entry["data"][highlight] = {"value": values[highlight], "itemStyle": {"color": accent}}
            elif chart_type in ("line", "area"):
                entry["markPoint"] = {
                    "data": [{"coord": [highlight, values[highlight]], "value": values[highlight]}],
                    "itemStyle": {"color": accent},
                }
        built.append(entry)
    category_axis = {"type": "category", "data": categories, "boundaryGap": chart_type in ("bar", "scatter")}
    value_axis = {"type": "value"}
    if attributes.horizontal:
        category_axis["inverse"] = True
        return {"xAxis": value_axis, "yAxis": category_axis, "series": built, "tooltip": {"trigger": "axis"}}
    return {"xAxis": category_axis, "yAxis": value_axis, "series": built, "tooltip": {"trigger": "axis"}}


def scatter_option(categories: list[str], series: dict[str, list]) -> dict:
    """Two measures: the first numeric column across, the second up; points named by category."""
    (x_name, xs), (y_name, ys) = list(series.items())[:2]
    points = [{"name": c, "value": [x, y]} for c, x, y in zip(categories, xs, ys) if x is not None and y is not None]
    return {
        "xAxis": {"type": "value", "name": x_name, "nameLocation": "middle", "nameGap": 28},
        "yAxis": {"type": "value", "name": y_name},
        "series": [{"type": "scatter", "name": y_name, "data": points, "symbolSize": 14}],
        "tooltip": {"trigger": "item"},
    }


def pie_option(
    chart_type: str, attributes: ChartAttributes, categories: list[str], series: dict[str, list], tokens: DesignTokens
) -> dict:
    """Pie, donut and funnel: the first numeric column as named slices."""
    name, values = next(iter(series.items()))
    highlight = emphasised_index(categories, attributes.emphasis)
    items = []
    for index, (category, value) in enumerate(zip(categories, values)):
        if value is None:
            continue
        item = {"name": category, "value": value}
        if index == highlight and chart_type != "funnel":
            item["selected"] = True
        items.append(item)
    label = {"color": tokens.palette.text, "formatter": "{b}: {c}"}
    entry: dict = {"name": name, "type": "funnel" if chart_type == "funnel" else "pie", "data": items, "label": label}
    if chart_type == "funnel":
        entry |= {
            "left": "10%",
            "width": "80%",
            "top": 56,
            "bottom": 16,
            "sort": "descending",
            "gap": 2,
            "label": {"position": "inside", "color": "#FFFFFF", "formatter": "{b}: {c}"},
        }
    else:
        entry |= {
            "radius": ["42%", "68%"] if chart_type == "donut" else "68%",
            "center": ["50%", "55%"],
            "selectedMode": "single",
            "selectedOffset": 12,
            "itemStyle": {"borderColor": tokens.palette.background, "borderWidth": 2},
        }
    return {"series": [entry], "tooltip": {"trigger": "item"}}


def radar_option(categories: list[str], series: dict[str, list]) -> dict:
    """One axis per category, one shape per numeric column, all on the same nicely rounded scale."""
    largest = max(v for values in series.values() for v in values if v is not None)
    top = nice_ceiling(1.2 * largest)
    return {
        "radar": {
            "indicator": [{"name": c, "max": top} for c in categories],
            "center": ["50%", "56%"],
            "radius": "62%",
            "splitArea": {"show": False},
        },
        "series": [
            {
                "type": "radar",
                "data": [
                    {"name": name, "value": list(values), "areaStyle": {"opacity": 0.18}}
                    for name, values in series.items()
                ],
            }
        ],
        "tooltip": {"trigger": "item"},
    }


def gauge_option(dataset: Dataset, categories: list[str], series: dict[str, list], tokens: DesignTokens) -> dict:
    """The first row's first number on a dial; percentages run to 100."""
    name, values = next(iter(series.items()))
    row = next(i for i, v in enumerate(values) if v is not None)
    value = values[row]
    percent = "%" in dataset.rows[row][dataset.columns.index(name)] or "%" in name
    top = 100 if percent and 0 <= value <= 100 else nice_ceiling(abs(value) * 1.2)
    track = mix(tokens.palette.muted, tokens.palette.background, 0.6)
    return {
        "series": [
            {
                "type": "gauge",
                "name": name,
                "min": 0,
                "max": top,
                "center": ["50%", "60%"],
                "data": [{"name": categories[row], "value": value}],
                "progress": {"show": True, "width": 16},
                "axisLine": {"lineStyle": {"width": 16, "color": [[1, track]]}},
                "axisTick": {"show": False},
                "splitLine": {"show": False},
                "axisLabel": {"color": tokens.palette.muted},
                "pointer": {"show": False},
                "title": {"color": tokens.palette.muted, "offsetCenter": [0, "30%"]},
                "detail": {
                    "color": tokens.palette.text,
                    "fontSize": 32,
                    "offsetCenter": [0, "-5%"],
                    "formatter": "{value}%" if percent else "{value}",
                },
            }
        ],
        "tooltip": {"trigger": "item"},
    }


def heatmap_option(dataset: Dataset, series: dict[str, list], tokens: DesignTokens) -> dict:
    """Long form (two label columns and a value) or a matrix (row labels × numeric column headers)."""
    labels = [i for i, header in enumerate(dataset.columns) if header not in series]
    if len(labels) >= 2:
        values = next(iter(series.values()))
        xs = list(dict.fromkeys(row[labels[0]] for row in dataset.rows))
        ys = list(dict.fromkeys(row[labels[1]] for row in dataset.rows))
        cells = [
            [xs.index(row[labels[0]]), ys.index(row[labels[1]]), v]
            for row, v in zip(dataset.rows, values)
            if v is not None
        ]
    else:
        xs = list(series)
        ys = [row[0] for row in dataset.rows]
        cells = [
            [x, y, value]
            for x, values in enumerate(series.values())
            for y, value in enumerate(values)
            if value is not None
        ]
    numbers = [cell[2] for cell in cells]
    return {
        "xAxis": {"type": "category", "data": xs, "splitArea": {"show": True}},
        "yAxis": {"type": "category", "data": ys, "splitArea": {"show": True}},
        "visualMap": {
            "min": min(numbers),
            "max": max(numbers),
            "calculable": True,
            "orient": "horizontal",
            "left": "center",
            "bottom": 0,
        },
        "series": [
            {
                "type": "heatmap",
                "data": cells,
                "label": {"show": len(cells) <= 60},
                "itemStyle": {"borderColor": tokens.palette.background, "borderWidth": 2},
            }
        ],
        "tooltip": {"trigger": "item"},
    }


def build_option(spec: AssetSpec, tokens: DesignTokens) -> dict:
    """The ECharts option for a chart element; raises GenerationError when it has no numbers."""
    dataset = spec.dataset
    series = numeric_columns(dataset) if dataset and dataset.rows else {}
    if not series:
        raise GenerationError(f"chart {spec.id} has no numeric data")
    attributes = chart_attributes(spec)
    chart_type = attributes.chart_type
    categories = [row[0] for row in dataset.rows]
    if chart_type in ("pie", "donut", "funnel"):
        body = pie_option(chart_type, attributes, categories, series, tokens)
    elif chart_type == "radar":
        body = radar_option(categories, series)
    elif chart_type == "gauge":
        body = gauge_option(dataset, categories, series, tokens)
    elif chart_type == "heatmap":
        body = heatmap_option(dataset, series, tokens)
    elif chart_type == "scatter" and len(series) >= 2:
        body = scatter_option(categories, series)
    else:
        body = cartesian_option(chart_type, attributes, categories, series, tokens)
    title = spec.title or dataset.title
    legend = len(series) > 1 and chart_type in MULTI_SERIES_TYPES
    option = {
        "title": {"text": title, "show": bool(title), "left": "left", "top": 0},
        "grid": {
            "left": 8,
            "right": 16,
            "top": (36 if title else 8) + (28 if legend else 0) + 8,
            "bottom": 64 if "visualMap" in body else 8,
            "containLabel": True,
        },
        **body,
    }
    if legend:
        option["legend"] = {"data": list(series), "top": 30 if title else 0, "left": "left", "icon": "roundRect"}
    return apply_theme(option, spec, tokens)


def generate(spec: AssetSpec, tokens: DesignTokens, ctx: GenerationContext) -> GeneratedAsset:
    """Write the chart's ECharts option as JSON to ``spec.path``."""
    started = time.perf_counter()
    option = build_option(spec, tokens)
    atomic_write_json(safe_join(ctx.out_dir, spec.path), option)
    return GeneratedAsset(
        id=spec.id,
        kind="chart",
        path=spec.path,
        chart_option=option,
        backend=BACKEND,
        seconds=round(time.perf_counter() - started, 3),
    )
