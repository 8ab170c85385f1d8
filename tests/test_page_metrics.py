"""Deterministic page metrics: quoted-text recall, palette recall and media coverage."""

from __future__ import annotations

import pytest

from webagent.render import serve_folder
from webagent.state import ElementHealth, RenderHealth
from webbench.page_metrics import colour_recall, hex_colours, media_coverage, quoted_strings, read_page, text_recall


def test_quoted_strings_are_found_in_order_including_nested_quotes():
    prompt = 'A header “PIXEL POP” and a button "Sign In"; a quote ““Best camp ever.”” and it’s fine.'
    assert quoted_strings(prompt) == ["PIXEL POP", "Sign In", "Best camp ever."]


def test_hex_colours_are_normalised_and_html_entities_ignored():
    assert hex_colours("bg #fff8ee, text #3B2418, again #FFF8EE, entity &#123; short #abc") == ["#FFF8EE", "#3B2418", "#AABBCC"]


def test_text_recall_ignores_case_dashes_and_trailing_punctuation():
    score, missing = text_recall(["Level Up.", "Day 1 — Play", "Not there"], "LEVEL UP\nday 1 - play")
    assert score == pytest.approx(2 / 3) and missing == ["Not there"]


def test_colour_recall_allows_rounding_but_not_other_colours():
    score, missing = colour_recall(["#FF66A3", "#00FF00"], {"#FE66A3", "#FF0000"})
    assert score == 0.5 and missing == ["#00FF00"]


def test_media_coverage_counts_rendered_elements():
    health = RenderHealth(elements=[ElementHealth(id="a", kind="image", ok=True), ElementHealth(id="b", kind="chart", ok=False)])
    assert media_coverage(2, health) == 0.5
    assert media_coverage(0, health) == 1.0


@pytest.mark.browser
def test_read_page_sees_visible_text_and_computed_colours(tmp_path, browser_session):
    (tmp_path / "index.html").write_text(
        "<meta charset='utf-8'><body style='background:#FFF8EE;color:#3B2418'><p style='border-bottom:2px solid #C8742B'>Hello “there”</p>"
        "<p style='display:none;color:#00FF00'>hidden</p><span style='color:rgba(255,0,255,0)'>clear</span>"
        "<input placeholder='you@example.com'><input type='hidden' placeholder='not shown'></body>"
    )

    def read(browser):
        with serve_folder(tmp_path) as origin:
            page = browser.new_page()
            page.goto(f"{origin}/index.html")
            try:
                return read_page(page)
            finally:
                page.close()

    text, colours = browser_session.call(read)
    assert "Hello “there”" in text and "hidden" not in text
    assert "you@example.com" in text and "not shown" not in text
    assert {"#FFF8EE", "#3B2418", "#C8742B"} <= colours
    assert "#00FF00" not in colours and "#FF00FF" not in colours
