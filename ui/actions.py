"""The tabs that change or take away a page: chat edits and regeneration with history and restore,
scoring with a chart, and downloads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from webagent.core.config import Settings
from webagent.core.contracts import PagePlan
from webagent.core.records import History
from webagent.engine.edit import edit_page, regenerate_element, restore_page
from webagent.ui.export import page_zip, single_file_html
from webagent.ui.inspector import read_evaluation
from webagent.ui.score import judge_for, score_folder, score_rows
from webagent.ui.state import start_job, user_message

SettingsSource = Callable[[], Settings | None]
# What a failed edit's answer suggests: requests the offline grammar understands (reflection/edit_grammar.py).
OFFLINE_EDITS = (
    "Without a coder model, edits like these work: *make the hero darker* · *use #1F6FEB as the primary colour* · "
    '*add a section "Opening hours" with text "Mon–Sat 7–18"* · *use Georgia for headings*.'
)


def chat_log(folder: Path) -> list[dict]:
    """This session's edit conversation for ``folder``."""
    return st.session_state.setdefault("chats", {}).setdefault(str(folder), [])


def show_edit(folder: Path, history: History, plan: PagePlan, settings: SettingsSource, busy: bool) -> None:
    """Edit by chat, regenerate one element, and the round history with restore."""
    chat, side = st.columns([3, 2])
    with chat:
        st.markdown("**Edit by chat**")
        for message in chat_log(folder):
            with st.chat_message(message["role"]):
                st.markdown(message["text"])
        with st.form("edit_form", clear_on_submit=True):
            instruction = st.text_input(
                "What should change?",
                key="edit_text",
                placeholder='e.g. make the hero darker; add a section "Opening hours" with text "Mon–Sat 7–18"',
            )
            if st.form_submit_button("Apply edit", disabled=busy):
                run_change(
                    folder,
                    "edit",
                    instruction,
                    settings,
                    lambda s, job: edit_page(folder, instruction, s, on_progress=job.on_progress),
                )
        st.markdown("**Regenerate one element**")
        ids = [a.id for a in plan.assets]
        if ids:
            element = st.selectbox("Element", ids, key="regen_id")
            new_prompt = st.text_input("New prompt (empty: same prompt, new seed)", key="regen_prompt")
            if st.button("Regenerate", disabled=busy, key="regen"):
                run_change(
                    folder,
                    "regenerate",
                    f"regenerate {element}",
                    settings,
                    lambda s, job: regenerate_element(
                        folder, element, new_prompt.strip() or None, s, on_progress=job.on_progress
                    ),
                )
        else:
            st.caption("this page has no media elements")
    with side:
        st.markdown("**History**")
        for record in reversed(history.rounds):
            shown = record.number == history.current
            line = (
                f"round {record.number} · {record.origin}{' · ' + record.level if record.level else ''} · "
                f"score {record.score_after:.3f}{'' if record.kept else ' · rolled back'}"
            )
            left, right = st.columns([3, 2])  # room for the whole word "Restore"
            left.markdown(f"**{line}** (shown)" if shown else line)
            if not shown and right.button("Restore", key=f"restore_{record.number}", disabled=busy):
                try:
                    restore_page(folder, record.number)
                    chat_log(folder).append({"role": "assistant", "text": f"restored round {record.number}"})
                    st.rerun()
                except Exception as exc:
                    st.error(user_message(exc))


def run_change(
    folder: Path, label: str, said: str, settings: SettingsSource, change: Callable[[Settings, object], object]
) -> None:
    """Start an edit or regeneration in the background and note it in the chat."""
    chosen = settings()
    if chosen is None:
        return
    if label == "edit" and not said.strip():
        st.error('the edit is empty: say what to change, e.g. "make the hero darker"')
        return
    chat_log(folder).append({"role": "user", "text": said})

    def work(job):
        try:
            result = change(chosen, job)
        except Exception as exc:  # the answer goes in the bubble; the job shows the failure too
            chat_log_entry["text"] = f"Could not do that: {user_message(exc)}\n\n{OFFLINE_EDITS}"
            raise
        rounds = getattr(result, "rounds", [])
        text = (
            "; ".join(
                f"round {r.number}: score {r.score_after:.3f}{'' if r.kept else ' (rolled back)'}" for r in rounds
            )
            or "no change"
        )
        chat_log_entry["text"] = f"done — {text}"
        return result

    chat_log_entry = {"role": "assistant", "text": "working…"}
    chat_log(folder).append(chat_log_entry)
    st.session_state["job"] = start_job(label, folder, work)
    st.rerun()


def show_score(folder: Path, history: History, settings: SettingsSource, busy: bool) -> None:
    """Score the page (deterministic metrics, plus the judge when configured) and chart the scores."""
    chosen = settings()
    judge = judge_for(chosen) if chosen else "static"
    st.caption(
        f"judge: {judge}"
        + (
            " (deterministic metrics only; name a judge model in the sidebar for the paper's judge scores)"
            if judge == "static"
            else ""
        )
    )
    if st.button("Score page", disabled=busy or chosen is None, key="score"):
        st.session_state["job"] = start_job("score", folder, lambda job: score_folder(folder, chosen))
        st.rerun()
    evaluation = read_evaluation(folder, None)
    if evaluation is None and history.rounds:
        evaluation = read_evaluation(folder, history.current)
        st.caption(f"showing the build's own evaluation of round {history.current}")
    if evaluation is not None:
        rows = score_rows(evaluation)
        st.bar_chart({"score": rows}, horizontal=True, height=320)
        st.caption(f"scored by {evaluation.judge} in {evaluation.seconds:.1f} s")
        for metric, missed in evaluation.metrics.details.items():
            if missed:
                st.caption(f"{metric} missed: {'; '.join(missed)[:300]}")
    if len(history.rounds) > 1:
        st.markdown("**Score by round**")
        st.line_chart({"score": {f"{r.number:03d} {r.origin}": r.score_after for r in history.rounds}}, height=220)


@st.cache_data(max_entries=8, show_spinner=False)
def packaged(folder: str, version: int) -> tuple[bytes, str]:
    """The zip and the single-file HTML of the page (recomputed when index.html changes)."""
    return page_zip(Path(folder)), single_file_html(Path(folder))


def show_download(folder: Path) -> None:
    try:
        zipped, single = packaged(str(folder), hash((folder / "index.html").read_bytes()))
    except Exception as exc:
        st.error(user_message(exc))
        return
    st.download_button(
        "Download the page as a zip", zipped, file_name=f"{folder.name}.zip", mime="application/zip", key="dl_zip"
    )
    st.download_button(
        "Download one self-contained HTML file",
        single.encode("utf-8"),
        file_name=f"{folder.name}.html",
        mime="text/html",
        key="dl_html",
    )
    st.caption(
        f"zip: {len(zipped) / 1e6:.2f} MB · single file: {len(single.encode('utf-8')) / 1e6:.2f} MB "
        "(images, videos, styles and the chart runtime inlined)"
    )
