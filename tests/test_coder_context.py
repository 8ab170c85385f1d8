"""What the coder model is told: the user's words about the page's look reach the design-system writer, and
each section writer gets its section's part of the prompt, the tokens, a summary of the built-in stylesheet
and its neighbours' headings; the chart writer is told the ECharts version the page really loads.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.model_server import ScriptedServer
from tests.scripted_model import ScriptedDesigner, request_text
from webagent.core.answers import DesignSystem
from webagent.core.config import Settings
from webagent.core.contracts import SectionPlan
from webagent.core.llm import ModelHub
from webagent.generators.section import llm
from webagent.generators.section.context import section_part, style_description
from webagent.planners.offline import compile_prompt

PROMPT = """A landing page for "Kiln & Co", a pottery studio.
Palette: clay #B5651D as primary, sage #9CAF88 as secondary for highlights only, cream #FFF8EE background.
Headings in a bold geometric sans, body text in a humanist serif.

Hero: the headline "Made by hand, fired with care" beside a photo of a potter at the wheel.

Classes: three cards offset in a staggered column, "Wheel basics", "Glazing night" and "Family clay day".

Footer with the address "12 Quay Lane, Bristol".
"""
VENDORED = Path(__file__).parent.parent / "webagent" / "core" / "vendor" / "echarts.min.js"


@pytest.fixture()
def designer_server():
    designer = ScriptedDesigner()
    designer.plan = compile_prompt(PROMPT)
    with ScriptedServer(designer) as server:
        yield designer, server


def coder(server: ScriptedServer) -> ModelHub:
    return ModelHub(Settings(base_url=server.url, model="scripted", model_retries=0))


def test_the_design_system_writer_reads_the_prompts_words_about_the_look(designer_server):
    designer, server = designer_server
    hub = coder(server)
    try:
        llm.design_system(designer.plan, PROMPT, hub.client("coder"))
    finally:
        hub.close()
    (request,) = server.seen("/chat/completions", step="DesignSystem")
    text = request_text(request)
    assert "sage #9CAF88 as secondary for highlights only" in text
    assert "Headings in a bold geometric sans, body text in a humanist serif." in text
    assert "12 Quay Lane" not in text  # the footer's copy is not about the look
    assert "max-width: 26ch" in text  # the built-in stylesheet's behaviour, not only its class names


def test_each_section_writer_gets_its_part_of_the_prompt_its_neighbours_and_the_tokens(designer_server):
    designer, server = designer_server
    plan = designer.plan
    position = next(i for i, s in enumerate(plan.sections) if s.title == "Classes")
    section = plan.sections[position]
    hub = coder(server)
    try:
        llm.section_code(
            section, plan.assets_of(section.id), plan, DesignSystem(css=""), position, PROMPT, hub.client("coder")
        )
    finally:
        hub.close()
    (request,) = server.seen("/chat/completions", step="SectionCode")
    text = request_text(request)
    assert "three cards offset in a staggered column" in text
    assert "12 Quay Lane, Bristol" not in text.split("Its plan (JSON)")[0]  # another section's part stays out
    before, after = plan.sections[position - 1], plan.sections[position + 1]
    assert f"the section before it is {before.title or before.id}" in text
    assert f"the one after it is {after.title or after.id}" in text
    assert '"primary":"#B5651D"' in text.replace(" ", "")  # the tokens themselves, not only variable names
    assert "secondary for highlights only" in text


def test_a_section_without_a_brief_gets_the_prompts_sentences_naming_it():
    section = SectionPlan(id="classes", role="features", title="Our classes")
    part = section_part(section, PROMPT)
    assert part.startswith("Classes: three cards offset in a staggered column")
    assert "Quay Lane" not in part and "#B5651D" not in part
    briefed = section.model_copy(update={"brief": "Three cards, staggered."})
    assert section_part(briefed, PROMPT) == "Three cards, staggered."
    assert section_part(SectionPlan(id="x", role="custom", title="FAQ"), PROMPT) == ""  # no word to match


def test_style_description_keeps_sentences_about_the_look_in_any_language():
    spanish = (
        'Una web para "Café Lumbre". Colores: terracota #C0562F y fondo crema. El menú lista "Cortado" y "Tostada".'
    )
    assert style_description(spanish) == "Colores: terracota #C0562F y fondo crema."
    assert style_description("A page for a bakery that sells bread.") == ""


def test_the_chart_prompt_names_the_echarts_version_the_page_loads():
    major = re.search(r'version:"(\d+)\.', VENDORED.read_text(encoding="utf-8")).group(1)
    template = (Path(llm.__file__).parent.parent / "chart" / "prompts" / "chart_option.md.j2").read_text()
    assert f"Apache ECharts {major} options" in template
