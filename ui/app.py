"""mm-webagent in the browser: `webagent ui` (or `streamlit run` on this file, with mm-webagent installed).

A prompt in, a page out, with live progress, a desktop and mobile preview, the inspector, chat edits,
scores and downloads. Long work runs in a background thread (webagent.ui.state.Job); the page polls it.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

import streamlit as st

from webagent.core.config import Settings, project_root
from webagent.engine.build import build, check_prompt
from webagent.engine.pages import page_history
from webagent.ui.actions import show_download, show_edit, show_score
from webagent.ui.inspector import (
    backends_line,
    planned_backends,
    read_plan,
    run_summary,
    show_code,
    show_inspector,
)
from webagent.ui.preview import show_preview
from webagent.ui.state import (
    Job,
    build_folder,
    earlier_builds,
    make_settings,
    start_job,
    user_message,
)

SAMPLES = {
    "Bakery landing page (the demo prompt)": (project_root() / "examples" / "demo-prompt.txt"),
    "Yoga studio": "A calm landing page for a yoga studio called Still Point, with a hero video of a sunrise class, "
    "three photos of the studio, a pricing section and a bar chart of classes per weekday: "
    "Mon 6, Tue 8, Wed 7, Thu 8, Fri 5.",
    "Coffee roaster": "An editorial page for a small coffee roaster called Ember Beans: hero photo of roasted beans, "
    "a features section, a line chart of monthly orders (Jan 120, Feb 140, Mar 180, Apr 210) "
    "and a footer with opening hours.",
}
BACKENDS = {
    "planner": ["auto", "offline", "llm"],
    "coder": ["auto", "offline", "llm"],
    "image_backend": ["offline", "openai", "diffusers"],
    "video_backend": ["offline", "openai", "diffusers"],
    "chart_backend": ["auto", "offline", "llm"],
    "critic": ["auto", "static", "llm"],
}
MAX_SHORTFALLS_SHOWN = 8
KEYS = {
    "api_key": "API key (all roles)",
    "judge_api_key": "judge API key",
    "image_api_key": "image API key",
    "video_api_key": "video API key",
}


def output_root() -> Path:
    return Path(st.session_state.get("out_root") or os.environ.get("WEBAGENT_UI_OUT") or "out/ui").expanduser()


def defaults() -> Settings:
    """The settings the form starts from (config file and environment); bad ones fall back to the defaults."""
    try:
        return Settings.load()
    except Exception as exc:  # shown once; the form still works
        st.session_state["settings_error"] = user_message(exc)
        return Settings()


def store_key(role: str) -> None:
    """Move a typed key out of its widget into the session's key store (never to disk, never shown again)."""
    typed = st.session_state.get(f"typed_{role}", "")
    if typed:
        st.session_state.setdefault("keys", {})[role] = typed
    st.session_state[f"typed_{role}"] = ""


def sidebar(base: Settings) -> dict:
    """Backends, models, keys and options; returns the choices to build Settings from."""
    choices: dict = {}
    with st.sidebar:
        st.header("Settings")
        st.text_input("Output folder", value=str(output_root()), key="out_root")
        with st.expander("Backends and models", expanded=False):
            for name, options in BACKENDS.items():
                current = getattr(base, name)
                choices[name] = st.selectbox(
                    name.replace("_", " "), options, index=options.index(current), key=f"b_{name}"
                )
            choices["base_url"] = st.text_input("Endpoint (OpenAI-compatible base URL)", value=base.base_url or "")
            choices["model"] = st.text_input("Chat model", value=base.model)
            choices["judge_model"] = st.text_input(
                "Judge model (empty: deterministic scoring only)", value=base.judge_model or ""
            )
            keys = st.session_state.setdefault("keys", {})
            for role, label in KEYS.items():
                st.text_input(
                    label,
                    type="password",
                    key=f"typed_{role}",
                    on_change=store_key,
                    args=(role,),
                    placeholder="set for this session — type to replace" if keys.get(role) else "not set",
                )
            if keys and st.button("Forget keys"):
                keys.clear()
                st.rerun()
            st.caption("Keys stay in this browser session only: never written to disk or shown again.")
        with st.expander("Options", expanded=False):
            choices["reflection_rounds"] = st.number_input(
                "Reflection rounds per level", 0, 10, value=base.reflection_rounds, key="rounds"
            )
            choices["videos"] = st.toggle(
                "Video elements",
                value=base.videos,
                key="video",
                help="off: a video the prompt asks for is made as a still image instead",
            )
        st.header("Earlier builds")
        builds = earlier_builds(output_root())
        if builds:
            picked = st.selectbox("Open a build", builds, format_func=build_label, key="earlier")
            if st.button("Open", key="open_earlier"):
                st.session_state["folder"] = str(picked)
                st.rerun()
        else:
            st.caption(f"no builds in {output_root()} yet")
    return choices


def build_label(folder: Path) -> str:
    """An earlier build as a person knows it: the page's title, then when it was built (the folder's name)."""
    try:
        title = read_plan(folder).title
    except (OSError, ValueError):
        return folder.name
    return f"{title} · {folder.name[:15]}"


def settings_or_error(choices: dict) -> Settings | None:
    try:
        return make_settings(choices, st.session_state.get("keys", {}))
    except Exception as exc:
        st.error(user_message(exc))
        return None


def start_build(prompt: str, choices: dict) -> None:
    """Check the prompt and settings now (errors shown at once), then build in the background."""
    settings = settings_or_error(choices)
    if settings is None:
        return
    try:
        text = check_prompt(prompt, settings)
        folder = build_folder(output_root(), text)  # a folder of the app's own, or one line saying why not
    except Exception as exc:
        st.error(user_message(exc))
        return
    st.session_state["job"] = start_job(
        "build", folder, lambda job: build(text, folder, settings, on_progress=job.on_progress)
    )


def prompt_panel(choices: dict) -> None:
    sample = st.selectbox("Start from a sample", ["—", *SAMPLES], key="sample")
    if sample != "—" and st.session_state.get("sample_used") != sample:
        value = SAMPLES[sample]
        st.session_state["prompt"] = value.read_text(encoding="utf-8") if isinstance(value, Path) else value
        st.session_state["sample_used"] = sample
    prompt = st.text_area(
        "Describe the page",
        key="prompt",
        height=140,
        placeholder='e.g. "a landing page for a bakery with a hero photo and a chart of weekly sales"',
    )
    job: Job | None = st.session_state.get("job")
    busy = job is not None and job.status == "running"
    planned = settings_or_error(choices)
    if planned is not None:
        st.info(planned_backends(planned), icon="🛠️")
    if st.button("Build page", type="primary", disabled=busy, key="build"):
        start_build(prompt, choices)
        if st.session_state.get("job") is not job:
            st.rerun()


def job_panel() -> None:
    """The running (or last) job: progress bar, finished steps, cancel; a full rerun when it ends."""
    job: Job | None = st.session_state.get("job")
    if job is None:
        return
    if job.status == "running":
        finished = sum(not step.started for step in job.steps)
        st.progress(job.fraction, text=f"{job.doing} — {finished} steps finished")
        st.button("Cancel", on_click=job.cancel, key="cancel")
    elif job.status == "done":
        st.progress(1.0, text=f"{job.label}: done in {job.seconds:.1f} s")
    else:
        st.progress(job.fraction, text=f"{job.label}: {job.status}")
        st.error(job.error)
    with st.expander(f"steps ({len(job.steps)})", expanded=job.status == "running"):
        for step in job.steps[-60:]:
            mark = "▶ started" if step.started else "✓"
            st.markdown(
                f"{mark} {html.escape(step.words)} <span style='opacity:.6'>{html.escape(step.detail)} · "
                f"{step.seconds:.1f} s · {step.done}/{step.total}</span>",
                unsafe_allow_html=True,
            )
    if job.status != "running" and st.session_state.get("job_settled") is not job:
        st.session_state["job_settled"] = job
        if job.status == "done" and job.label == "build":
            st.session_state["folder"] = str(job.out_dir)
        st.rerun(scope="app")


def page_panels(folder: Path, choices: dict) -> None:
    try:
        plan = read_plan(folder)
        history = page_history(folder)
    except Exception as exc:
        st.error(f"cannot open {folder}: {user_message(exc)}")
        return
    run = run_summary(folder)
    st.subheader(plan.title)
    st.caption(
        f"{folder} · backends: {backends_line(run)} · {len(history.rounds)} round(s), showing round {history.current}"
    )
    for warning in run.get("warnings", [])[:5]:
        st.warning(warning)
    shortfalls = [item["detail"] for item in run.get("shortfalls", [])]
    if shortfalls:
        st.warning("**Not as asked**\n\n" + "\n".join(f"- {detail}" for detail in shortfalls[:MAX_SHORTFALLS_SHOWN]))
    preview, inspect, code, edit, score, download = st.tabs(["Preview", "Inspect", "Code", "Edit", "Score", "Download"])
    job: Job | None = st.session_state.get("job")
    busy = job is not None and job.status == "running"
    with preview:
        inside = folder.resolve().is_relative_to(output_root().resolve())
        show_preview(output_root() if inside else folder.parent, folder)
    with inspect:
        show_inspector(folder, history)
    with code:
        show_code(folder)
    with edit:
        show_edit(folder, history, plan, lambda: settings_or_error(choices), busy)
    with score:
        show_score(folder, history, lambda: settings_or_error(choices), busy)
    with download:
        show_download(folder)


def main() -> None:
    st.set_page_config(page_title="mm-webagent", page_icon="🧁", layout="wide")
    st.title("mm-webagent")
    st.caption("A design prompt in, a multimodal web page out: plan, generate, render, critique, revise.")
    base = defaults()
    if st.session_state.get("settings_error"):
        st.warning(f"settings: {st.session_state['settings_error']} (using the defaults)")
    choices = sidebar(base)
    prompt_panel(choices)
    job: Job | None = st.session_state.get("job")
    running = job is not None and job.status == "running"
    st.fragment(job_panel, run_every=0.4 if running else None)()
    folder = st.session_state.get("folder")
    if folder:
        page_panels(Path(folder), choices)


main()
