"""Copy the prompt quotes that the model's plan left out goes back into the plan.

The offline compiler finds every quoted string of the prompt. Each one the model dropped goes where the
model's own plan puts its surroundings: the section whose brief holds it, else the section holding the
copy on both sides of it in the prompt. Only when the model's plan says nothing about it does the
offline split decide: the model's section of the same role, else the one at the same relative position.
"""

from __future__ import annotations

from webagent.core.contracts import PagePlan, SectionPlan


def shown_texts(plan: PagePlan) -> set[str]:
    texts = {plan.title}
    for section in plan.sections:
        texts.add(section.title)
        texts.update(item.text for item in section.content)
    return {flat(t) for t in texts if t}


MIN_ANCHOR_CHARS = 4  # shorter copy ("Home", "FAQ") is found all over a prompt and anchors nothing


def flat(text: str) -> str:
    return " ".join(text.split())


def home_in_model_plan(text: str, plan: PagePlan, prompt: str) -> SectionPlan | None:
    """The model's section for a dropped quote by the model's own structure: the section whose brief holds
    it, else the section holding the copy on both sides of it in the prompt; None when they differ or are
    not found."""
    briefed = [s for s in plan.sections if text in flat(s.brief)]
    if len(briefed) == 1:
        return briefed[0]
    where = prompt.find(text)
    before: tuple[int, SectionPlan | None] = (-1, None)
    after: tuple[int, SectionPlan | None] = (len(prompt) + 1, None)
    for section in plan.sections:
        for item in section.content:
            anchor = flat(item.text)
            if len(anchor) < MIN_ANCHOR_CHARS or anchor == text:
                continue
            at = prompt.rfind(anchor, 0, where)
            if at > before[0]:
                before = (at, section)
            at = prompt.find(anchor, where + len(text))
            if 0 <= at < after[0]:
                after = (at, section)
    sides = {id(s): s for _, s in (before, after) if s is not None}
    return next(iter(sides.values())) if len(sides) == 1 else None


def home_for(index: int, role: str, reference: PagePlan, plan: PagePlan) -> SectionPlan:
    """The model's section that best matches the reference section at ``index``."""
    same_role = [s for s in plan.sections if s.role == role]
    if len(same_role) == 1:
        return same_role[0]
    last_ref, last_ours = max(len(reference.sections) - 1, 1), len(plan.sections) - 1
    return plan.sections[round(index * last_ours / last_ref)]


def restore_missing_copy(plan: PagePlan, reference: PagePlan, prompt: str) -> PagePlan:
    """``plan`` with every quoted prompt string that ``reference`` places but ``plan`` lacks."""
    shown = shown_texts(plan)
    prompt = flat(prompt)
    additions: dict[str, list] = {}
    for index, section in enumerate(reference.sections):
        for item in section.content:
            text = flat(item.text)
            if text in shown or text not in prompt:
                continue
            home = home_in_model_plan(text, plan, prompt) or home_for(index, section.role, reference, plan)
            additions.setdefault(home.id, []).append(item)
            shown.add(text)
    if not additions:
        return plan
    sections = [s.model_copy(update={"content": [*s.content, *additions.get(s.id, [])]}) for s in plan.sections]
    return plan.model_copy(update={"sections": sections})
