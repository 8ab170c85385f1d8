"""Prompt text cleaned on the way in: control characters (NUL, escape, …) go, line breaks and tabs stay.

One function for every door a prompt comes through (``check_prompt``: the CLI, the app, bench builds).
"""

from __future__ import annotations

import re

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_prompt_text(text: str) -> tuple[str, str]:
    """``text`` without control characters other than newlines, carriage returns and tabs, and a one-line
    warning saying how many went ('' when none did)."""
    cleaned, removed = CONTROL.subn("", text)
    if not removed:
        return text, ""
    return cleaned, f"prompt: {removed} control character{'s' if removed > 1 else ''} (NUL and the like) removed"
