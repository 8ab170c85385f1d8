"""Media the prompt asks for that the model's plan left out go back into the model's own sections.

The offline reading of the prompt (the reference plan) counts the images, videos and charts each part of
the prompt asks for. Each reference section is matched to the model's section that shows its copy (else
the one of the same title, else of the same role, else at the same relative place); when the model's
section holds fewer elements of a kind than the reference section asks for, the reference's extra
elements are added to it, under ids of their own — never more of a kind than the prompt's own words ask for
beyond what the model's whole plan holds (media a scene adds to a short prompt are the offline planner's
choice, not the user's).
"""

from __future__ import annotations

import logging
from collections import Counter

from webagent.core.contracts import AssetSpec, PagePlan, SectionPlan
from webagent.planners.llm.copy import flat, home_for
from webagent.planners.llm.paths import with_our_path
from webagent.planners.offline.asks import read_asks

log = logging.getLogger(__name__)


def matching_section(index: int, section: SectionPlan, reference: PagePlan, plan: PagePlan) -> SectionPlan:
    """The model's section for the reference's section at ``index``: the one showing most of its copy, else
    the one of the same title, else ``copy.home_for`` (same role, else the same relative place)."""
    copy = {flat(item.text) for item in section.content if len(flat(item.text)) >= 4}
    shared = Counter({s.id: len(copy & {flat(i.text) for i in s.content}) for s in plan.sections})
    best, count = shared.most_common(1)[0] if shared else ("", 0)
    if count:
        return plan.section(best)
    titled = [s for s in plan.sections if section.title and flat(s.title).lower() == flat(section.title).lower()]
    return titled[0] if titled else home_for(index, section.role, reference, plan)


def free_id(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3`` … when the plan already has it."""
    candidate, n = wanted, 1
    while candidate in taken:
        n += 1
        candidate = f"{wanted}-{n}"
    taken.add(candidate)
    return candidate


def asked_counts(prompt: str) -> Counter:
    """How many images, videos and charts the prompt's own words ask for (not those a scene adds)."""
    asked: Counter = Counter()
    for ask in read_asks(prompt).media:
        asked[ask.kind] += ask.count
    return asked


def restore_missing_media(plan: PagePlan, reference: PagePlan, prompt: str) -> PagePlan:
    """``plan`` with the elements the reference asks for that the model's matching sections lack."""
    taken = {a.id for a in plan.assets}
    held = Counter((a.section_id, a.kind) for a in plan.assets)
    room = asked_counts(prompt) - Counter(a.kind for a in plan.assets)
    added: list[AssetSpec] = []
    for index, section in enumerate(reference.sections):
        home = matching_section(index, section, reference, plan)
        for spec in reference.assets_of(section.id):
            if held[(home.id, spec.kind)] > 0:
                held[(home.id, spec.kind)] -= 1  # the model's own element of this kind stands for it
                continue
            if room[spec.kind] <= 0:
                continue  # the model placed as many of this kind elsewhere
            room[spec.kind] -= 1
            new_id = free_id(spec.id, taken)
            log.info("%s %s: asked for by the prompt, left out by the model; added to %s", spec.kind, new_id, home.id)
            context = spec.context.model_copy(update={"section": home.title or home.id})
            added.append(
                with_our_path(spec.model_copy(update={"id": new_id, "section_id": home.id, "context": context}))
            )
    if not added:
        return plan
    sections = [
        s.model_copy(update={"asset_ids": [*s.asset_ids, *(a.id for a in added if a.section_id == s.id)]})
        for s in plan.sections
    ]
    return plan.model_copy(update={"sections": sections, "assets": [*plan.assets, *added]})
