"""The local plan of one section from the planner model: layout, and each element's slot and attributes."""

from __future__ import annotations

from pathlib import Path

from webagent.core.answers import SectionDetail
from webagent.core.contracts import AssetSpec, DesignTokens, SectionPlan
from webagent.core.llm import RoleClient
from webagent.core.prompt_book import PromptBook
from webagent.planners.llm.paths import with_our_path

PROMPTS = PromptBook(Path(__file__).with_name("prompts"))


def detail_problems(detail: SectionDetail, section: SectionPlan, assets: list[AssetSpec]) -> list[str]:
    """The local plan must keep the section's id and exactly its elements, each of the same kind."""
    problems = []
    if detail.section.id != section.id:
        problems.append(f"section.id: must stay {section.id!r}")
    given = {a.id: a.kind for a in assets}
    answered = {a.id: a.kind for a in detail.assets}
    if set(answered) != set(given):
        problems.append(f"assets: give exactly the elements {sorted(given)}, got {sorted(answered)}")
    problems += [
        f"assets.{i}.kind: must stay {given[i]!r}" for i, kind in answered.items() if i in given and kind != given[i]
    ]
    return problems


def plan_section(
    section: SectionPlan, assets: list[AssetSpec], tokens: DesignTokens, prompt: str, client: RoleClient
) -> tuple[SectionPlan, list[AssetSpec]]:
    """The section and its elements planned locally; sections without media keep the global plan."""
    if not assets:
        return section, []
    messages = PROMPTS.messages(
        "plan_section.md.j2",
        prompt=prompt,
        tokens=tokens.model_dump_json(),
        section=section.model_dump_json(exclude_defaults=True),
        assets=[a.model_dump_json(exclude={"path"}) for a in assets],
    )
    detail = client.complete_json(
        f"section plan {section.id}",
        messages,
        SectionDetail,
        check=lambda answer: detail_problems(answer, section, assets),
    )
    by_id = {a.id: a for a in assets}
    specs = [
        with_our_path(spec.model_copy(update={"section_id": section.id, "dataset": by_id[spec.id].dataset}))
        for spec in detail.assets
    ]
    refined = detail.section.model_copy(
        update={"asset_ids": [s.id for s in specs], "content": section.content, "tables": section.tables}
    )
    return refined, specs
