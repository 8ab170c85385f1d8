"""The evaluation contracts (MM-WebGEN-Bench protocol, ../shared/EVAL_PROTOCOL.md, and deterministic metrics)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from webagent.core.contracts import AssetKind, Contract, Dataset
from webagent.core.source import ModelCall

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
    distortion: float = Field(
        0.0, description="images: |rendered aspect / natural aspect − 1| when not cropped by object-fit"
    )


class OverflowingElement(Contract):
    """An element that reaches past the right edge of the viewport and out of its parent's box."""

    width: str = Field(description="viewport width it overflows at, '1440' or '390'")
    selector: str = Field(
        description="CSS selector from its nearest ancestor with an id, e.g. '#pricing > div:nth-of-type(2)'"
    )
    section: str = Field("", description="id of the page section holding it; '' when none")
    tag: str = Field("", description="its tag name, lower case")
    cause: Literal["box", "text"] = Field(
        "box", description="its box sticks out of its parent's, or its own text runs past its box"
    )
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
        default_factory=list, description="the same text blocks, with their selectors and colours"
    )
    overflowing: list[OverflowingElement] = Field(
        default_factory=list, description="per overflowing viewport width, the elements that cause it (at most 5)"
    )
    text_blocks: int = Field(0, description="visible text elements checked for contrast and overlap")


class DeterministicMetrics(Contract):
    """Scores that need no model, each in [0, 1]; definitions in the README and webbench/metrics.py."""

    text_recall: Score
    palette_recall: Score
    media_coverage: Score
    chart_fidelity: Score
    render_health: Score
    section_order: Score
    relevance: Score = Field(
        1.0, description="whether the page is about what the prompt asks (1.0 in evaluations made before it was)"
    )
    details: dict[str, list[str]] = Field(default_factory=dict, description="metric → what it missed")

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The metrics' names, in the order reports show them."""
        return tuple(name for name in cls.model_fields if name != "details")


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
        description="element: regenerate/edit the asset or chart; container: fix the CSS/box that embeds it"
    )
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
        default_factory=list, description="each distinct problem once; [] when the image is right"
    )


class VideoVerdict(Contract):
    """The judge's answer on one video: a grade and the issues behind it."""

    grade: VideoGrade = Field(description="subject/theme match, required details, motion coherence, fit for its role")
    issues: list[ElementIssue] = Field(default_factory=list)


class ChartVerdict(Contract):
    """The judge's answer on one chart: blank (score 0) or its distinct issues (score = clip(1 − 0.2 × issues))."""

    blank: bool = Field(description="true when the chart is empty, failed or not visible without interaction")
    issues: list[ElementIssue] = Field(default_factory=list)
