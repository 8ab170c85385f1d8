"""The coder model writes the page's design system once, then each section from its own plan.

A section answer must hold every piece of the section's copy verbatim and one empty
``<figure data-slot>`` per element; otherwise the one repair request lists what is missing.
Accepted markup and styles are sanitised (``webagent.core.sanitise``) and the section's CSS scoped to
the section, so rewriting one section later never touches another.
"""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup

from webagent.core.answers import DesignSystem, SectionCode
from webagent.core.assemble import css_variables
from webagent.core.contracts import AssetSpec, PagePlan, SectionPlan
from webagent.core.llm import RoleClient
from webagent.core.prompt_book import PromptBook
from webagent.core.sanitise import clean_css, clean_section_html, shown_without_scripts
from webagent.generators.section.context import neighbour_headings, section_part, style_description

PROMPTS = PromptBook(Path(__file__).with_name("prompts"))
# Classes of the built-in stylesheet (webagent/templates/page.css.j2) a section may use as they are.
BUILT_IN_COMPONENTS = {
    "container": "centred page-width wrapper inside a section",
    "section-title": "a section's main heading",
    "eyebrow": "small label above a heading",
    "lead": "larger intro paragraph",
    "actions": "row of buttons",
    "btn btn-primary": "main call to action (on an <a>)",
    "btn btn-secondary": "secondary button",
    "cards": "responsive grid of cards (auto-fit columns of at least 240px)",
    "card": "a card; put copy in a card-body",
    "tags": "list of pill tags (li.tag)",
    "bullets": "bullet list",
    "stats": "row of figures (p.stat)",
    "quote": "a blockquote",
    "price": "a price figure",
    "table-wrap": "scrollable wrapper around a <table>",
}
MAX_MISSING_LISTED = 12


def visible_text(html: str) -> str:
    """The text of some markup with whitespace collapsed, as a reader sees it."""
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def section_problems(code: SectionCode, section: SectionPlan, assets: list[AssetSpec]) -> list[str]:
    """What a section answer lacks: copy that is not shown verbatim, element slots that are missing."""
    text = visible_text(code.html)
    problems = [
        f"missing copy, show it verbatim: {item.text!r}"
        for item in section.content
        if " ".join(item.text.split()) not in text
    ][:MAX_MISSING_LISTED]
    present = slot_ids(code.html)
    problems += [
        f'missing slot for element {spec.id!r}: add <figure data-slot="{spec.id}"></figure>'
        for spec in assets
        if spec.id not in present
    ]
    return problems


def slot_ids(html: str) -> set[str]:
    """The element ids of the ``data-slot`` elements in some markup."""
    return {tag.get("data-slot") for tag in BeautifulSoup(html, "html.parser").select("[data-slot]")}


def sanitised(code: SectionCode, section_id: str) -> SectionCode:
    """A model's section made safe: markup cleaned, its CSS (and any <style> it held) scoped to the section, and
    nothing left hidden waiting for a script that was stripped ("reveal on scroll")."""
    html, inline_css = clean_section_html(code.html, section_id)
    css = clean_css(f"{code.css}\n{inline_css}", scope=f"#{section_id}")
    return SectionCode(html=html, css=shown_without_scripts(css, html))


def design_system(plan: PagePlan, prompt: str, client: RoleClient) -> DesignSystem:
    """The page-wide stylesheet and the components it offers, written knowing what the prompt asks of the look."""
    messages = PROMPTS.messages(
        "design_system.md.j2",
        title=plan.title,
        look=style_description(prompt),
        tokens=plan.tokens.model_dump_json(),
        variables=", ".join(css_variables(plan.tokens)),
        built_in=json.dumps(BUILT_IN_COMPONENTS),
        roles=", ".join(dict.fromkeys(s.role for s in plan.sections)),
    )
    design = client.complete_json("design system", messages, DesignSystem)
    return DesignSystem(css=clean_css(design.css), components=design.components)


def slot_lines(assets: list[AssetSpec]) -> list[str]:
    return [
        f'<figure data-slot="{a.id}"></figure> — {a.kind}, {a.size.width}×{a.size.height} px, '
        f"{a.context.role}: {a.title or a.prompt[:120]}"
        for a in assets
    ]


def section_code(
    section: SectionPlan,
    assets: list[AssetSpec],
    plan: PagePlan,
    design: DesignSystem,
    position: int,
    prompt: str,
    client: RoleClient,
) -> SectionCode:
    """One section's markup and scoped styles, sanitised; written knowing the prompt's words about the section
    and the page's look, the tokens, the built-in stylesheet and the neighbouring sections."""
    part = section_part(section, prompt)
    messages = PROMPTS.messages(
        "write_section.md.j2",
        title=plan.title,
        language=plan.language,
        section_id=section.id,
        position=position + 1,
        count=len(plan.sections),
        **neighbour_headings(plan, position),
        part=part,
        look=style_description(prompt),
        tokens=plan.tokens.model_dump_json(),
        section=section.model_dump_json(exclude_defaults=True, exclude={"brief"}),
        slots=slot_lines(assets),
        variables=", ".join(css_variables(plan.tokens)),
        components=json.dumps({**BUILT_IN_COMPONENTS, **design.components}),
        style=plan.tokens.visual_style or "clean",
        mood=plan.tokens.mood,
    )
    code = client.complete_json(
        f"section {section.id}", messages, SectionCode, check=lambda answer: section_problems(answer, section, assets)
    )
    return sanitised(code, section.id)
