"""Quoted copy the planner model dropped goes back where the model's own plan puts its surroundings (its brief,
the copy on both sides of it), not where the offline planner's different split would put it."""

from __future__ import annotations

from webagent.core.contracts import ContentItem, PagePlan, SectionPlan
from webagent.planners.llm.copy import restore_missing_copy
from webagent.planners.offline import compile_prompt

PROMPT = (
    'A page for "Harbour Rowing Club".\n\n'
    'Intro: the headline "Pull Together" and the line "Dawn sessions on the river, all year round." '
    'with a button "Join a Taster".\n\n'
    'Then the fees, "£20 a month" and "£5 for students", and the note "First month free".\n\n'
    'Footer: "Boathouse 3, Quay Road".'
)


def section(section_id: str, role: str, *texts: str, brief: str = "") -> SectionPlan:
    return SectionPlan(id=section_id, role=role, brief=brief, content=[ContentItem(text=t, role="body") for t in texts])


def model_plan(*sections: SectionPlan) -> PagePlan:
    return compile_prompt(PROMPT).model_copy(update={"sections": list(sections), "assets": [], "planner": "llm"})


def texts_of(plan: PagePlan, section_id: str) -> list[str]:
    return [item.text for item in plan.section(section_id).content]


def test_a_dropped_quote_goes_to_the_section_holding_the_copy_on_both_sides():
    plan = model_plan(
        section("welcome", "intro", "Harbour Rowing Club", "Pull Together", "Join a Taster"),
        section("money", "pricing", "£20 a month", "First month free"),
        section("end", "footer", "Boathouse 3, Quay Road"),
    )
    restored = restore_missing_copy(plan, compile_prompt(PROMPT), PROMPT)
    assert "Dawn sessions on the river, all year round." in texts_of(restored, "welcome")
    assert "£5 for students" in texts_of(restored, "money")


def test_a_dropped_quote_goes_to_the_section_whose_brief_holds_it():
    plan = model_plan(
        section("welcome", "intro", "Harbour Rowing Club", "Pull Together", "Join a Taster"),
        section("money", "pricing", brief='Then the fees, "£20 a month" and "£5 for students"'),
        section("free", "cta", "First month free"),
        section("end", "footer", "Boathouse 3, Quay Road"),
    )
    restored = restore_missing_copy(plan, compile_prompt(PROMPT), PROMPT)
    assert texts_of(restored, "money") == ["£20 a month", "£5 for students"]
    assert texts_of(restored, "free") == ["First month free"]
