"""Charts in the model's plan hold the user's numbers, or say that they do not.

A model that misreads inline data ("40 in 2019, 55 in 2020 …") charts numbers the user never gave, and
nothing downstream can tell. Each model chart whose numbers are not all in the prompt takes, in order, the
data of a chart the offline reading of the prompt found with the user's own numbers; with none left, its
dataset is marked illustrative, so the page and the build report say the numbers are not the user's.
"""

from __future__ import annotations

import logging
import re

from webagent.core.contracts import AssetSpec, Dataset, PagePlan
from webagent.core.datasets import numeric_columns

log = logging.getLogger(__name__)
NUMBER = re.compile(r"-?\d+(?:[.,]\d+)*")


def readings(token: str) -> set[float]:
    """What a written number may mean: '1,234' is 1234 or 1.234; '18,5' is 18.5; '2.400' is 2.4 or 2400."""
    found = set()
    for meaning in {token.replace(",", ""), token.replace(".", "").replace(",", "."), token.replace(",", ".")}:
        try:
            found.add(round(abs(float(meaning)), 6))
        except ValueError:
            continue
    return found


def numbers_in(text: str) -> set[float]:
    """Every number ``text`` writes, under each reading (signs aside: '−3' and '-3' are 3 here)."""
    return {value for token in NUMBER.findall(text) for value in readings(token)}


def from_prompt(dataset: Dataset, given: set[float]) -> bool:
    """Whether every number the dataset's numeric cells write ('8.1k', '$1,200', '18,5 %') is one the prompt
    writes; cells are compared as written, so a unit or a scale word is no difference."""
    columns = [dataset.columns.index(header) for header in numeric_columns(dataset)]
    tokens = [token for row in dataset.rows for k in columns for token in NUMBER.findall(row[k])]
    return bool(tokens) and all(readings(token) & given for token in tokens)


def with_prompt_data(plan: PagePlan, reference: PagePlan, prompt: str) -> PagePlan:
    """``plan`` whose charts hold the prompt's numbers: kept when they do, else the data of the reference's
    next unused chart drawn from the prompt, else marked illustrative."""
    given = numbers_in(prompt)
    spare = [
        a.dataset
        for a in reference.assets
        if a.kind == "chart" and a.dataset and not a.dataset.illustrative and from_prompt(a.dataset, given)
    ]
    spare = [d for d in spare if not any(a.dataset == d for a in plan.assets)]

    def checked(asset: AssetSpec) -> AssetSpec:
        if asset.kind != "chart" or asset.dataset is None or asset.dataset.illustrative:
            return asset
        if from_prompt(asset.dataset, given):
            return asset
        if spare:
            data = spare.pop(0)
            log.info("chart %s: the model's numbers are not the prompt's; charting the prompt's instead", asset.id)
            return asset.model_copy(update={"dataset": data.model_copy(update={"title": asset.dataset.title})})
        log.info("chart %s: the prompt gives no numbers for it; marked illustrative", asset.id)
        return asset.model_copy(update={"dataset": asset.dataset.model_copy(update={"illustrative": True})})

    return plan.model_copy(update={"assets": [checked(a) for a in plan.assets]})
