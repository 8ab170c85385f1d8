"""The inspector: the plan and its design tokens, each element, the critiques and the rounds side by side."""

from __future__ import annotations

import html
import json
from pathlib import Path

import streamlit as st

from webagent.core.config import Settings
from webagent.core.contracts import AssetSpec, PagePlan
from webagent.core.records import History, RunRecord
from webagent.core.source import PageSource
from webagent.reflection.rounds import round_dir
from webagent.webbench.evaluation.contracts import PageEvaluation


def read_plan(folder: Path) -> PagePlan:
    return PagePlan.model_validate_json((folder / "plan.json").read_text(encoding="utf-8"))


def read_source(folder: Path) -> PageSource | None:
    path = folder / "source.json"
    return PageSource.model_validate_json(path.read_text(encoding="utf-8")) if path.is_file() else None


def read_evaluation(folder: Path, number: int | None) -> PageEvaluation | None:
    """The evaluation of round ``number``, or of the last ``webagent eval`` / app scoring when None."""
    path = (
        round_dir(folder, number) / "evaluation.json"
        if number is not None
        else folder / "evaluation" / "evaluation.json"
    )
    return PageEvaluation.model_validate_json(path.read_text(encoding="utf-8")) if path.is_file() else None


def swatches_html(plan: PagePlan) -> str:
    """The palette as labelled colour chips."""
    chips = []
    for role, colour in plan.tokens.palette.model_dump().items():
        chips.append(
            f'<div style="display:inline-block;margin:0 10px 10px 0;text-align:center;font:12px sans-serif">'
            f'<div style="width:76px;height:48px;border-radius:6px;border:1px solid #0002;background:{html.escape(colour)}">'
            f"</div>{html.escape(role)}<br><code>{html.escape(colour)}</code></div>"
        )
    return "".join(chips)


def type_samples_html(plan: PagePlan) -> str:
    """A heading and a paragraph in the page's own font stacks and colours."""
    tokens = plan.tokens
    bg, text, primary = (
        html.escape(c) for c in (tokens.palette.background, tokens.palette.text, tokens.palette.primary)
    )
    return (
        f'<div style="background:{bg};color:{text};padding:16px;border-radius:{tokens.radius_px}px">'
        f'<div style="font-family:{html.escape(tokens.fonts.heading, quote=True)};font-size:30px;font-weight:700;'
        f'color:{primary}">{html.escape(plan.title)}</div>'
        f'<div style="font-family:{html.escape(tokens.fonts.body, quote=True)};font-size:16px;margin-top:6px">'
        f"Body text — The quick brown fox jumps over the lazy dog. 0123456789</div>"
        f'<div style="font:12px sans-serif;opacity:.7;margin-top:8px">heading: {html.escape(tokens.fonts.heading)} · '
        f"body: {html.escape(tokens.fonts.body)} · radius {tokens.radius_px}px · spacing {tokens.spacing_px}</div></div>"
    )


def show_plan(plan: PagePlan) -> None:
    st.markdown(
        f"**{plan.title}** · planner: `{plan.planner}` · mood: {plan.tokens.mood or '—'} · "
        f"style: {plan.tokens.visual_style or '—'}"
    )
    st.markdown(swatches_html(plan), unsafe_allow_html=True)
    st.markdown(type_samples_html(plan), unsafe_allow_html=True)
    st.dataframe(
        [
            {
                "id": s.id,
                "role": s.role,
                "title": s.title,
                "columns": s.layout.columns,
                "elements": ", ".join(s.asset_ids),
                "items": len(s.content),
            }
            for s in plan.sections
        ],
        use_container_width=True,
        hide_index=True,
    )


def element_score(evaluation: PageEvaluation | None, asset_id: str) -> str:
    if evaluation is None:
        return "not scored"
    for critique in evaluation.elements:
        if critique.asset_id == asset_id:
            return f"{critique.score:.2f}" + (
                f" — {'; '.join(i.issue for i in critique.issues)}" if critique.issues else ""
            )
    return "not matched to a required element"


def show_element(folder: Path, asset: AssetSpec, source: PageSource | None, evaluation: PageEvaluation | None) -> None:
    """One element: its local plan, the file it produced and its score."""
    with st.expander(f"{asset.id} · {asset.kind} · section {asset.section_id}"):
        st.markdown(f"**score:** {element_score(evaluation, asset.id)}")
        plan_column, file_column = st.columns(2)
        with plan_column:
            st.caption("local plan")
            st.json(asset.model_dump(exclude={"id"}), expanded=True)
        with file_column:
            generated = source.assets.get(asset.id) if source else None
            st.caption(
                f"generated file: {generated.path if generated else asset.path}"
                + (f" ({generated.backend})" if generated else "")
            )
            path = folder / (generated.path if generated else asset.path)
            if asset.kind == "image" and path.is_file():
                st.image(str(path))
            elif asset.kind == "video" and path.is_file():
                st.video(path.read_bytes())
            elif generated and generated.chart_option:
                st.json(generated.chart_option, expanded=False)
            for warning in generated.warnings if generated else []:
                st.warning(warning)


def show_critiques(evaluation: PageEvaluation | None) -> None:
    if evaluation is None:
        st.info("no critique for this round yet")
        return
    st.caption(f"judge: {evaluation.judge}")
    for name, critique in (("layout", evaluation.layout), ("style", evaluation.style)):
        st.markdown(f"**{name}** — " + ("no penalties" if not critique.penalties else ""))
        for p in critique.penalties:
            st.markdown(f"- −{p.penalty:.2f} {p.issue}" + (f" *(fix: {p.fix})*" if p.fix else ""))
    st.markdown(f"**aesthetics** — {evaluation.aesthetics.notes or ''}")
    for critique in evaluation.elements:
        for issue in critique.issues:
            st.markdown(f"- {critique.kind} {critique.asset_id or critique.index}: {issue.issue}")


def show_rounds(folder: Path, history: History) -> None:
    """The rounds side by side: screenshot, score, what was fixed, kept or rolled back."""
    rounds = history.rounds[-4:]
    if not rounds:
        st.info("no rounds recorded")
        return
    for column, record in zip(st.columns(len(rounds)), rounds):
        with column:
            marker = " (shown)" if record.number == history.current else ""
            st.markdown(f"**round {record.number}** · {record.origin}{marker}")
            st.metric(
                "score",
                f"{record.score_after:.3f}",
                None if record.score_before is None else f"{record.score_after - record.score_before:+.3f}",
            )
            shot = round_dir(folder, record.number) / "page-1440.png"
            if shot.is_file():
                st.image(str(shot))
            st.caption(("kept" if record.kept else "rolled back") + (f" — {record.note}" if record.note else ""))
            for fix in record.fixes[:5]:
                st.caption(f"{fix.level}/{fix.action} {fix.target}: {fix.reason[:80]}")


def show_inspector(folder: Path, history: History) -> None:
    plan = read_plan(folder)
    source = read_source(folder)
    evaluation = read_evaluation(folder, history.current) if history.rounds else None
    st.subheader("Plan")
    show_plan(plan)
    st.subheader(f"Elements ({len(plan.assets)})")
    for asset in plan.assets:
        show_element(folder, asset, source, evaluation)
    st.subheader("Critiques")
    show_critiques(evaluation)
    st.subheader("Reflection rounds")
    show_rounds(folder, history)


def show_code(folder: Path) -> None:
    """Each section's markup and CSS as the page source holds them: read-only, with copy (on each block) and
    download buttons; then the page's design stylesheet."""
    source = read_source(folder)
    if source is None:
        st.info("this page has no source.json: its code cannot be shown by section")
        return
    for section in source.plan.sections:
        markup, css = source.section_html.get(section.id, ""), source.section_css.get(section.id, "")
        with st.expander(f"{section.title or section.role} · #{section.id}", expanded=False):
            st.code(markup, language="html")
            st.download_button(
                f"Download {section.id}.html", markup, f"{section.id}.html", "text/html", key=f"code_html_{section.id}"
            )
            if css:
                st.code(css, language="css")
                st.download_button(
                    f"Download {section.id}.css", css, f"{section.id}.css", "text/css", key=f"code_css_{section.id}"
                )
    if source.design_css:
        with st.expander("design system stylesheet", expanded=False):
            st.code(source.design_css, language="css")


def backends_line(run: dict) -> str:
    """Who made the page: each role's backend and, where some steps fell back, what made them (run.json)."""
    try:
        return RunRecord.model_validate(run).backend_summary()
    except ValueError:  # a run.json of an older version, or none
        return ", ".join(f"{role}={name}" for role, name in run.get("backends", {}).items())


def planned_backends(settings: Settings) -> str:
    """Before a build: who will make each part, and where its models are ("offline" when no model is set)."""
    roles = ", ".join(f"{role}={name}" for role, name in settings.backends().items())
    models = settings.models_in_use()
    if not models:
        return f"This build runs offline, on this machine, with no model: {roles}. Set an endpoint or key in the sidebar to use a model."
    where = ", ".join(f"{role}: {place}" for role, place in models.items())
    return f"This build uses {roles}; models: {where}."


def run_summary(folder: Path) -> dict:
    path = folder / "run.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
