"""Prompt text on the way in: control characters (NUL, escape, …) go, line breaks and tabs stay; and the
part of a long prompt that every stage reads.

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


# Real design prompts are 5–20 KB. Every stage (planner, coder, critic, judge) reads the same opening of a longer
# prompt, so no stage judges text another never read, and a megabyte prompt costs what 200 000 characters cost.
READ_CHARS = 200_000
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
TABLE_RULE = re.compile(r"^[\s|:-]+$")  # a markdown table's |---|:--:| line


def read_part(text: str) -> str:
    """The part of ``text`` a build reads: all of it up to ``READ_CHARS`` characters, else its opening cut at
    the last paragraph break in the second half of that length, else at the last line break, else at the limit."""
    if len(text) <= READ_CHARS:
        return text
    for mark in ("\n\n", "\n"):
        cut = text.rfind(mark, READ_CHARS // 2, READ_CHARS)
        if cut > 0:
            return text[:cut]
    return text[:READ_CHARS]


def unread_part(text: str) -> tuple[str, int]:
    """A one-line warning when a build reads only part of ``text`` ('' otherwise), and how many markdown table
    data rows are in the part it leaves out."""
    kept = read_part(text)
    if len(kept) == len(text):
        return "", 0
    rest = text[len(kept) :].split("\n")
    rules = [bool(TABLE_RULE.match(line)) for line in rest] + [False]
    # a data row: a table line that is no |---| rule and no header (a header is the line above a rule)
    rows = sum(bool(TABLE_ROW.match(line)) and not rules[i] and not rules[i + 1] for i, line in enumerate(rest))
    warning = (
        f"prompt: {len(text):,} characters; the build reads the first {len(kept):,} "
        f"and leaves out the other {len(text) - len(kept):,}"
    )
    return warning, rows
