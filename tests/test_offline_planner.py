"""The offline planner: a rule-based prompt compiler that must make a good page plan by itself."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import DEV_SET, dev_prompts
from tests.synthetic_prompts import ROLES, heading, media_sentence, synthetic_prompt
from webagent.core.colour import contrast_ratio
from webagent.core.contracts import (
    AssetContext,
    AssetSize,
    AssetSpec,
    ChartAttributes,
    ImageAttributes,
    PagePlan,
    SectionPlan,
    VideoAttributes,
)
from webagent.planners.offline import compile_prompt, parse_markdown_tables, plan_section
from webagent.planners.offline.sections import MAX_NAMED_SECTIONS
from webagent.webbench.evaluation.metrics import hex_colours, normalise, planned_colours, quoted_strings

DEBIAN_TAILS = ("sans-serif", "serif", "monospace")


def _quoted(prompt: str) -> list[str]:
    return [normalise(q) for q in quoted_strings(prompt)]


def _visible_text(plan: PagePlan) -> str:
    return " \n ".join(normalise(item.text) for section in plan.sections for item in section.content)


@pytest.fixture(scope="module")
def dev_plans() -> dict[str, tuple[str, PagePlan]]:
    prompts = dev_prompts()
    if not prompts:
        pytest.skip(f"dev prompts not found at {DEV_SET}")
    return {file_id: (prompt, compile_prompt(prompt)) for file_id, prompt in prompts.items()}


def _asset(asset_id: str, kind: str, section_id: str, prompt: str, **extra) -> AssetSpec:
    attributes = {"image": ImageAttributes(), "video": VideoAttributes(), "chart": ChartAttributes()}[kind]
    return AssetSpec(
        id=asset_id,
        kind=kind,
        path=f"assets/{asset_id}.{ {'image': 'webp', 'video': 'mp4', 'chart': 'json'}[kind] }",
        section_id=section_id,
        size=AssetSize(width=100, height=100),
        context=AssetContext(section=section_id, role="element", page_style="clean"),
        attributes=extra.pop("attributes", attributes),
        prompt=prompt,
        **extra,
    )


# ----------------------------------------------------------------------------- the dev prompts


@pytest.mark.slow
def test_every_dev_prompt_compiles_to_a_valid_offline_plan(dev_plans):
    for file_id, (_, plan) in dev_plans.items():
        again = PagePlan.model_validate(plan.model_dump())
        assert again.planner == "offline", file_id
        assert again.title.strip(), file_id
        ids = [s.id for s in plan.sections]
        assert len(ids) == len(set(ids)), file_id
        asset_ids = [a.id for a in plan.assets]
        assert len(asset_ids) == len(set(asset_ids)), file_id
        for asset in plan.assets:
            assert asset.section_id in ids, (file_id, asset.id)
            assert asset.path == f"assets/{asset.id}." + {"image": "webp", "video": "mp4", "chart": "json"}[asset.kind]
            assert asset.id in plan.section(asset.section_id).asset_ids


@pytest.mark.slow
def test_quoted_strings_appear_as_visible_copy(dev_plans):
    total = found = 0
    for file_id, (prompt, plan) in dev_plans.items():
        quotes = _quoted(prompt)
        visible = _visible_text(plan)
        hits = sum(1 for q in quotes if q in visible)
        if quotes:
            assert hits / len(quotes) >= 0.75, (file_id, [q for q in quotes if q not in visible][:5])
        total += len(quotes)
        found += hits
    assert found / total >= 0.9


@pytest.mark.slow
def test_every_hex_colour_lands_in_palette_accents_or_a_section_background(dev_plans):
    for file_id, (prompt, plan) in dev_plans.items():
        missing = set(hex_colours(prompt)) - planned_colours(plan)
        assert not missing, (file_id, missing)


@pytest.mark.slow
def test_page_text_is_readable_on_the_page_background(dev_plans):
    for file_id, (_, plan) in dev_plans.items():
        palette = plan.tokens.palette
        assert contrast_ratio(palette.text, palette.background) >= 4.5, (file_id, palette.text, palette.background)
        assert plan.tokens.dark == (
            contrast_ratio(palette.background, "#000000") < contrast_ratio(palette.background, "#FFFFFF")
        ), file_id


@pytest.mark.slow
def test_font_stacks_end_with_fonts_a_debian_renderer_has(dev_plans):
    for file_id, (_, plan) in dev_plans.items():
        for stack in plan.tokens.fonts.model_dump().values():
            assert stack.rstrip().endswith(DEBIAN_TAILS), (file_id, stack)
            assert "'DejaVu" in stack or "'Noto" in stack or "'Liberation" in stack, (file_id, stack)


@pytest.mark.slow
def test_prompt_007_has_no_video_and_no_chart(dev_plans):
    _, plan = dev_plans["007"]
    kinds = {a.kind for a in plan.assets}
    assert "video" not in kinds and "chart" not in kinds
    assert "image" in kinds  # the flat poster illustration in the hero
    assert plan.title == "Margin Notes"
    header = plan.sections[0]
    assert header.role == "header"
    assert [i.text for i in header.content if i.role == "nav"] == ["ABOUT", "HOW IT WORKS", "CLUB PLANS"]
    assert any(i.role == "button" and i.text == "JOIN NOW" for i in header.content)


@pytest.mark.slow
def test_prompt_007_plan_cards_are_grouped_with_their_prices(dev_plans):
    _, plan = dev_plans["007"]
    pricing = next(s for s in plan.sections if s.role == "pricing")
    groups = {}
    for item in pricing.content:
        if item.group:
            groups.setdefault(item.group, []).append(item)
    prices = sorted(i.text for items in groups.values() for i in items if i.role == "price")
    assert prices == ["$19 / month", "$29 / month", "$9 / month"]
    assert all(sum(1 for i in items if i.role == "price") <= 1 for items in groups.values())
    assert any(i.emphasis for i in pricing.content if i.text in {"$19 / month", "CHOOSE DISCUSSION"})


@pytest.mark.slow
def test_prompt_134_radar_chart_carries_the_defect_category_table_verbatim(dev_plans):
    prompt, plan = dev_plans["134"]
    radar = [a for a in plan.assets if a.kind == "chart" and a.attributes.chart_type == "radar"]
    assert len(radar) == 1
    table = next(t for t in parse_markdown_tables(prompt) if t.title == "Defect Category Distribution")
    assert radar[0].dataset == table
    assert radar[0].dataset.rows[0] == ["Surface", "28"]
    area = next(a for a in plan.assets if a.title.startswith("Hourly Defect Rate"))
    assert area.attributes.chart_type == "area"
    assert area.dataset.columns == ["Hour", "Defects per 1000 Units"]


@pytest.mark.slow
def test_prompt_134_line_level_table_is_shown_as_a_section_table(dev_plans):
    _, plan = dev_plans["134"]
    holders = [s for s in plan.sections for t in s.tables if t.title == "Line-Level Quality Summary"]
    assert len(holders) == 1
    table = next(t for t in holders[0].tables if t.title == "Line-Level Quality Summary")
    assert table.columns[0] == "Production Date" and len(table.rows) == 8


@pytest.mark.slow
def test_charts_on_prompts_with_tables_all_carry_a_dataset(dev_plans):
    for file_id, (prompt, plan) in dev_plans.items():
        if not re.search(r"^\s*\|.*\|\s*$", prompt, re.M) and "```csv" not in prompt:
            continue
        for chart in (a for a in plan.assets if a.kind == "chart"):
            assert chart.dataset is not None and chart.dataset.rows, (file_id, chart.id)


@pytest.mark.slow
def test_negated_media_kinds_never_appear(dev_plans):
    for file_id, (prompt, plan) in dev_plans.items():
        lowered = prompt.lower()
        kinds = {a.kind for a in plan.assets}
        if re.search(r"there are no videos|no videos, no animations|no video, no animation", lowered):
            assert "video" not in kinds, file_id
        if re.search(r"no charts or data visuali[sz]ations anywhere|data-free", lowered):
            assert "chart" not in kinds, file_id


@pytest.mark.slow
def test_sections_follow_the_prompt_with_header_first_and_footer_last(dev_plans):
    for file_id, (prompt, plan) in dev_plans.items():
        roles = [s.role for s in plan.sections]
        assert 2 <= len(roles) <= 16, (file_id, roles)
        if re.search(r"\b(?:at the very top|navigation bar|nav bar|header bar)\b", prompt[:6000], re.I) and re.search(
            r"\bheader|\bnav", prompt, re.I
        ):
            if file_id not in {"133", "136", "143"}:  # dashboards whose 'header' sits inside a column
                assert roles[0] == "header", (file_id, roles)
        if re.search(r"\bthe footer\b", prompt, re.I):
            assert roles[-1] == "footer", (file_id, roles)
        starts = [plan.section(s.id).brief[:40] for s in plan.sections if s.brief and not s.brief.startswith("Scene")]
        positions = [prompt.find(b[:30]) for b in starts]
        known = [p for p in positions if p >= 0]
        assert sum(1 for a, b in zip(known, known[1:]) if b < a) <= 1, (file_id, roles)


# ----------------------------------------------------------------------------- short prompts


@pytest.mark.parametrize(
    "prompt, name, colour",
    [
        ("a landing page for a bakery called Crumb & Co. in #7A3E2B", "Crumb & Co", "#7A3E2B"),
        ("portfolio for a photographer", "", None),
        ("une page d'accueil pour une boulangerie", "", None),
    ],
)
def test_one_line_prompts_give_a_full_page(prompt, name, colour):
    plan = compile_prompt(prompt)
    assert len(plan.sections) >= 5
    assert plan.sections[0].role == "header" and plan.sections[-1].role == "footer"
    assert any(a.kind == "image" for a in plan.assets)
    assert any(i.role == "heading" for s in plan.sections for i in s.content)
    if name:
        assert name in plan.title
    if colour:
        assert colour in plan.tokens.palette.model_dump().values()


def test_french_prompt_is_planned_in_french():
    plan = compile_prompt("une page d'accueil pour une boulangerie")
    assert plan.language == "fr"
    hero = next(s for s in plan.sections if s.role == "hero")
    assert any("pain" in i.text.lower() for i in hero.content)


def test_short_prompt_keeps_its_quoted_headline_and_colour_words():
    plan = compile_prompt(
        'A landing page for a yoga studio named Still Point with the headline "Breathe in, slow down" in sage green'
    )
    assert plan.title == "Still Point"
    assert "Breathe in, slow down" in _visible_text_raw(plan)
    assert plan.tokens.palette.primary != "#16A34A"  # the scene's default green gave way to sage


def test_short_dashboard_prompt_gets_a_chart_with_illustrative_data():
    plan = compile_prompt("an analytics dashboard for a coffee chain")
    charts = [a for a in plan.assets if a.kind == "chart"]
    assert charts and all(c.dataset and c.dataset.title.endswith("(illustrative)") for c in charts)
    assert plan.tokens.dark


def _visible_text_raw(plan: PagePlan) -> str:
    return " ".join(item.text for section in plan.sections for item in section.content)


# ----------------------------------------------------------------------------- what a one-liner asks for


def _media_by_role(plan: PagePlan) -> dict[str, list[str]]:
    """The kinds of media of each section, by section role, in page order."""
    found: dict[str, list[str]] = {}
    for asset in plan.assets:
        found.setdefault(plan.section(asset.section_id).role, []).append(asset.kind)
    return found


def _chart(plan: PagePlan) -> AssetSpec:
    [chart] = [a for a in plan.assets if a.kind == "chart"]
    return chart


@pytest.mark.parametrize(
    "prompt, title, media",
    [
        (
            "A sales dashboard with a bar chart of revenue: Q1 12, Q2 19, Q3 15",
            "The Team",
            {"chart": ["chart"]},
        ),
        ("A landing page for a yoga studio with a hero video", "Yoga Studio", {"hero": ["video"]}),
        (
            "a landing page for a yoga studio called Still Point with a hero video of a sunrise class",
            "Still Point",
            {"hero": ["video"]},
        ),
        ("a landing page for a gym", "The Gym", {"hero": ["image"]}),
        (
            "a portfolio for a photographer with a video reel",
            "The Photographer",
            {"hero": ["video"], "gallery": ["image"] * 4, "about": ["image"]},
        ),
        (
            "a bakery page with a pie chart of sales: bread 40, cakes 35, coffee 25",
            "The Bakery",
            {"hero": ["image"], "gallery": ["image"] * 3, "chart": ["chart"]},
        ),
        ("a conference site with no images", "The Event", {}),
        (
            "a dark landing page for a synthwave band called Neon Drift with a music video",
            "Neon Drift",
            {"hero": ["video"], "gallery": ["image"] * 3},
        ),
        ("a café menu page with three photos of pastries", "The Restaurant", {"gallery": ["image"] * 3}),
        (
            "a travel site with a video of the beach and a gallery of six photos",
            "The Travel Company",
            {"hero": ["video"], "gallery": ["image"] * 6},
        ),
        (
            "A landing page for a yoga studio with a hero video, no charts and no images",
            "Yoga Studio",
            {"hero": ["video"]},
        ),
        (
            "a coffee shop website with no photos and a line chart of daily visitors: Mon 40, Tue 55, Wed 61",
            "The Restaurant",
            {"chart": ["chart"]},
        ),
        (
            "a landing page for a video production company",
            "Video Production Company",
            {"hero": ["image"], "about": ["image"]},
        ),
        ("une page d'accueil pour un studio de yoga avec une vidéo", "The Gym", {"hero": ["video"]}),
        (
            "una página para una panadería llamada Miga con un vídeo del horno",
            "Miga",
            {"hero": ["video"], "gallery": ["image"] * 3},
        ),
    ],
)
def test_a_one_liner_gets_exactly_the_media_it_names_where_it_names_them(prompt, title, media):
    plan = compile_prompt(prompt)
    assert plan.title == title
    assert _media_by_role(plan) == media
    assert plan.sections[0].role == "header" and plan.sections[-1].role == "footer"


@pytest.mark.parametrize(
    "prompt, chart_type, title, rows",
    [
        (
            "A sales dashboard with a bar chart of revenue: Q1 12, Q2 19, Q3 15",
            "bar",
            "Revenue",
            [["Q1", "12"], ["Q2", "19"], ["Q3", "15"]],
        ),
        (
            "A SaaS analytics dashboard with a line chart of monthly active users: Jan 1200, Feb 1350, Mar 1600, Apr 1900",
            "line",
            "Monthly active users",
            [["Jan", "1200"], ["Feb", "1350"], ["Mar", "1600"], ["Apr", "1900"]],
        ),
        (
            "a bakery page with a pie chart of sales: bread 40, cakes 35, coffee 25",
            "pie",
            "Sales",
            [["bread", "40"], ["cakes", "35"], ["coffee", "25"]],
        ),
    ],
)
def test_a_one_liner_chart_draws_the_numbers_the_prompt_gives_verbatim(prompt, chart_type, title, rows):
    chart = _chart(compile_prompt(prompt))
    assert chart.attributes.chart_type == chart_type
    assert chart.title == title and chart.dataset.title == title  # the prompt's data, not "(illustrative)"
    assert chart.dataset.rows == rows


def test_a_dashboard_one_liner_is_a_dashboard_whatever_its_chart_type_words():
    plan = compile_prompt(
        "A sales dashboard with a bar chart of revenue: Q1 12, Q2 19, Q3 15"
    )  # "bar" is a restaurant word
    assert [s.role for s in plan.sections] == ["header", "stats", "chart", "table", "footer"]
    assert plan.tokens.dark


def test_a_one_liner_picture_is_described_by_its_own_words_and_the_page_topic():
    plan = compile_prompt("a landing page for a yoga studio called Still Point with a hero video of a sunrise class")
    [video] = plan.assets
    assert video.prompt == "A hero video of a sunrise class — a landing page for a yoga studio called Still Point."
    pastries = [a.prompt for a in compile_prompt("a café menu page with three photos of pastries").assets]
    assert pastries == ["A photo of pastries — a café menu page."] * 3


def test_a_bare_ask_takes_over_the_scene_media_it_replaces():
    band = compile_prompt("a dark landing page for a synthwave band with a music video")
    assert band.tokens.dark
    [video] = [a for a in band.assets if a.kind == "video"]
    assert "live performance" in video.prompt  # the scene's own hero loop, now the asked video
    chart = _chart(compile_prompt("a gym page with a chart"))
    assert chart.section_id == "stats" and chart.dataset.title.endswith("(illustrative)")  # kept for this ask only
    assert not any(a.kind == "chart" for a in compile_prompt("a landing page for a gym").assets)


def test_a_new_chart_section_goes_before_the_closing_sections():
    roles = [
        s.role
        for s in compile_prompt("a bakery page with a pie chart of sales: bread 40, cakes 35, coffee 25").sections
    ]
    assert roles == ["header", "hero", "features", "gallery", "chart", "testimonials", "cta", "footer"]
    roles = [
        s.role
        for s in compile_prompt(
            "a coffee shop website with no photos and a line chart of daily visitors: Mon 40, Tue 55, Wed 61"
        ).sections
    ]
    assert "gallery" not in roles  # a gallery without photos has nothing left to show


def test_a_non_english_one_liner_keeps_its_language_and_its_video_subject():
    plan = compile_prompt("una página para una panadería llamada Miga con un vídeo del horno")
    assert plan.language == "es"
    [video] = [a for a in plan.assets if a.kind == "video"]
    assert "horno" in video.prompt
    assert compile_prompt("une page d'accueil pour un studio de yoga avec une vidéo").language == "fr"


# ----------------------------------------------------------------------------- rules on small prompts

_DETAILED = (
    "Design a calm landing page titled “Harbor Notes” for a sailing school. The page background is off-white (#FAF7F0) "
    "and buttons use deep navy (#1B2A4E). Headlines use an editorial serif like Playfair Display; body copy is set in Inter.\n\n"
    "At the very top, a slim navigation bar shows the logo “HARBOR NOTES” and links “Courses”, “Fleet”, “Contact”, plus a "
    "button “Book a lesson”.\n\n"
    "Below the header, the hero section is a two-column layout. On the left, the headline reads “Learn to sail with "
    "confidence” and a subheading says “Small classes, patient instructors, calm water.” A primary button reads “Start "
    "sailing”. On the right is a large photograph of a small sailboat at golden hour, square format.\n\n"
    "The next section shows three cards. The first card is titled “Beginner” with body text “Two weekends on the water.” "
    "The second card is titled “Racer” with body text “Tactics and starts.” The third card is titled “Skipper” with body "
    "text “Your own boat, your own crew.”\n\n"
    "Next, a results section shows a bar chart titled “Students certified per year” with values 12, 18, 25 and 31, "
    "using an accent of coral (#FF6F61). Beside it, a line chart titled “Wind speed by month” shows calm summers.\n\n"
    "The footer lists “© 2025 Harbor Notes” and links “Privacy” and “Terms”. There are no videos anywhere on the page."
)


def test_detailed_prompt_is_compiled_from_its_own_words():
    plan = compile_prompt(_DETAILED)
    assert plan.title == "Harbor Notes"
    roles = [s.role for s in plan.sections]
    assert roles[0] == "header" and roles[1] == "hero" and roles[-1] == "footer"
    header = plan.sections[0]
    assert [i.text for i in header.content if i.role == "nav"] == ["Courses", "Fleet", "Contact"]
    assert any(i.role == "logo" and i.text == "HARBOR NOTES" for i in header.content)
    hero = plan.sections[1]
    assert hero.title == "Learn to sail with confidence"
    assert any(i.role == "button" and i.emphasis for i in hero.content)
    assert plan.tokens.palette.background == "#FAF7F0"
    assert plan.tokens.palette.primary == "#1B2A4E"
    assert plan.tokens.fonts.heading.startswith("'Playfair Display'")
    assert plan.tokens.fonts.body.startswith("'Inter'")
    assert not plan.tokens.dark


def test_cards_are_grouped_and_the_photo_is_square():
    plan = compile_prompt(_DETAILED)
    cards = next(s for s in plan.sections if sum(1 for i in s.content if i.group) >= 6)
    titles = {i.group: i.text for i in cards.content if i.role == "subheading" and i.group}
    assert titles == {1: "Beginner", 2: "Racer", 3: "Skipper"}
    assert cards.layout.columns == 3
    photo = next(a for a in plan.assets if a.kind == "image")
    assert photo.section_id == "hero"
    assert photo.size.width == photo.size.height
    assert photo.context.role == "hero visual"


def test_inline_numbers_become_the_chart_dataset_and_missing_data_is_marked_illustrative():
    plan = compile_prompt(_DETAILED)
    charts = {a.title: a for a in plan.assets if a.kind == "chart"}
    certified = charts["Students certified per year"]
    assert certified.attributes.chart_type == "bar"
    assert [row[1] for row in certified.dataset.rows] == ["12", "18", "25", "31"]
    assert "#FF6F61" in certified.attributes.palette
    wind = charts["Wind speed by month"]
    assert wind.attributes.chart_type == "line"
    assert wind.dataset.title.endswith("(illustrative)")
    assert wind.dataset.rows[0][0] == "Jan"
    assert not any(a.kind == "video" for a in plan.assets)


def test_a_fragment_of_a_placed_headline_is_not_placed_twice():
    prompt = (
        "Design a landing page titled “Pixel Camp”. At the very top is a navigation bar with “About” and “Tickets”.\n\n"
        "Below the header, the hero section has the headline “Level Up Your Creative Superpowers.” The word “Creative” "
        "is in a teal gradient. A button reads “Get Tickets”. The footer says “© Pixel Camp”."
    )
    plan = compile_prompt(prompt)
    hero = next(s for s in plan.sections if s.role == "hero")
    texts = [i.text for i in hero.content]
    assert "Level Up Your Creative Superpowers." in texts
    assert "Creative" not in texts


def test_unassigned_hex_colours_become_section_accents():
    prompt = _DETAILED.replace("using an accent of coral (#FF6F61)", "with bars in #12AB34 and #AB12CD")
    plan = compile_prompt(prompt)
    used = planned_colours(plan)
    assert {"#12AB34", "#AB12CD"} <= used


def test_a_colour_in_a_list_takes_its_own_clauses_role_not_the_previous_colours():
    palette = compile_prompt(
        "A pottery studio page. Palette: clay #B5651D as primary, sage #9CAF88 as secondary for highlights "
        "only, cream #FFF8EE background."
    ).tokens.palette
    assert (palette.primary, palette.secondary, palette.background) == ("#B5651D", "#9CAF88", "#FFF8EE")
    listed = compile_prompt(
        "The palette is earthy: warm off-white paper (#F9F3E7) as the main background, burnt orange (#C86A3A) "
        "for highlights and buttons, and soft slate gray (#5B646A) for body text."
    ).tokens.palette
    assert listed.primary == "#C86A3A" and listed.background == "#F9F3E7"


def test_unreadable_text_colour_is_fixed_but_kept_on_the_page():
    prompt = _DETAILED.replace("buttons use deep navy (#1B2A4E)", "body text colour is pale grey (#EEEEEE)")
    plan = compile_prompt(prompt)
    palette = plan.tokens.palette
    assert contrast_ratio(palette.text, palette.background) >= 4.5
    assert "#EEEEEE" in planned_colours(plan)


# ----------------------------------------------------------------------------- tables


def test_markdown_tables_are_titled_padded_and_keep_cells_verbatim():
    text = (
        "Some prose.\n\n#### Hourly Defect Rate (Last 24 Hours)\n\n| Hour | Defects per 1,000 Units |\n|---|---:|\n"
        "| 00:00 | 18 |\n| 04:00 |\n| 08:00 | 41 | extra |\n\n**Other table**\n\n| A | B |\n| - | - |\n|  x  | y z |\n"
    )
    tables = parse_markdown_tables(text)
    assert [t.title for t in tables] == ["Hourly Defect Rate (Last 24 Hours)", "Other table"]
    first = tables[0]
    assert first.columns == ["Hour", "Defects per 1,000 Units"]
    assert first.rows == [["00:00", "18"], ["04:00", ""], ["08:00", "41"]]
    assert tables[1].rows == [["x", "y z"]]


def test_malformed_tables_do_not_break_the_parser():
    for text in ["|", "||\n||", "| a |\n|---|---|---|\n", "|---|\n| a |", "| a | b\n| 1 | 2 | 3 | 4\n" * 3]:
        for table in parse_markdown_tables(text):
            assert all(len(row) == len(table.columns) for row in table.rows)


# ----------------------------------------------------------------------------- the local planning layer


def _section(role: str, brief: str, section_id: str | None = None) -> SectionPlan:
    return SectionPlan(id=section_id or role, role=role, title=role.title(), brief=brief)


def test_plan_section_sizes_elements_by_their_role():
    tokens = compile_prompt(_DETAILED).tokens
    hero, hero_assets = plan_section(
        _section("hero", "A two-column hero: on the left the headline, on the right an illustration."),
        [_asset("hero-illustration", "image", "hero", "A flat illustration of a lighthouse.")],
        tokens,
    )
    assert hero.layout.columns == 2 and hero.layout.media_side == "right"
    assert (hero_assets[0].size.width, hero_assets[0].size.height) == (600, 450)
    assert hero_assets[0].context.role == "hero visual"

    _, cards = plan_section(
        _section("features", "Three cards side by side, each with a thumbnail photo."),
        [_asset(f"features-photo-{k}", "image", "features", "A photo.") for k in range(3)],
        tokens,
    )
    assert {(a.size.width, a.size.height) for a in cards} == {(380, 260)}
    assert {a.context.role for a in cards} == {"card thumbnail"}

    _, [alone] = plan_section(
        _section("chart", "A wide bar chart."), [_asset("chart-a", "chart", "chart", "A bar chart.")], tokens
    )
    assert (alone.size.width, alone.size.height) == (1160, 400)
    _, pair = plan_section(
        _section("chart", "Two charts side by side."),
        [_asset("chart-a", "chart", "chart", "A bar chart."), _asset("chart-b", "chart", "chart", "A pie chart.")],
        tokens,
    )
    assert {(a.size.width, a.size.height) for a in pair} == {(560, 340)}

    _, [video] = plan_section(
        _section("hero", "A full-width hero with a looping background video."),
        [_asset("hero-video", "video", "hero", "A slow looping background video of waves behind the text, 8 seconds.")],
        tokens,
    )
    assert video.context.role == "background loop"
    assert video.attributes.loopable and video.attributes.seconds == 8.0


def test_plan_section_compiles_attributes_from_the_element_words():
    tokens = compile_prompt(_DETAILED).tokens
    _, [image] = plan_section(
        _section("gallery", "A gallery."),
        [
            _asset(
                "gallery-photo",
                "image",
                "gallery",
                "An aerial, photorealistic photograph of a harbour at golden hour, warm tones.",
            )
        ],
        tokens,
    )
    assert "photorealistic" in image.attributes.visual_style
    assert "aerial" in image.attributes.composition
    assert "golden hour" in image.attributes.lighting
    assert "warm" in image.attributes.color_tone


def test_plan_section_is_idempotent():
    plan = compile_prompt(_DETAILED)
    for section in plan.sections:
        assets = plan.assets_of(section.id)
        once = plan_section(section, assets, plan.tokens)
        twice = plan_section(once[0], once[1], plan.tokens)
        assert once == twice


# ----------------------------------------------------------------------------- robustness

_NASTY = st.lists(
    st.one_of(
        st.sampled_from(list("“”\"'’|#-:*\n\t ,.;()[]`«»„$%©→•—")),
        st.sampled_from(
            [
                "#FFF",
                "#1a2b3c",
                "| a | b |\n|---|---|\n",
                "```csv\n",
                "### Dataset\n",
                "titled “",
                "chart",
                "video",
                "image",
                "header",
                "footer",
                "Below the hero, ",
                "three cards",
                "no videos",
                "the next section",
            ]
        ),
        st.text(max_size=12),
    ),
    max_size=80,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_NASTY)
def test_random_text_never_breaks_the_planner(text):
    plan = compile_prompt(text)
    PagePlan.model_validate(plan.model_dump())
    assert plan.sections


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "“", '"', "#", "|", "“unbalanced quote", "\x00\ud800 odd"])
def test_degenerate_prompts_still_give_a_plan(text):
    plan = compile_prompt(text)
    assert plan.sections and plan.planner == "offline"


def test_a_megabyte_prompt_compiles_in_under_five_seconds():
    rows = list(dev_prompts().values())
    if rows:
        text = "\n\n".join(rows)
    else:
        text = _DETAILED
    while len(text) < 1_000_000:
        text = text + "\n\n" + text
    text = text[:1_000_000]
    started = time.perf_counter()
    plan = compile_prompt(text)
    assert time.perf_counter() - started < 5.0
    assert plan.sections


def test_a_megabyte_of_quotes_and_pipes_compiles_in_under_five_seconds():
    for text in ("“x” " * 250_000, "| a | b |\n" * 100_000, "#ABCDEF “q” chart image. " * 40_000):
        started = time.perf_counter()
        compile_prompt(text)
        assert time.perf_counter() - started < 5.0


def test_cards_written_as_title_dash_description_pairs_become_cards():
    plan = compile_prompt(
        "Design a landing page for a bakery called “Crumb & Co.”\n\n"
        "The hero section has the headline “Baked Before Sunrise” and a photo of bread.\n\n"
        "Below, a features section titled “Why Neighbours Line Up” with three cards: “48-Hour Dough” — "
        "“Long, cold fermentation for flavour.”; “Local Flour” — “Stone-milled grain from nearby farms.”; "
        "“Zero Waste” — “Yesterday’s loaves become bread pudding.”\n\nThe footer says “© 2025 Crumb & Co.”"
    )
    items = [item for section in plan.sections for item in section.content]
    groups = {item.text: item.group for item in items}
    assert groups["48-Hour Dough"] == groups["Long, cold fermentation for flavour."] > 0
    assert groups["Local Flour"] == groups["Stone-milled grain from nearby farms."] != groups["48-Hour Dough"]
    assert groups["Zero Waste"] not in (0, groups["Local Flour"], groups["48-Hour Dough"])


# ----------------------------------------------------------------------------- prompts that list their sections

_HARBOUR = (
    'A landing page for "Harbour Lights", a seaside café. Hero with the headline "Coffee by the water" '
    'and a photo of the harbour at dusk. A menu section with three cards: "Espresso", "Flat white", '
    '"Cold brew". A short looping video of waves. A bar chart of cups sold per day: Mon 120, Tue 150, '
    "Wed 90, Thu 160. Colours: background #FFF8F0, primary #0B4F6C."
)
_HARBOUR_LINES = (
    'A landing page for "Harbour Lights", a seaside café.\n'
    'Hero: the headline "Coffee by the water" and a photo of the harbour at dusk.\n'
    'Menu section with three cards: "Espresso", "Flat white", "Cold brew".\n'
    "A short looping video of waves.\n"
    "Sales section: a bar chart of cups sold per day: Mon 120, Tue 150, Wed 90, Thu 160.\n"
    "Colours: background #FFF8F0, primary #0B4F6C."
)


def _holding(plan: PagePlan, text: str) -> SectionPlan:
    """The section whose copy shows `text`."""
    return next(s for s in plan.sections if any(i.text == text for i in s.content))


def _kinds(plan: PagePlan, section: SectionPlan) -> list[str]:
    return [a.kind for a in plan.assets_of(section.id)]


def _cards(section: SectionPlan) -> dict[int, list[str]]:
    """The texts of each card (group) of a section."""
    cards: dict[int, list[str]] = {}
    for item in section.content:
        if item.group:
            cards.setdefault(item.group, []).append(item.text)
    return cards


@pytest.mark.parametrize("prompt", [_HARBOUR, _HARBOUR_LINES], ids=["one-paragraph", "one-line-each"])
def test_a_sketch_gets_a_section_for_each_sentence_that_names_one(prompt):
    plan = compile_prompt(prompt)
    roles = [s.role for s in plan.sections]
    assert roles == ["header", "hero", "menu", "content", "chart", "footer"]
    header, hero, menu, video, chart, footer = plan.sections
    assert any(i.role == "logo" and i.text == "Harbour Lights" for i in header.content)
    assert [i.text for i in header.content if i.role == "nav"][0] == "Menu"
    assert hero.title == "Coffee by the water"
    assert "Harbour Lights" in [i.text for i in hero.content]
    assert _kinds(plan, hero) == ["image"] and "harbour at dusk" in plan.assets_of(hero.id)[0].prompt
    assert _cards(menu) == {1: ["Espresso"], 2: ["Flat white"], 3: ["Cold brew"]}
    assert _kinds(plan, menu) == []
    assert _kinds(plan, video) == ["video"] and not video.content
    assert "waves" in plan.assets_of(video.id)[0].prompt
    [bars] = plan.assets_of(chart.id)
    assert bars.kind == "chart" and bars.attributes.chart_type == "bar"
    assert bars.dataset.columns == ["Label", "Value"]
    assert bars.dataset.rows == [["Mon", "120"], ["Tue", "150"], ["Wed", "90"], ["Thu", "160"]]
    assert any(i.role == "legal" and "Harbour Lights" in i.text for i in footer.content)
    assert (plan.tokens.palette.background, plan.tokens.palette.primary) == ("#FFF8F0", "#0B4F6C")
    assert plan.title == "Harbour Lights"


def test_a_labelled_section_is_named_in_the_prompts_words():
    plan = compile_prompt(_HARBOUR_LINES)
    chart = next(s for s in plan.sections if s.role == "chart")
    assert chart.title == "Sales"
    assert [i.text for i in plan.sections[0].content if i.role == "nav"] == ["Menu", "Sales"]
    assert "Colours" not in chart.brief  # a page-wide line is not part of the last section


def test_a_saas_sketch_groups_counted_cards_plans_and_questions():
    plan = compile_prompt(
        'A landing page for "Tidal", a note-taking app for teams. Hero with the headline "Notes that flow" and a '
        'screenshot of the app. Three feature cards: "Fast sync", "Offline mode", "Team spaces". Pricing with two plans: '
        '"Starter" at "$9/month" and "Pro" at "$29/month". FAQ with three questions: "Can I cancel anytime?", '
        '"Is there a free trial?", "Do you offer refunds?". Footer with "© 2025 Tidal Labs".'
    )
    assert [s.role for s in plan.sections] == ["header", "hero", "features", "pricing", "faq", "footer"]
    header, hero, features, pricing, faq, footer = plan.sections
    assert [i.text for i in header.content] == ["Tidal", "Features", "Pricing", "FAQ"]
    assert hero.title == "Notes that flow" and _kinds(plan, hero) == ["image"]
    assert _cards(features) == {1: ["Fast sync"], 2: ["Offline mode"], 3: ["Team spaces"]}
    assert _cards(pricing) == {1: ["Starter", "$9/month"], 2: ["Pro", "$29/month"]}
    assert [i.role for i in pricing.content] == ["subheading", "price", "subheading", "price"]
    assert list(_cards(faq).values()) == [
        ["Can I cancel anytime?"],
        ["Is there a free trial?"],
        ["Do you offer refunds?"],
    ]
    assert [i.text for i in footer.content] == ["© 2025 Tidal Labs"]  # the prompt's own footer is kept as it is
    assert not plan.assets_of(features.id) and not plan.assets_of(pricing.id)


def test_a_portfolio_sketch_keeps_its_gallery_and_reel_in_their_own_sections():
    plan = compile_prompt(
        'Portfolio site for the photographer "Mara Okafor".\n'
        'Hero: the tagline "Light, patiently" and a portrait of Mara with her camera.\n'
        "Gallery of six photos of coastal landscapes at dawn.\n"
        "A video reel of her 2024 commissions.\n"
        'About section with a short bio: "Based in Lisbon, shooting since 2012."\n'
        'Contact: a button "Book a shoot" and the email "hello@maraokafor.com".'
    )
    roles = [s.role for s in plan.sections]
    assert roles == ["header", "hero", "gallery", "content", "about", "contact", "footer"]
    _, hero, gallery, reel, about, contact, _ = plan.sections
    assert _kinds(plan, hero) == ["image"] and "portrait of Mara" in plan.assets_of(hero.id)[0].prompt
    assert _kinds(plan, gallery) == ["image"] * 6
    assert _kinds(plan, reel) == ["video"]
    assert [i.text for i in about.content] == ["Based in Lisbon, shooting since 2012."] and not _kinds(plan, about)
    assert any(i.role == "button" and i.text == "Book a shoot" for i in contact.content)
    assert _holding(plan, "Light, patiently") is hero


def test_a_conference_sketch_puts_its_table_speakers_and_chart_where_it_says():
    plan = compile_prompt(
        'Website for "DevNorth 2025", a two-day developer conference in Oslo. Hero with the headline "Build for the cold" '
        'and a photo of the venue at night. Speakers section with four speakers: "Ada Berg", "Jonas Lie", "Priya Nair", '
        '"Tom Eriksen", each with a portrait. Schedule with the day\'s talks:\n\n| Time | Talk |\n|---|---|\n'
        "| 09:00 | Keynote |\n| 10:30 | Rust at scale |\n| 13:00 | Edge AI |\n\n"
        'A line chart of registrations per week: W1 40, W2 85, W3 160, W4 240. Tickets: "Early bird €199" and '
        '"Standard €299". Footer with "Oslo Spektrum" and "© DevNorth".'
    )
    roles = [s.role for s in plan.sections]
    assert roles == ["header", "hero", "speakers", "schedule", "chart", "pricing", "footer"]
    _, hero, speakers, schedule, chart, tickets, footer = plan.sections
    assert hero.title == "Build for the cold" and _kinds(plan, hero) == ["image"]
    assert list(_cards(speakers).values()) == [["Ada Berg"], ["Jonas Lie"], ["Priya Nair"], ["Tom Eriksen"]]
    assert _kinds(plan, speakers) == ["image"] * 4
    [table] = schedule.tables
    assert table.columns == ["Time", "Talk"] and table.rows[1] == ["10:30", "Rust at scale"]
    [line] = plan.assets_of(chart.id)
    assert line.attributes.chart_type == "line"
    assert line.dataset.rows == [["W1", "40"], ["W2", "85"], ["W3", "160"], ["W4", "240"]]
    assert [i.text for i in tickets.content] == ["Early bird €199", "Standard €299"]
    assert [i.text for i in footer.content] == ["Oslo Spektrum", "© DevNorth"]


def test_a_french_sketch_is_cut_at_its_french_section_names():
    plan = compile_prompt(
        "Une page d'accueil pour « Atelier Lumière », un studio de céramique à Lyon. Section hero avec le titre "
        "« Façonné à la main » et une photo de l'atelier. Cours : trois cartes « Initiation », « Tournage », « Émaillage ». "
        "Une vidéo en boucle du tour de potier. Tarifs : « Séance 45 € » et « Forfait 160 € ». "
        "Pied de page avec « Contact » et « Instagram ». Couleurs : fond #FAF6F0, couleur principale #8C4A2F."
    )
    assert plan.language == "fr" and plan.title == "Atelier Lumière"
    assert [s.role for s in plan.sections] == ["header", "hero", "courses", "content", "pricing", "footer"]
    header, hero, courses, video, pricing, footer = plan.sections
    assert [i.text for i in header.content if i.role == "nav"] == ["Cours", "Tarifs"]
    assert hero.title == "Façonné à la main" and _kinds(plan, hero) == ["image"]
    assert _cards(courses) == {1: ["Initiation"], 2: ["Tournage"], 3: ["Émaillage"]}
    assert _kinds(plan, video) == ["video"]
    assert pricing.title == "Tarifs" and [i.text for i in pricing.content] == ["Séance 45 €", "Forfait 160 €"]
    assert [i.text for i in footer.content] == ["Contact", "Instagram"]
    assert (plan.tokens.palette.background, plan.tokens.palette.primary) == ("#FAF6F0", "#8C4A2F")


def test_a_dashboard_sketch_keeps_consecutive_charts_together():
    plan = compile_prompt(
        'An analytics dashboard for "Greenline Energy". KPI strip: "Output 4.2 MW", "Uptime 99.1%", "Sites 12". '
        "A line chart of daily output: Mon 3.9, Tue 4.1, Wed 4.4, Thu 4.2, Fri 4.0. A donut chart of energy mix: "
        'Solar 55, Wind 30, Hydro 15. Alerts table with three rows: "Inverter 3 offline", "Low wind at Site 7", "Maintenance due".'
    )
    assert [s.role for s in plan.sections] == ["header", "stats", "chart", "table", "footer"]
    stats, charts = plan.sections[1], plan.sections[2]
    assert [i.role for i in stats.content if i.text != "Greenline Energy"] == ["stat", "stat", "stat"]
    line, donut = plan.assets_of(charts.id)
    assert (line.attributes.chart_type, donut.attributes.chart_type) == ("line", "donut")
    assert donut.dataset.rows == [["Solar", "55"], ["Wind", "30"], ["Hydro", "15"]]
    assert charts.layout.columns == 2
    assert _holding(plan, "Maintenance due").role == "table"


def test_a_short_bulleted_sketch_is_compiled_from_its_own_words():
    plan = compile_prompt(
        'Landing page for "Bloom", a flower delivery service.\n'
        '- Hero: headline "Fresh flowers, every Friday" with a photo of a bouquet on a doorstep\n'
        '- How it works: three steps "Choose", "Schedule", "Enjoy"\n'
        "- Gallery of four bouquet photos\n"
        '- Testimonials: "Best gift ever" and "Always on time"\n'
        '- Footer: "© Bloom 2025"'
    )
    assert [s.role for s in plan.sections] == ["header", "hero", "steps", "gallery", "testimonials", "footer"]
    assert _cards(plan.sections[2]) == {1: ["Choose"], 2: ["Schedule"], 3: ["Enjoy"]}
    assert _kinds(plan, plan.sections[1]) == ["image"]
    assert _kinds(plan, plan.sections[3]) == ["image"] * 4


def test_a_sketch_under_300_characters_still_keeps_the_sections_it_names():
    plan = compile_prompt(
        'A landing page for a yoga studio called Still Point. Hero with a calm photo of a studio at sunrise and the headline "Breathe". '
        'Classes: "Vinyasa", "Yin", "Restorative". Testimonials from three students. Pricing: "Drop-in $15" and "Monthly $99". '
        "Footer with social links."
    )
    assert plan.title == "Still Point"
    assert [s.role for s in plan.sections] == ["header", "hero", "courses", "testimonials", "pricing", "footer"]
    testimonials, footer = plan.sections[3], plan.sections[5]
    assert (
        testimonials.title == "Testimonials" and "three students" in testimonials.brief
    )  # named, though it quotes nothing
    assert [i.text for i in footer.content] == [
        "Still Point",
        "© Still Point",
    ]  # the named footer gets the page's frame


def test_a_video_that_plays_behind_the_headline_stays_in_the_hero():
    plan = compile_prompt(
        'A landing page for "Surf Club". Hero with the headline "Ride the swell". A looping video of waves plays behind the headline. '
        'Lessons section with three cards: "Beginner", "Improver", "Pro". Footer with "© Surf Club".'
    )
    assert [s.role for s in plan.sections] == ["header", "hero", "courses", "footer"]
    assert _kinds(plan, plan.sections[1]) == ["video"]


def test_a_long_paragraph_that_labels_a_few_parts_is_not_a_list_of_sections():
    paragraph = (
        "Below the header, the pricing section shows three plan cards on a pale grey band. Each card has a white background "
        'and a thin border. The middle card is highlighted with a coral outline. Features: "Unlimited notes", "Sync". '
        'Each card ends with a full-width button. The buttons are navy with white text. Includes: "Priority support". '
        "The cards sit on a soft shadow and share one height."
    )
    prompt = _DETAILED.replace("The footer lists", paragraph + "\n\nThe footer lists")
    before = [s.role for s in compile_prompt(_DETAILED).sections]
    after = [s.role for s in compile_prompt(prompt).sections]
    assert after == before[:-1] + ["pricing", "footer"]


def test_a_transition_and_a_count_open_a_section_of_cards():
    plan = compile_prompt(
        'A landing page for "Peak Fitness". Hero section: headline "Stronger every week" and a video of a group class. '
        'Below it, three cards: "Strength", "Cardio", "Mobility". A bar chart of members per month: Jan 120, Feb 180, Mar 240. '
        'Testimonials: "Best gym in town" and "Changed my life".'
    )
    assert [s.role for s in plan.sections] == ["header", "hero", "content", "chart", "testimonials", "footer"]
    hero, cards, chart = plan.sections[1:4]
    assert _kinds(plan, hero) == ["video"]
    assert _cards(cards) == {1: ["Strength"], 2: ["Cardio"], 3: ["Mobility"]}
    assert plan.assets_of(chart.id)[0].dataset.rows == [["Jan", "120"], ["Feb", "180"], ["Mar", "240"]]
    assert [i.text for i in plan.sections[0].content if i.role == "nav"] == ["Testimonials"]  # no link to a bare chart


def test_a_numbered_list_with_bare_labels_keeps_one_section_per_item():
    plan = compile_prompt(
        'A one-page site for the studio "Fold & Form".\n\n'
        '1. Hero: big headline "Quiet design, loud results" and a short intro "We shape brands for makers."\n'
        "2. Work: a gallery of eight project thumbnails.\n"
        '3. Process: four steps "Listen", "Sketch", "Refine", "Launch".\n'
        "4. A showreel video of recent projects.\n"
        '5. Footer: "© Fold & Form".'
    )
    assert [s.role for s in plan.sections][:2] == ["header", "hero"] and plan.sections[-1].role == "footer"
    work, process, reel = plan.sections[2:5]
    assert work.title == "Work" and _kinds(plan, work) == ["image"] * 8
    assert _cards(process) == {1: ["Listen"], 2: ["Sketch"], 3: ["Refine"], 4: ["Launch"]}
    assert _kinds(plan, reel) == ["video"]
    assert [i.text for i in plan.sections[0].content if i.role == "nav"] == ["Work", "Process"]


def _content_titles(plan: PagePlan) -> list[str]:
    return [s.title for s in plan.sections if s.role not in {"header", "footer"}]


@pytest.mark.parametrize("count", [20, 40])
def test_a_prompt_naming_many_sections_keeps_every_one(count):
    plan = compile_prompt(synthetic_prompt(count, media=0))
    assert _content_titles(plan) == [heading(n) for n in range(count)]
    assert plan.sections[0].role == "header" and plan.sections[-1].role == "footer"


def test_a_prompt_naming_more_sections_than_a_page_holds_keeps_the_most_and_warns(caplog):
    with caplog.at_level("WARNING", logger="webagent.planners.offline.sections"):
        plan = compile_prompt(synthetic_prompt(50, media=0))
    titles = _content_titles(plan)
    assert len(titles) == MAX_NAMED_SECTIONS and set(titles) <= {heading(n) for n in range(50)}
    assert any(
        "names 50 sections" in r.getMessage() and f"at most {MAX_NAMED_SECTIONS}" in r.getMessage()
        for r in caplog.records
    )


def test_a_prompt_asking_twenty_media_elements_plans_all_twenty():
    plan = compile_prompt(synthetic_prompt(10, media=20))
    assert len(plan.assets) == 20
    assert [a.kind for a in plan.assets].count("chart") == 6
    named = [s for s in plan.sections if s.title in {heading(n) for n in range(10)}]
    assert len(named) == 10 and all(len(plan.assets_of(s.id)) == 2 for s in named)


def test_media_of_prose_sections_merged_to_a_readable_page_are_all_kept():
    paragraphs = [
        f"Below that, the {ROLES[n % len(ROLES)]} section titled “{heading(n)}” presents our gear with a heading and "
        f"friendly copy. {media_sentence(3 * n + 1)}"  # a video each: merged, one reads as more words about the other
        for n in range(18)
    ]
    plan = compile_prompt("\n\n".join(["Design a landing page for an outdoor gear shop.", *paragraphs]))
    assert len(plan.sections) <= 14  # prose still merges into a readable page (header and footer included)
    assert [a.kind for a in plan.assets] == ["video"] * 18
