"""Charts in the model's plan hold the user's numbers, or say that they do not.

A model that misreads inline data ("40 in 2019, 55 in 2020 …", "Q1 1.2k") charts numbers the user never
gave, and nothing downstream can tell. Each model chart whose numbers are not all values the prompt writes,
or are some but not exactly the numbers of a chart the offline reading of the prompt found, takes, in order,
the data of such a found chart; with none left, its dataset is marked illustrative, so the page and the
build report say the numbers are not the user's.
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


def value_tokens(dataset: Dataset) -> list[str]:
    """The numbers the dataset's numeric cells write, as written ('8.1k' → '8.1', '$1,200' → '1,200')."""
    columns = [dataset.columns.index(header) for header in numeric_columns(dataset)]
    return [token for row in dataset.rows for k in columns for token in NUMBER.findall(row[k])]


def label_numbers(dataset: Dataset) -> set[float]:
    """The numbers in the dataset's label column ('2019', 'Q3')."""
    return {value for row in dataset.rows if row for value in numbers_in(row[0])}


def from_prompt(dataset: Dataset, given: set[float], labels: frozenset[float] = frozenset()) -> bool:
    """Whether every number the dataset would chart is one the prompt writes, and none is one the prompt
    writes only as a label (a year charted as a value: "40 in 2019" misread). Cells are compared as
    written, so a unit or a scale word is no difference."""
    tokens = value_tokens(dataset)
    return bool(tokens) and all(readings(t) & given and not readings(t) <= labels for t in tokens)


def values_key(dataset: Dataset) -> list[float]:
    return sorted(min(readings(token)) for token in value_tokens(dataset))


def with_prompt_data(plan: PagePlan, reference: PagePlan, prompt: str) -> PagePlan:
    """``plan`` whose charts hold the prompt's numbers: kept when they do, else the data of the next chart the
    offline reading found with the prompt's numbers (``reference``) that no kept chart shows, else marked
    illustrative."""
    given = numbers_in(prompt)
    found = [
        a.dataset
        for a in reference.assets
        if a.kind == "chart" and a.dataset and not a.dataset.illustrative and from_prompt(a.dataset, given)
    ]
    values = {value for dataset in found for token in value_tokens(dataset) for value in readings(token)}
    labels = frozenset({value for dataset in found for value in label_numbers(dataset)} - values)
    charts = [a for a in plan.assets if a.kind == "chart" and a.dataset and not a.dataset.illustrative]
    keys = [values_key(dataset) for dataset in found]

    def misread(dataset: Dataset) -> bool:
        """Numbers the prompt does not give as values, or some of a found chart's numbers but not exactly them
        (a scale word dropped, a stray number added)."""
        key = values_key(dataset)
        partial = any(set(key) & set(other) and key != other for other in keys) and key not in keys
        return partial or not from_prompt(dataset, given, labels)

    wrong = {a.id for a in charts if a.dataset and misread(a.dataset)}
    shown = [values_key(a.dataset) for a in charts if a.id not in wrong and a.dataset]
    spare = [dataset for dataset in found if values_key(dataset) not in shown]

    def checked(asset: AssetSpec) -> AssetSpec:
        if asset.id not in wrong or asset.dataset is None:
            return asset
        if spare:
            data = spare.pop(0)
            log.info("chart %s: the model's numbers are not the prompt's; charting the prompt's instead", asset.id)
            return asset.model_copy(update={"dataset": data.model_copy(update={"title": asset.dataset.title})})
        log.info("chart %s: the prompt gives no numbers for it; marked illustrative", asset.id)
        return asset.model_copy(update={"dataset": asset.dataset.model_copy(update={"illustrative": True})})

    return plan.model_copy(update={"assets": [checked(a) for a in plan.assets]})
