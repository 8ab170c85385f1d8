"""Deterministic page-level fixes, each a patch to one section, from what the critic saw:

- a quoted string of the prompt the page does not show goes back into the section whose plan holds
  it (else the section showing the quote before it, else the first section after the header),
  after the element showing the plan's preceding item, as the element its role is drawn with;
- elements that make the page overflow sideways are kept inside their container: held to its width,
  their text wrapped when it runs past their box, tables and preformatted text scrolling in place;
- text under WCAG AA contrast gets the palette's text colour, or the colour nearest it that reads
  on the text's background (``webagent.core.colour.readable_on``).

A fix the section already has is not planned again. CSS selectors come from the section's markup
as the critic saw it, so a section that gets text back this round is restyled in the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from bs4 import BeautifulSoup, Tag
from jinja2 import Environment, FileSystemLoader

from webagent.core.assemble import RUN_ROLES, TEMPLATES, Block
from webagent.core.colour import readable_on
from webagent.core.contracts import ContentItem, SectionPlan
from webagent.core.edits import Fix
from webagent.core.sanitise import clean_css
from webagent.core.source import PageSource
from webagent.reflection.critic import Critique
from webagent.webbench.evaluation.contracts import LowContrastText, OverflowingElement
from webagent.webbench.evaluation.metrics import normalise, quoted_strings

FIT_WIDTH = "max-width:100%!important;min-width:0!important;box-sizing:border-box!important"
SCROLLING = {
    "table": f"display:block!important;{FIT_WIDTH};overflow-x:auto!important",
    "pre": f"{FIT_WIDTH};overflow-x:auto!important",
}
WRAPPING = f"{FIT_WIDTH};overflow-wrap:anywhere!important;white-space:normal!important"
# an element restored after one of these goes after the list, row or line that holds it
INLINE_TAGS = {
    "a",
    "span",
    "strong",
    "em",
    "b",
    "i",
    "small",
    "label",
    "button",
    "li",
    "td",
    "th",
    "tr",
    "thead",
    "tbody",
    "dt",
    "dd",
}
HEADINGS = ["h1", "h2"]


@cache
def block_macro() -> Callable[..., str]:
    """The section templates' ``block`` macro: one content block drawn as the offline sections draw it."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("sections/_macros.html.j2").module.block


def plan_rule_fixes(critique: Critique, source: PageSource, prompt: str) -> list[Fix]:
    """Restore_text fixes for missing quoted strings; section_css fixes for overflow and low contrast."""
    restores = restore_fixes(critique.evaluation.metrics.details.get("text_recall", []), source, prompt)
    patched = {fix.target for fix in restores}
    styles = overflow_fixes(critique.evidence.overflowing, source) + contrast_fixes(
        critique.evidence.low_contrast_blocks, source
    )
    return restores + [fix for fix in styles if fix.target not in patched]


def apply_rule_fixes(fixes: list[Fix], source: PageSource) -> PageSource:
    """The source with each fix's text put into its section's markup or its CSS added to the section's."""
    html, css = dict(source.section_html), dict(source.section_css)
    sections = {section.id: section for section in source.plan.sections if section.id in html}
    for fix in fixes:
        if fix.target not in sections:
            continue
        if fix.action == "restore_text":
            html[fix.target] = restore_text(html[fix.target], sections[fix.target], fix.instruction)
        elif fix.action == "section_css":
            rules = clean_css(fix.instruction, scope=f"#{fix.target}")
            css[fix.target] = f"{css.get(fix.target, '').rstrip()}\n{rules}".strip()
    return source.model_copy(update={"section_html": html, "section_css": css})


# --- missing quoted strings ----------------------------------------------------------------------


def markup_text(html: str) -> str:
    return normalise(BeautifulSoup(html, "html.parser").get_text(" "))


def restore_fixes(missing: list[str], source: PageSource, prompt: str) -> list[Fix]:
    """One restore_text fix per missing string no section's markup already holds (text there but not
    shown is hidden by its styles, and a second copy would not help)."""
    shown = {section_id: markup_text(html) for section_id, html in source.section_html.items()}
    everything_shown = "\n".join(shown.values())
    homes = TextHomes(source, quoted_strings(prompt), shown)
    fixes = []
    for text in dict.fromkeys(missing):
        if normalise(text) in everything_shown:
            continue
        section = homes.home(text)
        if section:
            fixes.append(
                Fix(
                    level="page",
                    action="restore_text",
                    target=section,
                    reason=f"the page does not show “{text}”",
                    instruction=text,
                )
            )
    return fixes


def plan_item(section: SectionPlan, text: str) -> ContentItem | None:
    """The content item of ``section`` that is ``text``, else the first that contains it."""
    wanted = normalise(text)
    return next(
        (item for item in section.content if normalise(item.text) == wanted),
        next((item for item in section.content if wanted in normalise(item.text)), None),
    )


class TextHomes:
    """The section each missing string belongs in: the one whose plan holds it, else the one showing the
    prompt's quoted string before it, else the first one that is not the header.

    Built once per page, so that finding homes for many strings costs one pass over the plan and the quotes
    (and one search of the plan's text per string), not a pass over everything per string."""

    def __init__(self, source: PageSource, quotes: list[str], shown: dict[str, str]) -> None:
        sections = [s for s in source.plan.sections if s.id in source.section_html]
        self.exact: dict[str, str] = {}
        for section in sections:
            for text in (section.title, *(item.text for item in section.content)):
                self.exact.setdefault(normalise(text), section.id)
        self.item_text = [(s.id, "\n".join(normalise(item.text) for item in s.content)) for s in sections]
        self.first_quote = {quote: index for index, quote in reversed(list(enumerate(quotes)))}
        self.quotes, self.shown = quotes, [(s.id, shown[s.id]) for s in sections]
        self.fallback = next((s.id for s in sections if s.role != "header"), None)
        self._before: list[str | None] | None = None

    def home(self, text: str) -> str | None:
        wanted = normalise(text)
        holder = self.exact.get(wanted) or next((sid for sid, items in self.item_text if wanted in items), None)
        if holder:
            return holder
        index = self.first_quote.get(text)
        return (self.shown_before()[index] if index is not None else None) or self.fallback

    def shown_before(self) -> list[str | None]:
        """For each quote, the section showing the nearest earlier quote that some section shows."""
        if self._before is None:
            self._before, last = [], None
            for quote in self.quotes:
                self._before.append(last)
                wanted = normalise(quote)
                last = next((sid for sid, words in self.shown if wanted in words), None) or last
        return self._before


def showing(root: Tag, text: str) -> Tag | None:
    """The innermost element whose whole text is ``text`` (first occurrence), lifted out of inline
    and list elements so that a block can follow it."""
    wanted = normalise(text)
    found = next((el for el in root.find_all(True) if normalise(el.get_text(" ")) == wanted), None)
    while found is not None and (
        inner := next(
            (el for el in found.find_all(True, recursive=False) if normalise(el.get_text(" ")) == wanted), None
        )
    ):
        found = inner
    while found is not None and found.name in INLINE_TAGS and found.parent is not root:
        found = found.parent
    return found


def restore_text(html: str, section: SectionPlan, text: str) -> str:
    """The section's markup with the plan's item holding ``text`` drawn as the templates draw its role
    (``text`` as a body paragraph when the plan lacks it): after the element showing a preceding item,
    else before one showing a following item, else at the end of the section's copy or inner container."""
    soup = BeautifulSoup(html, "html.parser")
    root = soup.find(True)
    if root is None:
        return html
    item = plan_item(section, text)
    shown = item or ContentItem(text=text, role="body")
    level = 3 if root.find(HEADINGS) else 2
    drawn = block_macro()(Block(RUN_ROLES.get(shown.role, shown.role), [shown]), level)
    new = [node for node in BeautifulSoup(str(drawn), "html.parser").contents if isinstance(node, Tag)]
    position = section.content.index(item) if item else len(section.content)
    before = (showing(root, other.text) for other in reversed(section.content[:position]))
    after = (showing(root, other.text) for other in section.content[position + 1 :])
    if anchor := next((found for found in before if found is not None), None):
        for tag in reversed(new):
            anchor.insert_after(tag)
    elif anchor := next((found for found in after if found is not None), None):
        for tag in new:
            anchor.insert_before(tag)
    else:
        container = root.select_one(".section-copy") or root.select_one(".container") or root
        for tag in new:
            container.append(tag)
    return str(soup)


# --- overflow and contrast -----------------------------------------------------------------------


def new_rules(source: PageSource, section: str, rules: list[str]) -> str:
    """Those of ``rules`` (scoped and cleaned) the section's CSS does not have yet, one per line."""
    present = source.section_css.get(section, "")
    cleaned = (clean_css(rule, scope=f"#{section}") for rule in rules)
    return "\n".join(dict.fromkeys(rule for rule in cleaned if rule and rule not in present))


def fitting(element: OverflowingElement) -> str:
    """Declarations that keep the element inside its container: tables and preformatted text scroll
    inside their box, text that runs past its box wraps, anything else is held to the container's width."""
    if element.tag in SCROLLING:
        return SCROLLING[element.tag]
    return WRAPPING if element.cause == "text" else FIT_WIDTH


def overflow_fixes(found: list[OverflowingElement], source: PageSource) -> list[Fix]:
    """Per section, the elements behind sideways overflow kept inside their containers (``fitting``)."""
    by_section: dict[str, dict[str, OverflowingElement]] = {}
    for element in found:  # one rule per element; text running past its box at any width makes it wrap
        if element.section in source.section_html:
            seen = by_section.setdefault(element.section, {})
            if element.selector not in seen or element.cause == "text":
                seen[element.selector] = element
    fixes = []
    for section, elements in by_section.items():
        rules = new_rules(source, section, [f"{selector}{{{fitting(e)}}}" for selector, e in elements.items()])
        if rules:
            widths = sorted({e.width for e in found if e.section == section}, key=int, reverse=True)
            fixes.append(
                Fix(
                    level="page",
                    action="section_css",
                    target=section,
                    instruction=rules,
                    reason=f"wider than the viewport at {', '.join(widths)} px: {', '.join(elements)}",
                )
            )
    return fixes


def contrast_fixes(found: list[LowContrastText], source: PageSource) -> list[Fix]:
    """Per section, text under AA contrast coloured with the palette's text colour, pushed toward black
    or white as far as its background needs."""
    palette_text = source.plan.tokens.palette.text
    by_section: dict[str, list[LowContrastText]] = {}
    for block in found:
        if block.section in source.section_html:
            by_section.setdefault(block.section, []).append(block)
    fixes = []
    for section, blocks in by_section.items():
        colours = {b.selector: readable_on(b.background, palette_text, b.needed) for b in blocks}
        rules = new_rules(
            source,
            section,
            [
                f"{selector}{{color:{c}!important;-webkit-text-fill-color:{c}!important}}"
                for selector, c in colours.items()
            ],
        )
        if rules:
            shown = "; ".join(f"“{b.text}” {b.colour} on {b.background} ({b.ratio:.2f}:1)" for b in blocks)
            fixes.append(
                Fix(
                    level="page",
                    action="section_css",
                    target=section,
                    instruction=rules,
                    reason=f"text under AA contrast: {shown}",
                )
            )
    return fixes
