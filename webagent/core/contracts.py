"""The plan contracts: the page, its sections and elements, and the generated media.

The same pydantic classes validate model output, serialise ``plan.json`` and type the build.
``Field(description=...)`` is documentation a model reads.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

AssetKind = Literal["image", "video", "chart"]

ContentRole = Literal[
    "logo",
    "nav",
    "heading",
    "subheading",
    "eyebrow",
    "body",
    "button",
    "link",
    "label",
    "tag",
    "list_item",
    "caption",
    "quote",
    "attribution",
    "price",
    "stat",
    "placeholder",
    "legal",
]


class Contract(BaseModel):
    """Base of every contract: unknown keys are refused so typos in model output surface."""

    model_config = ConfigDict(extra="forbid")


def check_hex(value: str) -> str:
    if not HEX_COLOUR.match(value):
        raise ValueError(f"{value!r} is not a #RRGGBB colour")
    return value.upper()


class Palette(Contract):
    """Colours of the page by role, each #RRGGBB."""

    background: str = Field(description="page background")
    surface: str = Field(description="cards and panels on the background")
    text: str = Field(description="body text on the background")
    muted: str = Field(description="secondary text, borders and rules")
    primary: str = Field(description="main brand colour: buttons, links, key headings")
    secondary: str = Field(description="second brand colour: bands, highlights")
    accent: str = Field(description="sparing accent: badges, emphasis, chart highlight")

    @field_validator("*")
    @classmethod
    def _hex(cls, value: str) -> str:
        return check_hex(value)


class Fonts(Contract):
    """CSS font stacks; the first family should exist on the rendering machine."""

    heading: str
    body: str
    mono: str = "'DejaVu Sans Mono', 'Liberation Mono', monospace"


class DesignTokens(Contract):
    """Page-wide design system, written once and shared by every section and element."""

    palette: Palette
    fonts: Fonts
    radius_px: int = Field(8, ge=0, le=48)
    shadow: str = "0 10px 30px rgba(15, 23, 42, 0.12)"
    spacing_px: list[int] = Field(default_factory=lambda: [4, 8, 16, 24, 40, 64, 96])
    mood: str = Field("", description="a few words: 'calm, premium', 'playful, loud'")
    visual_style: str = Field("", description="named style: swiss, brutalist, editorial, …")
    dark: bool = Field(False, description="true when the background is dark")


class ContentItem(Contract):
    """One piece of copy placed in a section; quoted prompt strings are kept verbatim."""

    text: str
    role: ContentRole
    emphasis: bool = Field(False, description="primary button, active nav item, highlighted")
    group: int = Field(0, description="items with the same group belong to one card or row")


class SectionLayout(Contract):
    """How a section arranges its content."""

    columns: int = Field(1, ge=1, le=4)
    align: Literal["left", "center"] = "left"
    media_side: Literal["left", "right", "top", "bottom"] = "right"
    band: bool = Field(False, description="full-width coloured band behind the section")
    split: int = Field(
        0, ge=0, le=80, description="percent of the width the left column takes in a two-column split; 0 = balanced"
    )
    sticky: bool = Field(False, description="a header that stays at the top on every screen size")
    full_width: bool = Field(False, description="its pictures, videos and charts span the page edge to edge")
    description: str = ""

    @field_validator("split")
    @classmethod
    def _split_leaves_two_columns(cls, split: int) -> int:
        if split and not 20 <= split <= 80:
            raise ValueError(f"split {split} leaves a column under 20 % wide; use 20–80 or 0")
        return split


class Dataset(Contract):
    """A table of values, taken verbatim from the prompt when it gives one."""

    title: str = ""
    columns: list[str]
    rows: list[list[str]]
    illustrative: bool = Field(False, description="made up: the prompt gives no numbers for it; the page says so")
    decimal_comma: bool = Field(False, description="numbers are written 1.234,5 (a decimal comma)")

    @field_validator("rows")
    @classmethod
    def _rows_match_columns(cls, rows: list[list[str]], info) -> list[list[str]]:
        width = len(info.data.get("columns", []))
        for row in rows:
            if len(row) != width:
                raise ValueError(f"row {row!r} has {len(row)} cells, expected {width}")
        return rows


class SectionPlan(Contract):
    """One section of the page, in page order."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    role: str = Field(description="header, hero, features, gallery, chart, stats, cta, footer, …")
    title: str = ""
    layout: SectionLayout = Field(default_factory=SectionLayout)
    content: list[ContentItem] = Field(default_factory=list)
    asset_ids: list[str] = Field(default_factory=list)
    tables: list[Dataset] = Field(default_factory=list, description="tables shown as HTML tables")
    accents: list[str] = Field(default_factory=list, description="#RRGGBB colours the prompt gives this section")
    background: str | None = Field(None, description="#RRGGBB band colour, else the page's")
    brief: str = Field("", description="what the prompt says about this section")

    @field_validator("background")
    @classmethod
    def _background_hex(cls, value: str | None) -> str | None:
        return None if value is None else check_hex(value)

    @field_validator("accents")
    @classmethod
    def _accents_hex(cls, value: list[str]) -> list[str]:
        return [check_hex(v) for v in value]


class AssetSize(Contract):
    """The slot an element fills, in CSS pixels at desktop width."""

    width: int = Field(ge=16, le=4096)
    height: int = Field(ge=16, le=4096)

    @property
    def aspect(self) -> float:
        return self.width / self.height


class AssetContext(Contract):
    """Where an element sits, so it is generated knowing its surroundings."""

    section: str
    role: str = Field(description="hero visual, card thumbnail, background loop, …")
    page_style: str


class ImageAttributes(Contract):
    kind: Literal["image"] = "image"
    visual_style: str = "flat illustration"
    color_tone: str = "page palette"
    composition: str = "centred subject"
    lighting: str = "soft, even"


class VideoAttributes(Contract):
    kind: Literal["video"] = "video"
    style: str = "cinematic"
    motion_intensity: Literal["low", "medium", "high"] = "low"
    camera: str = "slow push-in"
    loopable: bool = True
    seconds: float = Field(4.0, ge=1.0, le=20.0)


ChartType = Literal["bar", "line", "area", "pie", "donut", "radar", "scatter", "gauge", "funnel", "heatmap"]


class ChartAttributes(Contract):
    kind: Literal["chart"] = "chart"
    chart_type: ChartType = "bar"
    horizontal: bool = False
    stacked: bool = False
    chart_style: str = "clean"
    palette: list[str] = Field(default_factory=list)
    emphasis: str = ""

    @field_validator("palette")
    @classmethod
    def _palette_hex(cls, value: list[str]) -> list[str]:
        return [check_hex(v) for v in value]


class AssetSpec(Contract):
    """The local plan of one multimodal element (image, video or chart)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    kind: AssetKind
    path: str = Field(description="relative path under assets/, e.g. assets/hero.png")
    section_id: str
    title: str = Field("", description="caption or chart title; also the alt text base")
    size: AssetSize
    context: AssetContext
    attributes: ImageAttributes | VideoAttributes | ChartAttributes = Field(discriminator="kind")
    prompt: str = Field(description="what the element shows")
    dataset: Dataset | None = None

    def generation_prompt(self) -> str:
        """The element's prompt + its context sentence + its attribute sentence."""
        context = (
            f"It is the {self.context.role} of the {self.context.section} section of a {self.context.page_style} page."
        )
        attrs = self.attributes.model_dump(exclude={"kind", "palette"})
        details = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in attrs.items() if v not in ("", None))
        return f"{self.prompt.strip()} {context} Attributes: {details}."


class PagePlan(Contract):
    """The global plan of one page."""

    title: str
    language: str = "en"
    tokens: DesignTokens
    sections: list[SectionPlan]
    assets: list[AssetSpec] = Field(default_factory=list)
    planner: str = Field("offline", description="which planner made this plan")

    def section(self, section_id: str) -> SectionPlan:
        return next(s for s in self.sections if s.id == section_id)

    def assets_of(self, section_id: str) -> list[AssetSpec]:
        return [a for a in self.assets if a.section_id == section_id]


class GeneratedAsset(Contract):
    """What a generator produced for one AssetSpec; paths are relative to the output folder."""

    id: str
    kind: AssetKind
    path: str
    backend: str
    poster: str | None = None
    sources: list[str] = Field(default_factory=list, description="extra encodings (video)")
    chart_option: dict | None = None
    seconds: float = 0.0
    warnings: list[str] = Field(default_factory=list)
    cached: bool = Field(False, description="copied from the media cache (seconds: the copy), not generated")
