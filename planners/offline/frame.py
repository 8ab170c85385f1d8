"""The page frame of a prompt that lists its sections: a header and a footer where it names none.

A prompt written as a list ("Hero with …. Pricing: …. Footer with …") describes the page's
content and leaves its frame to the planner, as a one-line prompt leaves everything to a scene:
the header carries the page's name and a link to each named section, the footer the name again
under a copyright line. A prompt that describes its own header or footer keeps it as it is.
"""

from __future__ import annotations

from webagent.core.contracts import ContentItem, SectionPlan
from webagent.planners.offline.text import unique_id

MAX_NAV = 5


def frame_page(sections: list[SectionPlan], title: str, nav: dict[str, str]) -> list[SectionPlan]:
    """The sections with a header first and a footer last; `nav` maps section ids to link labels.

    A header or footer the prompt names without any copy ("Footer with social links.") is filled the same way.
    """
    if not sections:
        return sections
    links = list(dict.fromkeys(nav[s.id] for s in sections if s.id in nav))[:MAX_NAV]
    header = [ContentItem(text=title, role="logo")] + [ContentItem(text=link, role="nav") for link in links]
    footer = [ContentItem(text=title, role="logo"), ContentItem(text=f"© {title}", role="legal")]
    used = {s.id for s in sections}
    framed = list(sections)
    if framed[0].role not in {"header", "sidebar"}:
        framed.insert(0, _section("header", header, "Page header: the page's name and a link to each section.", used))
    elif not framed[0].content:
        framed[0].content = header
    if framed[-1].role != "footer":
        framed.append(_section("footer", footer, "Page footer: the page's name and a copyright line.", used))
    elif not framed[-1].content:
        framed[-1].content = footer
    return framed


def _section(role: str, content: list[ContentItem], brief: str, used: set[str]) -> SectionPlan:
    return SectionPlan(id=unique_id(role, used), role=role, content=content, brief=brief)
