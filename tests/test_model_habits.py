"""Real models' habits, one at a time and all at once: every JSON answer of the scripted designer is written the
way reasoning models served by Ollama, vLLM or llama.cpp write theirs — a ``<think>`` block (or a separate
``reasoning_content`` field), a preface and an afterword with braces, a ```css fence before the ```json one, a
``reasoning`` key the schema lacks, capitalised keys, numbers as strings, three-digit hex colours, a JavaScript
function as a chart label's formatter, sections hidden until a (stripped) script reveals them on scroll. A build
through the real client reads each answer at once: no step falls back, and no repair request is spent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest

from tests.model_server import Reply, ScriptedServer
from tests.pagecheck import evaluate_on_page
from tests.scripted_model import ScriptedDesigner
from tests.test_llm_build import PROMPT, model_settings, run_record
from webagent.engine.build import build

pytestmark = pytest.mark.browser


def think(content: str) -> str:
    return f'<think>The user wants a page. Maybe {{"title": "draft"}}? Let me check {{everything}}.</think>\n{content}'


def preface(content: str) -> str:
    return f"Sure! Here is the answer {{as asked}}:\n{content}\nLet me know {{if}} anything should change."


def css_fence(content: str) -> str:
    return f"A style idea first:\n```css\n.hero {{ color: red; }}\n```\nThe answer:\n```json\n{content}\n```"


def extra_key(content: str) -> str:
    data = json.loads(content)
    return json.dumps({"reasoning": "Chosen to match the prompt {closely}.", **data})


def capitalised_keys(content: str) -> str:
    return json.dumps({key[:1].upper() + key[1:]: value for key, value in json.loads(content).items()})


def string_numbers(content: str) -> str:
    def quoted(value):
        if isinstance(value, dict):
            return {k: quoted(v) for k, v in value.items()}
        if isinstance(value, list):
            return [quoted(v) for v in value]
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    return json.dumps(quoted(json.loads(content)))


def function_formatter(content: str) -> str:
    data = json.loads(content)
    if isinstance(data.get("option"), dict):
        for series in data["option"].get("series", []):
            series["label"] = {"show": True, "formatter": "function (p) { return p.value + ' tins'; }"}
    return json.dumps(data)


def reveal_on_scroll(content: str) -> str:
    data = json.loads(content)
    if isinstance(data.get("html"), str) and "</section>" in data["html"]:
        opened = re.sub(r"(<section\b[^>]*>)", r'\1<div class="reveal">', data["html"], count=1)
        data["html"] = opened.replace("</section>", '</div><script>observe(".reveal", "is-visible")</script></section>')
        data["css"] = data.get("css", "") + (
            "\n.reveal { opacity: 0; transform: translateY(24px); transition: opacity .6s; }"
            "\n.reveal.is-visible { opacity: 1; transform: none; }"
        )
    return json.dumps(data)


def short_hex(content: str) -> str:
    return re.sub(r'"#([0-9A-Fa-f])\1([0-9A-Fa-f])\2([0-9A-Fa-f])\3"', r'"#\1\2\3"', content)


# Habits of the JSON itself first, then of the text around it (all of them apply in this order).
HABITS: dict[str, Callable[[str], str]] = {
    "extra_key": extra_key,
    "capitalised_keys": capitalised_keys,
    "string_numbers": string_numbers,
    "short_hex": short_hex,
    "function_formatter": function_formatter,
    "reveal_on_scroll": reveal_on_scroll,
    "css_fence": css_fence,
    "preface": preface,
    "think": think,
}


class Habitual(ScriptedDesigner):
    """The scripted designer, answering with ``habits`` (applied in order) and a separate reasoning field."""

    def __init__(self, habits: list[str]) -> None:
        super().__init__()
        self.habits = habits
        self.dressed = 0

    def __call__(self, seen) -> Reply:
        reply = super().__call__(seen)
        if "/chat/completions" not in seen.path or not isinstance(reply.body, dict):
            return reply
        message = reply.body["choices"][0]["message"]
        content = message["content"]
        for habit in self.habits:
            content = HABITS[habit](content)
        self.dressed += content != message["content"]
        message["content"] = content
        message["reasoning_content"] = "Thinking about {the} layout first."
        return reply


@pytest.mark.parametrize("habits", [[name] for name in HABITS] + [list(HABITS)], ids=[*HABITS, "all"])
def test_answers_in_every_habit_are_read_without_a_repair_or_a_fallback(habits, tmp_path, browser_session):
    designer = Habitual(habits)
    with ScriptedServer(designer) as server:
        result = build(PROMPT, tmp_path / "page", model_settings(server), browser=browser_session)
    record = run_record(result.out_dir)
    assert designer.dressed > 0
    assert record.warnings == [] and result.plan.planner == "llm"
    assert [c.step for c in record.model_calls if c.outcome != "ok"] == []
    charts = [json.loads(p.read_text()) for p in (result.out_dir / "assets").glob("*.json")]
    assert charts and not any("function" in json.dumps(option) for option in charts)  # code never reaches a chart
    hidden = evaluate_on_page(browser_session, result.out_dir, TRANSPARENT)
    assert hidden == []  # nothing waits, invisible, for a script that was stripped


TRANSPARENT = """() => Array.from(document.querySelectorAll('section *')).filter((el) =>
  el.textContent.trim() && getComputedStyle(el).opacity === '0').map((el) => el.className || el.tagName)"""
