"""Damages done to a built page folder, for the judge's calibration (tests/test_calibration.py and
benchmarks/calibration.py): each makes the page worse in one way a person would notice.

Written with BeautifulSoup and plain file edits on index.html and its assets, apart from the agent's own code,
so that the judge is checked by something it does not share code with.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from webagent.core.files import safe_join

UNRELATED_COPY = (
    "Brake pads and timing belts replaced while you wait at our garage on the ring road.",
    "Every mechanic is certified for diesel engines, gearboxes and exhaust systems.",
    "Book an MOT inspection online and collect your car after the tyre alignment.",
)
FAINT_TEXT_CSS = (
    "html, body { background: #ffffff !important; } "
    "body *:not(img):not(video):not(canvas) { color: #fafafa !important; background: #ffffff !important; "
    "text-shadow: none !important; }"
)


def edit_page(folder: Path, change: Callable[[BeautifulSoup], None]) -> None:
    """Apply ``change`` to folder/index.html and write it back."""
    page = folder / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    change(soup)
    page.write_text(str(soup), encoding="utf-8")


def main_sections(soup: BeautifulSoup) -> list[Tag]:
    """The page's ``<section>`` elements that are not inside another one, in order."""
    return [s for s in soup.find_all("section") if s.find_parent("section") is None]


def remove_section(folder: Path, prompt: str) -> None:
    """The second top-level section (the first after the opening one) is gone."""
    edit_page(folder, lambda soup: main_sections(soup)[1].decompose())


def change_chart_numbers(folder: Path, prompt: str) -> None:
    """Every number a chart draws (the series data of each option, inline in the page or in a file) is tripled
    plus seven."""

    def changed(value: object) -> object:
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)):
            return value * 3 + 7
        if isinstance(value, list):
            return [changed(item) for item in value]
        if isinstance(value, dict):
            return {key: changed(item) if key == "value" else item for key, item in value.items()}
        return value

    def with_changed_series(value: object) -> object:
        if isinstance(value, dict):
            if isinstance(value.get("series"), list):
                return {**value, "series": [{**s, "data": changed(s.get("data", []))} for s in value["series"]]}
            return {key: with_changed_series(item) for key, item in value.items()}
        return value

    for path in (folder / "assets").glob("*.json"):
        path.write_text(json.dumps(with_changed_series(json.loads(path.read_text(encoding="utf-8")))), encoding="utf-8")

    def change(soup: BeautifulSoup) -> None:
        for script in soup.find_all("script", attrs={"type": "application/json"}):
            script.string = json.dumps(with_changed_series(json.loads(script.get_text())))

    edit_page(folder, change)


def hide_text(text: str) -> Callable[[Path, str], None]:
    """A damage: the innermost element showing ``text`` gets ``opacity: 0`` (it keeps its place and its box)."""

    def damage(folder: Path, prompt: str) -> None:
        def change(soup: BeautifulSoup) -> None:
            holders = [el for el in soup.body.find_all(True) if text in el.get_text(" ")]
            innermost = holders[-1]
            innermost["style"] = f"{innermost.get('style', '')};opacity:0".lstrip(";")

        edit_page(folder, change)

    return damage


def replace_copy(folder: Path, prompt: str) -> None:
    """Every paragraph, list item, heading and caption says something about a car garage instead; alt texts too."""

    def change(soup: BeautifulSoup) -> None:
        for index, tag in enumerate(
            soup.body.find_all(["p", "li", "h1", "h2", "h3", "h4", "figcaption", "blockquote"])
        ):
            tag.string = UNRELATED_COPY[index % len(UNRELATED_COPY)]
        for tag in soup.body.find_all(alt=True):
            tag["alt"] = "a mechanic under a car"
        for tag in soup.body.find_all(["a", "button", "span", "strong", "em", "dt", "dd", "td", "th"]):
            if tag.string:
                tag.string = "Garage"

    edit_page(folder, change)


def drop_videos(folder: Path, prompt: str) -> None:
    """Every video of the page is gone (with the figure holding it)."""

    def change(soup: BeautifulSoup) -> None:
        for video in soup.body.find_all("video"):
            (video.find_parent("figure") or video).decompose()

    edit_page(folder, change)


def break_images(folder: Path, prompt: str) -> None:
    """Every image file the page shows holds bytes no browser can decode."""
    soup = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    for source in {img["src"] for img in soup.body.find_all("img", src=True)}:
        safe_join(folder, source).write_bytes(b"not an image" * 64)  # never a file outside the copied page


def overflow_on_phones(folder: Path, prompt: str) -> None:
    """A line of copy that never wraps, after the first section: at 390 px it runs past the right edge (the
    reader loses its end, or scrolls sideways for it); at 1440 px it fits."""

    def change(soup: BeautifulSoup) -> None:
        line = soup.new_tag("p", attrs={"style": "white-space:nowrap;margin:0 16px"})
        line.string = "Crossings leave every half hour from eight in the morning until six in the evening"
        main_sections(soup)[0].insert_after(line)

    edit_page(folder, change)


def faint_text(folder: Path, prompt: str) -> None:
    """Every text is near-white on white (contrast about 1.04:1)."""

    def change(soup: BeautifulSoup) -> None:
        style = soup.new_tag("style")
        style.string = FAINT_TEXT_CSS
        soup.head.append(style)

    edit_page(folder, change)
