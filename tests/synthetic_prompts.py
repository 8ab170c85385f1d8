"""Synthetic prompts of a chosen size, shared by the planner's tests and benchmarks/scaling.py.

A prompt names its sections a paragraph each ("Features section: …", heading “Features 1”) and asks
for media elements (a photo, a looping video and a titled bar chart in turn) spread over them.
"""

from __future__ import annotations

ROLES = ("features", "gallery", "pricing", "testimonials", "schedule", "faq", "team", "about", "stats", "contact")
SUBJECTS = ("kayaks", "tents", "boots", "jackets", "stoves", "ropes", "lamps", "maps")
OPENING = (
    "Design a landing page titled “Northwind Outfitters” for an outdoor gear shop, with a deep green "
    "(#1F5130) and sand (#E8D9B5) palette."
)


def media_sentence(number: int) -> str:
    """The prompt's sentence asking for media element ``number``: an image, a video or a chart in turn."""
    subject = SUBJECTS[number % len(SUBJECTS)]
    if number % 3 == 0:
        return f"It shows a photo of {subject} laid out on a wooden dock at dawn, shot number {number + 1}."
    if number % 3 == 1:
        return f"It plays a short looping video of hikers carrying {subject} across a ridge, clip number {number + 1}."
    return (
        f"It includes a bar chart titled “{subject.title()} sold in {2000 + number}” by season: spring {10 + number}, "
        f"summer {30 + 2 * number}, autumn {18 + number}, winter {7 + number}."
    )


def filler_sentence(number: int) -> str:
    """One more sentence of section copy, different each time, to pad a prompt to a size."""
    subject = SUBJECTS[number % len(SUBJECTS)]
    return (
        f"Its copy also mentions that our {subject} were tested on trip number {number + 1} "
        f"and come with a {number % 9 + 2}-year repair promise."
    )


def heading(index: int) -> str:
    """The quoted heading of section ``index`` (from 0): "Features 1", "Gallery 2", …"""
    return f"{ROLES[index % len(ROLES)].title()} {index + 1}"


def synthetic_prompt(sections: int, media: int, min_bytes: int = 0) -> str:
    """A prompt naming ``sections`` sections, a paragraph each ("Pricing section: …"), and asking for ``media``
    media elements spread over them, padded with extra copy (spread over the sections) to at least ``min_bytes`` bytes."""
    paragraphs = []
    for index in range(sections):
        text = (
            f"{ROLES[index % len(ROLES)].title()} section: our {SUBJECTS[index % len(SUBJECTS)]}, with the heading "
            f"“{heading(index)}” and a short paragraph of friendly copy."
        )
        paragraphs.append([text, *(media_sentence(n) for n in range(index, media, sections))])
    added = 0
    while len("\n\n".join([OPENING, *(" ".join(p) for p in paragraphs)]).encode("utf-8")) < min_bytes:
        paragraphs[added % sections].append(filler_sentence(added))
        added += 1
    return "\n\n".join([OPENING, *(" ".join(p) for p in paragraphs)])


def table_prompt(rows: int) -> str:
    """A short page prompt whose chart draws a markdown table of ``rows`` rows ("Day 1 | 17", …) given at its end."""
    lines = [f"| Day {day + 1} | {(day * 37) % 90 + 10} |" for day in range(rows)]
    return "\n\n".join(
        [
            OPENING,
            "Stats section: a bar chart titled “Orders by day” of the table below.",
            "### Orders by day\n| Day | Orders |\n|---|---|\n" + "\n".join(lines),
        ]
    )
