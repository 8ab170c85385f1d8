"""The images, videos and charts a design prompt asks for: from the judge model, or from the offline planner."""

from __future__ import annotations

from functools import lru_cache

from planners.offline import compile_prompt
from webagent.llm import Check, RoleClient
from webagent.state import PagePlan, RequiredElement, RequiredElements
from webbench.judge.messages import PROMPTS


@lru_cache(maxsize=32)
def offline_plan(prompt: str) -> PagePlan:
    """The offline planner's reading of ``prompt`` (cached: the static judge reads it more than once)."""
    return compile_prompt(prompt)


def required_from_plan(prompt: str) -> list[RequiredElement]:
    """The offline planner's elements, as required elements (kind, what it shows, its dataset)."""
    return [RequiredElement(kind=asset.kind, description=asset.prompt, dataset=asset.dataset)
            for asset in offline_plan(prompt).assets]


def squeezed(text: str) -> str:
    return " ".join(text.casefold().split())


def verbatim_problems(prompt: str) -> Check:
    """A check for the model's answer: every dataset cell must be written in the prompt."""
    haystack = squeezed(prompt)

    def check(answer: RequiredElements) -> list[str]:
        problems = []
        for number, element in enumerate(answer.elements):
            if element.dataset is None:
                continue
            if element.kind != "chart":
                problems.append(f"elements[{number}] is a {element.kind}: only charts have a dataset")
            problems += [f"elements[{number}].dataset cell {cell!r} is not in the prompt: copy the data verbatim"
                         for row in element.dataset.rows for cell in row if squeezed(cell) not in haystack]
        return problems

    return check


def required_from_model(client: RoleClient, prompt: str) -> list[RequiredElement]:
    """The judge model's list of the prompt's images, videos and charts (datasets copied verbatim)."""
    messages = PROMPTS.messages("required.md.j2", prompt=prompt)
    return client.complete_json("required elements", messages, RequiredElements,
                                check=verbatim_problems(prompt)).elements
