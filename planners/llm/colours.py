"""Colours the prompt gives that the model's plan left out go back into the model's own sections.

The offline reading of the prompt places every hex colour it gives: in the palette, as a section's
background, or among a section's accents. A colour in none of the model's palette, section backgrounds,
accents or chart palettes is added to the model's section matching the reference section that holds it
(``media.matching_section``): as its background when the reference has it so and the model's section has
none, else among its accents. One the reference holds in its palette only goes among the accents of the
model's section that mentions it (its brief, else the copy just before it). The section writer is told to
use both.
"""

from __future__ import annotations

import logging
import re

from webagent.core.contracts import PagePlan, SectionPlan
from webagent.planners.llm.copy import MIN_ANCHOR_CHARS, flat
from webagent.planners.llm.media import matching_section

log = logging.getLogger(__name__)
HEX = re.compile(r"#[0-9A-Fa-f]{6}\b")


def planned_colours(plan: PagePlan) -> set[str]:
    """Every colour a plan uses: palette, section backgrounds and accents, chart palettes (upper case)."""
    colours = set(plan.tokens.palette.model_dump().values())
    for section in plan.sections:
        colours.update([*section.accents, *([section.background] if section.background else [])])
    for asset in plan.assets:
        colours.update(getattr(asset.attributes, "palette", []))
    return {colour.upper() for colour in colours}


def restore_missing_colours(plan: PagePlan, reference: PagePlan, prompt: str) -> PagePlan:
    """``plan`` with each prompt colour it lacks placed where the reference places it."""
    missing = [c for c in dict.fromkeys(c.upper() for c in HEX.findall(prompt)) if c not in planned_colours(plan)]
    if not missing:
        return plan
    sections: dict[str, SectionPlan] = {s.id: s for s in plan.sections}
    for index, section in enumerate(reference.sections):
        held = [c for c in missing if c == (section.background or "").upper() or c in section.accents]
        if not held:
            continue
        home = sections[matching_section(index, section, reference, plan).id]
        for colour in held:
            if colour == (section.background or "").upper() and not home.background:
                home = home.model_copy(update={"background": colour})
            elif colour not in home.accents:
                home = home.model_copy(update={"accents": [*home.accents, colour]})
            log.info("colour %s: given by the prompt, left out by the model; added to %s", colour, home.id)
            missing.remove(colour)
        sections[home.id] = home
    for colour in missing:  # in the reference's palette only: the section the prompt mentions it in
        home_id = section_mentioning(colour, plan, prompt)
        if home_id:
            home = sections[home_id]
            sections[home_id] = home.model_copy(update={"accents": [*home.accents, colour]})
            log.info("colour %s: given by the prompt, left out by the model; added to %s", colour, home_id)
    return plan.model_copy(update={"sections": [sections[s.id] for s in plan.sections]})


def section_mentioning(colour: str, plan: PagePlan, prompt: str) -> str:
    """The model's section whose brief holds ``colour``, else the one holding the copy nearest before it in the
    prompt; '' when the colour comes before any copy (a page-wide colour, which is the palette's business)."""
    briefed = [s.id for s in plan.sections if colour in s.brief.upper()]
    if briefed:
        return briefed[0]
    where = prompt.upper().find(colour)
    best, best_at = "", -1
    for section in plan.sections:
        for item in section.content:
            text = flat(item.text)
            at = prompt.rfind(text, 0, where) if len(text) >= MIN_ANCHOR_CHARS else -1
            if at > best_at:
                best, best_at = section.id, at
    return best
