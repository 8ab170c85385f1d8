"""What the evaluation's own prompt reader finds in a design prompt: the result contract."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from webagent.core.contracts import Contract, Dataset
from webagent.webbench.evaluation.contracts import RequiredElement
from webagent.webbench.evaluation.metrics import normalise

Theme = Literal["dark", "light"]


class PromptReading(Contract):
    """A design prompt as the judge reads it, independently of any planner."""

    elements: list[RequiredElement] = Field(default_factory=list, description="images, videos and charts, in order")
    quotes: list[str] = Field(default_factory=list, description="every quoted string, in order")
    title: str = Field("", description="the quoted page title, '' when none is quoted")
    headings: list[str] = Field(default_factory=list, description="quoted headings, headlines and section titles")
    logos: list[str] = Field(default_factory=list, description="quoted logo or wordmark texts")
    colours: list[str] = Field(default_factory=list, description="hex colours as #RRGGBB")
    datasets: list[Dataset] = Field(default_factory=list, description="every table or series of numbers given")
    sections: list[str] = Field(default_factory=list, description="the sections the prompt names, in order")
    theme: Theme | None = Field(None, description="the page's asked-for brightness; None when unsaid")

    def critical_text(self) -> set[str]:
        """The title, headings and logo texts, normalised: the quotes a page must not lose."""
        return {normalise(text) for text in [self.title, *self.headings, *self.logos] if text}

    def wants_dark(self) -> bool | None:
        """True for a dark page, False for a light one, None when the prompt does not say."""
        return None if self.theme is None else self.theme == "dark"
