"""The contracts of mm-webagent: one home for every plan, asset, score and run record.

The same pydantic classes validate model output, serialise ``plan.json`` and ``run.json``,
and type the LangGraph state. ``Field(description=...)`` is documentation a model reads.
"""

from __future__ import annotations

import operator
import re
from typing import Annotated, Literal, TypedDict

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


def _check_hex(value: str) -> str:
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
        return _check_hex(value)


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
    description: str = ""


class Dataset(Contract):
    """A table of values, taken verbatim from the prompt when it gives one."""

    title: str = ""
    columns: list[str]
    rows: list[list[str]]

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
        return None if value is None else _check_hex(value)

    @field_validator("accents")
    @classmethod
    def _accents_hex(cls, value: list[str]) -> list[str]:
        return [_check_hex(v) for v in value]


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
        return [_check_hex(v) for v in value]


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
            f"It is the {self.context.role} of the {self.context.section} section "
            f"of a {self.context.page_style} page."
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


class ElementHealth(Contract):
    """How one element rendered in Chromium."""

    id: str
    kind: AssetKind
    ok: bool
    detail: str = ""


class RenderHealth(Contract):
    """What the browser saw when it rendered the page."""

    console_errors: list[str] = Field(default_factory=list)
    failed_requests: list[str] = Field(default_factory=list)
    blocked_requests: list[str] = Field(default_factory=list)
    overflow_px: dict[str, int] = Field(default_factory=dict, description="viewport width → px")
    elements: list[ElementHealth] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            not self.console_errors
            and not self.failed_requests
            and not self.blocked_requests
            and not any(self.overflow_px.values())
            and all(e.ok for e in self.elements)
        )

    def summary(self) -> str:
        broken = [e.id for e in self.elements if not e.ok]
        parts = [
            f"{sum(e.ok for e in self.elements)}/{len(self.elements)} media rendered",
            f"{len(self.console_errors)} console errors",
            self.blocked_summary(),
            f"{len(self.failed_requests)} failed requests",
            "horizontal overflow at " + ", ".join(f"{w}px" for w, px in self.overflow_px.items() if px)
            if any(self.overflow_px.values())
            else "no horizontal overflow",
        ]
        if broken:
            parts.append("broken: " + ", ".join(broken))
        return "; ".join(parts)

    def blocked_summary(self, shown: int = 3) -> str:
        """'N blocked requests', naming the first ``shown`` of them."""
        count = f"{len(self.blocked_requests)} blocked requests"
        if not self.blocked_requests:
            return count
        more = ", …" if len(self.blocked_requests) > shown else ""
        return f"{count} ({', '.join(self.blocked_requests[:shown])}{more})"


class SectionDetail(Contract):
    """The local plan of one section: its refined layout and content, and its elements' slots."""

    section: SectionPlan
    assets: list[AssetSpec] = Field(default_factory=list, description="the section's elements, same ids as given")


class DesignSystem(Contract):
    """The page's stylesheet, written once and shared by every section."""

    css: str = Field(description="rules using the page's CSS variables: type scale, buttons, cards, …")
    components: dict[str, str] = Field(
        default_factory=dict, description="class name → when a section should use it, e.g. 'btn': 'call to action'")


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
    section_ids: list[str] = Field(default_factory=list,
                                   description="ids of the sections whose markup or CSS must change; [] when none")


class SectionChoice(Contract):
    """The coder's answer: for each judge penalty, the sections to patch."""

    choices: list[PenaltySections] = Field(default_factory=list)


class ElementStyle(Contract):
    """The coder's answer: CSS declarations for how one element sits in its box."""

    declarations: dict[str, str] = Field(
        default_factory=dict, description="CSS property → value, only properties from the list offered")


class ModelCall(Contract):
    """One request to a model endpoint, as run.json records it (never the key)."""

    role: str
    step: str
    model: str
    seconds: float
    input_tokens: int = 0
    output_tokens: int = 0
    outcome: str = Field(description="ok, invalid, retry (429), failed (500), timeout, refused (401), …")


class PageSource(Contract):
    """Everything assembly needs to write the page again (``source.json``): reflection and edits change
    one part of it (an element, its embedding CSS, one section) and reassemble, never the rest."""

    plan: PagePlan
    section_html: dict[str, str] = Field(default_factory=dict, description="section id → markup with element slots")
    section_css: dict[str, str] = Field(default_factory=dict, description="section id → CSS scoped to #section-id")
    design_css: str = Field("", description="the page's design system stylesheet")
    assets: dict[str, GeneratedAsset] = Field(default_factory=dict, description="asset id → generated element")
    element_style: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="asset id → CSS declarations fixing how that element sits in its box")


FixLevel = Literal["element", "container", "page"]
FixAction = Literal[
    "regenerate",  # make the element again, ``instruction`` amending its prompt
    "chart_type",  # ``instruction``: the chart type to draw the element's data as; then regenerate
    "element_style",  # ``instruction``: CSS declarations for the element's box, "property: value; …"
    "section_css",  # ``instruction``: CSS rules appended to the section's own stylesheet
    "patch_section",  # rewrite the section's markup/CSS following ``instruction``
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
        return None if value is None else _check_hex(value)


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
    order: list[str] = Field(default_factory=list,
                             description="every kept section id in the new order; [] keeps the order")


RoundOrigin = Literal["build", "check", "reflection", "edit", "regenerate"]


class RoundRecord(Contract):
    """One checkpoint of the page under ``rounds/``: what changed, why, and the scores before and after."""

    number: int
    origin: RoundOrigin
    level: FixLevel | None = Field(None, description="the reflection level of the round; None for the build and edits")
    fixes: list[Fix] = Field(default_factory=list)
    score_before: float | None = None
    score_after: float
    scores_before: dict[str, float] = Field(default_factory=dict)
    scores_after: dict[str, float] = Field(default_factory=dict)
    kept: bool = True
    note: str = Field("", description="why it was rolled back, what was reverted, …")
    seconds: float = 0.0


class History(Contract):
    """rounds/history.json: every checkpoint of the page and which one the folder shows."""

    rounds: list[RoundRecord] = Field(default_factory=list)
    current: int = 0


class NodeTiming(Contract):
    node: str
    seconds: float
    calls: int = 1


class RunRecord(Contract):
    """run.json: what happened during a build. Never holds a key or a secret."""

    prompt_chars: int
    title: str
    backends: dict[str, str]
    timings: list[NodeTiming]
    health: RenderHealth
    warnings: list[str] = Field(default_factory=list)
    models: dict[str, str] = Field(default_factory=dict, description="role → 'model at host'")
    model_calls: list[ModelCall] = Field(default_factory=list)
    rounds: list[RoundRecord] = Field(default_factory=list, description="the build's evaluation and reflection rounds")
    total_seconds: float = 0.0
    resumed: int = Field(default=0, description="times the build was interrupted and resumed (--resume)")


class BuildJournal(Contract):
    """What a staged build has spent so far, saved after every step so that ``--resume`` keeps counting."""

    model_calls: list[ModelCall] = Field(default_factory=list)
    seconds: float = 0.0
    resumed: int = 0


# --- evaluation (MM-WebGEN-Bench protocol: ../shared/EVAL_PROTOCOL.md, and deterministic metrics) ----------

Score = Annotated[float, Field(ge=0.0, le=1.0)]
AestheticGrade = Literal[0.2, 0.4, 0.6, 0.8, 1.0]
VideoGrade = Literal[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]


def clip_score(value: float) -> float:
    """A score held to [0, 1] and rounded to 4 places."""
    return round(min(1.0, max(0.0, value)), 4)


class RequiredElement(Contract):
    """One image, video or chart the prompt asks for, extracted before the page is looked at."""

    kind: AssetKind
    description: str = Field(description="what the prompt says it shows, in the prompt's words")
    dataset: Dataset | None = Field(None, description="charts: the prompt's data, verbatim")


class ElementEvidence(Contract):
    """One media element as the browser rendered it (any page, ours or another system's)."""

    index: int = Field(description="position among the page's elements of this kind, in document order")
    kind: AssetKind
    asset_id: str = Field("", description="data-asset-id when the page has it")
    source: str = Field("", description="relative path of the image/video file, '' for charts")
    box: dict[str, float] = Field(default_factory=dict, description="x, y, width, height in CSS px at 1440 wide")
    natural_size: tuple[int, int] | None = Field(None, description="intrinsic pixels of an image/video")
    rendered: bool = Field(description="loaded and drawn (image), playable (video), inked canvas (chart)")
    crop: str = Field("", description="path of the element's crop, relative to the evidence folder")
    frames: list[str] = Field(default_factory=list, description="videos: sampled frame images, in order")
    html: str = Field("", description="the HTML around the element (its parent), shortened")
    chart_option: dict | None = Field(None, description="charts: the option read back from ECharts")
    distortion: float = Field(0.0, description="images: |rendered aspect / natural aspect − 1| when not cropped by object-fit")


class OverflowingElement(Contract):
    """An element that reaches past the right edge of the viewport and out of its parent's box."""

    width: str = Field(description="viewport width it overflows at, '1440' or '390'")
    selector: str = Field(description="CSS selector from its nearest ancestor with an id, e.g. '#pricing > div:nth-of-type(2)'")
    section: str = Field("", description="id of the page section holding it; '' when none")
    tag: str = Field("", description="its tag name, lower case")
    cause: Literal["box", "text"] = Field("box", description="its box sticks out of its parent's, or its own text runs past its box")
    right_px: float = Field(0.0, description="where its right edge (or its text's) ends")


class LowContrastText(Contract):
    """A text block under WCAG AA contrast, with where it is and the colours it was read with."""

    text: str
    selector: str = Field(description="CSS selector from its nearest ancestor with an id")
    section: str = Field("", description="id of the page section holding it; '' when none")
    colour: str = Field(description="painted text colour, #RRGGBB")
    background: str = Field(description="effective background behind it, #RRGGBB")
    ratio: float
    needed: float = Field(description="4.5, or 3 for large text")


class PageEvidence(Contract):
    """What one load of a page in Chromium showed: the input of the metrics and of both judges."""

    folder: str
    screenshot: str = Field(description="full page at 1440 px, relative to the evidence folder")
    mobile_screenshot: str = ""
    html: str = Field(description="index.html as written")
    visible_text: str
    colours: list[str] = Field(default_factory=list, description="#RRGGBB computed colours of visible elements")
    headings: list[str] = Field(default_factory=list, description="visible h1–h3 text in document order")
    elements: list[ElementEvidence] = Field(default_factory=list)
    console_errors: list[str] = Field(default_factory=list)
    failed_requests: list[str] = Field(default_factory=list)
    outside_requests: list[str] = Field(default_factory=list, description="requests that tried to leave the folder")
    overflow_px: dict[str, int] = Field(default_factory=dict, description="viewport width → horizontal overflow")
    overlapping_text: list[str] = Field(default_factory=list, description="pairs of text boxes that overlap")
    low_contrast: list[str] = Field(default_factory=list, description="text under WCAG AA contrast")
    low_contrast_blocks: list[LowContrastText] = Field(
        default_factory=list, description="the same text blocks, with their selectors and colours")
    overflowing: list[OverflowingElement] = Field(
        default_factory=list, description="per overflowing viewport width, the elements that cause it (at most 5)")
    text_blocks: int = Field(0, description="visible text elements checked for contrast and overlap")


class DeterministicMetrics(Contract):
    """Scores that need no model, each in [0, 1]; definitions in the README and webbench/metrics.py."""

    text_recall: Score
    palette_recall: Score
    media_coverage: Score
    chart_fidelity: Score
    render_health: Score
    section_order: Score
    details: dict[str, list[str]] = Field(default_factory=dict, description="metric → what it missed")


class Penalty(Contract):
    """One defect a judge found, with the protocol's penalty for its kind."""

    issue: str
    penalty: float = Field(ge=0.0, le=1.0)
    fix: str = Field("", description="what would fix it")


class PenaltyCritique(Contract):
    """Layout or style: every defect with its penalty; score = clip(1 − 0.5 × total)."""

    penalties: list[Penalty] = Field(default_factory=list)

    @property
    def score(self) -> float:
        return clip_score(1.0 - 0.5 * sum(p.penalty for p in self.penalties))


class AestheticsCritique(Contract):
    """Five aspects, each one of 0.2, 0.4, 0.6, 0.8, 1.0; score = their mean."""

    balance: AestheticGrade = Field(description="layout balance and spacing")
    typography: AestheticGrade = Field(description="typography and readability")
    colour: AestheticGrade = Field(description="colour harmony")
    clarity: AestheticGrade = Field(description="visual clarity and polish")
    finish: AestheticGrade = Field(description="overall professional finish")
    notes: str = ""

    @property
    def score(self) -> float:
        return clip_score((self.balance + self.typography + self.colour + self.clarity + self.finish) / 5)


class ElementIssue(Contract):
    """One problem of an element; ``level`` says what to fix: the element, or the container around it."""

    issue: str
    level: Literal["element", "container"] = Field(
        description="element: regenerate/edit the asset or chart; container: fix the CSS/box that embeds it")
    fix: str = ""


class ElementCritique(Contract):
    """The judge's verdict on one required element (score 0 when the page does not contain it)."""

    kind: AssetKind
    index: int = Field(description="position of the required element among those of its kind")
    asset_id: str = Field("", description="the page element it was matched with; '' when missing")
    present: bool
    score: Score
    issues: list[ElementIssue] = Field(default_factory=list)


class PageScores(Contract):
    """The six protocol numbers of one page; a modality the prompt does not ask for is None."""

    layout: Score
    style: Score
    aesthetics: Score
    image: Score | None = None
    video: Score | None = None
    chart: Score | None = None


class PageEvaluation(Contract):
    """Everything one evaluation of one page found, as saved next to the page (evaluation.json)."""

    file_id: str
    judge: str = Field(description="'static' or the judge model as 'model at host'")
    scores: PageScores
    metrics: DeterministicMetrics
    required: list[RequiredElement] = Field(default_factory=list)
    layout: PenaltyCritique
    style: PenaltyCritique
    aesthetics: AestheticsCritique
    elements: list[ElementCritique] = Field(default_factory=list)
    model_calls: list[ModelCall] = Field(default_factory=list)
    seconds: float = 0.0


class RequiredElements(Contract):
    """The judge's answer: every image, video and chart the design prompt asks for, in prompt order."""

    elements: list[RequiredElement] = Field(default_factory=list)


class ImageVerdict(Contract):
    """The judge's answer on one image: its distinct issues (score = clip(1 − 0.2 × issues))."""

    issues: list[ElementIssue] = Field(
        default_factory=list, description="each distinct problem once; [] when the image is right")


class VideoVerdict(Contract):
    """The judge's answer on one video: a grade and the issues behind it."""

    grade: VideoGrade = Field(description="subject/theme match, required details, motion coherence, fit for its role")
    issues: list[ElementIssue] = Field(default_factory=list)


class ChartVerdict(Contract):
    """The judge's answer on one chart: blank (score 0) or its distinct issues (score = clip(1 − 0.2 × issues))."""

    blank: bool = Field(description="true when the chart is empty, failed or not visible without interaction")
    issues: list[ElementIssue] = Field(default_factory=list)


def merge_dicts(left: dict, right: dict) -> dict:
    """Reducer for fan-in: parallel nodes each add their own keys."""
    return {**left, **right}


class BuildState(TypedDict, total=False):
    """The LangGraph state of one build."""

    prompt: str
    plan: PagePlan
    sections: Annotated[dict[str, SectionPlan], merge_dicts]
    asset_specs: Annotated[dict[str, AssetSpec], merge_dicts]
    assets: Annotated[dict[str, GeneratedAsset], merge_dicts]
    design: DesignSystem
    section_html: Annotated[dict[str, str], merge_dicts]
    section_css: Annotated[dict[str, str], merge_dicts]
    source: PageSource
    page_path: str
    evidence: PageEvidence
    health: RenderHealth
    warnings: Annotated[list[str], operator.add]
    timings: Annotated[list[NodeTiming], operator.add]
    # reflection: the best checkpoint so far (reflection.loop.Checkpoint), rounds settled, the next fixes
    best: object
    required: list[RequiredElement]
    round: int
    origin: RoundOrigin
    round_started: float
    rounds: Annotated[list[RoundRecord], operator.add]
    rounds_used: dict[str, int]
    pending_level: str | None
    pending_fixes: list[Fix]
    tried: Annotated[list[Fix], operator.add]
