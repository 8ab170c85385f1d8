"""``read_prompt``: the evaluation's own reading of a design prompt, independent of any planner."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from webagent.core.contracts import Dataset
from webagent.webbench.evaluation.contracts import RequiredElement
from webagent.webbench.evaluation.metrics import hex_colours, quoted_strings
from webagent.webbench.evaluation.reading.charts import best_table
from webagent.webbench.evaluation.reading.contracts import PromptReading
from webagent.webbench.evaluation.reading.datasets import block_datasets, inline_series
from webagent.webbench.evaluation.reading.elements import ONE_OF_SET, REFERENCE, RESTATED, Mention, mentions
from webagent.webbench.evaluation.reading.prose import Sentence, sentences
from webagent.webbench.evaluation.reading.quotes import quote_roles, texts_with_role, title_of
from webagent.webbench.evaluation.reading.sections import section_order
from webagent.webbench.evaluation.reading.theme import page_theme

CHART_CONTEXT = 3  # a chart's sentence and the two after it say what it draws (then the one before: "… Bar chart.")
EACH_CONTEXT = 4  # "each card shows a portrait" counts the cards named in the four sentences before
RECENT = 2  # "the image is a soft photograph" restates one named this sentence or the two before
SET_RECENT = 10  # "the second tile has a thumbnail" is one of a set counted in the ten sentences before


def required_elements(prose: list[Sentence], tables: list[Dataset]) -> list[RequiredElement]:
    """Every image, video and chart asked for, one per counted element ("the video" counts one when no video
    came before); charts carry the data they draw."""
    required: list[RequiredElement] = []
    introduced: dict[str, int] = {}  # per kind, the last sentence that asked for one
    sets: dict[str, int] = {}  # per kind, the last sentence that asked for several
    taken: set[int] = set()
    series_taken: Counter[int] = Counter()  # per sentence (by position), the series earlier charts drew
    for position, sentence in enumerate(prose):
        around = [*range(position, min(len(prose), position + CHART_CONTEXT)), *range(max(0, position - 1), position)]
        context = [(index, prose[index]) for index in around]
        earlier = " ".join(before.text for before in prose[max(0, position - EACH_CONTEXT) : position])
        for mention in mentions(sentence, earlier):
            for _ in range(elements_asked(mention, introduced, sets, position)):
                dataset = chart_dataset(context, tables, taken, series_taken) if mention.kind == "chart" else None
                required.append(RequiredElement(kind=mention.kind, description=mention.description, dataset=dataset))
                introduced[mention.kind] = position
            if mention.count > 1:
                sets[mention.kind] = position
    return required


def elements_asked(mention: Mention, introduced: dict[str, int], sets: dict[str, int], position: int) -> int:
    """How many new elements a mention adds: a reference one when none of its kind came before, a restatement
    one when none came in the last ``RECENT`` sentences, one of a set one when no set came in the last
    ``SET_RECENT``, a count its number."""
    if mention.count == REFERENCE:
        return int(mention.kind not in introduced)
    if mention.count == RESTATED:
        return int(position - introduced.get(mention.kind, -RECENT - 1) > RECENT)
    if mention.count == ONE_OF_SET:
        return int(position - sets.get(mention.kind, -SET_RECENT - 1) > SET_RECENT)
    return mention.count


def chart_dataset(
    context: list[tuple[int, Sentence]], tables: list[Dataset], taken: set[int], series_taken: Counter[int]
) -> Dataset | None:
    """A series written beside the chart that no earlier chart drew ("a bar chart of sales: Mon 40, Tue 55, and a
    pie chart of orders" gives the pie chart nothing), else the best untaken table (then taken), else None."""
    for position, sentence in context:
        series = inline_series(sentence.text)
        if len(series) > series_taken[position]:
            series_taken[position] += 1
            return series[series_taken[position] - 1]
    own = context[0][1].text
    index = best_table(own, " ".join(sentence.text for _, sentence in context), tables, taken)
    if index is None:
        return None
    taken.add(index)
    return tables[index]


@lru_cache(maxsize=64)
def read_prompt(prompt: str) -> PromptReading:
    """What the prompt asks for, read by this package's rules (cached: a judge reads a prompt more than once)."""
    prose = sentences(prompt)
    tables = block_datasets(prompt)
    roles = quote_roles(prompt)
    return PromptReading(
        elements=required_elements(prose, tables),
        quotes=quoted_strings(prompt),
        title=title_of(roles),
        headings=texts_with_role(roles, "heading"),
        logos=texts_with_role(roles, "logo"),
        colours=hex_colours(prompt),
        datasets=tables + [series for sentence in prose for series in inline_series(sentence.text)],
        sections=section_order(prose, roles),
        theme=page_theme(prose),
    )
