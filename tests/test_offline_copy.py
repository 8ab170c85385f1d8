"""Offline copy is about the prompt's subject: its name, kind and place come from the prompt, and pages about
different subjects share no invented sentence. The prompts are the test's own; sentences are compared as a
reader would see them (split at full stops, 30 characters or more)."""

from __future__ import annotations

import itertools
import re

import pytest

from webagent.planners.offline import compile_prompt
from webagent.planners.offline.described import described_line
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


DESCRIBED_PROMPT = (
    "Design a landing page for “Harbour Lights Ferry”, a small passenger ferry between Oban and the isle of "
    "Kerrera.\n\nThe hero shows the headline “Cross the Sound in Ten Minutes” beside a photo of the ferry.\n\n"
    "A timetable section titled “Sailing Times” lists the crossings every half hour from 8am to 6pm.\n\n"
    "A section titled “On Board” plays a short looping video of passengers watching seals.\n\n"
    "A contact section titled “Find the Pier” gives the address on Gallanach Road and the ferry's phone number."
)


def test_sections_the_prompt_describes_without_quoting_copy_say_what_they_tell():
    plan = compile_prompt(DESCRIBED_PROMPT)
    by_title = {section.title: [(item.role, item.text) for item in section.content] for section in plan.sections}
    assert {"Sailing Times", "On Board", "Find the Pier"} <= by_title.keys()  # "A section titled “…”" opens one
    assert ("body", "Crossings every half hour from 8am to 6pm.") in by_title["Sailing Times"]
    assert ("body", "Address on Gallanach Road and the ferry's phone number.") in by_title["Find the Pier"]
    assert ("body", "A small passenger ferry between Oban and the isle of Kerrera.") in by_title[
        "Cross the Sound in Ten Minutes"
    ]
    assert [role for role, _ in by_title["On Board"]] == ["heading"]  # a video is no copy


@pytest.mark.parametrize(
    "sentence",
    [
        "The section explains the school’s philosophy through clearly structured text and simple iconography.",
        "A pricing section lists three cards with rounded corners.",
        "The features section shows the headline “Fast” in bold.",
        "Each card shows a thin red outline when hovered.",
        "A gallery section presents six photos of the dining room.",
    ],
)
def test_sentences_about_the_look_or_the_media_give_no_copy(sentence):
    assert described_line(sentence) is None


BRIEF = (
    "Brief for the new website of the Alder Street Tool Library in Hebden Bridge. We lend drills, ladders and "
    "sewing machines to members for a small yearly fee.\n\nPage structure:\n\n"
    "1. Hero with a photo of the lending counter. Title “Borrow, don't buy”.\n"
    "2. Membership: a yearly fee of £20, free for under-18s, and how to join at the counter.\n"
    "3. Gallery: six photos of tools on the shelves.\n"
)


def test_a_brief_names_its_subject_and_its_listed_parts_say_what_they_hold():
    plan = compile_prompt(BRIEF)
    assert plan.title == "Alder Street Tool Library"
    lines = [item.text for section in plan.sections for item in section.content if item.role == "body"]
    assert "Yearly fee of £20, free for under-18s, and how to join at the counter." in lines
    assert not any("photo" in line or "tools on the shelves" in line for line in lines)  # media are no copy


def test_an_opening_that_says_what_the_subject_is_names_the_page_and_gives_the_hero_its_line():
    opening = "Hanul Dance Academy is a dance school in Hongdae, Seoul, teaching teenagers and adults."
    short = compile_prompt(f"{opening} A page with a photo of a class.")
    assert short.title == "Hanul Dance Academy"
    listed = compile_prompt(
        f"{opening}\n\nSections:\n1. Hero with a photo of a class. Title “Move with us”.\n"
        "2. Classes: K-pop, hip-hop and contemporary, for beginners and improvers.\n"
        "3. Contact: the studio address and how to book a trial class.\n"
    )
    assert listed.title == "Hanul Dance Academy"
    lines = {section.role: [i.text for i in section.content if i.role == "body"] for section in listed.sections}
    assert "A dance school in Hongdae, Seoul, teaching teenagers and adults." in lines["hero"], lines


@pytest.mark.parametrize(
    ("prompt", "name", "next_word"),
    [
        (
            'Create a fundraising page for the Riverside Animal Shelter. Headline: "Every paw".',
            "Riverside Animal Shelter",
            "Headline",
        ),
        ("Page for the Northfield Robotics Club. Include a photo of our robot.", "Northfield Robotics Club", "Include"),
        (
            "Recap page for the Harbour Half Marathon 2024.\n\nFinishers by age, as a bar chart.",
            "Harbour Half Marathon 2024",
            "Finishers",
        ),
        (
            "Page for Halden Public Library's summer reading challenge, with a button.",
            "Halden Public Library",
            "summer",
        ),
    ],
)
def test_a_name_ends_with_its_sentence_and_loses_a_possessive(prompt, name, next_word):
    plan = compile_prompt(prompt)
    assert plan.title == name
    text = " ".join(item.text for section in plan.sections for item in section.content)
    assert name in text and f"{name}. {next_word}" not in text and f"{name}'s {next_word}" not in text


@pytest.mark.parametrize(
    ("prompt", "title"),
    [
        ("I run Bramble & Sloe, a farm shop in Ledbury. Photos of the counter, please.", "Bramble & Sloe"),
        ("landing page, noodle bar 'Slurp Theory' in Cardiff. two photos, no video", "Slurp Theory"),
        ("Strona dla piekarni Żytnia Skórka w Łodzi. Zdjęcie pieca.", "Żytnia Skórka"),
        ("Sito per l'enoteca Vino Rosso in Verona: una foto delle bottiglie.", "Vino Rosso"),
        ("Webbplats för Kafé Ängen i Lund. En bild på disken.", "Kafé Ängen"),
        ("Page for the Ashdown Bowls Club. One photo of the green.", "Ashdown Bowls Club"),
        (
            "Website for Wyeside Canoe Co. Top: a video of the river. Then three photos of canoes. Footer.",
            "Wyeside Canoe Co.",
        ),
        (
            "Site for Harbourlight Solar: our installs grew from 40 in 2021 to 65 in 2022. One photo.",
            "Harbourlight Solar",
        ),
    ],
)
def test_a_name_is_read_however_the_prompt_introduces_it(prompt, title):
    assert compile_prompt(prompt).title == title


# The brands scene copy was once written around when a prompt named no one.
FORMER_SCENE_NAMES = ("Crumb & Co.", "Olive & Ember", "Flowbase", "Northwind", "Pulse Studio", "Northstar Analytics")


@pytest.mark.parametrize(
    "prompt",
    [
        "A page for a small tea room with a photo of scones.",
        "Landing page for a bakery.",
        "Dashboard page with a line chart of weekly visitors: W1 120, W2 150, W3 170.",
        "Website for a gym.",
    ],
)
def test_a_prompt_that_names_no_one_gets_no_invented_brand(prompt):
    plan = compile_prompt(prompt)
    copy = " ".join([plan.title] + [item.text for section in plan.sections for item in section.content])
    assert not [name for name in FORMER_SCENE_NAMES if name in copy], copy
    assert not re.search(r"(?:^|[.!?]\s+)the\b", copy), "a sentence opens on a lower-case 'the'"


def test_a_scene_shows_its_table_of_example_rows_only_when_the_prompt_asks_for_a_table_or_a_dashboard():
    prompt = "Company page for Larkspur Analytics with a line chart of weekly users: W1 120, W2 150, W3 170"
    without = compile_prompt(prompt + ".")
    assert not [section for section in without.sections if section.role == "table"]
    for asked in (prompt + " and a table of our top accounts.", prompt.replace("Company page", "Dashboard")):
        assert [section for section in compile_prompt(asked).sections if section.role == "table"], asked
