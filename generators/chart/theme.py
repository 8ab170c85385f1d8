"""The page's look on an ECharts option, shared by every chart backend: the page's colours and fonts win.

``apply_theme`` sets the series colours, the text and title fonts, a transparent background and no
animation, and colours the axes, legends, radar grids and visual maps from the palette. Everything
else in the option (its layout, its data) is kept as it is.
"""

from __future__ import annotations

from typing import Any

from webagent.core.colour import mix
from webagent.core.contracts import AssetSpec, ChartAttributes, DesignTokens

TITLE_FONT_SIZE_PX = 16


def chart_attributes(spec: AssetSpec) -> ChartAttributes:
    """The chart attributes of an element (the defaults when it has none)."""
    return spec.attributes if isinstance(spec.attributes, ChartAttributes) else ChartAttributes()


def series_colours(attributes: ChartAttributes, tokens: DesignTokens) -> list[str]:
    """The chart's colours: the element's own palette or primary, secondary, accent; then their tints."""
    palette = tokens.palette
    base = attributes.palette or [palette.primary, palette.secondary, palette.accent]
    return base + [mix(c, palette.background, t) for t in (0.35, 0.6) for c in base]


def axis_style(tokens: DesignTokens) -> dict:
    muted = tokens.palette.muted
    return {
        "axisLine": {"lineStyle": {"color": muted}},
        "axisTick": {"lineStyle": {"color": muted}},
        "axisLabel": {"color": muted, "hideOverlap": True},
        "splitLine": {"lineStyle": {"color": muted, "opacity": 0.25}},
    }


def component_styles(colours: list[str], tokens: DesignTokens) -> dict[str, dict]:
    """The page's styling of each option component that carries text or lines."""
    palette, muted = tokens.palette, tokens.palette.muted
    faint_line = {"lineStyle": {"color": muted, "opacity": 0.35}}
    return {
        "title": {
            "textStyle": {
                "color": palette.text,
                "fontFamily": tokens.fonts.heading,
                "fontSize": TITLE_FONT_SIZE_PX,
                "fontWeight": 600,
            }
        },
        "xAxis": axis_style(tokens),
        "yAxis": axis_style(tokens),
        "legend": {"textStyle": {"color": muted}},
        "radar": {"axisName": {"color": palette.text}, "splitLine": faint_line, "axisLine": faint_line},
        "visualMap": {
            "textStyle": {"color": muted},
            "inRange": {"color": [mix(colours[0], palette.background, 0.85), colours[0]]},
        },
    }


def merged(base: Any, theme: dict) -> dict:
    """``base`` with ``theme`` laid over it, nested objects merged key by key; the theme wins conflicts."""
    result = dict(base) if isinstance(base, dict) else {}
    for key, value in theme.items():
        result[key] = merged(result.get(key), value) if isinstance(value, dict) else value
    return result


def restyled(component: Any, style: dict) -> Any:
    """A component (one object, or a list of them as ECharts allows) with ``style`` merged in."""
    if isinstance(component, list):
        return [restyled(part, style) for part in component]
    return merged(component, style) if isinstance(component, dict) else component


def apply_theme(option: dict, spec: AssetSpec, tokens: DesignTokens) -> dict:
    """``option`` in the page's colours and fonts; the given option is left unchanged."""
    colours = series_colours(chart_attributes(spec), tokens)
    text_style = {"color": tokens.palette.text, "fontFamily": tokens.fonts.body}
    themed = {
        "animation": False,
        "backgroundColor": "transparent",
        "color": colours,
        "textStyle": merged(option.get("textStyle"), text_style),
    }
    themed |= {key: value for key, value in option.items() if key not in themed}
    for key, style in component_styles(colours, tokens).items():
        if key in themed:
            themed[key] = restyled(themed[key], style)
    return themed
