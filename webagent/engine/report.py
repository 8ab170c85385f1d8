"""The build report: what the prompt asked for that the page does not do as asked.

Two sources, kept apart: the plan says what it had to make up or leave out (a chart drawn with
illustrative data, a table cell that is no number), and the final evaluation — whose expectations
come from the judge's own reading of the prompt, not from the planner — says what the rendered page
lacks (media, chart values, quoted text).
"""

from __future__ import annotations

from webagent.core.assemble import splits_in_two
from webagent.core.contracts import AssetSpec, PagePlan
from webagent.core.datasets import unreadable_cells
from webagent.core.prompt_text import READ_CHARS, unread_part
from webagent.core.records import Shortfall, ShortfallKind
from webagent.core.source import PageSource
from webagent.webbench.evaluation.contracts import PageEvaluation

# Each metric whose misses are a shortfall, and how to introduce them (metrics.py words each miss).
METRIC_KINDS: tuple[tuple[str, ShortfallKind, str], ...] = (
    ("media_coverage", "media", "asked for but not on the page: "),
    ("chart_fidelity", "chart_data", "chart values the prompt gives but the page does not show: "),
    ("text_recall", "text", "quoted text not visible on the page: "),
)


def build_shortfalls(source: PageSource, evaluation: PageEvaluation) -> list[Shortfall]:
    """Every shortfall of the page ``source`` makes, as its plan and its final evaluation show them."""
    return plan_shortfalls(source) + evaluation_shortfalls(evaluation)


def unread_shortfalls(prompt: str) -> list[Shortfall]:
    """The table rows of ``prompt`` that lie past the part every stage reads (``read_part``), counted."""
    rows = unread_part(prompt)[1]
    if not rows:
        return []
    detail = (
        f"{rows:,} table row{'s' if rows > 1 else ''} of the prompt lie past the first {READ_CHARS:,} characters "
        "the build reads, and were left out"
    )
    return [Shortfall(kind="truncated_data", detail=detail)]


def plan_shortfalls(source: PageSource) -> list[Shortfall]:
    """Charts and tables with made-up data, cells left out, planned elements that were not made, and
    column widths that could not be kept."""
    plan = source.plan
    found: list[Shortfall] = []
    for spec in plan.assets:
        if spec.id not in source.assets:
            found.append(Shortfall(kind="element_not_made", detail=f"{spec.kind} {name_of(spec)} could not be made"))
        if spec.dataset is None:
            continue
        if spec.dataset.illustrative:
            found.append(
                Shortfall(
                    kind="illustrative_data",
                    detail=f"chart {name_of(spec)}: the prompt gives no numbers for it; it shows illustrative data, "
                    "marked so on the page",
                )
            )
        found += [
            Shortfall(
                kind="unreadable_cell",
                detail=f"chart {name_of(spec)}: “{cell.text}” (row “{cell.row}”, column “{cell.column}”) "
                "is no number and was left out",
            )
            for cell in unreadable_cells(spec.dataset)
        ]
    return found + table_shortfalls(plan) + layout_shortfalls(plan)


def table_shortfalls(plan: PagePlan) -> list[Shortfall]:
    """Tables the page shows with made-up figures."""
    return [
        Shortfall(
            kind="illustrative_data",
            detail=f"table “{table.title or section.title or section.id}”: illustrative figures, marked so on the page",
        )
        for section in plan.sections
        for table in section.tables
        if table.illustrative
    ]


def layout_shortfalls(plan: PagePlan) -> list[Shortfall]:
    """Column widths the prompt gave a section that does not render as two columns."""
    found = []
    for section in plan.sections:
        split = section.layout.split
        if split and not splits_in_two(section, [a for a in plan.assets if a.section_id == section.id]):
            found.append(
                Shortfall(
                    kind="layout",
                    detail=f"section “{section.title or section.id}”: the {split}/{100 - split} columns asked for "
                    "are not kept, as it has no single picture, video or chart to set beside its text",
                )
            )
    return found


def evaluation_shortfalls(evaluation: PageEvaluation) -> list[Shortfall]:
    """What the final evaluation found missing: media, chart values, quoted text."""
    details = evaluation.metrics.details
    return [
        Shortfall(kind=kind, detail=lead + miss)
        for metric, kind, lead in METRIC_KINDS
        for miss in details.get(metric, [])
    ]


def name_of(spec: AssetSpec) -> str:
    """“Title” (id), or the id alone."""
    return f"“{spec.title}” ({spec.id})" if spec.title else spec.id
