"""Structural fixes, which only edits make: design tokens, section order, sections removed or added,
a section's background, an element's prompt. Each changes the page source and nothing else; a
section the offline template wrote is written again from its new plan, one a model wrote keeps
its markup and gets a CSS rule instead."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from webagent.core.assemble import render_section, section_colours
from webagent.core.colour import is_dark, mix, relative_luminance
from webagent.core.contracts import HEX_COLOUR, ContentItem, DesignTokens, PagePlan, SectionPlan
from webagent.core.edits import Fix
from webagent.core.errors import WebAgentError
from webagent.core.source import PageSource

STRUCTURE_ACTIONS = {"tokens", "reorder", "remove_section", "add_section", "section_background", "element_prompt"}
FONT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 -]{0,47}$")
BACKGROUND_MARK = "/* edit: background */"
SHADE_AMOUNT = 0.5


class EditError(WebAgentError):
    """An edit that cannot be carried out: not understood, or naming what the page does not have."""


# --- building fixes ------------------------------------------------------------------------------


def checked_colour(value: str) -> str:
    """``value`` as #RRGGBB, or an EditError."""
    if not HEX_COLOUR.match(value):
        raise EditError(f"{value!r} is not a colour: write it as #RRGGBB")
    return value.upper()


def font_stack(family: str, current: str) -> str:
    """A CSS font stack that starts with ``family`` and falls back to the current stack."""
    family = family.strip().strip("'\"")
    if not FONT_NAME.match(family):
        raise EditError(f"{family!r} is not a font family name (letters, digits, spaces and hyphens)")
    rest = [f for f in (part.strip() for part in current.split(",")) if f.strip("'\"").lower() != family.lower()]
    return ", ".join([f"'{family}'", *rest])


def tokens_fix(change: dict, reason: str) -> Fix:
    """A fix merging ``change`` ({"palette": {...}, "fonts": {...}}) into the design tokens."""
    return Fix(level="page", action="tokens", target="page", reason=reason, instruction=json.dumps(change))


def shown_background(section: SectionPlan, tokens: DesignTokens) -> str:
    """The colour behind a section as the built-in stylesheet paints it."""
    if section.background:
        return section.background
    banded = section.layout.band or section.role == "footer"
    return tokens.palette.surface if banded else tokens.palette.background


def shaded(section: SectionPlan, tokens: DesignTokens, darker: bool) -> str:
    """The section's background moved halfway toward the darkest (or lightest) colour of the palette
    (black or white when the palette has none darker or lighter)."""
    base = shown_background(section, tokens)
    target = (min if darker else max)(tokens.palette.model_dump().values(), key=relative_luminance)
    change = relative_luminance(target) - relative_luminance(base)
    if (change >= 0) if darker else (change <= 0):
        target = "#000000" if darker else "#FFFFFF"
    return mix(base, target, SHADE_AMOUNT)


def section_id_for(title: str, taken: set[str]) -> str:
    """A new section id from its title, unlike the ids in ``taken``."""
    stem = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40].strip("-") or "section"
    candidate, n = stem, 2
    while candidate in taken:
        candidate, n = f"{stem}-{n}", n + 1
    return candidate


def new_section_fixes(title: str, text: str, index: int | None, source: PageSource, reason: str) -> list[Fix]:
    """An add_section fix for a section showing ``title`` and ``text``: before the footer, or at
    ``index`` of the section order (with a reorder fix)."""
    title = " ".join(title.split())
    if not title:
        raise EditError('a new section needs a title: add a section "Opening hours"')
    content = [ContentItem(text=title, role="heading")]
    if text.strip():
        content.append(ContentItem(text=" ".join(text.split()), role="body"))
    section = SectionPlan(
        id=section_id_for(title, {s.id for s in source.plan.sections}),
        role="content",
        title=title,
        content=content,
        brief=reason,
    )
    fixes = [
        Fix(
            level="page",
            action="add_section",
            target=section.id,
            reason=reason,
            instruction=section.model_dump_json(exclude_defaults=True),
        )
    ]
    if index is not None:
        order = [s.id for s in source.plan.sections]
        order.insert(index, section.id)
        fixes.append(reorder_fix(order, reason))
    return fixes


def reorder_fix(order: list[str], reason: str) -> Fix:
    return Fix(level="page", action="reorder", target="page", reason=reason, instruction=" ".join(order))


# --- applying them -------------------------------------------------------------------------------


def offline_written(source: PageSource, section_id: str) -> bool:
    """Whether the section's markup is exactly what the offline template makes of its plan."""
    plan = source.plan
    for index, section in enumerate(plan.sections):
        if section.id == section_id:
            return source.section_html.get(section_id) == render_section(
                section, plan.assets_of(section_id), plan, index
            )
    return False


def replanned(source: PageSource, plan: PagePlan, rewrite: set[str]) -> PageSource:
    """``source`` with ``plan``; the sections in ``rewrite`` that the offline template wrote are written
    again from it (a section a model wrote keeps its markup)."""
    html = dict(source.section_html)
    for index, section in enumerate(plan.sections):
        if section.id in rewrite and offline_written(source, section.id):
            html[section.id] = render_section(section, plan.assets_of(section.id), plan, index)
    return source.model_copy(update={"plan": plan, "section_html": html})


def merge_tokens(fix: Fix, source: PageSource) -> PageSource:
    """New palette colours or fonts; offline-written sections that show token colours follow."""
    change = json.loads(fix.instruction)
    data = source.plan.tokens.model_dump()
    for key, value in change.items():
        data[key] = {**data[key], **value} if isinstance(value, dict) else value
    if "background" in change.get("palette", {}):
        data["dark"] = is_dark(data["palette"]["background"])
    plan = source.plan.model_copy(update={"tokens": DesignTokens.model_validate(data)})
    return replanned(source, plan, {s.id for s in plan.sections})


def reorder(fix: Fix, source: PageSource) -> PageSource:
    """Sections in the fix's order; any it does not name keep their order after those it names."""
    rank = {section_id: i for i, section_id in enumerate(fix.instruction.split())}
    sections = sorted(source.plan.sections, key=lambda s: rank.get(s.id, len(rank)))
    return source.model_copy(update={"plan": source.plan.model_copy(update={"sections": sections})})


def remove_section(fix: Fix, source: PageSource) -> PageSource:
    """The page without the section, its markup and styles, and its elements."""
    plan = source.plan
    gone = {a.id for a in plan.assets_of(fix.target)}
    plan = plan.model_copy(
        update={
            "sections": [s for s in plan.sections if s.id != fix.target],
            "assets": [a for a in plan.assets if a.id not in gone],
        }
    )
    return source.model_copy(
        update={
            "plan": plan,
            "section_html": {k: v for k, v in source.section_html.items() if k != fix.target},
            "section_css": {k: v for k, v in source.section_css.items() if k != fix.target},
            "assets": {k: v for k, v in source.assets.items() if k not in gone},
            "element_style": {k: v for k, v in source.element_style.items() if k not in gone},
        }
    )


def add_section(fix: Fix, source: PageSource) -> PageSource:
    """The new section before a trailing footer, written by the offline template."""
    section = SectionPlan.model_validate_json(fix.instruction)
    sections = list(source.plan.sections)
    at = len(sections) - 1 if sections and sections[-1].role == "footer" else len(sections)
    sections.insert(at, section)
    plan = source.plan.model_copy(update={"sections": sections})
    html = {**source.section_html, section.id: render_section(section, [], plan, at)}
    return source.model_copy(update={"plan": plan, "section_html": html})


def background_rule(section: SectionPlan, tokens: DesignTokens) -> str:
    """A rule giving a model-written section its new background and readable text colours."""
    colours = section_colours(section, tokens)
    declarations = ";".join(f"{name}:{value}" for name, value in colours.items())
    return (
        f"#{section.id}{{{declarations};background:{colours['--section-bg']} !important;"
        f"color:{colours['--section-text']} !important}} {BACKGROUND_MARK}"
    )


def set_background(fix: Fix, source: PageSource) -> PageSource:
    """The section on a new background: its plan says so, and its markup (offline) or CSS (model) follows."""
    colour = checked_colour(fix.instruction)
    sections = [s.model_copy(update={"background": colour}) if s.id == fix.target else s for s in source.plan.sections]
    plan = source.plan.model_copy(update={"sections": sections})
    if offline_written(source, fix.target):
        return replanned(source, plan, {fix.target})
    kept = [line for line in source.section_css.get(fix.target, "").splitlines() if not line.endswith(BACKGROUND_MARK)]
    rule = background_rule(plan.section(fix.target), plan.tokens)
    css = {**source.section_css, fix.target: "\n".join([*kept, rule]).strip()}
    return source.model_copy(update={"plan": plan, "section_css": css})


def set_prompt(fix: Fix, source: PageSource) -> PageSource:
    """The element's prompt replaced by the fix's (the regenerate fix that follows makes it)."""
    assets = [a.model_copy(update={"prompt": fix.instruction}) if a.id == fix.target else a for a in source.plan.assets]
    return source.model_copy(update={"plan": source.plan.model_copy(update={"assets": assets})})


APPLY: dict[str, Callable[[Fix, PageSource], PageSource]] = {
    "tokens": merge_tokens,
    "reorder": reorder,
    "remove_section": remove_section,
    "add_section": add_section,
    "section_background": set_background,
    "element_prompt": set_prompt,
}


def apply_structure_fixes(fixes: list[Fix], source: PageSource) -> PageSource:
    """The source after each structural fix, in order."""
    for fix in fixes:
        source = APPLY[fix.action](fix, source)
    return source
