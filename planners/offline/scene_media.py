"""A scene's media give way to the media a short prompt asks for.

The rule, kind by kind (image, video, chart):
- a kind the prompt rules out ("with no images") appears nowhere on the page;
- a kind the prompt names appears exactly as named ("three photos of pastries" is three images)
  in the section the phrase names ("a hero video"), else in the kind's home in the scene
  (scenes.json "media"), else in a new section before the page's closing sections; the scene's
  own media of that kind give way;
- a kind the prompt does not name keeps the scene's own media, except those marked
  "on_request" (a gym page's progress chart), which only serve a bare ask ("with a chart").
A named picture or video takes the place of the scene's picture in its section (a hero video
replaces the hero photo). A phrase with no subject or data of its own ("a video reel") takes
over the description of a medium it replaces, each one once; otherwise it is described by its
own words and the page's topic. A section that lost its media and has no copy of its own (a gallery) goes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from webagent.core.contracts import ChartAttributes, Dataset, ImageAttributes, VideoAttributes
from webagent.planners.offline.asks import Asks, MediaAsk
from webagent.planners.offline.tables import illustrative_dataset
from webagent.planners.offline.vocabulary import load

_MEDIA_KEYS = {"image", "video", "images", "chart", "chart2"}
_TITLE_KEYS = {"role", "eyebrow", "heading", "subheading"}


@dataclass
class Medium:
    """One image, video or chart of a scene section, ready to become an AssetSpec."""

    kind: str  # image | video | chart
    noun: str  # names its asset id: "visual", "image", "thumbnail", "video", "chart"
    prompt: str
    title: str = ""
    caption: str = ""  # a gallery item's visible caption
    dataset: Dataset | None = None
    attributes: ImageAttributes | VideoAttributes | ChartAttributes | None = None
    asked: bool = False  # named by the prompt

    @property
    def is_picture(self) -> bool:
        return self.kind != "chart"


@dataclass
class SceneSection:
    """A scene section's copy (its scenes.json entry) and the media it ends up with."""

    spec: dict
    media: list[Medium] = field(default_factory=list)
    displaced: list[Medium] = field(default_factory=list)  # scene media that gave way, kept as models
    phrases: list[str] = field(default_factory=list)  # the prompt's words for the media asked here

    @property
    def role(self) -> str:
        return self.spec["role"]

    @property
    def has_copy(self) -> bool:
        """Copy beyond its titles: cards, stats, buttons, a body…"""
        return any(value for key, value in self.spec.items() if key not in _MEDIA_KEYS | _TITLE_KEYS)


def scene_section(spec: dict, t: Callable[[str], str]) -> SceneSection:
    """A scene section with its own media, translated by `t`; on-request ones start displaced."""
    section = SceneSection(spec)
    for medium, on_request in _scene_media(spec, t):
        (section.displaced if on_request else section.media).append(medium)
    return section


def _scene_media(spec: dict, t: Callable[[str], str]) -> list[tuple[Medium, bool]]:
    role = spec["role"]
    found: list[tuple[Medium, bool]] = []
    if spec.get("image"):
        found.append((Medium("image", _picture_noun(role), t(spec["image"])), False))
    if spec.get("video"):
        found.append((Medium("video", "video", t(spec["video"])), False))
    images = spec.get("images")
    if isinstance(images, list):
        found.extend(
            (Medium("image", "image", t(prompt), title=t(caption), caption=t(caption)), False)
            for caption, prompt in images
        )
    elif images is True:
        found.extend(
            (Medium("image", "thumbnail", t(f"{card[0]} — {card[1]}"), title=t(card[0])), False)
            for card in spec.get("cards", [])
        )
    for key in ("chart", "chart2"):
        if spec.get(key):
            found.append((_scene_chart(spec[key], t), bool(spec[key].get("on_request"))))
    return found


def _scene_chart(chart: dict, t: Callable[[str], str]) -> Medium:
    title = t(chart["title"])
    dataset = Dataset(
        title=f"{title} (illustrative)",
        columns=[t(c) for c in chart["columns"]],
        rows=[[t(c) for c in row] for row in chart["rows"]],
        illustrative=True,
    )
    prompt = t(f"A {chart['type']} chart of {chart['title'].lower()}.")
    return Medium(
        "chart", "chart", prompt, title=title, dataset=dataset, attributes=ChartAttributes(chart_type=chart["type"])
    )


def _picture_noun(role: str) -> str:
    return "visual" if role == "hero" else "image"


def fit_media(sections: list[SceneSection], asks: Asks, topic: str) -> list[SceneSection]:
    """The scene's sections with the prompt's media in place of the scene's (see the module rules)."""
    gone = asks.banned | asks.kinds
    for section in sections:
        section.displaced += [m for m in section.media if m.kind in gone]
        section.media = [m for m in section.media if m.kind not in gone]
    for ask in asks.media:
        _place(_home(sections, ask), ask, topic)
    return [s for s in sections if s.media or s.has_copy or not s.displaced]


def _home(sections: list[SceneSection], ask: MediaAsk) -> SceneSection:
    """The section the phrase names, else the kind's home in the scene, else a new section."""
    rules = load("scenes.json")["media"]
    slot = "images" if ask.kind == "image" and ask.count > 1 else ask.kind
    roles = {s.role for s in sections}
    role = ask.section_role(roles) or next((r for r in rules["homes"][slot] if r in roles), "")
    if role:
        return next(s for s in sections if s.role == role)
    spec = {"role": rules["new"][slot], "heading": ask.title}
    section = SceneSection({key: value for key, value in spec.items() if value})
    closing = next((k for k, s in enumerate(sections) if s.role in rules["closing"]), len(sections))
    sections.insert(closing, section)
    return section


def _place(section: SceneSection, ask: MediaAsk, topic: str) -> None:
    """Put the ask's media in the section; a picture displaces the scene's picture there."""
    section.phrases.append(ask.phrase)
    picture = ask.kind != "chart"
    if picture:
        section.displaced += [m for m in section.media if m.is_picture and not m.asked]
        section.media = [m for m in section.media if m.asked or not m.is_picture]
    models = [m for m in section.displaced if m.is_picture == picture] if ask.is_bare else []
    taken = sum(1 for m in section.media if m.asked and m.is_picture == picture)
    for k in range(taken, taken + ask.count):
        model = models[k] if k < len(models) else None
        section.media.append(_chart(ask, model) if ask.kind == "chart" else _picture(ask, model, section.role, topic))


def _picture(ask: MediaAsk, model: Medium | None, role: str, topic: str) -> Medium:
    noun = _picture_noun(role) if ask.kind == "image" else "video"
    if model is not None:
        return Medium(ask.kind, noun, model.prompt, title=model.title, caption=model.caption, asked=True)
    prompt = f"{ask.description} — {topic}." if topic else f"{ask.description}."
    return Medium(ask.kind, noun, prompt, asked=True)


def _chart(ask: MediaAsk, model: Medium | None) -> Medium:
    attributes = ChartAttributes(chart_type=ask.chart_type, horizontal=ask.horizontal, stacked=ask.stacked)
    if model is not None:
        prompt = f"A {ask.chart_type} chart of {model.title.lower()}."
        return Medium(
            "chart", "chart", prompt, title=model.title, dataset=model.dataset, attributes=attributes, asked=True
        )
    if ask.dataset is not None:
        dataset = ask.dataset.model_copy(update={"title": ask.title})
    else:
        dataset = illustrative_dataset(ask.title, ask.phrase, ask.chart_type, [])
    return Medium(
        "chart", "chart", f"{ask.description}.", title=ask.title, dataset=dataset, attributes=attributes, asked=True
    )
