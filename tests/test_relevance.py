"""Relevance: a page about what its prompt asks scores 1, a page about something else 0, from words alone."""

from __future__ import annotations

from webagent.webbench.evaluation.contracts import ElementEvidence
from webagent.webbench.evaluation.relevance import relevance, subject_weights, words

PROMPT = (
    "Design a warm landing page for “Crumb & Co.”, a neighbourhood bakery in Leeds, with a cream (#FFF8EE) "
    "background and a serif headline. The hero shows a photo of sourdough loaves cooling on a rack. A section "
    "lists the croissants, rye breads and seeded buns baked before sunrise, and a visit section gives the opening "
    "hours and the address on Mill Lane."
)
BAKERY_PAGE = (
    "Crumb & Co.\nBaked before sunrise in Leeds\nOur neighbourhood bakery shapes sourdough by hand.\n"
    "Croissants · Rye breads · Seeded buns\nVisit us\nOpen 7am–3pm, 12 Mill Lane"
)
GARAGE_PAGE = (
    "Ring Road Motors\nBrake pads and timing belts replaced while you wait.\nCertified mechanics for diesel "
    "engines.\nBook an MOT online\nOpen 8am–6pm, 3 Ring Road"
)


def test_words_are_subject_words_folded_and_singular():
    assert words("The hero shows THREE photos of Croissants on a #FFF8EE background") == ["croissant"]
    assert words("Stories and classes") == ["story", "class"]
    assert words("東京の寿司") == ["東京", "京の", "の寿", "寿司"]


def test_names_weigh_double_and_repeated_words_more():
    weights = subject_weights("A page for a bakery. The bakery is owned by Ada Okafor in York.")
    assert weights["okafor"] == weights["york"] == 2.0 and weights["owned"] == 1.0
    assert 1.0 < weights["bakery"] < 2.0


def test_a_page_about_its_prompt_scores_one_and_a_page_about_something_else_zero():
    assert relevance(PROMPT, BAKERY_PAGE, []) == (1.0, [])
    score, missed = relevance(PROMPT, GARAGE_PAGE, [])
    assert score == 0.0
    assert missed[0].endswith("of the prompt's subject words are on the page")
    assert any(part.startswith("“Design a warm landing page for “Crumb & Co.”,") for part in missed[1:]), missed


def test_alt_texts_and_captions_count_as_shown():
    photo = ElementEvidence(
        index=0,
        kind="image",
        rendered=True,
        html='<figure><img alt="Sourdough loaves and croissants cooling on a rack"><figcaption>Rye breads and '
        "seeded buns, baked before sunrise</figcaption></figure>",
    )
    without, _ = relevance(PROMPT, "Crumb & Co.\nVisit us", [])
    with_photo, _ = relevance(PROMPT, "Crumb & Co.\nVisit us", [photo])
    assert with_photo > without
