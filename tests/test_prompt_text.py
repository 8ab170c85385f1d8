"""Prompt text is cleaned on the way in: NUL and other control characters go (with a warning in run.json), line
breaks and tabs stay, and a prompt of nothing but control characters is empty."""

from __future__ import annotations

import json

import pytest

from webagent.core.config import Settings
from webagent.core.errors import BadPromptError
from webagent.core.prompt_text import clean_prompt_text
from webagent.engine.build import build, check_prompt


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
