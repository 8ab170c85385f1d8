"""Layout cues, listed items and counted media reach the plan and the page: "two columns, 60/40", "a grid of
six cards — A, B, …", "make it sticky", "portraits of A, B and C", "each card gets … a small photo", a list
whose first item is a section. Widths and positions are read back from Chromium; the prompts are written
for this test.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.pagecheck import evaluate_on_page
from webagent.core.browser import BrowserSession
from webagent.core.config import Settings
from webagent.core.contracts import SectionLayout
from webagent.engine.build import build
from webagent.engine.report import layout_shortfalls
from webagent.planners.offline import compile_prompt

CLINIC = (
    "We run Fernhill Physio, a small physiotherapy practice in Exeter, and need a calm, modern page.\n\n"
    "Layout: a header with the practice name and a “Book now” button. Make it sticky.\n\n"
    "Hero: split into two columns, 70/30 — text on the left (headline “Move without pain”) and a photo "
    "of a physio guiding a knee exercise on the right.\n\n"
    "Treatments: a grid of six cards — sports injuries, back pain, rehab, pilates, massage, acupuncture.\n\n"
    "Our team: portraits of Dr Ana Reis, Dr Tom Bell and Dr Priya Nair, each with a short bio.\n\n"
    "Footer: address and opening hours."
)


def kinds(prompt: str) -> Counter:
    return Counter(a.kind for a in compile_prompt(prompt).assets)


def section(plan, role: str):
    return next(s for s in plan.sections if s.role == role)


def test_column_widths_grids_and_a_sticky_header_reach_the_plan():
    plan = compile_prompt(CLINIC)
    assert section(plan, "hero").layout.split == 70
    assert section(plan, "header").layout.sticky
    treatments = next(s for s in plan.sections if s.title == "Treatments")
    assert treatments.layout.columns == 3  # six cards wrap as two rows of three
    assert not section(plan, "footer").layout.sticky


def card_titles(plan, title: str) -> list[str]:
    found = next(s for s in plan.sections if s.title == title)
    return [item.text for item in found.content if item.group]


def test_items_listed_without_quotes_become_the_sections_cards():
    plan = compile_prompt(CLINIC)
    assert card_titles(plan, "Treatments") == [
        "Sports injuries",
        "Back pain",
        "Rehab",
        "Pilates",
        "Massage",
        "Acupuncture",
    ]
    events = compile_prompt(
        "Site for Quay Social Club.\n\nHero: headline “Meet on the quay”.\n\nEvents: three upcoming events "
        "(Monday quiz nights, a harbour swim, the winter supper) in a timeline.\n\nFooter: address."
    )
    assert card_titles(events, "Events") == ["Monday quiz nights", "Harbour swim", "Winter supper"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Below it, the image shows a flat-lay of branded items: a wax box, a round tin, and a tag card.",
        "Underneath are stacked content blocks: modules of acid green, electric blue, and white.",
        "Beside it sit small tiles: Mon 35, Tue 42, Wed 28, Thu 50.",
        "It has two columns: a wide left column about 7/12 of the width, and a right column taking 5/12.",
    ],
)
def test_descriptions_of_looks_data_and_one_picture_are_no_cards(sentence):
    plan = compile_prompt(
        f"Site for Kiln Studio.\n\nHero: headline “Fired by hand”.\n\nWork: {sentence}\n\nFooter: contact."
    )
    assert all(not item.group for s in plan.sections for item in s.content), sentence


def test_a_grid_of_twelve_columns_is_a_layout_grid_not_twelve_items():
    plan = compile_prompt(
        "Studio site for Arkhe Architects.\n\nHeader: the logo on the left, set on a grid of 12 columns, and links.\n\n"
        "Hero: headline “Buildings that breathe” with a photo of a timber pavilion.\n\nFooter: contact."
    )
    assert section(plan, "header").layout.columns < 4


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        (
            "Landing page for Keel Sailing\n- Hero image of dinghies at dawn\n- Course cards: Start, Skipper",
            {"image": 1},
        ),
        (CLINIC, {"image": 4}),
        (
            "Page for Tailwag Grooming\n- Hero: headline “Fresh fur”\n"
            "- Team: a photo of each of our three groomers, Ivo, Lena and Sam\n- Footer: hours",
            {"image": 3},
        ),
        (
            "Site for Nook Cowork.\n\n**Spaces.** Three cards side by side: Desk, Studio and Office. Each card gets "
            "a short description, a monthly price (£120, £300 and £700) and a small photo of that space.\n\n"
            "**Footer.** Address.",
            {"image": 3},
        ),
        ("Update page for Chainring, a cycle co-op in Delft, plus a 30-second video from the workshop.", {"video": 1}),
        (
            "Site for Arden Stone\n- About section with a portrait of the founder, Ella Shaw\n"
            "- Testimonials: a client quote on the left, photo of a restored chapel on the right",
            {"image": 2},
        ),
        (
            "Product page for the Vanta X headphones\n• Hero product shot on a grey backdrop, plus a gallery of "
            "three detail photos\n• Specs list",
            {"image": 4},
        ),
        (
            "Sito per il forno Spiga a Torino: una foto del banco, tre foto del pane e un grafico a torta "
            "delle vendite: pane 50%, dolci 30%, caffè 20%.",
            {"image": 4, "chart": 1},
        ),
        (
            "Page pour l'atelier Bois Clair avec une vidéo des artisans et deux photos de l'atelier.",
            {"video": 1, "image": 2},
        ),
        (
            "Página para a escola de dança Passo com um vídeo curto das aulas e uma foto do estúdio.",
            {"video": 1, "image": 1},
        ),
        (
            "Homepage for Crestline Ski School.\nIt should have a pie chart of lessons by level.\n\n"
            "About: we teach all ages, from first days on skis to racers training for the season.\n\n"
            "Contact: email and phone, opening hours, and the address of the school by the lift.",
            {"chart": 1},
        ),
        (
            "Seite für die Stadtwerke Lindau: ein Tortendiagramm des Strommixes: Wasser 41,5 %, Sonne 23,0 %.",
            {"chart": 1},
        ),
        (
            "Landing page for Pitch & Pine campsite with two videos (sunrise over the lake, kids at the rope swing).",
            {"video": 2},
        ),
        (
            "portfolio for Ines Aubry, illustrator in Lyon — six thumbnails, no charts, one short video of her sketchbook",
            {"video": 1, "chart": 0},
        ),
    ],
)
def test_every_asked_picture_and_video_is_planned_with_its_count(prompt, expected):
    found = kinds(prompt)
    assert {kind: found[kind] for kind in expected} == expected, compile_prompt(prompt).assets


def test_a_width_the_page_cannot_keep_is_in_the_build_report():
    plan = compile_prompt(CLINIC)
    assert layout_shortfalls(plan) == []
    hero = section(plan, "hero")
    for asset in [a for a in plan.assets if a.section_id == hero.id]:
        asset.section_id = section(plan, "footer").id  # the hero loses its photo: nothing to set beside the text
    shortfalls = layout_shortfalls(plan)
    assert [s.kind for s in shortfalls] == ["layout"]
    assert "70/30" in shortfalls[0].detail


def test_a_split_narrower_than_a_fifth_is_refused():
    with pytest.raises(ValueError, match="under 20 %"):
        SectionLayout(split=10)


MEASURE = """() => {
  const split = document.querySelector('.hero .split');
  const [left, right] = Array.from(split.children).map((c) => c.getBoundingClientRect().width);
  const cards = Array.from(document.querySelectorAll('.cards'))
    .map((g) => getComputedStyle(g).gridTemplateColumns.split(' ').length);
  const titles = Array.from(document.querySelectorAll('.cards .card h3')).map((h) => h.textContent.trim());
  return { left, right, cards, titles, header: getComputedStyle(document.querySelector('.site-header')).position };
}"""


@pytest.mark.browser
def test_the_page_keeps_the_asked_widths_grid_and_sticky_header(tmp_path, browser_session: BrowserSession):
    out = build(CLINIC, tmp_path / "page", Settings(media_cache=False), browser=browser_session).out_dir
    plain = build(
        CLINIC.replace(" Make it sticky.", ""), tmp_path / "plain", Settings(media_cache=False), browser=browser_session
    ).out_dir

    desktop = evaluate_on_page(browser_session, out, MEASURE, 1440)
    assert desktop["left"] / desktop["right"] == pytest.approx(70 / 30, rel=0.08)
    assert 3 in desktop["cards"]
    assert {"Sports injuries", "Acupuncture", "Dr Ana Reis"} <= set(desktop["titles"])
    phone = evaluate_on_page(browser_session, out, MEASURE, 390)
    assert phone["header"] == "sticky"  # asked for: sticky on a phone too
    assert evaluate_on_page(browser_session, plain, MEASURE, 390)["header"] == "static"


HARBOUR = (
    "One-page site for Harbour Lights, a seafood restaurant in Whitby.\n\n"
    "Hero: a full-width photo of the harbour at dusk under the headline “Fish, fire and the sea”.\n\n"
    "Menu: four dishes, each with a price.\n\n"
    "About: a photo of the chef beside a short story of the kitchen.\n\n"
    "Footer: address and opening hours."
)
MEDIA_WIDTHS = """() => ({
  viewport: document.documentElement.clientWidth,
  scroll: document.documentElement.scrollWidth,
  widths: Array.from(document.querySelectorAll('[data-asset-kind=image]')).map(
    (el) => [el.closest('section').id, Math.round(el.getBoundingClientRect().width)]),
})"""


def test_a_full_width_medium_is_a_layout_cue_of_its_section_only():
    plan = compile_prompt(HARBOUR)
    assert [s.role for s in plan.sections if s.layout.full_width] == ["hero"]
    assert not compile_prompt(HARBOUR.replace("a full-width photo", "a photo")).sections[1].layout.full_width


@pytest.mark.browser
def test_a_full_width_photo_spans_the_page_at_every_width(tmp_path, browser_session: BrowserSession):
    out = build(HARBOUR, tmp_path / "page", Settings(media_cache=False), browser=browser_session).out_dir
    hero = next(s.id for s in compile_prompt(HARBOUR).sections if s.role == "hero")

    for width in (1440, 390):
        found = evaluate_on_page(browser_session, out, MEDIA_WIDTHS, width)
        assert found["scroll"] <= found["viewport"]  # edge to edge, and no sideways scroll
        widths = dict(found["widths"])
        assert widths[hero] == found["viewport"]
        if width == 1440:  # the chef's photo, not asked to span the page, stays in its column
            assert all(w < width * 0.6 for section_id, w in found["widths"] if section_id != hero)
