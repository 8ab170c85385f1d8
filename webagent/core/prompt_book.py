"""Prompt templates: Jinja2 files next to the code that sends them, rendered to chat messages.

A template's text up to a line ``--- user ---`` is the system message; the rest is the user
message. Templates get plain values (JSON text, strings, numbers), never live objects.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

USER_MARKER = "--- user ---"


class PromptBook:
    """The prompt templates of one folder."""

    def __init__(self, folder: Path) -> None:
        self.env = Environment(
            loader=FileSystemLoader(folder),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            autoescape=False,
        )

    def text(self, name: str, **values: object) -> str:
        return self.env.get_template(name).render(**values).strip()

    def messages(self, name: str, **values: object) -> list[dict[str, str]]:
        """System and user messages from template ``name``."""
        system, marker, user = self.text(name, **values).partition(USER_MARKER)
        if not marker:
            return [{"role": "user", "content": system.strip()}]
        return [{"role": "system", "content": system.strip()}, {"role": "user", "content": user.strip()}]
