"""Global reflection with the coder model: the judge's layout and style penalties patched into the
sections they are about, one section at a time, never the whole page; a penalty about the whole page's
look (the coder answers "page" for it) is fixed in the shared stylesheet and the palette instead.

A penalty that quotes a string (or names a heading) found in exactly one section is that section's;
the others are given to the coder in one request that maps each to its sections. Each concerned
section is then rewritten by the coder from its current markup and CSS and the penalties' fixes,
must keep the copy and element slots it had (the checks a freshly written section passes), and is
sanitised and scoped like one. A failed model step leaves its section as it was, with a warning.

With ``page_reflection = "whole_page"`` (kept to measure against, as the reference pipeline works)
the penalties are not placed: one request sends the coder the whole page with all of them, and every
section comes back rewritten; each must pass the same checks, else it keeps its old code with a warning.
"""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bs4 import BeautifulSoup

from webagent.core.answers import PageRestyle, PageRewrite, SectionChoice, SectionCode
from webagent.core.assemble import css_variables
from webagent.core.context import GenerationContext
from webagent.core.contracts import HEX_COLOUR, AssetSpec, ContentItem, Palette, SectionPlan
from webagent.core.edits import Fix, FixAction
from webagent.core.errors import ModelStepError
from webagent.core.prompt_book import PromptBook
from webagent.core.sanitise import clean_css
from webagent.core.source import PageSource
from webagent.generators.section.context import HEX, style_description
from webagent.generators.section.llm import sanitised, section_problems, slot_ids, slot_lines, visible_text
from webagent.reflection.critic import Critique
from webagent.webbench.evaluation.contracts import PageEvaluation, Penalty
from webagent.webbench.evaluation.metrics import normalise, quoted_strings

PROMPTS = PromptBook(Path(__file__).with_name("prompts"))
HEADINGS = "h1, h2, h3, h4"
MIN_HEADING_CHARS = 4
EXCERPT_CHARS = 240
WHOLE_PAGE = "page"  # the target of a whole-page fix, and the coder's answer for a defect of the page's look


def low_penalties(evaluation: PageEvaluation, threshold: float) -> list[Penalty]:
    """The layout and style penalties to fix: those of an aspect scored under ``threshold``, or all of
    them when aesthetics is."""
    scores = evaluation.scores
    aspects = [a for a in ("layout", "style") if scores.aesthetics < threshold or getattr(scores, a) < threshold]
    return [penalty for aspect in aspects for penalty in getattr(evaluation, aspect).penalties]


def section_texts(source: PageSource) -> dict[str, str]:
    """Each written section's visible text, normalised (``webagent.webbench.evaluation.metrics.normalise``)."""
    return {
        s.id: normalise(visible_text(source.section_html[s.id]))
        for s in source.plan.sections
        if s.id in source.section_html
    }


def section_headings(source: PageSource) -> dict[str, set[str]]:
    """Each written section's headings and planned title, normalised."""
    headings = {}
    for section in source.plan.sections:
        if section.id in source.section_html:
            soup = BeautifulSoup(source.section_html[section.id], "html.parser")
            names = {normalise(tag.get_text(" ")) for tag in soup.select(HEADINGS)} | {normalise(section.title)}
            headings[section.id] = {name for name in names if len(name) >= MIN_HEADING_CHARS}
    return headings


def named_section(penalty: Penalty, texts: dict[str, str], headings: dict[str, set[str]]) -> list[str]:
    """The one section a penalty points at by quoting its text, else by naming its heading; [] when it
    does not point at exactly one."""
    said = f"{penalty.issue} {penalty.fix}"
    quotes = [normalise(quote) for quote in quoted_strings(said)]
    quoting = {sid for sid, text in texts.items() if any(quote and quote in text for quote in quotes)}
    if len(quoting) == 1:
        return sorted(quoting)
    words = normalise(said)
    naming = {
        sid
        for sid, names in headings.items()
        if any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", words) for name in names)
    }
    return sorted(naming) if len(naming) == 1 else []


def choose_sections(penalties: dict[int, Penalty], source: PageSource, ctx: GenerationContext) -> dict[int, list[str]]:
    """The coder's mapping of numbered penalties to section ids ({} when the step fails)."""
    plan = source.plan
    sections = [
        {"id": s.id, "role": s.role, "title": s.title, "text": visible_text(source.section_html[s.id])[:EXCERPT_CHARS]}
        for s in plan.sections
        if s.id in source.section_html
    ]
    known = {s["id"] for s in sections} | {WHOLE_PAGE}

    def problems(answer: SectionChoice) -> list[str]:
        found = []
        for n, choice in enumerate(answer.choices):
            if choice.penalty not in penalties:
                found.append(f"choices[{n}].penalty: {choice.penalty} is not one of the numbers given")
            found += [
                f"choices[{n}].section_ids: {sid!r} is not a section id"
                for sid in choice.section_ids
                if sid not in known
            ]
        return found

    messages = PROMPTS.messages(
        "choose_sections.md.j2",
        title=plan.title,
        sections=json.dumps(sections, ensure_ascii=False),
        penalties=json.dumps(
            [{"number": n, "issue": p.issue, "fix": p.fix} for n, p in penalties.items()], ensure_ascii=False
        ),
    )
    try:
        answer = ctx.model("coder").complete_json("choose sections", messages, SectionChoice, check=problems)
    except ModelStepError:
        return {}  # the penalties no quote or heading placed stay unfixed this round
    return {choice.penalty: choice.section_ids for choice in answer.choices}


def plan_model_fixes(critique: Critique, source: PageSource, prompt: str, ctx: GenerationContext) -> list[Fix]:
    """A patch_section fix per (penalty, section it is about) when layout, style or aesthetics is under
    the reflection threshold; in whole-page mode one per penalty, aimed at the page."""
    penalties = low_penalties(critique.evaluation, ctx.settings.reflection_threshold)
    if ctx.settings.page_reflection == "whole_page":
        return [penalty_fix(penalty, WHOLE_PAGE) for penalty in penalties]
    if not penalties:
        return []
    texts, headings = section_texts(source), section_headings(source)
    placed = {n: named_section(p, texts, headings) for n, p in enumerate(penalties)}
    unplaced = {n: penalties[n] for n, ids in placed.items() if not ids}
    if unplaced:
        placed.update(choose_sections(unplaced, source, ctx))
    return [
        penalty_fix(penalty, section_id, "restyle_page" if section_id == WHOLE_PAGE else "patch_section")
        for n, penalty in enumerate(penalties)
        for section_id in dict.fromkeys(placed.get(n, []))
        if section_id in source.section_html or section_id == WHOLE_PAGE
    ]


def penalty_fix(penalty: Penalty, target: str, action: FixAction = "patch_section") -> Fix:
    """The fix of ``penalty``: a patch of section ``target`` (or, whole-page, of the page), or a restyle."""
    return Fix(
        level="page",
        action=action,
        target=target,
        reason=penalty.issue,
        instruction=penalty.fix or penalty.issue,
    )


def kept_copy(section: SectionPlan, html: str, prompt: str) -> SectionPlan:
    """The section's plan with the copy its current markup shows, what a patch must keep: its planned
    items shown, and the prompt's quoted strings shown (put back by an earlier round, say)."""
    text = visible_text(html)
    planned = [item for item in section.content if " ".join(item.text.split()) in text]
    quoted = [
        ContentItem(text=quote, role="body")
        for quote in dict.fromkeys(quoted_strings(prompt))
        if " ".join(quote.split()) in text and all(quote != item.text for item in planned)
    ]
    return section.model_copy(update={"content": planned + quoted})


def kept_parts(section_id: str, source: PageSource, prompt: str) -> tuple[SectionPlan, list[AssetSpec]]:
    """What any rewrite of the section must keep: its shown copy (``kept_copy``) and its element slots."""
    html = source.section_html[section_id]
    slots = slot_ids(html)
    return (
        kept_copy(source.plan.section(section_id), html, prompt),
        [a for a in source.plan.assets_of(section_id) if a.id in slots],
    )


def change_lines(fixes: list[Fix]) -> list[str]:
    """Each fix as a line of the coder's prompt: 'issue (fix: what to do)'."""
    return [f"{fix.reason} (fix: {fix.instruction})" if fix.instruction != fix.reason else fix.reason for fix in fixes]


def page_values(source: PageSource, prompt: str) -> dict[str, str]:
    """The page-wide values of the patch and rewrite prompts: title, style, mood, prompt, design tokens."""
    tokens = source.plan.tokens
    return {
        "title": source.plan.title,
        "style": tokens.visual_style or "clean",
        "mood": tokens.mood,
        "prompt": prompt,
        "tokens": tokens.model_dump_json(),
        "variables": ", ".join(css_variables(tokens)),
    }


def copy_json(section: SectionPlan) -> str:
    """The copy a rewrite of the section must keep, as the JSON list the prompts show."""
    return json.dumps([item.text for item in section.content], ensure_ascii=False)


def patch_section(
    section_id: str, fixes: list[Fix], source: PageSource, prompt: str, ctx: GenerationContext
) -> SectionCode:
    """The section rewritten by the coder following ``fixes``, checked and sanitised."""
    section, assets = kept_parts(section_id, source, prompt)
    messages = PROMPTS.messages(
        "patch_section.md.j2",
        **page_values(source, prompt),
        section_id=section_id,
        role=section.role,
        html=source.section_html[section_id],
        css=source.section_css.get(section_id, ""),
        changes=change_lines(fixes),
        copy=copy_json(section),
        slots=slot_lines(assets),
    )
    code = ctx.model("coder").complete_json(
        f"patch {section_id}", messages, SectionCode, check=lambda answer: section_problems(answer, section, assets)
    )
    return sanitised(code, section_id)


def patched_or_kept(
    section_id: str, fixes: list[Fix], source: PageSource, prompt: str, ctx: GenerationContext
) -> tuple[SectionCode | None, str]:
    try:
        return patch_section(section_id, fixes, source, prompt, ctx), ""
    except ModelStepError as exc:
        return None, f"section {section_id} was left as it was: {exc}"


def apply_model_fixes(
    fixes: list[Fix], source: PageSource, prompt: str, ctx: GenerationContext
) -> tuple[PageSource, list[str]]:
    """The source with each concerned section's markup and CSS replaced by its patch, sections patched
    concurrently (whole-page fixes first rewrite every section); every other section, and everything
    else, as it was."""
    restyles = [fix for fix in fixes if fix.action == "restyle_page"]
    source, warnings = restyle_page(restyles, source, prompt, ctx) if restyles else (source, [])
    fixes = [fix for fix in fixes if fix.action != "restyle_page"]
    whole_page = [fix for fix in fixes if fix.target == WHOLE_PAGE]
    if whole_page:
        source, rewrite_warnings = rewrite_page(whole_page, source, prompt, ctx)
        warnings += rewrite_warnings
    by_section: dict[str, list[Fix]] = {}
    for fix in fixes:
        if fix.target in source.section_html:
            by_section.setdefault(fix.target, []).append(fix)
        elif fix.target != WHOLE_PAGE:
            warnings.append(f"page fix for {fix.target!r} skipped: the page has no such section")
    if not by_section:
        return source, warnings
    with ThreadPoolExecutor(max_workers=max(1, min(len(by_section), ctx.settings.max_parallel))) as pool:
        results = list(pool.map(lambda item: patched_or_kept(*item, source, prompt, ctx), by_section.items()))
    html, css = dict(source.section_html), dict(source.section_css)
    for section_id, (code, warning) in zip(by_section, results):
        if code is None:
            warnings.append(warning)
        else:
            html[section_id], css[section_id] = code.html, code.css
    return source.model_copy(update={"section_html": html, "section_css": css}), warnings


def rewrite_page(
    fixes: list[Fix], source: PageSource, prompt: str, ctx: GenerationContext
) -> tuple[PageSource, list[str]]:
    """Whole-page mode: every section rewritten by the coder in one request following ``fixes``; a
    section whose rewrite lacks its copy or slots, or is missing, keeps its old code with a warning."""
    order = [s.id for s in source.plan.sections if s.id in source.section_html]
    kept = {section_id: kept_parts(section_id, source, prompt) for section_id in order}
    sections = [
        {
            "id": section_id,
            "role": section.role,
            "html": source.section_html[section_id],
            "css": source.section_css.get(section_id, ""),
            "copy": copy_json(section),
            "slots": slot_lines(assets),
        }
        for section_id, (section, assets) in kept.items()
    ]
    messages = PROMPTS.messages(
        "rewrite_page.md.j2", **page_values(source, prompt), sections=sections, changes=change_lines(fixes)
    )
    try:
        answer = ctx.model("coder").complete_json("rewrite page", messages, PageRewrite)
    except ModelStepError as exc:
        return source, [f"the page was left as it was: {exc}"]
    rewritten = {item.section_id: item for item in answer.sections}
    html, css, warnings = dict(source.section_html), dict(source.section_css), []
    for section_id, (section, assets) in kept.items():
        code = rewritten.get(section_id)
        problems = section_problems(code, section, assets) if code else ["the rewrite left it out"]
        if problems:
            warnings.append(f"section {section_id} was left as it was: {'; '.join(problems[:3])}")
        else:
            clean = sanitised(code, section_id)
            html[section_id], css[section_id] = clean.html, clean.css
    return source.model_copy(update={"section_html": html, "section_css": css}), warnings


def restyle_page(
    fixes: list[Fix], source: PageSource, prompt: str, ctx: GenerationContext
) -> tuple[PageSource, list[str]]:
    """Defects of the whole page's look fixed in the shared stylesheet and the palette, every section's own
    markup and CSS as they were; a colour the prompt gives is never changed. A failed step changes nothing."""
    tokens = source.plan.tokens
    given = {colour.upper() for colour in HEX.findall(prompt)}
    roles = list(Palette.model_fields)

    def problems(answer: PageRestyle) -> list[str]:
        found = []
        for role, colour in answer.palette.items():
            if role not in roles:
                found.append(f"palette.{role}: not a palette role ({', '.join(roles)})")
            elif not HEX_COLOUR.match(colour):
                found.append(f"palette.{role}: {colour!r} is not a #RRGGBB colour")
            elif getattr(tokens.palette, role).upper() in given:
                found.append(f"palette.{role}: the user gave {getattr(tokens.palette, role)}; keep it")
        return found

    messages = PROMPTS.messages(
        "restyle_page.md.j2",
        **page_values(source, prompt),
        look=style_description(prompt),
        css=source.design_css,
        changes=change_lines(fixes),
        roles=", ".join(roles),
        given=", ".join(sorted(given)),
    )
    try:
        answer = ctx.model("coder").complete_json("restyle page", messages, PageRestyle, check=problems)
    except ModelStepError as exc:
        return source, [f"the page's shared stylesheet was left as it was: {exc}"]
    palette = tokens.palette.model_copy(update={role: colour.upper() for role, colour in answer.palette.items()})
    plan = source.plan.model_copy(update={"tokens": tokens.model_copy(update={"palette": palette})})
    return source.model_copy(update={"plan": plan, "design_css": clean_css(answer.css)}), []
