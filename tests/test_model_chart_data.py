"""A chart in the planner model's plan holds the user's numbers or says it does not: numbers the prompt never
wrote are replaced by the data the prompt gives for a chart, else marked illustrative."""

from __future__ import annotations

from webagent.core.contracts import (
    AssetContext,
    AssetSize,
    AssetSpec,
    ChartAttributes,
    Dataset,
    PagePlan,
    SectionPlan,
)
from webagent.planners.llm.data import with_prompt_data
from webagent.planners.offline import compile_prompt

INLINE = (
    "Make a page for the Ostrava Chess Club with a line chart of membership — 40 in 2019, 55 in 2020, "
    "61 in 2021, 78 in 2022 and 94 in 2023."
)
NO_DATA = "A page for a chess club with a chart of how membership grew."


def chart(rows: list[list[str]], columns: tuple[str, str] = ("Year", "Members")) -> AssetSpec:
    return AssetSpec(
        id="members",
        kind="chart",
        path="assets/members.json",
        section_id="club",
        title="Membership",
        size=AssetSize(width=640, height=400),
        context=AssetContext(section="club", role="chart", page_style="clean"),
        attributes=ChartAttributes(chart_type="line"),
        prompt="membership by year",
        dataset=Dataset(title="Membership", columns=list(columns), rows=rows),
    )


def model_plan(prompt: str, asset: AssetSpec) -> PagePlan:
    base = compile_prompt(prompt)
    return base.model_copy(
        update={"sections": [SectionPlan(id="club", role="chart", asset_ids=[asset.id])], "assets": [asset]}
    )


def values(plan: PagePlan) -> list[list[str]]:
    return plan.assets[0].dataset.rows


def test_numbers_the_prompt_never_wrote_are_replaced_by_the_prompts_own():
    # every number is in the prompt, but the years are its labels: "40 in 2019" misread as ("in", 2019)
    misread = chart([["in", "2019"], ["in", "2020"], ["in", "2021"], ["and", "94"], ["in", "2023"]])
    fixed = with_prompt_data(model_plan(INLINE, misread), compile_prompt(INLINE), INLINE)
    numbers = sorted(float(row[-1]) for row in values(fixed))
    assert numbers == [40, 55, 61, 78, 94]
    assert fixed.assets[0].dataset.title == "Membership" and not fixed.assets[0].dataset.illustrative


def test_the_prompts_numbers_as_the_model_wrote_them_are_kept():
    read = chart([["2019", "40"], ["2020", "55"], ["2021", "61"], ["2022", "78"], ["2023", "94"]])
    plan = model_plan(INLINE, read)
    assert with_prompt_data(plan, compile_prompt(INLINE), INLINE) == plan
    rows = [["2019", "40 members"], ["2020", "55 members"], ["2021", "61"], ["2022", "78"], ["2023", "94"]]
    with_units = model_plan(INLINE, chart(rows))
    assert with_prompt_data(with_units, compile_prompt(INLINE), INLINE) == with_units  # a unit is no difference


def test_numbers_the_prompt_never_wrote_are_replaced_too():
    invented = chart([["2019", "40"], ["2020", "57"], ["2021", "61"]])
    fixed = with_prompt_data(model_plan(INLINE, invented), compile_prompt(INLINE), INLINE)
    assert sorted(float(row[-1]) for row in values(fixed)) == [40, 55, 61, 78, 94]


def test_a_scale_word_dropped_or_a_stray_number_added_takes_the_prompts_data():
    prompt = "A co-op page with a column chart of repairs per quarter, Q1 1.2k, Q2 2.4k, Q3 3.1k, Q4 1.8k, plus a 30-second video."
    misread = chart(
        [["Q1", "1.2"], ["Q2", "2.4"], ["Q3", "3.1"], ["Q4", "1.8"], ["plus a", "30"]], ("Quarter", "Repairs")
    )
    fixed = with_prompt_data(model_plan(prompt, misread), compile_prompt(prompt), prompt)
    assert values(fixed) == [["Q1", "1.2k"], ["Q2", "2.4k"], ["Q3", "3.1k"], ["Q4", "1.8k"]]


def test_invented_numbers_with_no_data_in_the_prompt_are_marked_illustrative():
    invented = chart([["2019", "120"], ["2020", "180"], ["2021", "260"]])
    fixed = with_prompt_data(model_plan(NO_DATA, invented), compile_prompt(NO_DATA), NO_DATA)
    assert fixed.assets[0].dataset.illustrative and values(fixed) == invented.dataset.rows
