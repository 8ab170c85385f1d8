"""Page assembly: each section's HTML from its Jinja2 template, then one page around them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from webagent.core.colour import is_dark, mix, readable_on
from webagent.core.contracts import AssetSpec, ContentItem, DesignTokens, GeneratedAsset, PagePlan, SectionPlan
from webagent.core.files import atomic_write_bytes, atomic_write_json, atomic_write_text, safe_join
from webagent.core.runtime import PAGE_RUNTIME_PATH, find_echarts
from webagent.core.slots import fill_slots
from webagent.core.source import PageSource

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")
PAGE_SCRIPT_PATH = "assets/page.js"
PAGE_STYLE_PATH = "assets/page.css"
SOURCE_FILE = "source.json"
PLAN_FILE = "plan.json"

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=lambda name: name is not None and name.endswith(".html.j2"),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)

# Consecutive items of these roles are shown together as one block.
RUN_ROLES = {"button": "actions", "link": "actions", "tag": "tags", "list_item": "list", "nav": "nav", "stat": "stats"}


@dataclass
class Block:
    """A run of content items rendered as one unit (a paragraph, a button row, a tag cloud…)."""

    kind: str
    items: list[ContentItem] = field(default_factory=list)


@dataclass
class Group:
    """The items of one card (group > 0) or the section's free-standing copy (group 0)."""

    number: int
    blocks: list[Block]
    media: list[AssetSpec] = field(default_factory=list)


def content_blocks(items: list[ContentItem]) -> list[Block]:
    """Fold consecutive buttons, tags, list items and stats into single blocks."""
    blocks: list[Block] = []
    for item in items:
        kind = RUN_ROLES.get(item.role, item.role)
        if blocks and kind in RUN_ROLES.values() and blocks[-1].kind == kind:
            blocks[-1].items.append(item)
        else:
            blocks.append(Block(kind, [item]))
    return blocks


def group_content(section: SectionPlan, media: list[AssetSpec]) -> tuple[Group, list[Group], list[AssetSpec]]:
    """Split a section into its intro, its cards, and the media not placed inside a card.

    When a section has as many images as cards, each card gets its picture.
    """
    numbers = sorted({item.group for item in section.content if item.group > 0})
    intro = Group(0, content_blocks([i for i in section.content if i.group == 0]))
    cards = [Group(n, content_blocks([i for i in section.content if i.group == n])) for n in numbers]
    for card in cards:  # a card that opens with a subheading is titled by it
        if card.blocks and card.blocks[0].kind == "subheading":
            card.blocks[0].kind = "heading"
    images = [a for a in media if a.kind == "image"]
    if cards and len(images) == len(cards):
        for card, image in zip(cards, images):
            card.media.append(image)
        media = [a for a in media if a.kind != "image"]
    return intro, cards, media


def pop_title(intro: Group, roles: tuple[str, ...]) -> str:
    """Take the first block of one of ``roles`` out of the intro and return its text."""
    for index, block in enumerate(intro.blocks):
        if block.kind in roles:
            del intro.blocks[index]
            return block.items[0].text
    return ""


def section_accents(section: SectionPlan, tokens: DesignTokens) -> list[str]:
    """The section's own accent colours; the hero also always shows the page's accent and secondary."""
    if section.role != "hero":
        return section.accents
    return list(dict.fromkeys([tokens.palette.accent, tokens.palette.secondary, *section.accents]))


def accent_swatches(colours: list[str]) -> list[dict[str, str]]:
    """Each accent colour with a readable text colour for use as a fill."""
    return [{"hex": c, "on": readable_on(c)} for c in colours]


def section_colours(section: SectionPlan, tokens: DesignTokens) -> dict[str, str]:
    """CSS custom properties for a section with its own background, readable on it."""
    if not section.background:
        return {}
    bg = section.background
    text = readable_on(bg, tokens.palette.text)
    return {
        "--section-bg": bg,
        "--section-text": text,
        "--section-muted": readable_on(bg, mix(text, bg, 0.3)),
        "--section-link": readable_on(bg, tokens.palette.primary),
    }


def splits_in_two(section: SectionPlan, assets: list[AssetSpec]) -> bool:
    """Whether the section renders as two columns, copy beside media: a hero with media, or a section
    of more than one column whose one medium is not inside a card; never one whose media span the page."""
    if section.role in ("header", "footer") or section.layout.full_width:
        return False  # media asked to span the page sit above or below the copy, edge to edge
    if section.role == "hero":
        return bool(assets)
    _, cards, loose_media = group_content(section, assets)
    return len(loose_media) == 1 and not cards and section.layout.columns > 1


def render_section(section: SectionPlan, assets: list[AssetSpec], plan: PagePlan, position: int) -> str:
    """HTML of one section from the template of its role (``section.html.j2`` when none); media are slots."""
    name = f"sections/{section.role}.html.j2"
    template = _env.get_template(name if (TEMPLATES / name).exists() else "sections/section.html.j2")
    intro, cards, loose_media = group_content(section, assets)
    title = pop_title(intro, ("logo",) if section.role in ("header", "footer") else ("heading",)) or section.title
    return template.render(
        section=section,
        title=title,
        plan=plan,
        position=position,
        intro=intro,
        cards=cards,
        media=loose_media,
        all_media=assets,
        split=splits_in_two(section, assets),
        accents=accent_swatches(section_accents(section, plan.tokens)),
        colours=section_colours(section, plan.tokens),
        shown={item.text for item in section.content},
        heading_level=1 if position <= 1 and section.role == "hero" else 2,
    )


CSS_UNSAFE = re.compile(r"[;{}<>\\\n\r]|/\*|\*/")


def css_value(value: str) -> str:
    """A token value made safe to place after ``name:`` in a stylesheet (no new rules, no comments)."""
    return CSS_UNSAFE.sub("", value).strip()


def css_variables(tokens: DesignTokens) -> dict[str, str]:
    """Design tokens as CSS custom properties, with readable derived colours."""
    return {name: css_value(value) for name, value in _token_values(tokens).items()}


def _token_values(tokens: DesignTokens) -> dict[str, str]:
    p = tokens.palette
    muted_text = readable_on(p.background, p.muted)
    on_surface_muted = readable_on(p.surface, p.muted)
    return {
        "--bg": p.background,
        "--surface": p.surface,
        "--text": p.text,
        "--text-on-surface": readable_on(p.surface, p.text),
        "--muted": p.muted,
        "--muted-text": muted_text,
        "--muted-on-surface": on_surface_muted,
        "--primary-on-surface-text": readable_on(p.surface, p.primary),
        "--primary": p.primary,
        "--on-primary": readable_on(p.primary),
        "--primary-text": readable_on(p.background, p.primary),
        "--secondary": p.secondary,
        "--on-secondary": readable_on(p.secondary),
        "--accent": p.accent,
        "--on-accent": readable_on(p.accent),
        "--accent-text": readable_on(p.background, p.accent),
        "--border": mix(p.muted, p.background, 0.55),
        "--primary-soft": mix(p.primary, p.background, 0.86),
        "--font-heading": tokens.fonts.heading,
        "--font-body": tokens.fonts.body,
        "--font-mono": tokens.fonts.mono,
        "--radius": f"{tokens.radius_px}px",
        "--shadow": tokens.shadow,
    }


def chart_options(generated: dict[str, GeneratedAsset]) -> str:
    """The page's chart options as JSON safe to embed in a <script> element."""
    options = {a.id: a.chart_option for a in generated.values() if a.kind == "chart" and a.chart_option}
    return json.dumps(options, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def place_sections(plan: PagePlan, section_html: dict[str, str]) -> dict[str, list[str]]:
    """Split section HTML into the page's landmarks: a leading header, main, a trailing footer."""
    ordered = [s for s in plan.sections if s.id in section_html]
    head = ordered[:1] if ordered and ordered[0].role == "header" else []
    foot = ordered[-1:] if len(ordered) > len(head) and ordered[-1].role == "footer" else []
    body = ordered[len(head) : len(ordered) - len(foot)]
    return {
        name: [section_html[s.id] for s in part] for name, part in (("header", head), ("main", body), ("footer", foot))
    }


ELEMENT_STYLE_PROPERTIES = {
    "image": {"object-fit", "object-position", "transform", "transform-origin"},
    "video": {"object-fit", "object-position", "transform", "transform-origin"},
    "chart": {"height", "min-height", "transform", "transform-origin"},
}


def element_rules(source: PageSource) -> str:
    """Each element's embedding fixes as one rule scoped to its section and element (so they win over
    the section's own CSS and the element's inline style); properties outside its kind's list are dropped."""
    rules = []
    for asset_id, declarations in source.element_style.items():
        spec = next((a for a in source.plan.assets if a.id == asset_id), None)
        allowed = ELEMENT_STYLE_PROPERTIES.get(spec.kind, set()) if spec else set()
        body = ";".join(
            f"{name}:{css_value(value)} !important"
            for name, value in declarations.items()
            if name in allowed and css_value(value)
        )
        if body and spec is not None:
            rules.append(f'#{spec.section_id} [data-asset-id="{asset_id}"]{{{body}}}')
    return "\n".join(rules)


def copy_runtime(source: Path, out_dir: Path, relative: str) -> None:
    """Copy a script into the page folder unless an identical copy is there (never rewriting a file in place)."""
    target = safe_join(out_dir, relative)
    data = source.read_bytes()
    if not target.is_file() or target.read_bytes() != data:
        atomic_write_bytes(target, data)


def write_page(out_dir: Path, source: PageSource, echarts_path: str | None = None) -> Path:
    """Write index.html, its stylesheet, runtimes and source.json into ``out_dir``; return the page path."""
    plan, generated = source.plan, source.assets
    section_html = {
        s.id: fill_slots(source.section_html[s.id], plan.assets_of(s.id), generated)
        for s in plan.sections
        if s.id in source.section_html
    }
    has_charts = any(a.kind == "chart" for a in generated.values())
    if has_charts:
        copy_runtime(find_echarts(echarts_path), out_dir, PAGE_RUNTIME_PATH)
    copy_runtime(STATIC / "page.js", out_dir, PAGE_SCRIPT_PATH)
    variables = css_variables(plan.tokens)
    css = _env.get_template("page.css.j2").render(
        variables=variables, tokens=plan.tokens, dark=is_dark(plan.tokens.palette.background)
    )
    extra = [source.design_css, *(source.section_css.get(s.id, "") for s in plan.sections), element_rules(source)]
    atomic_write_text(safe_join(out_dir, PAGE_STYLE_PATH), "\n".join([css, *(c for c in extra if c)]))
    html = _env.get_template("page.html.j2").render(
        plan=plan,
        **place_sections(plan, section_html),
        chart_options=chart_options(generated) if has_charts else None,
        echarts_src=PAGE_RUNTIME_PATH,
        script_src=PAGE_SCRIPT_PATH,
        style_src=PAGE_STYLE_PATH,
    )
    atomic_write_json(out_dir / SOURCE_FILE, source)
    atomic_write_json(out_dir / PLAN_FILE, plan)
    return atomic_write_text(out_dir / "index.html", html)
