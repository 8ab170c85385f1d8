"""The offline edit grammar: what ``webagent edit`` understands without a model (README: "Edit a page").

An instruction is clauses joined by "and", "then", "," or ";"; a clause without a verb of its own
takes the previous clause's ("make the hero darker and the chart a line chart"). Joined pieces are
tried longest first, so a name with "and" in it ("the hours and prices section") stays whole.
Sections are named by id, role or words of their title; elements by id or words of their title,
section or prompt, "image", "video" or "chart" narrowing the kind. Each clause is read against
the page as the clauses before it left it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import get_args

from webagent.core.contracts import AssetSpec, ChartType, SectionPlan
from webagent.core.edits import Fix
from webagent.core.source import PageSource
from webagent.reflection.structure import (
    STRUCTURE_ACTIONS,
    EditError,
    apply_structure_fixes,
    checked_colour,
    font_stack,
    new_section_fixes,
    reorder_fix,
    shaded,
    tokens_fix,
)

UNDERSTOOD = (
    "offline edits understand colours, fonts, section order, removing or adding a section, chart types "
    "and regenerating an element (README: Edit a page); a coder model takes free text"
)
QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”')
HELD = re.compile(r"«(\d+)»")
SEPARATOR = re.compile(r"(\s*(?:[;,](?:\s*and)?(?:\s*then)?|\band then\b|\band\b|\bthen\b)\s*)", re.I)
VERB = re.compile(
    r"^(make|set|change|turn|switch|use|move|put|remove|delete|drop|hide|add|insert|regenerate|redo|"
    r"remake|redraw|refresh)\b",
    re.I,
)
FILLER = {"the", "a", "an", "of", "in", "on", "section", "element", "our", "my", "its", "s"}
KIND_WORDS = {
    "image": "image",
    "photo": "image",
    "photograph": "image",
    "picture": "image",
    "illustration": "image",
    "video": "video",
    "clip": "video",
    "film": "video",
    "chart": "chart",
    "graph": "chart",
    "plot": "chart",
}
CHART_ALIASES = {"doughnut": "donut", "column": "bar"}
PAGE_WORDS = {"page", "the page", "whole page"}
FONT_ROLES = {
    "heading": {"heading"},
    "headings": {"heading"},
    "titles": {"heading"},
    "body": {"body"},
    "body text": {"body"},
    "body copy": {"body"},
    "copy": {"body"},
    "text": {"heading", "body"},
    "everything": {"heading", "body"},
}

SEC = r"(?:the )?(?P<section>.+?)(?: section)?"
HEX = r"(?P<hex>#[0-9a-f]{6})"
ROLE = r"(?P<role>primary|secondary|accent|background|surface|text|muted)"
WHERE = r"(?:headings?|titles|body(?: text| copy)?|text|copy|everything)"
TYPE = r"(?P<type>" + "|".join([*get_args(ChartType), *CHART_ALIASES]) + ")"
PLACE = r"(?P<where>above|below|before|after|under|over) (?:the )?(?P<other>.+?)(?: section)?"


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in FILLER}


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def find_section(name: str, source: PageSource) -> SectionPlan:
    """The section ``name`` means: its id, its role, or words of its title; else an EditError listing the sections."""
    sections = source.plan.sections
    key = slug(name)
    exact = [s for s in sections if s.id == key] or [s for s in sections if s.role == key]
    wanted = words(name)
    found = exact or [s for s in sections if wanted and wanted <= words(f"{s.id} {s.role} {s.title}")]
    if len(found) == 1:
        return found[0]
    listed = ", ".join(f"{s.id} ({s.title})" if s.title else s.id for s in (found or sections))
    if found:
        raise EditError(f"“{name}” could be any of these sections: {listed}; name one by id")
    raise EditError(f"the page has no section “{name}”; sections: {listed}")


def find_element(name: str, source: PageSource) -> AssetSpec:
    """The element ``name`` means: its id, or words of its title or section (else of its prompt), a
    kind word narrowing the choice; else an EditError listing the elements."""
    assets = source.plan.assets
    key = slug(name)
    for spec in assets:
        if spec.id == key:
            return spec
    said = words(name)
    kinds = {KIND_WORDS[w.rstrip("s")] for w in said if w.rstrip("s") in KIND_WORDS}
    wanted = {w for w in said if w.rstrip("s") not in KIND_WORDS}
    if len(kinds) > 1:
        raise EditError(f"“{name}” names more than one kind of element ({', '.join(sorted(kinds))})")
    pool = [a for a in assets if not kinds or a.kind in kinds]
    titles = {s.id: s.title for s in source.plan.sections}
    found = [a for a in pool if wanted <= words(f"{a.id} {a.title} {a.section_id} {titles.get(a.section_id, '')}")] or [
        a for a in pool if wanted and wanted <= words(a.prompt)
    ]
    if len(found) == 1:
        return found[0]
    listed = ", ".join(f"{a.id} ({a.kind})" for a in (found or assets)) or "none"
    if found:
        raise EditError(f"“{name}” could be any of these elements: {listed}; name one by id")
    raise EditError(f"the page has no element like “{name}”; elements: {listed}")


# --- clauses: each reads its match against the page and returns the fixes --------------------------


@dataclass
class Clause:
    """One clause of an instruction, its quoted strings held out as «n»."""

    text: str
    quotes: list[str]

    def unquote(self, value: str) -> str:
        return HELD.sub(lambda m: self.quotes[int(m[1])], value).strip()

    @property
    def reason(self) -> str:
        return HELD.sub(lambda m: f"“{self.quotes[int(m[1])]}”", self.text)


Reader = Callable[[re.Match, PageSource, Clause], list[Fix]]


def shade(match: re.Match, source: PageSource, clause: Clause) -> list[Fix]:
    section = find_section(match["section"], source)
    colour = shaded(section, source.plan.tokens, darker=match["shade"].lower() == "darker")
    return [Fix(level="page", action="section_background", target=section.id, reason=clause.reason, instruction=colour)]


def section_background(match: re.Match, source: PageSource, clause: Clause) -> list[Fix]:
    colour = checked_colour(match["hex"])
    if match["section"].lower() in PAGE_WORDS:
        return [tokens_fix({"palette": {"background": colour}}, clause.reason)]
    section = find_section(match["section"], source)
    return [Fix(level="page", action="section_background", target=section.id, reason=clause.reason, instruction=colour)]


def palette_colour(match: re.Match, source: PageSource, clause: Clause) -> list[Fix]:
    return [tokens_fix({"palette": {match["role"].lower(): checked_colour(match["hex"])}}, clause.reason)]


def font(match: re.Match, source: PageSource, clause: Clause) -> list[Fix]:
    parts = (part.strip().removeprefix("the ") for part in match["where"].lower().split(" and "))
    roles = sorted(set().union(*(FONT_ROLES[part] for part in parts)))
    fonts = source.plan.tokens.fonts
    family = clause.unquote(match["font"])
    return [tokens_fix({"fonts": {role: font_stack(family, getattr(fonts, role)) for role in roles}}, clause.reason)]


def move(match: re.Match, source: PageSource, clause: Clause) -> list[Fix]:
    section = find_section(match["section"], source)
    rest = [s for s in source.plan.sections if s.id != section.id]
    if match.groupdict().get("end"):
        if match["end"].lower() in ("top", "start", "beginning"):
            index = 1 if rest and rest[0].role == "header" else 0
        else:
            index = len(rest) - 1 if rest and rest[-1].role == "footer" else len(rest)
    else:
        other = find_section(match["other"], source)
        if other.id == section.id:
            raise EditError(f"cannot move the {section.id} section next to itself")
        index = [s.id for s in rest].index(other.id) + (match["where"].lower() in ("below", "after", "under"))
    order = [s.id for s in rest]
    order.insert(index, section.id)
    return [reorder_fix(order, clause.reason)]


def remove(match: re.Match, source: PageSource, clause: Clause) -> list[Fix]:
    section = find_section(match["section"], source)
    return [Fix(level="page", action="remove_section", target=section.id, reason=clause.reason)]


def add(match: re.Match, source: PageSource, clause: Clause) -> list[Fix]:
    index = None
    if match["other"]:
        other = find_section(match["other"], source)
        index = [s.id for s in source.plan.sections].index(other.id) + (
            match["where"].lower() in ("below", "after", "under")
        )
    return new_section_fixes(
        clause.unquote(match["title"]), clause.unquote(match["text"] or ""), index, source, clause.reason
    )


def chart_type(match: re.Match, source: PageSource, clause: Clause) -> list[Fix]:
    spec = find_element(match["element"], source)
    if spec.kind != "chart":
        raise EditError(
            f"{spec.id} is {'an' if spec.kind == 'image' else 'a'} {spec.kind}; only charts have a chart type"
        )
    kind = match["type"].lower()
    return [
        Fix(
            level="element",
            action="chart_type",
            target=spec.id,
            reason=clause.reason,
            instruction=CHART_ALIASES.get(kind, kind),
        )
    ]


def regenerate(match: re.Match, source: PageSource, clause: Clause) -> list[Fix]:
    spec = find_element(match["element"], source)
    return [Fix(level="element", action="regenerate", target=spec.id, reason=clause.reason)]


CLAUSES: list[tuple[re.Pattern[str], Reader]] = [
    (re.compile(pattern, re.I), reader)
    for pattern, reader in [
        (rf"make {SEC}(?: background)? (?:a bit |a little |much |even )?(?P<shade>darker|lighter)", shade),
        (rf"(?:make|set|change|turn) {SEC}(?:'s)? background(?: colou?r)?(?: to| into)? {HEX}", section_background),
        (rf"(?:make|set|change|turn) the background(?: colou?r)? of {SEC}(?: to| into)? {HEX}", section_background),
        (rf"use {HEX} (?:as|for) (?:the )?{ROLE}(?: colou?r)?", palette_colour),
        (rf"(?:make|set|change|turn) the {ROLE} colou?r(?: to| into)? {HEX}", palette_colour),
        (rf"use (?P<font>.+?)(?: font)? for (?:the |all )?(?P<where>{WHERE}(?: and (?:the )?{WHERE})?)", font),
        (r"(?:make|set|change) the (?P<where>heading|body|text) font(?: to)? (?P<font>.+)", font),
        (rf"(?:move|put) {SEC} {PLACE}", move),
        (rf"(?:move|put) {SEC} (?:to )?(?:the )?(?P<end>top|bottom|end|start|beginning)(?: of the page)?", move),
        (rf"(?:remove|delete|drop|hide) {SEC}", remove),
        (
            (
                rf"(?:add|insert) (?:a |an |another )?(?:new )?section (?:called |titled |named )?(?P<title>«\d+»)"
                rf"(?: with (?:the )?(?:text|copy|body|paragraph) (?P<text>«\d+»))?(?: {PLACE})?"
            ),
            add,
        ),
        (
            (
                rf"(?:make|turn|change|switch|show|draw) (?:the )?(?P<element>.+?) (?:into |to |as )?(?:an? )?{TYPE}"
                r"(?: chart| graph| plot)?"
            ),
            chart_type,
        ),
        (r"(?:regenerate|redo|remake|redraw|refresh) (?:the )?(?P<element>.+)", regenerate),
    ]
]


def read_clause(clause: Clause, source: PageSource) -> list[Fix] | None:
    """The fixes of one clause, None when no form matches it (an EditError when it names what is not there)."""
    for pattern, reader in CLAUSES:
        match = pattern.fullmatch(clause.text)
        if match is not None:
            return reader(match, source, clause)
    return None


def read_instruction(instruction: str, source: PageSource) -> list[Fix]:
    """The fixes ``instruction`` asks for, read with the grammar; an EditError when a clause is not understood."""
    quotes: list[str] = []

    def hold(match: re.Match) -> str:
        quotes.append(match[1] if match[1] is not None else match[2])
        return f"«{len(quotes) - 1}»"

    parts = SEPARATOR.split(QUOTED.sub(hold, " ".join(instruction.split())).rstrip(".!").strip())
    pieces = parts[0::2]  # parts alternate: piece, separator, piece, …
    fixes: list[Fix] = []
    verb, start = "", 0
    while start < len(pieces):
        if not pieces[start]:
            start += 1
            continue
        error: EditError | None = None
        for end in range(len(pieces), start, -1):  # longest first: "the hours and prices section" stays whole
            text = re.sub(r"^please\s+", "", "".join(parts[2 * start : 2 * end - 1]), flags=re.I)
            clause = Clause(text if VERB.match(text) or not verb else f"{verb} {text}", quotes)
            try:
                found = read_clause(clause, source)
            except EditError as exc:
                found, error = None, exc if end == start + 1 else error
            if found is not None:
                break
        else:
            raise error or EditError(f"could not read “{Clause(pieces[start], quotes).reason}”: {UNDERSTOOD}")
        verb = VERB.match(clause.text)[1]
        fixes += found
        source = apply_structure_fixes([f for f in found if f.action in STRUCTURE_ACTIONS], source)
        start = end
    if not fixes:
        raise EditError(f"the edit is empty: {UNDERSTOOD}")
    return fixes
