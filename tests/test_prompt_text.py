"""Prompt text is cleaned on the way in: NUL and other control characters go (with a warning in run.json), line
breaks and tabs stay, and a prompt of nothing but control characters is empty. A prompt longer than the part
every stage reads is read in part, with a warning, and the table rows left out are counted in the build report."""

from __future__ import annotations

import json

import pytest

from webagent.core.config import Settings
from webagent.core.errors import BadPromptError
from webagent.core.prompt_text import READ_CHARS, clean_prompt_text, read_part, unread_part
from webagent.engine.build import build, check_prompt
from webagent.webbench.bench.runner import score_page


def test_control_characters_go_and_line_breaks_and_tabs_stay():
    text, warning = clean_prompt_text('A page\x00 for "Crumb\x1b & Co."\r\n\tWith a menu.\x7f')
    assert text == 'A page for "Crumb & Co."\r\n\tWith a menu.'
    assert warning == "prompt: 3 control characters (NUL and the like) removed"
    assert clean_prompt_text("plain text\n") == ("plain text\n", "")


def test_a_prompt_of_control_characters_only_is_empty():
    with pytest.raises(BadPromptError, match="the prompt is empty"):
        check_prompt("\x00\x00 \x01", Settings())


@pytest.mark.browser
def test_a_prompt_with_nul_bytes_builds_a_clean_page_and_says_so(tmp_path, browser_session):
    prompt = 'A landing page for a bakery called "Crumb\x00 & Co." with the headline "Baked\x00 at dawn".'
    result = build(prompt, tmp_path / "page", Settings(reflection_rounds=0), browser=browser_session)
    html = (result.out_dir / "index.html").read_text(encoding="utf-8")
    assert "\x00" not in html and "Baked at dawn" in html
    assert "\x00" not in (result.out_dir / "prompt.txt").read_text(encoding="utf-8")
    warnings = json.loads((result.out_dir / "run.json").read_text())["warnings"]
    assert "prompt: 2 control characters (NUL and the like) removed" in warnings


def test_a_long_prompt_is_read_to_a_paragraph_or_line_end_and_the_unread_table_rows_are_counted():
    paragraphs = [f"Section {n}: “Heading {n}” and a line of copy." for n in range(READ_CHARS // 40)]
    text = "\n\n".join(paragraphs)
    kept = read_part(text)
    assert READ_CHARS // 2 < len(kept) <= READ_CHARS and text[len(kept) : len(kept) + 2] == "\n\n"
    assert read_part(kept) == kept and read_part("short") == "short"
    table = "Sales by day:\n| Day | Sales |\n|---|:--:|\n" + "\n".join(f"| Day {n} | {n % 50} |" for n in range(20_000))
    kept = read_part(table)
    assert kept.endswith("|") and table[len(kept)] == "\n"  # a cut inside a table falls between rows
    warning, rows = unread_part(table)
    assert rows == table.count("\n| Day ") - kept.count("\n| Day ") and rows > 5_000
    assert (
        warning
        == f"prompt: {len(table):,} characters; the build reads the first {len(kept):,} and leaves out the other {len(table) - len(kept):,}"
    )
    assert unread_part("| a | b |\n|---|---|\n| 1 | 2 |") == ("", 0)


@pytest.mark.browser
def test_every_stage_reads_the_same_part_of_a_long_prompt_and_the_report_counts_the_rows_left_out(
    tmp_path, browser_session
):
    """Headings past the part the planner reads are not judged missing (no restore fixes for text no stage
    planned), and the rows of a table past it are one shortfall with their count."""
    sections = "\n\n".join(f"Section {n}: the heading “Shelf {n}” over a line of copy." for n in range(4000))
    rows = "\n".join(f"| Day {n} | {n % 90} |" for n in range(3000))
    prompt = f"A page titled “Long Shelf”.\n\n{sections}\n\nA bar chart of sales by day:\n\n| Day | Sales |\n|---|---|\n{rows}"
    assert len(prompt) > READ_CHARS
    result = build(prompt, tmp_path / "page", Settings(reflection_rounds=1), browser=browser_session)
    record = result.record
    assert f"prompt: {len(prompt):,} characters; the build reads the first" in record.warnings[0]
    assert [s.detail for s in record.shortfalls if s.kind == "truncated_data"] == [
        f"3,000 table rows of the prompt lie past the first {READ_CHARS:,} characters the build reads, and were left out"
    ]
    assert not [fix for r in record.rounds for fix in r.fixes]
    evaluation = json.loads(next((result.out_dir / "rounds").glob("*/evaluation.json")).read_text())
    assert evaluation["metrics"]["text_recall"] == 1.0
    # `webagent eval` reads prompt.txt (the whole prompt) and judges the same part the build read
    assert (result.out_dir / "prompt.txt").read_text(encoding="utf-8") == prompt
    _, scored = score_page(prompt, "long", result.out_dir, tmp_path / "eval", "static", Settings(), browser_session)
    assert scored.metrics.text_recall == 1.0, scored.metrics.details["text_recall"][:3]
