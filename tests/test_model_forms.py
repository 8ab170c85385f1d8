"""Forms a model writes keep their look but cannot submit: the page's policy forbids sending form data, so a
submission would only be a refusal on the console. Pressing every button and Enter in every field of a built
page leaves the console empty and the page where it was."""

from __future__ import annotations

from typing import Any

import pytest

from tests.model_server import ScriptedServer
from tests.scripted_model import ScriptedDesigner
from webagent.core.config import Settings
from webagent.core.render import serve_folder
from webagent.engine.build import build
from webagent.planners.offline import compile_prompt

PROMPT = 'A page for "Crumb" bakery: a hero with the headline "Baked at dawn", then a newsletter sign-up.'
FORMS = (
    '<form action="https://collect.example/signup" method="post" class="signup">'
    '<label>Email <input type="email" name="email" required></label>'
    '<button class="join">Join</button><input type="submit" value="Send"><input type="image" alt="Go"></form>'
    '<form class="search"><input type="search" name="q" placeholder="Search loaves"></form>'
    '<button form="elsewhere" formaction="https://collect.example/x">Outside</button>'
)
PRESS_EVERYTHING_JS = """
async () => {
  const errors = [];
  const before = location.href;
  for (const el of document.querySelectorAll('button, input')) {
    if (el.offsetParent === null) continue;  // hidden: nobody can press it
    if (el.matches('button, input[type=button], input[type=submit], input[type=image]')) el.click();
    else { el.focus(); el.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true})); }
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  return {
    moved: location.href !== before,
    forms: document.querySelectorAll('form').length,
    fields: document.querySelectorAll('input[type=email], input[type=search]').length,
    shown: Array.from(document.querySelectorAll('button.join, input[value=Send]')).map((el) => el.offsetWidth > 0),
  };
}
"""


class FormWriter(ScriptedDesigner):
    """Writes the scripted sections with two forms and a stray form button added to each."""

    def section_code(self, text: str) -> dict:
        answer = super().section_code(text)
        return {**answer, "html": answer["html"].replace("</div></section>", f"{FORMS}</div></section>")}


@pytest.mark.browser
def test_model_written_forms_cannot_submit_and_the_console_stays_empty(tmp_path, browser_session):
    designer = FormWriter()
    designer.plan = compile_prompt(PROMPT)
    with ScriptedServer(designer) as server:
        settings = Settings(base_url=server.url, api_key="sk-test-forms", reflection_rounds=0, planner="offline")
        result = build(PROMPT, tmp_path / "page", settings, browser=browser_session)
    assert result.record.health.console_errors == []
    html = (result.out_dir / "index.html").read_text(encoding="utf-8")
    assert "collect.example" not in html and 'type="submit"' in html  # only the hidden, disabled default buttons

    def press(browser: Any) -> tuple[dict, list[str]]:
        console: list[str] = []
        with serve_folder(result.out_dir) as origin:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.on("console", lambda message: message.type == "error" and console.append(message.text))
            page.on("response", lambda r: r.status >= 400 and console.append(r.url))
            try:
                page.goto(f"{origin}/index.html")
                page.wait_for_timeout(300)
                for field in page.locator("input[type=email], input[type=search]").all():
                    field.press("Enter", timeout=5000)  # a real key press: implicit submission
                return page.evaluate(PRESS_EVERYTHING_JS), console
            finally:
                page.close()

    seen, console = browser_session.call(press)
    sections = len(designer.plan.sections)
    assert console == [], console
    assert seen["moved"] is False
    assert seen["forms"] == 2 * sections and seen["fields"] == 2 * sections
    assert seen["shown"] and all(seen["shown"])
