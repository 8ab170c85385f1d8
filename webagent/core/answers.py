"""The shapes of model answers: section details, code, rewrites, chart drafts and reflection choices."""

from __future__ import annotations

import logging
import re
from typing import Any

from pydantic import Field, field_validator

from webagent.core.contracts import AssetSpec, Contract, SectionPlan

log = logging.getLogger(__name__)


class SectionDetail(Contract):
    """The local plan of one section: its refined layout and content, and its elements' slots."""

    section: SectionPlan
    assets: list[AssetSpec] = Field(default_factory=list, description="the section's elements, same ids as given")


class DesignSystem(Contract):
    """The page's stylesheet, written once and shared by every section."""

    css: str = Field(description="rules using the page's CSS variables: type scale, buttons, cards, …")
    components: dict[str, str] = Field(
        default_factory=dict, description="class name → when a section should use it, e.g. 'btn': 'call to action'"
    )


class SectionCode(Contract):
    """One section's markup and its own styles."""

    html: str = Field(description="one <section> element; media go into their empty <figure data-slot> elements")
    css: str = Field("", description="rules for this section only, every selector starting with #<section id>")


class SectionRewrite(SectionCode):
    """One section of a whole-page rewrite: its id, markup and own styles."""

    section_id: str = Field(description="the section's id, as given")


class PageRewrite(Contract):
    """The coder's answer in whole-page reflection (``page_reflection = "whole_page"``): every section rewritten."""

    sections: list[SectionRewrite] = Field(description="every section of the page, in page order")


class ChartDraft(Contract):
    """An ECharts option written by a model for one chart element."""

    option: dict = Field(description="an Apache ECharts option object; data values copied from the dataset")

    @field_validator("option", mode="before")
    @classmethod
    def _as_echarts_reads_it(cls, option: Any) -> Any:
        """Numbers written as strings in a series' data ("260") become numbers; JavaScript function strings
        ("formatter": "function (p) {…}"), which a JSON option can only show as text, are dropped (logged)."""
        if isinstance(option, dict):
            option = _without_functions(option, "option")
            for series in option.get("series") if isinstance(option.get("series"), list) else []:
                if isinstance(series, dict) and isinstance(series.get("data"), list):
                    series["data"] = [_data_item(item) for item in series["data"]]
        return option


# "function (p) { … }", "(p) => …", "p => …": code a model wrote into a JSON option.
_FUNCTION_TEXT = re.compile(r"^\s*(?:function\b\s*\w*\s*\(|\(?[\w\s,]*\)?\s*=>)")


def _without_functions(node: Any, where: str) -> Any:
    """``node`` less every value that is a JavaScript function written as a string."""
    if isinstance(node, dict):
        kept = {}
        for key, value in node.items():
            if isinstance(value, str) and _FUNCTION_TEXT.match(value):
                log.warning("chart option %s.%s was a JavaScript function; left out", where, key)
                continue
            kept[key] = _without_functions(value, f"{where}.{key}")
        return kept
    if isinstance(node, list):
        return [_without_functions(item, f"{where}[{k}]") for k, item in enumerate(node)]
    return node


_NUMBER_TEXT = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*$")


def _number(value: Any) -> Any:
    if isinstance(value, str) and _NUMBER_TEXT.match(value):
        return float(value) if "." in value else int(value)
    return value


def _data_item(item: Any) -> Any:
    """One series data item with its value a number: the item itself, its "value", or a pair's last element
    (the first may be a category written as a number: "2019")."""
    if isinstance(item, dict) and "value" in item:
        value = item["value"]
        return {
            **item,
            "value": [*value[:-1], _number(value[-1])] if isinstance(value, list) and value else _number(value),
        }
    if isinstance(item, list) and item:
        return [*item[:-1], _number(item[-1])]
    return _number(item)


class PenaltySections(Contract):
    """The sections one judge penalty is about."""

    penalty: int = Field(description="the penalty's number, as given")
    section_ids: list[str] = Field(
        default_factory=list, description="ids of the sections whose markup or CSS must change; [] when none"
    )


class SectionChoice(Contract):
    """The coder's answer: for each judge penalty, the sections to patch."""

    choices: list[PenaltySections] = Field(default_factory=list)


class PageRestyle(Contract):
    """The coder's answer to defects of the whole page's look: the shared stylesheet, and palette changes."""

    css: str = Field(description="the whole design-system stylesheet, replacing the current one")
    palette: dict[str, str] = Field(
        default_factory=dict, description="palette role → new #RRGGBB colour, only the roles that must change"
    )


class ElementStyle(Contract):
    """The coder's answer: CSS declarations for how one element sits in its box."""

    declarations: dict[str, str] = Field(
        default_factory=dict, description="CSS property → value, only properties from the list offered"
    )
