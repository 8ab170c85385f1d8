"""Offline copy is about the prompt's subject: its name, kind and place come from the prompt, and pages about
different subjects share no invented sentence. The prompts are the test's own; sentences are compared as a
reader would see them (split at full stops, 30 characters or more)."""

from __future__ import annotations

import itertools
import re

import pytest

from webagent.planners.offline import compile_prompt
from webagent.planners.offline.subject import read_subject

SHORT_PROMPTS = [
    "A landing page for Crux, a climbing gym in Sheffield",
    "Landing page for Lotus Room, a yoga studio in Bristol",
    "A website for Hearth & Rye, a bakery in York",
    "One-page site for Saltmarsh, a seafood restaurant in Whitstable",
    "Homepage for Meridian, a travel company in Porto",
    "A page for Fieldnote, an app for birdwatchers",
    "Portfolio for Ines Aubry, a photographer in Lyon",
    "A site for Tidewater Rowing Club in Cork",
    "A website for Quill & Ledger, a bookkeeping firm in Leeds",
    "Página para la panadería La Espiga de Triana, en Sevilla",
    "Site pour la boulangerie Le Fournil, à Lille",
]
MIN_SENTENCE_CHARS = 30


def sentences(prompt: str) -> set[str]:
    """The plan's sentences of 30 characters or more that the prompt does not contain."""
    plan = compile_prompt(prompt)
    text = "\n".join(item.text for section in plan.sections for item in section.content)
    found = {s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text)}
    return {s for s in found if len(s) >= MIN_SENTENCE_CHARS and s.lower() not in prompt.lower()}


def test_pages_about_different_subjects_share_no_invented_sentence():
    written = {prompt: sentences(prompt) for prompt in SHORT_PROMPTS}
    assert all(written.values()), "every page has copy of its own"
    for first, second in itertools.combinations(SHORT_PROMPTS, 2):
        shared = written[first] & written[second]
        assert not shared, (first, second, shared)


def test_a_gym_and_a_yoga_studio_are_written_about_what_they_are():
    climbing = " ".join(sentences(SHORT_PROMPTS[0]))
    yoga = " ".join(sentences(SHORT_PROMPTS[1]))
    assert "climbing" in climbing and "Crux" in climbing and "Sheffield" in climbing
    assert "yoga" in yoga and "Lotus Room" in yoga and "yoga" not in climbing


@pytest.mark.parametrize(
    ("prompt", "name", "kind", "place"),
    [
        (
            "Landing page for Granite & Chalk, a bouldering gym in Leeds, with a photo",
            "Granite & Chalk",
            "bouldering gym",
            "Leeds",
        ),
        ("A landing page for a climbing gym called Crux in Sheffield", "Crux", "climbing gym", "Sheffield"),
        ("Página para la panadería La Espiga de Triana, en Sevilla", "La Espiga de Triana", "panadería", "Sevilla"),
        ("Webseite für die Imkerei Sonnenwabe in Freiburg", "Sonnenwabe", "Imkerei", "Freiburg"),
        ("Make a page for the Ostrava Chess Club with a line chart of members", "Ostrava Chess Club", "", ""),
        ("Landing page for a yoga studio in Bristol", "Bristol Yoga Studio", "yoga studio", "Bristol"),
        ("a landing page for a gym", "", "gym", ""),
        ("Website voor kaasboerderij De Groene Weide bij Gouda", "De Groene Weide", "kaasboerderij", "Gouda"),
        ("Event page for Night Market: a line chart of Saturday visitors", "Night Market", "", ""),
    ],
)
def test_the_subject_is_read_from_the_prompts_words(prompt, name, kind, place):
    from webagent.planners.offline.scenes import find_name

    subject = read_subject(prompt, find_name(prompt))
    assert (subject.name, subject.kind, subject.place) == (name, kind, place)


def test_a_translated_page_names_its_subject_and_place_in_its_language():
    text = " ".join(sentences(SHORT_PROMPTS[9]))
    assert "La Espiga de Triana" in text and "en Sevilla" in text


def test_a_bar_chart_alone_does_not_make_a_solar_installer_a_restaurant():
    plan = compile_prompt("Homepage for Bright Ridge Solar, installers in Boulder, with a bar chart of roofs fitted")
    copy = " ".join(item.text for section in plan.sections for item in section.content).lower()
    assert not re.search(r"\b(?:wine|menu|dishes|plate)\b", copy), copy
