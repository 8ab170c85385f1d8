"""Element slots: sections are written with an empty ``<figure data-slot="id">`` per element, and
assembly fills each with the generated image, video or chart container.

Writing sections this way lets them be written while the media are still being generated, and
lets a regenerated element replace its old version without rewriting the section around it.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from webagent.core.contracts import AssetSpec, GeneratedAsset

_env = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
MEDIA_WRAPPERS = ("section-media", "media-grid", "stack-media")


def media_alt(spec: AssetSpec) -> str:
    """Alt text: the element's title, else the first sentence of what it shows."""
    if spec.title:
        return spec.title
    sentence = re.split(r"(?<=[.!?])\s", spec.prompt.strip(), maxsplit=1)[0]
    return sentence[:160]


def element_html(spec: AssetSpec, made: GeneratedAsset) -> str:
    """The <img>, <video> or chart <div> of one generated element."""
    return _env.get_template("sections/_element.html.j2").render(spec=spec, made=made, alt=media_alt(spec))


def slot_for(soup: BeautifulSoup, spec: AssetSpec) -> Tag:
    """A new empty slot for an element the section's markup forgot."""
    return soup.new_tag("figure", attrs={"class": f"media media-{spec.kind}", "data-slot": spec.id})


def classes_of(tag: Tag) -> list[str]:
    """The tag's classes, in order."""
    value = tag.get("class")
    return value.split() if isinstance(value, str) else list(value or [])


def remove_slot(slot: Tag) -> None:
    """Remove a slot whose element is missing, and a media wrapper it leaves empty."""
    parent = slot.parent
    slot.decompose()
    if isinstance(parent, Tag) and set(classes_of(parent)) & set(MEDIA_WRAPPERS) and not parent.find(True):
        parent.decompose()


def fill_slots(section_html: str, specs: list[AssetSpec], generated: dict[str, GeneratedAsset]) -> str:
    """The section with every slot holding its generated element (or removed when there is none).

    Slots for unknown ids and repeated slots are removed; planned elements without a slot get one
    at the end of the section.
    """
    soup = BeautifulSoup(section_html, "html.parser")
    planned = {spec.id: spec for spec in specs}
    slots: dict[str, Tag] = {}
    for slot in soup.select("[data-slot]"):
        asset_id = slot.get("data-slot", "")
        if asset_id in planned and asset_id not in slots:
            slots[asset_id] = slot
        else:
            slot.decompose()
    host = soup.select_one("section > .container") or soup.find("section") or soup
    for spec in specs:
        if spec.id not in slots:
            slots[spec.id] = slot_for(soup, spec)
            host.append(slots[spec.id])
    for asset_id, slot in slots.items():
        made = generated.get(asset_id)
        if made is None:
            remove_slot(slot)
            continue
        spec = planned[asset_id]
        for old in slot.select("[data-asset-id]"):
            old.decompose()
        slot["class"] = " ".join(dict.fromkeys([*classes_of(slot), "media", f"media-{spec.kind}"]))
        slot.insert(0, BeautifulSoup(element_html(spec, made), "html.parser"))
    return str(soup)
