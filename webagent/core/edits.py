"""Fixes and edit plans: the changes a reflection round or a user edit makes."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from webagent.core.contracts import ChartType, Contract, check_hex

FixLevel = Literal["element", "container", "page"]
FixAction = Literal[
    "regenerate",  # make the element again, ``instruction`` amending its prompt
    "chart_type",  # ``instruction``: the chart type to draw the element's data as; then regenerate
    "element_style",  # ``instruction``: CSS declarations for the element's box, "property: value; …"
    "section_css",  # ``instruction``: CSS rules appended to the section's own stylesheet
    "patch_section",  # rewrite the section's markup/CSS following ``instruction``
    "restyle_page",  # rewrite the shared stylesheet (and palette roles the prompt left open) following ``instruction``
    "restore_text",  # ``instruction``: a quoted string of the prompt to put back into the section
    "tokens",  # ``instruction``: design tokens as JSON to merge into the plan's
    "reorder",  # ``instruction``: the new section order, ids separated by spaces
    "remove_section",
    "add_section",  # ``instruction``: the new section's plan as JSON
    "section_background",  # ``instruction``: the section's new #RRGGBB background
    "element_prompt",  # ``instruction``: the element's new prompt, replacing its own (a regenerate follows)
]


class Fix(Contract):
    """One change a reflection round or an edit makes, and why."""

    level: FixLevel
    action: FixAction
    target: str = Field(description="asset id, section id, or 'page'")
    reason: str = Field(description="the critique or instruction that asked for it")
    instruction: str = ""


class SectionChange(Contract):
    """One section whose markup or styles must change."""

    section_id: str
    instruction: str = Field(description="what to change in it, in a sentence: 'darker background, white text'")


class ElementChange(Contract):
    """One image, video or chart to make again."""

    asset_id: str
    instruction: str = Field("", description="what the new version must show or fix; '' for a fresh variation")


class ChartTypeChange(Contract):
    """One chart to draw as another type, from the same data."""

    asset_id: str
    chart_type: ChartType


class PaletteChange(Contract):
    """New colours for palette roles (#RRGGBB); roles left null keep theirs."""

    background: str | None = None
    surface: str | None = None
    text: str | None = None
    muted: str | None = None
    primary: str | None = None
    secondary: str | None = None
    accent: str | None = None

    @field_validator("*")
    @classmethod
    def _hex(cls, value: str | None) -> str | None:
        return None if value is None else check_hex(value)


class NewSection(Contract):
    """A section to add: its title and text, written with the page's templates."""

    title: str
    text: str = ""
    after: str = Field("", description="id of the section it follows; '' places it before the footer")


class EditPlan(Contract):
    """The changes one user edit asks for, and nothing else; ids are the page's own."""

    sections: list[SectionChange] = Field(default_factory=list, description="sections to rewrite")
    elements: list[ElementChange] = Field(default_factory=list, description="elements to make again")
    chart_types: list[ChartTypeChange] = Field(default_factory=list)
    palette: PaletteChange = Field(default_factory=PaletteChange)
    heading_font: str = Field("", description="a font family name for headings; '' keeps the font")
    body_font: str = Field("", description="a font family name for body text; '' keeps the font")
    remove: list[str] = Field(default_factory=list, description="ids of sections to remove")
    add: list[NewSection] = Field(default_factory=list)
    order: list[str] = Field(
        default_factory=list, description="every kept section id in the new order; [] keeps the order"
    )
