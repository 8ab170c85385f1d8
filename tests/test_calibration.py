"""The judge can fail: each kind of damage done to a built page lowers the score that should notice it by 0.2 or
more under the static judge, the undamaged page scores the same twice, and a page judged against an unrelated
prompt averages 0.5 or less.

The page is built offline from a prompt written for this file; the damages (tests/damages.py) edit its folder
with code the judge does not share.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from statistics import fmean

import pytest

from tests import damages
from webagent.core.config import Settings
from webagent.engine.build import build
from webagent.webbench.bench.runner import score_page
from webagent.webbench.evaluation.contracts import PageEvaluation

PROMPT = (
    "Design a landing page for “Harbour Lights Ferry”, a small passenger ferry between Oban and the isle of "
    "Kerrera. Use a navy (#1B2A4A) and sea-glass green (#7FB8A4) palette on a light page.\n\n"
    "The hero shows the headline “Cross the Sound in Ten Minutes” beside a photo of the ferry at the pier at dawn.\n\n"
    "A timetable section titled “Sailing Times” lists the crossings every half hour from 8am to 6pm, with the "
    "fares for foot passengers and bicycles.\n\n"
    "A section titled “On Board” plays a short looping video of passengers watching seals from the deck.\n\n"
    "A section titled “Passengers per Month” shows a bar chart: April 1200, May 1850, June 2600, July 3100, "
    "August 2900.\n\n"
    "A contact section titled “Find the Pier” gives the address on Gallanach Road and the ferry's phone number."
)
UNRELATED_PROMPT = (
    "Create a homepage for “Ember & Oak”, a wood-fired pizza restaurant in Naples. The hero shows a photo of a "
    "pizzaiolo sliding a margherita into the oven. Add a menu of eight pizzas with prices, a photo gallery of "
    "the dining room, and a booking section with opening hours."
)
DROP = 0.2
TOLERANCE = 1e-6

# damage → the score that should notice it
DAMAGES: dict[str, tuple[Callable[[Path, str], None], str]] = {
    "a section removed": (damages.remove_section, "layout"),
    "chart numbers changed": (damages.change_chart_numbers, "chart"),
    "the headline hidden by opacity": (damages.hide_text("Cross the Sound in Ten Minutes"), "layout"),
    "copy about another subject": (damages.replace_copy, "average"),
    "the video dropped": (damages.drop_videos, "video"),
    "the image broken": (damages.break_images, "image"),
    "overflow at 390 px": (damages.overflow_on_phones, "layout"),
    "unreadable contrast": (damages.faint_text, "aesthetics"),
}


def scores_of(evaluation: PageEvaluation) -> dict[str, float]:
    """The page's protocol scores with their average, and its deterministic metrics."""
    scores = {name: value for name, value in evaluation.scores.model_dump().items() if value is not None}
    return {**scores, "average": fmean(scores.values()), **evaluation.metrics.model_dump(exclude={"details"})}


def judged(folder: Path, prompt: str, session) -> dict[str, float]:
    """The folder scored by the static judge, as `webagent eval` scores it."""
    _, evaluation = score_page(prompt, folder.name, folder, folder / "evaluation", "static", Settings(), session)
    return scores_of(evaluation)


@pytest.fixture(scope="module")
def built(tmp_path_factory, browser_session) -> Path:
    folder = tmp_path_factory.mktemp("calibration") / "page"
    build(PROMPT, folder, Settings(media_cache=False), browser=browser_session)
    return folder


@pytest.fixture(scope="module")
def undamaged(built, browser_session) -> dict[str, float]:
    return judged(built, PROMPT, browser_session)


def copy_of(built: Path, folder: Path) -> Path:
    shutil.copytree(built, folder, ignore=shutil.ignore_patterns("evaluation"))
    return folder


@pytest.mark.browser
def test_the_undamaged_page_scores_high_and_the_same_twice(built, undamaged, tmp_path, browser_session):
    assert undamaged["average"] >= 0.9 and undamaged["relevance"] == 1.0, undamaged
    assert {"image", "video", "chart"} <= undamaged.keys()
    again = judged(copy_of(built, tmp_path / "page"), PROMPT, browser_session)
    assert again == undamaged


@pytest.mark.browser
@pytest.mark.parametrize("damage", list(DAMAGES))
def test_each_damage_lowers_the_score_that_should_notice_it(damage, built, undamaged, tmp_path, browser_session):
    harm, score = DAMAGES[damage]
    folder = copy_of(built, tmp_path / "page")
    harm(folder, PROMPT)
    damaged = judged(folder, PROMPT, browser_session)
    assert undamaged[score] - damaged[score] >= DROP - TOLERANCE, (damage, score, undamaged[score], damaged[score])


@pytest.mark.browser
def test_a_page_judged_against_an_unrelated_prompt_averages_half_or_less(built, tmp_path, browser_session):
    scores = judged(copy_of(built, tmp_path / "page"), UNRELATED_PROMPT, browser_session)
    assert scores["average"] <= 0.5 and scores["relevance"] < 0.5, scores
