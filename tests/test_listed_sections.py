"""A sentence that lists a page's sections gives the page those sections, in that order; a list of what the page
leaves out, a place ("Below the header, …") and one section's parts are no such list. Markdown headings over prose
open sections; no sentence of the prompt is lost on the way."""

from __future__ import annotations

import pytest

from webagent.planners.offline import compile_prompt
from webagent.planners.offline.sentences import read_prose


def roles(prompt: str) -> list[str]:
    return [section.role for section in compile_prompt(prompt).sections]


def role_holding(plan, kind: str) -> str:
    """The role of the section that holds the plan's first asset of ``kind``."""
    return plan.section(next(a for a in plan.assets if a.kind == kind).section_id).role


def test_sections_listed_after_a_cue_are_the_pages_sections_in_that_order():
    plan = compile_prompt(
        "Annual report page for the Greenway Trust (charity). Sections: intro, where the money went, our volunteers, "
        "thank-you footer.\n\nWhere the money went (pie chart):\n```csv\ncategory,share\nTree planting,48\n"
        "Schools programme,22\nPath repairs,18\nAdmin,12\n```\nAlso include three photos of volunteers at work."
    )
    named = [s.title for s in plan.sections if s.role not in {"header", "footer"}]
    assert named[1:] == ["Where the money went", "Volunteers"]
    assert plan.sections[-1].role == "footer"
    chart = next(a for a in plan.assets if a.kind == "chart")
    assert chart.section_id == plan.sections[2].id  # described after the list, drawn where the list put it
    assert [row[1] for row in chart.dataset.rows] == ["48", "22", "18", "12"]
    assert sum(a.kind == "image" for a in plan.assets) == 3


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        (
            "Portfolio for Mina Okafor, wedding photographer. Then a masonry gallery of eight photos, a testimonials "
            "section, and a booking form.",
            ["gallery", "testimonials", "contact", "footer"],
        ),
        (
            "Page for a solar co-op, SunShare Leith. Hero photo of panels on a roof. A chart of energy generated "
            "per month. Then a how-to-join section and a FAQ.",
            ["hero", "chart", "content", "faq", "footer"],
        ),
    ],
)
def test_a_sentence_listing_sections_gives_one_section_each(prompt, expected):
    assert roles(prompt)[-len(expected) :] == expected


@pytest.mark.parametrize(
    "prompt",
    [
        "Site for Kōji Ramen in Melbourne. A video of broth simmering at the top, a pie chart of what people order: "
        "tonkotsu 44%, shoyu 26%, miso 19%.",
        "Site for Kōji Ramen in Melbourne, a ramen bar on Smith Street. The page opens with a full story of the "
        "kitchen and its broth, told over a few sentences. A video of broth simmering at the top, a menu section "
        "with five bowls, and a pie chart of what people order: tonkotsu 44%, shoyu 26%, miso 19%.",
    ],
)
def test_a_video_at_the_top_of_a_listed_page_is_the_heros(prompt):
    assert role_holding(compile_prompt(prompt), "video") == "hero"


def test_a_list_in_portuguese_cut_at_semicolons_keeps_each_medium_in_its_own_section():
    plan = compile_prompt(
        "Site para o Museu do Mar de Cascais.\n\nSecções: uma foto grande da fachada; um vídeo curto sobre a exposição "
        "de barcos; um gráfico de barras dos visitantes por mês, a partir dos dados abaixo.\n\n"
        "Jan 3200, Fev 2900, Mar 4100"
    )
    assert len({a.section_id for a in plan.assets}) == 3
    assert (role_holding(plan, "image"), role_holding(plan, "chart")) == ("hero", "chart")


@pytest.mark.parametrize(
    "sentence",
    [
        "There are no animations, videos, or charts; all images are static.",
        "Below the header, the pricing section shows three plan cards on a pale grey band.",
        "The hero has a photo of the beach, a headline and a button.",
        "A gallery of three photos and a pie chart of our sales.",
    ],
)
def test_a_sentence_that_is_no_list_of_sections_stays_whole(sentence):
    prose = read_prose("Landing page for Saltmarsh Studio.\n\n" + sentence)
    assert [s.text for s in prose.sentences][1:] == [sentence]


def test_a_medium_named_in_a_short_sketch_lowercase_is_planned():
    plan = compile_prompt(
        "make a page for my pottery studio Clay Day in Ghent. need a hero pic of hands on a wheel, class schedule, "
        "and a line chart showing students per year 2020: 14, 2021: 29, 2022: 41"
    )
    assert [a.kind for a in plan.assets].count("image") == 1 and role_holding(plan, "image") == "hero"
    chart = next(a for a in plan.assets if a.kind == "chart")
    assert chart.dataset.rows == [["2020", "14"], ["2021", "29"], ["2022", "41"]]


def test_markdown_headings_over_prose_are_sections_and_a_heading_over_data_alone_is_none():
    plan = compile_prompt(
        "Landing page for Quill, an AI writing assistant.\n\n## Hero\nBig headline, a product screenshot on the right."
        "\n\n## Growth\nA bar chart from this table:\n\n| Quarter | Users |\n|---|---|\n| Q1 | 1,200 |\n| Q2 | 2,750 |\n"
        "| Q3 | 4,100 |\n\n## Testimonials\nThree quotes from writers.\n\n## Pricing\nFree, Plus and Team plans.\n\n"
        "### Dataset\n\n| Plan | Price |\n|---|---|\n| Plus | 8 |\n"
    )
    assert [(s.role, s.title) for s in plan.sections][2:5] == [
        ("chart", "Growth"),
        ("testimonials", "Testimonials"),
        ("pricing", "Pricing"),
    ]
    assert plan.sections[1].role == "hero" and "Dataset" not in [s.title for s in plan.sections]
    assert role_holding(plan, "image") == "hero"


def test_a_sentence_after_a_photo_that_adds_a_chart_and_a_closing_video_are_all_planned():
    plan = compile_prompt(
        "Página de la bodega Viña Alta en Mendoza. Foto de los viñedos con los Andes al fondo. Tabla de vinos y un "
        "gráfico de líneas de la producción (miles de botellas):\n\n| Año | Botellas |\n|---|---|\n| 2020 | 84,5 |\n"
        "| 2021 | 91,2 |\n| 2022 | 88,0 |\n\nAl final, un vídeo corto de la vendimia."
    )
    assert sorted(a.kind for a in plan.assets) == ["chart", "image", "video"]


def test_a_picture_listed_after_a_counted_group_is_a_picture_of_its_own():
    plan = compile_prompt(
        "Event page for NordJS 2025 in Copenhagen. Speaker grid with eight speaker photos, the schedule for two days, "
        "a venue photo, and a chart of tickets sold per week: W1 120, W2 210, W3 340, W4 515."
    )
    assert [a.kind for a in plan.assets].count("image") == 9
