"""The images, videos and charts a design prompt asks for, as the judge model reads them (datasets copied verbatim).

The static judge reads them with ``webagent.webbench.evaluation.reading`` instead, never with a planner."""

from __future__ import annotations

from webagent.core.llm import Check, RoleClient
from webagent.webbench.evaluation.contracts import RequiredElement, RequiredElements
from webagent.webbench.evaluation.judge.messages import PROMPTS


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
            problems += [
                f"elements[{number}].dataset cell {cell!r} is not in the prompt: copy the data verbatim"
                for row in element.dataset.rows
                for cell in row
                if squeezed(cell) not in haystack
            ]
        return problems

    return check


def required_from_model(client: RoleClient, prompt: str) -> list[RequiredElement]:
    """The judge model's list of the prompt's images, videos and charts (datasets copied verbatim)."""
    messages = PROMPTS.messages("required.md.j2", prompt=prompt)
    return client.complete_json(
        "required elements", messages, RequiredElements, check=verbatim_problems(prompt)
    ).elements
