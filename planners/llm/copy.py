"""Copy the prompt quotes that the model's plan left out goes back into the plan.

The offline compiler finds every quoted string of the prompt and the section it belongs to; each
one the model dropped is added to the model's section of the same role, else to the section at
the same relative position on the page.
"""

from __future__ import annotations

from webagent.core.contracts import PagePlan, SectionPlan


def shown_texts(plan: PagePlan) -> set[str]:
    texts = {plan.title}
    for section in plan.sections:
        texts.add(section.title)
        texts.update(item.text for item in section.content)
    return {" ".join(t.split()) for t in texts if t}


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
    additions: dict[str, list] = {}
    for index, section in enumerate(reference.sections):
        for item in section.content:
            text = " ".join(item.text.split())
            if text in shown or text not in " ".join(prompt.split()):
                continue
            home = home_for(index, section.role, reference, plan)
            additions.setdefault(home.id, []).append(item)
            shown.add(text)
    if not additions:
        return plan
    sections = [s.model_copy(update={"content": [*s.content, *additions.get(s.id, [])]}) for s in plan.sections]
    return plan.model_copy(update={"sections": sections})
