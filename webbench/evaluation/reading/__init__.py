"""The evaluation's own prompt reader: what a design prompt asks for, read without any planner.

A judge must not read the prompt with the planner it judges (a misreading would be shared and
never penalised), so this package has its own rules, one job per module: ``prose`` (sentences),
``elements`` and ``counts`` (images, videos, charts), ``datasets`` and ``charts`` (data and which
chart draws it), ``quotes`` (title, headings, logo), ``sections`` (their order), ``theme``
(dark or light page); ``read`` puts them together.
"""

from webagent.webbench.evaluation.reading.contracts import PromptReading
from webagent.webbench.evaluation.reading.read import read_prompt

__all__ = ["PromptReading", "read_prompt"]
