"""Answers written the way real models write them are read without a repair call: a reasoning block first, a
preface and an afterword with braces, a ```css fence before the ```json one, keys in another case, numbers as
strings, null for an optional field, a three-digit hex colour, a key the schema does not have. What no coercion
fixes is still refused, with the reason a repair request will quote."""

from __future__ import annotations

import json

import pytest

from webagent.core.answers import DesignSystem
from webagent.core.contracts import ContentItem, DesignTokens, SectionLayout
from webagent.core.json_answers import coerced, json_candidates, without_reasoning
from webagent.core.llm import read_answer

LAYOUT = {"columns": 2, "align": "center", "media_side": "left"}


def test_a_reasoning_block_goes_whether_closed_or_not():
    assert without_reasoning('<think>the user wants {"a": 1}…</think>\n{"b": 2}') == '{"b": 2}'
    assert without_reasoning("<THINK>still thinking {") == ""


@pytest.mark.parametrize(
    "answer",
    [
        '<think>Let me plan. Columns: {two}. Maybe {"columns": 9}?</think>\n' + json.dumps(LAYOUT),
        "Here is the layout {as asked}:\n```json\n" + json.dumps(LAYOUT) + "\n```\nHope that helps {:}",
        "```css\n.a { color: red; }\n```\n\n```json\n" + json.dumps(LAYOUT) + "\n```",
        "Sure! " + json.dumps(LAYOUT) + " — note: {columns} may change.",
        '```\n{"reasoning": "centred reads calmer", ' + json.dumps(LAYOUT)[1:] + "\n```",
    ],
)
def test_the_object_that_validates_is_the_answer_whatever_surrounds_it(answer):
    value, errors = read_answer(answer, SectionLayout, None)
    assert errors == []
    assert (value.columns, value.align, value.media_side) == (2, "center", "left")


def test_a_brace_inside_a_string_does_not_end_the_object():
    answer = 'Plan: {"text": "Use {curly} braces } here", "role": "body"} and {"x": 1}'
    assert json_candidates(answer)[0] == '{"text": "Use {curly} braces } here", "role": "body"}'
    value, errors = read_answer(answer, ContentItem, None)
    assert errors == [] and value.text == "Use {curly} braces } here"


def test_coercions_are_made_and_each_is_noted():
    notes: list[str] = []
    data = coerced(
        {"Columns": "3", "ALIGN": "left", "media-side": "right", "split": None, "sticky": "", "reasoning": "why"},
        SectionLayout,
        notes,
    )
    assert data == {"columns": 3, "align": "left", "media_side": "right"}
    assert SectionLayout.model_validate(data).columns == 3
    assert any("reasoning: not in the schema" in note for note in notes)
    assert any("'3' read as a number" in note for note in notes)
    assert len(notes) == 7  # three keys renamed, one number, two left to defaults, one dropped


def test_short_hex_colours_in_nested_contracts_are_written_out():
    answer = {
        "palette": {
            "background": "#fff",
            "surface": "#F6F7F9",
            "text": "#111",
            "muted": "#70747D",
            "primary": "#25E",
            "secondary": "#7C3AED",
            "accent": "#F59E0B",
        },
        "fonts": {"heading": "Inter", "body": "Inter", "mono": "monospace"},
    }
    value, errors = read_answer(json.dumps(answer), DesignTokens, None)
    assert errors == []
    assert (value.palette.background, value.palette.text, value.palette.primary) == ("#FFFFFF", "#111111", "#2255EE")


def test_what_no_coercion_fixes_is_refused_with_its_reason():
    value, errors = read_answer('<think>…</think>{"components": "btn"}', DesignSystem, None)
    assert value is None
    assert any(error.startswith("css:") for error in errors) and any(e.startswith("components:") for e in errors)
    value, errors = read_answer("<think>I will answer {soon}</think>", SectionLayout, None)
    assert value is None and errors


def test_a_hashtag_in_copy_is_not_read_as_a_colour():
    value, errors = read_answer('{"text": "#bad", "role": "tag"}', ContentItem, None)
    assert errors == [] and value.text == "#bad"
