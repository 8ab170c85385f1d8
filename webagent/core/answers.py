"""The shapes of model answers: section details, code, rewrites, chart drafts and reflection choices."""

from __future__ import annotations

from pydantic import Field

from webagent.core.contracts import AssetSpec, Contract, SectionPlan


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


class PenaltySections(Contract):
    """The sections one judge penalty is about."""

    penalty: int = Field(description="the penalty's number, as given")
    section_ids: list[str] = Field(
        default_factory=list, description="ids of the sections whose markup or CSS must change; [] when none"
    )


class SectionChoice(Contract):
    """The coder's answer: for each judge penalty, the sections to patch."""

    choices: list[PenaltySections] = Field(default_factory=list)


class ElementStyle(Contract):
    """The coder's answer: CSS declarations for how one element sits in its box."""

    declarations: dict[str, str] = Field(
        default_factory=dict, description="CSS property → value, only properties from the list offered"
    )
