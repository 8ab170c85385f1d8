"""Deterministic page metrics that need no model: what of the prompt is visible in the rendered page.

- quoted-text recall: share of the prompt's quoted strings found in the page's visible text
  (rendered text plus placeholders of visible form fields; case, quote marks, dash kinds,
  spacing and trailing punctuation ignored);
- palette recall: share of the prompt's hex colours found among the computed colours of the
  visible elements (text, backgrounds, gradients, shadows, drawn borders; within ΔE76 ≤ 3);
- media coverage: share of the planned images, videos and charts that rendered (loaded, playing,
  non-blank).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from webagent.colour import delta_e
from webagent.state import PagePlan, RenderHealth

QUOTED = re.compile(r"“+([^“”\n]+)”+|\"([^\"\n]+)\"")
HEX = re.compile(r"(?<![\w&])#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})(?![0-9a-zA-Z])")
STATIC = Path(__file__).parent / "static"
COMPUTED_COLOURS_JS = (STATIC / "computed_colours.js").read_text()
VISIBLE_TEXT_JS = (STATIC / "visible_text.js").read_text()
COLOUR_TOLERANCE = 3.0


class PageMetrics(BaseModel):
    quoted_text_recall: float
    palette_recall: float
    media_coverage: float
    missing_quotes: list[str]
    missing_colours: list[str]


def quoted_strings(prompt: str) -> list[str]:
    """Every non-empty span between a pair of double quotes (curly or straight), in order."""
    found = []
    for match in QUOTED.finditer(prompt):
        text = (match.group(1) or match.group(2)).strip()
        if re.search(r"\w", text):
            found.append(text)
    return found


def hex_colours(prompt: str) -> list[str]:
    """The prompt's hex colours as #RRGGBB, upper case, first mention order, no repeats."""
    seen: dict[str, None] = {}
    for match in HEX.finditer(prompt):
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        seen["#" + digits.upper()] = None
    return list(seen)


def normalise(text: str) -> str:
    """Compare text as a reader would: case, quote marks, dash kinds and spacing do not matter."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"[‐‑‒–—―]", "-", text)
    return re.sub(r"\s+", " ", text).strip().strip(" .,;:!?\"'…")


def planned_colours(plan: PagePlan) -> set[str]:
    """Every colour a plan puts on the page: its palette, section accents and section backgrounds."""
    used = set(plan.tokens.palette.model_dump().values())
    for section in plan.sections:
        used.update(section.accents)
        if section.background:
            used.add(section.background)
    return used


def text_recall(quotes: list[str], visible_text: str) -> tuple[float, list[str]]:
    """Share of ``quotes`` contained in ``visible_text``, and the ones that are not."""
    haystack = normalise(visible_text)
    missing = [q for q in quotes if normalise(q) not in haystack]
    return (1.0 - len(missing) / len(quotes) if quotes else 1.0), missing


def colour_recall(colours: list[str], computed: set[str]) -> tuple[float, list[str]]:
    """Share of ``colours`` present (ΔE ≤ 3) among ``computed`` colours, and the ones absent."""
    missing = [c for c in colours if not any(delta_e(c, seen) <= COLOUR_TOLERANCE for seen in computed)]
    return (1.0 - len(missing) / len(colours) if colours else 1.0), missing


def media_coverage(planned: int, health: RenderHealth) -> float:
    """Share of planned media elements that rendered correctly."""
    return min(1.0, sum(e.ok for e in health.elements) / planned) if planned else 1.0


def read_page(page: Any) -> tuple[str, set[str]]:
    """Visible text and computed colours of a page open in Playwright."""
    return page.evaluate(VISIBLE_TEXT_JS), set(page.evaluate(COMPUTED_COLOURS_JS))


def page_metrics(prompt: str, visible_text: str, computed: set[str], planned_media: int, health: RenderHealth) -> PageMetrics:
    text_score, missing_quotes = text_recall(quoted_strings(prompt), visible_text)
    colour_score, missing_colours = colour_recall(hex_colours(prompt), computed)
    return PageMetrics(
        quoted_text_recall=text_score,
        palette_recall=colour_score,
        media_coverage=media_coverage(planned_media, health),
        missing_quotes=missing_quotes,
        missing_colours=missing_colours,
    )
