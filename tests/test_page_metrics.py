"""Prompt parsing and the text, colour and media metrics, and the visible text and colours a page load records."""

from __future__ import annotations

import pytest

from webagent.webbench.evaluation.contracts import ElementEvidence, RequiredElement
from webagent.webbench.evaluation.evidence import collect_evidence
from webagent.webbench.evaluation.metrics import (
    colour_recall,
    hex_colours,
    media_coverage,
    quoted_strings,
    section_order,
    text_recall,
)


def test_quoted_strings_are_found_in_order_including_nested_quotes():
    prompt = 'A header “PIXEL POP” and a button "Sign In"; a quote ““Best camp ever.”” and it’s fine.'
    assert quoted_strings(prompt) == ["PIXEL POP", "Sign In", "Best camp ever."]


def test_hex_colours_are_normalised_and_html_entities_ignored():
    assert hex_colours("bg #fff8ee, text #3B2418, again #FFF8EE, entity &#123; short #abc") == [
        "#FFF8EE",
        "#3B2418",
        "#AABBCC",
    ]


def test_text_recall_ignores_case_dashes_and_trailing_punctuation():
    score, missing = text_recall(["Level Up.", "Day 1 — Play", "Not there"], "LEVEL UP\nday 1 - play")
    assert score == pytest.approx(2 / 3) and missing == ["Not there"]


def test_colour_recall_allows_rounding_but_not_other_colours():
    score, missing = colour_recall(["#FF66A3", "#00FF00"], {"#FE66A3", "#FF0000"})
    assert score == 0.5 and missing == ["#00FF00"]


def test_media_coverage_counts_rendered_elements_up_to_what_each_kind_requires():
    def element(kind: str, rendered: bool) -> ElementEvidence:
        return ElementEvidence(index=0, kind=kind, rendered=rendered)

    required = [RequiredElement(kind="image", description="a"), RequiredElement(kind="chart", description="b")]
    three_images = [element("image", True)] * 3
    assert media_coverage(required, three_images + [element("chart", False)]) == (
        0.5,
        ["chart: 1 of 1 required not rendered"],
    )
    assert media_coverage(required, three_images + [element("chart", True)]) == (1.0, [])
    assert media_coverage([], []) == (1.0, [])


def test_section_order_compares_first_occurrences_of_distinct_quotes():
    assert section_order(["Intro", "Menu", "Intro", "Contact"], "intro … menu … contact … intro") == (1.0, [])
    assert section_order(["A one", "B two", "C three"], "C three, A one, B two") == (
        0.5,
        ["“C three” comes before “B two”"],
    )
    assert section_order(["A one", "Missing"], "A one") == (1.0, [])


@pytest.mark.browser
def test_evidence_holds_visible_text_and_computed_colours(tmp_path, browser_session):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text(
        "<meta charset='utf-8'><body style='background:#FFF8EE;color:#3B2418'><p style='border-bottom:2px solid #C8742B'>Hello “there”</p>"
        "<p style='display:none;color:#00FF00'>hidden</p><span style='color:rgba(255,0,255,0)'>clear</span>"
        "<input placeholder='you@example.com'><input type='hidden' placeholder='not shown'></body>"
    )
    evidence = collect_evidence(browser_session, tmp_path / "site", tmp_path / "evidence")
    assert "Hello “there”" in evidence.visible_text and "hidden" not in evidence.visible_text
    assert "you@example.com" in evidence.visible_text and "not shown" not in evidence.visible_text
    assert {"#FFF8EE", "#3B2418", "#C8742B"} <= set(evidence.colours)
    assert "#00FF00" not in evidence.colours and "#FF00FF" not in evidence.colours


HIDDEN_WAYS = {
    "opacity 0 on the element": "<p style='opacity:0'>{}</p>",
    "opacity inherited from a wrapper": "<div style='opacity:0.3'><div style='opacity:0.2'><p>{}</p></div></div>",
    "reveal on scroll never revealed": "<style>.reveal{{opacity:0;transform:translateY(20px)}}</style><p class='reveal'>{}</p>",
    "visibility hidden": "<p style='visibility:hidden'>{}</p>",
    "moved off the page": "<p style='position:absolute;left:-5000px'>{}</p>",
    "zero-sized and clipped": "<div style='height:0;overflow:hidden'><p>{}</p></div>",
    "the background's own colour": "<div style='background:#FFFFFF'><p style='color:#FDFDFD'>{}</p></div>",
}


@pytest.mark.browser
def test_text_a_person_could_not_see_is_not_visible_text(tmp_path, browser_session):
    (tmp_path / "site").mkdir()
    body = "".join(way.format(f"Hidden number {n}") for n, way in enumerate(HIDDEN_WAYS.values()))
    shown = (
        "<p>Shown plainly</p><p style='opacity:0.6'>Shown faded</p>"
        "<div style='background:#111'><p style='color:#EEE'>Shown light on dark</p></div>"
        "<p>Split <b>in</b> <a href='#'>parts</a></p><table><tr><td>Cell one</td><td>Cell two</td></tr></table>"
    )
    (tmp_path / "site" / "index.html").write_text(f"<meta charset='utf-8'><body>{shown}{body}</body>")
    text = collect_evidence(browser_session, tmp_path / "site", tmp_path / "evidence").visible_text
    for phrase in ("Shown plainly", "Shown faded", "Shown light on dark", "Split in parts", "Cell one Cell two"):
        assert phrase in " ".join(text.split()), phrase
    hidden = {way: f"Hidden number {n}" in text for n, way in enumerate(HIDDEN_WAYS)}
    assert not any(hidden.values()), [way for way, found in hidden.items() if found]
    assert text_recall(["Shown plainly", "Hidden number 0"], text)[0] == 0.5


@pytest.mark.browser
def test_media_a_person_could_not_see_are_not_counted(tmp_path, browser_session):
    (tmp_path / "site").mkdir()
    pixel = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    image = f"<img src='{pixel}' width='200' height='120' data-asset-id='{{}}'>"
    (tmp_path / "site" / "index.html").write_text(
        "<meta charset='utf-8'><body>"
        + image.format("shown")
        + f"<div style='opacity:0'>{image.format('faded-out')}</div>"
        + f"<div style='visibility:hidden'>{image.format('invisible')}</div>"
        + f"<div style='position:absolute;left:-4000px'>{image.format('off-page')}</div>"
        + "</body>"
    )
    evidence = collect_evidence(browser_session, tmp_path / "site", tmp_path / "evidence")
    assert [e.asset_id for e in evidence.elements if e.kind == "image"] == ["shown"]
