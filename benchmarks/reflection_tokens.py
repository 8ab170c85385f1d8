"""Reflection cost: output tokens of one page-level reflection round, section patches versus a
whole-page rewrite, with the same critique against the same scripted server.

    .venv/bin/python benchmarks/reflection_tokens.py [--dataset ../shared/bench/mm-webgen-bench-dev.jsonl] [--limit N]

Each dev prompt (the first 5 unless --limit says otherwise) is built once offline, in one process
with one Chromium. Then one page-level round runs on that page in each mode (``page_reflection``):
the same fixed critique — a layout and a style penalty quoting the headings of two sections, as a
judge would — is planned and carried out by the coder of the scripted server (tests/model_server.py
counts about four characters per token; tests/scripted_model.py patches a section by adding a
paragraph and a CSS rule, and rewrites a page by doing so to every section). Prints, per page and
mode, the coder's calls and its input and output tokens, and the ratio of output tokens sections ÷
whole page (target ≤ 0.3); writes benchmarks/results/reflection_tokens.json. Not a test: it measures.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dev_set import dev_rows, save_figures  # noqa: E402

from tests.model_server import ScriptedServer  # noqa: E402
from tests.scripted_model import ScriptedDesigner  # noqa: E402
from webagent.core.assemble import SOURCE_FILE  # noqa: E402
from webagent.core.browser import BrowserSession  # noqa: E402
from webagent.core.config import Settings  # noqa: E402
from webagent.core.context import GenerationContext  # noqa: E402
from webagent.core.llm import ModelHub  # noqa: E402
from webagent.core.source import PageSource  # noqa: E402
from webagent.engine.build import build  # noqa: E402
from webagent.reflection.critic import Critique  # noqa: E402
from webagent.reflection.page_model import HEADINGS, apply_model_fixes, plan_model_fixes, section_texts  # noqa: E402
from webagent.reflection.rounds import round_dir  # noqa: E402
from webagent.webbench.evaluation.contracts import PageEvaluation, PageEvidence, Penalty, PenaltyCritique  # noqa: E402
from webagent.webbench.evaluation.metrics import normalise  # noqa: E402

DEFAULT_PAGES = 5
TARGET_RATIO = 0.3
MODES = ("sections", "whole_page")
PENALISED_SCORE = 0.75  # under the default reflection threshold, as one penalty of 0.5 scores


def named_headings(source: PageSource) -> dict[str, str]:
    """Each section's first heading whose text is found in that section alone (the header's left out)."""
    texts = section_texts(source)
    named = {}
    for section in source.plan.sections:
        if section.role == "header" or section.id not in source.section_html:
            continue
        heading = BeautifulSoup(source.section_html[section.id], "html.parser").select_one(HEADINGS)
        text = " ".join(heading.get_text(" ").split()) if heading else ""
        if text and sum(normalise(text) in t for t in texts.values()) == 1:
            named[section.id] = text
    return named


def fixed_critique(folder: Path, source: PageSource) -> tuple[Critique, list[str]]:
    """Round 0's critique with a layout and a style penalty quoting two sections' headings, and those sections."""
    named = list(named_headings(source).items())[:2]
    layout = (
        [
            Penalty(
                issue=f"The section “{named[0][1]}” is cramped: its blocks touch each other",
                penalty=0.5,
                fix="add space between its blocks",
            )
        ]
        if named
        else []
    )
    style = (
        [
            Penalty(
                issue=f"The heading “{named[-1][1]}” is too small for its section",
                penalty=0.5,
                fix="make the heading larger",
            )
        ]
        if named
        else []
    )
    evidence_dir = round_dir(folder, 0)
    evaluation = PageEvaluation.model_validate_json((evidence_dir / "evaluation.json").read_text(encoding="utf-8"))
    evaluation = evaluation.model_copy(
        update={
            "layout": PenaltyCritique(penalties=layout),
            "style": PenaltyCritique(penalties=style),
            "scores": evaluation.scores.model_copy(update={"layout": PENALISED_SCORE, "style": PENALISED_SCORE}),
        }
    )
    evidence = PageEvidence.model_validate_json((evidence_dir / "evidence.json").read_text(encoding="utf-8"))
    return Critique(evaluation=evaluation, evidence=evidence, folder=evidence_dir), [sid for sid, _ in named]


def reflect_once(mode: str, folder: Path, source: PageSource, prompt: str, critique: Critique) -> dict:
    """One page-level model round in ``mode`` against a fresh scripted server: its coder calls and tokens."""
    with ScriptedServer(ScriptedDesigner()) as server:
        settings = Settings(base_url=server.url, api_key="benchmark", page_reflection=mode, model_timeout_s=60)
        hub = ModelHub(settings)
        ctx = GenerationContext(folder, settings=settings, models=hub)
        try:
            fixes = plan_model_fixes(critique, source, prompt, ctx)
            after, warnings = apply_model_fixes(fixes, source, prompt, ctx)
        finally:
            hub.close()
    calls = hub.log.calls
    return {
        "calls": len(calls),
        "input_tokens": sum(c.input_tokens for c in calls),
        "output_tokens": sum(c.output_tokens for c in calls),
        "steps": [c.step for c in calls],
        "sections_changed": sum(after.section_html[sid] != html for sid, html in source.section_html.items()),
        "warnings": warnings,
    }


def measure(rows: list[dict], work: Path) -> list[dict]:
    """Every row built offline, then reflected on once per mode; printed as each finishes."""
    measured = []
    settings = Settings(reflection_rounds=0, cache_dir=work / "cache")
    with BrowserSession() as browser:
        for row in rows:
            folder = build(row["input"], work / row["file_id"], settings, browser=browser).out_dir
            source = PageSource.model_validate_json((folder / SOURCE_FILE).read_text(encoding="utf-8"))
            critique, named = fixed_critique(folder, source)
            modes = {mode: reflect_once(mode, folder, source, row["input"], critique) for mode in MODES}
            whole = modes["whole_page"]["output_tokens"]
            entry = {
                "file_id": row["file_id"],
                "page_sections": len(source.section_html),
                "penalised": named,
                **modes,
                "output_ratio": round(modes["sections"]["output_tokens"] / whole, 3) if whole else None,
            }
            measured.append(entry)
            print(
                f"{row['file_id']:>6}  sections {entry['page_sections']:>2}  penalised {len(named)}  "
                + "  ".join(
                    f"{mode}: {m['calls']} calls {m['input_tokens']:>6} in {m['output_tokens']:>6} out"
                    for mode, m in modes.items()
                )
                + f"  ratio {entry['output_ratio']}",
                flush=True,
            )
    return measured


def summary(measured: list[dict]) -> dict:
    """Per mode, p50 of calls and tokens per round; the p50 and worst output ratio."""
    ratios = [m["output_ratio"] for m in measured if m["output_ratio"] is not None]
    per_mode = {
        mode: {
            key: statistics.median(m[mode][key] for m in measured)
            for key in ("calls", "input_tokens", "output_tokens", "sections_changed")
        }
        for mode in MODES
    }
    return {
        "pages": len(measured),
        "per_round_p50": per_mode,
        "target_ratio": TARGET_RATIO,
        "output_ratio_p50": statistics.median(ratios) if ratios else None,
        "output_ratio_max": max(ratios) if ratios else None,
    }


def main() -> None:
    args, rows = dev_rows(
        "Output tokens of one page-level reflection round: section patches vs whole-page rewrite",
        "reflection_tokens.json",
    )
    rows = rows if args.limit else rows[:DEFAULT_PAGES]
    with tempfile.TemporaryDirectory(prefix="reflection-tokens-") as folder:
        measured = measure(rows, Path(folder))
    result = summary(measured)
    for mode, figures in result["per_round_p50"].items():
        print(
            f"{mode:<10} p50 per round: {figures['calls']} calls, {figures['input_tokens']} tokens in, "
            f"{figures['output_tokens']} tokens out, {figures['sections_changed']} sections changed"
        )
    print(
        f"output tokens sections ÷ whole page: p50 {result['output_ratio_p50']}, worst {result['output_ratio_max']} "
        f"(target ≤ {TARGET_RATIO})"
    )
    save_figures(args.out, {"summary": result, "pages": measured})


if __name__ == "__main__":
    main()
