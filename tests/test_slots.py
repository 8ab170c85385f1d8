"""Element slots: assembly puts each generated element into its slot, whatever the section's writer did."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.test_generators import make_spec
from webagent.core.contracts import GeneratedAsset
from webagent.core.slots import fill_slots

IMAGE = make_spec("image")
VIDEO = make_spec("video")
MADE = {
    IMAGE.id: GeneratedAsset(id=IMAGE.id, kind="image", path="assets/hero.webp", backend="offline"),
    VIDEO.id: GeneratedAsset(
        id=VIDEO.id,
        kind="video",
        path="assets/loop.mp4",
        backend="offline",
        sources=["assets/loop.webm"],
        poster="assets/loop-poster.webp",
    ),
}


def filled(html: str, specs=(IMAGE, VIDEO), made=MADE) -> BeautifulSoup:
    return BeautifulSoup(fill_slots(html, list(specs), made), "html.parser")


def test_each_slot_gets_its_element_with_exact_paths():
    page = filled(
        f'<section id="s"><figure data-slot="{IMAGE.id}"><figcaption>Bread</figcaption></figure>'
        f'<div data-slot="{VIDEO.id}"></div></section>'
    )
    image = page.find("img")
    assert (image["src"], image["data-asset-id"]) == ("assets/hero.webp", IMAGE.id)
    assert image.find_next_sibling("figcaption").text == "Bread"  # the element goes before the caption
    video = page.find("video")
    assert video["poster"] == "assets/loop-poster.webp"
    assert [s["src"] for s in video.find_all("source")] == ["assets/loop.mp4", "assets/loop.webm"]
    assert "media-video" in page.find(attrs={"data-slot": VIDEO.id})["class"]


def test_unknown_and_repeated_slots_are_removed_and_forgotten_ones_added():
    page = filled(
        f'<section id="s"><div class="container"><figure data-slot="{IMAGE.id}"></figure>'
        f'<figure data-slot="{IMAGE.id}"></figure><figure data-slot="../../etc"></figure></div></section>'
    )
    assert [slot["data-slot"] for slot in page.select("[data-slot]")] == [IMAGE.id, VIDEO.id]
    assert page.select_one(".container").find_all(recursive=False)[-1]["data-slot"] == VIDEO.id
    assert len(page.find_all("img")) == 1 and len(page.find_all("video")) == 1


def test_an_element_that_was_not_made_leaves_no_empty_frame():
    page = filled(
        f'<section id="s"><div class="section-media"><figure data-slot="{VIDEO.id}"></figure></div>'
        f'<figure data-slot="{IMAGE.id}"></figure></section>',
        made={IMAGE.id: MADE[IMAGE.id]},
    )
    assert page.find(attrs={"data-slot": VIDEO.id}) is None and page.select_one(".section-media") is None
    assert page.find("img") is not None


def test_a_regenerated_element_replaces_the_old_one():
    once = fill_slots(f'<section id="s"><figure data-slot="{IMAGE.id}"></figure></section>', [IMAGE], MADE)
    again = {IMAGE.id: MADE[IMAGE.id].model_copy(update={"path": "assets/hero-2.webp"})}
    page = BeautifulSoup(fill_slots(once, [IMAGE], again), "html.parser")
    assert [img["src"] for img in page.find_all("img")] == ["assets/hero-2.webp"]
