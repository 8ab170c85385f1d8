"""The global plan from the planner model, checked, normalised and completed from the prompt."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from webagent.core.contracts import Dataset, PagePlan
from webagent.core.datasets import numeric_columns
from webagent.core.llm import RoleClient
from webagent.core.prompt_book import PromptBook
from webagent.planners.llm.colours import restore_missing_colours
from webagent.planners.llm.copy import restore_missing_copy
from webagent.planners.llm.data import with_prompt_data
from webagent.planners.llm.media import restore_missing_media
from webagent.planners.llm.paths import with_our_path
from webagent.planners.offline import compile_prompt, parse_markdown_tables

PROMPTS = PromptBook(Path(__file__).with_name("prompts"))


def plan_problems(plan: PagePlan) -> list[str]:
    """What makes a page plan unusable: duplicate ids, dangling references, charts without numbers."""
    problems: list[str] = []
    if not plan.sections:
        problems.append("sections: the page needs at least one section")
    section_ids = Counter(s.id for s in plan.sections)
    asset_ids = Counter(a.id for a in plan.assets)
    problems += [f"sections: id {i!r} is used {n} times" for i, n in section_ids.items() if n > 1]
    problems += [f"assets: id {i!r} is used {n} times" for i, n in asset_ids.items() if n > 1]
    for asset in plan.assets:
        if asset.section_id not in section_ids:
            problems.append(f"assets.{asset.id}.section_id: no section has id {asset.section_id!r}")
        if asset.attributes.kind != asset.kind:
            problems.append(f"assets.{asset.id}: kind {asset.kind!r} but attributes of a {asset.attributes.kind}")
        if asset.kind == "chart" and not (asset.dataset and asset.dataset.rows and numeric_columns(asset.dataset)):
            problems.append(f"assets.{asset.id}.dataset: a chart needs a dataset with at least one numeric column")
    return problems


def prompt_table(dataset: Dataset, tables: list[Dataset]) -> Dataset:
    """The prompt's own table with the same columns, when there is one; else ``dataset``."""
    wanted = [c.strip().lower() for c in dataset.columns]
    for table in tables:
        if [c.strip().lower() for c in table.columns] == wanted:
            return table.model_copy(update={"title": dataset.title or table.title})
    return dataset


def normalise(plan: PagePlan, prompt: str) -> PagePlan:
    """Our paths, section asset lists that match the assets, and tables verbatim from the prompt."""
    tables = parse_markdown_tables(prompt)
    assets = [with_our_path(a) for a in plan.assets]
    if tables:
        assets = [a.model_copy(update={"dataset": prompt_table(a.dataset, tables)}) if a.dataset else a for a in assets]
    sections = [
        s.model_copy(update={"asset_ids": [a.id for a in assets if a.section_id == s.id]}) for s in plan.sections
    ]
    return plan.model_copy(update={"sections": sections, "assets": assets, "planner": "llm"})


def plan_page(prompt: str, client: RoleClient) -> PagePlan:
    """The page plan for ``prompt``; raises a ModelStepError when the model cannot give a usable one.

    The offline compile that places the prompt's quotes and reads its data runs while the model is answering.
    """
    messages = PROMPTS.messages("plan_page.md.j2", prompt=prompt)
    with ThreadPoolExecutor(max_workers=1) as pool:
        reference = pool.submit(compile_prompt, prompt)
        plan = client.complete_json("page plan", messages, PagePlan, check=plan_problems)
        offline = reference.result()
        plan = restore_missing_media(with_prompt_data(normalise(plan, prompt), offline, prompt), offline, prompt)
        return restore_missing_colours(restore_missing_copy(plan, offline, prompt), offline, prompt)
