"""Fidelity on prompts written for it: chart values, asked media, quoted text, palette, shared copy, honest reports.

    .venv/bin/python benchmarks/fidelity.py [--split tuning|validation|both] [--limit N] [--model realistic]

Reads benchmarks/fidelity/prompts-<split>.jsonl: 128 prompts (96 tuning, 32 validation) written apart from the
planner, each with its ground truth by hand — every chart's numbers, how many images and videos it asks for, its
quoted text and colours. Each prompt is built offline (caches off, one Chromium) and the page is read in the
browser: the numbers each chart holds come back from ECharts. Per split:

- chart values exact: share of the prompt's charts with data that some page chart holds exactly (the same
  multiset of numbers, 1e-6 relative);
- invented charts: page charts holding a number the prompt never gave, not marked illustrative on the page;
- media delivered: Σ min(asked, rendered) / Σ asked, images and videos (charts: those with data or named);
- quoted text, palette: share of the prompt's quotes visible, of its colours present in computed styles;
- shared sentences: sentences of page copy not in the prompt that appear on pages of two or more subjects;
- unreported: prompts whose page misses one of the above while its build report (run.json shortfalls) is silent.

``--model realistic`` builds through the model path instead, against the independent realistic double of
tests/realistic_model.py with every habit on (media stay offline), and adds the steps that fell back offline.
The validation split is never read while the planner's rules change. Prints a table; writes
benchmarks/results/fidelity.json. Not a test: it measures.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import tempfile
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

from dev_set import RESULTS, ROOT, figures_file, save_figures

from tests.model_server import ScriptedServer
from tests.realistic_model import RealisticDesigner, fell_back
from webagent.core.browser import BrowserSession
from webagent.core.config import Settings
from webagent.engine.build import BuildResult, build
from webagent.webbench.evaluation.contracts import ElementEvidence, PageEvidence
from webagent.webbench.evaluation.evidence import collect_evidence
from webagent.webbench.evaluation.metrics import colour_recall, option_numbers

PROMPTS = ROOT / "benchmarks" / "fidelity"
SPLITS = ("tuning", "validation")
PROBE = "probe"  # written 2026-12-08 after the rules above; measured once before any change made for it
TOLERANCE = 1e-6
MIN_SENTENCE_CHARS = 30
NOTICE = "illustrative data:"  # the note under a chart drawn without the user's numbers
FIGURES = ("chart_exact", "invented_charts", "media_delivered", "quotes", "palette", "unreported", "fallbacks")


def same_numbers(wanted: list[float], shown: list[float]) -> bool:
    """The two lists hold the same numbers, each as often (1e-6 relative)."""
    left = sorted(wanted)
    right = sorted(shown)
    return len(left) == len(right) and all(math.isclose(a, b, rel_tol=TOLERANCE) for a, b in zip(left, right))


def page_charts(evidence: PageEvidence) -> list[ElementEvidence]:
    return [e for e in evidence.elements if e.kind == "chart" and e.rendered]


def chart_figures(case: dict, evidence: PageEvidence) -> dict:
    """How many of the prompt's charts the page holds exactly, and how many page charts invent numbers."""
    charts = page_charts(evidence)
    shown = [option_numbers(chart.chart_option or {}) for chart in charts]
    free = set(range(len(charts)))
    exact = 0
    for wanted in case["charts"]:
        hit = next((k for k in sorted(free) if same_numbers(wanted["values"], shown[k])), None)
        if hit is not None:
            free.discard(hit)
            exact += 1
    given = [v for chart in case["charts"] for v in chart["values"]]
    invented = sum(
        1
        for chart, numbers in zip(charts, shown)
        if "data-illustrative" not in chart.html
        and any(not any(math.isclose(n, g, rel_tol=TOLERANCE) for g in given) for n in numbers)
    )
    return {"charts_wanted": len(case["charts"]), "charts_exact": exact, "invented_charts": invented}


def media_figures(case: dict, evidence: PageEvidence) -> dict:
    rendered = Counter(e.kind for e in evidence.elements if e.rendered)
    asked = {
        "image": case["images"],
        "video": case["videos"],
        "chart": len(case["charts"]) + case["charts_without_data"],
    }
    return {
        "media_asked": sum(asked.values()),
        "media_delivered": sum(min(n, rendered[kind]) for kind, n in asked.items()),
        "media_short": {kind: n - rendered[kind] for kind, n in asked.items() if rendered[kind] < n},
    }


def folded(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[“”\"'’‘]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def text_figures(case: dict, evidence: PageEvidence) -> dict:
    visible = folded(evidence.visible_text)
    found = sum(folded(q).rstrip(".!?") in visible for q in case["quotes"])
    palette, _ = colour_recall(case["colours"], set(evidence.colours))
    return {"quotes_wanted": len(case["quotes"]), "quotes_found": found, "palette": palette}


def invented_sentences(case: dict, evidence: PageEvidence) -> set[str]:
    """Sentences of the page's copy that the prompt does not contain (the page's notice that a chart's data is
    illustrative is the tool speaking, not copy, and is left out)."""
    prompt = folded(case["prompt"])
    sentences = re.split(r"(?<=[.!?])\s+|\n+", evidence.visible_text)
    return {
        s
        for s in map(folded, sentences)
        if len(s) >= MIN_SENTENCE_CHARS and s not in prompt and not s.startswith(NOTICE)
    }


def built(case: dict, session: BrowserSession, work: Path, model: str) -> BuildResult:
    """The case's page, built offline or through the model path against the realistic double."""
    if model == "offline":
        return build(case["prompt"], work / case["id"], Settings(media_cache=False), browser=session)
    with ScriptedServer(RealisticDesigner()) as server:
        settings = Settings(base_url=server.url, model="realistic", media_cache=False, model_backoff_s=0.01)
        return build(case["prompt"], work / case["id"], settings, browser=session)


def evaluate_case(case: dict, session: BrowserSession, work: Path, model: str = "offline") -> dict:
    result = built(case, session, work, model)
    evidence = collect_evidence(session, result.out_dir, work / f"{case['id']}-evidence")
    figures = {"id": case["id"], "subject": case["subject"]}
    figures |= chart_figures(case, evidence) | media_figures(case, evidence) | text_figures(case, evidence)
    missed = figures["charts_exact"] < figures["charts_wanted"] or figures["invented_charts"] or figures["media_short"]
    figures["shortfalls"] = [s.detail for s in result.record.shortfalls]
    figures["unreported"] = bool(missed and not result.record.shortfalls)
    figures["sentences"] = sorted(invented_sentences(case, evidence))
    figures["fallbacks"] = fell_back(result.record.warnings)
    return figures


def split_summary(cases: list[dict]) -> dict:
    """The split's figures from its cases."""
    wanted = sum(c["charts_wanted"] for c in cases)
    quotes = sum(c["quotes_wanted"] for c in cases)
    subjects_of: dict[str, set[str]] = defaultdict(set)
    for case in cases:
        for sentence in case["sentences"]:
            subjects_of[sentence].add(case["subject"])
    shared = sorted(s for s, subjects in subjects_of.items() if len(subjects) > 1)
    return {
        "prompts": len(cases),
        "chart_exact": round(sum(c["charts_exact"] for c in cases) / wanted, 4) if wanted else 1.0,
        "invented_charts": sum(c["invented_charts"] for c in cases),
        "media_delivered": round(
            sum(c["media_delivered"] for c in cases) / max(1, sum(c["media_asked"] for c in cases)), 4
        ),
        "quotes": round(sum(c["quotes_found"] for c in cases) / quotes, 4) if quotes else 1.0,
        "palette": round(sum(c["palette"] for c in cases) / len(cases), 4),
        "shared_sentences": len(shared),
        "shared_examples": shared[:8],
        "unreported": sum(c["unreported"] for c in cases),
        "fallbacks": sum(len(c["fallbacks"]) for c in cases),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=(*SPLITS, PROBE, "both"), default="both")
    parser.add_argument("--limit", type=int, default=0, help="the first N prompts of each split only")
    parser.add_argument(
        "--out", type=figures_file, default=None, help="default: benchmarks/results/fidelity[-MODEL].json"
    )
    parser.add_argument("--model", choices=("offline", "realistic"), default="offline", help="which path builds")
    args = parser.parse_args()
    out = args.out or RESULTS / ("fidelity.json" if args.model == "offline" else f"fidelity-{args.model}.json")
    splits = SPLITS if args.split == "both" else (args.split,)
    report: dict[str, dict] = {}
    with BrowserSession() as session, tempfile.TemporaryDirectory(prefix="webagent-fidelity-") as work:
        for split in splits:
            lines = (PROMPTS / f"prompts-{split}.jsonl").read_text(encoding="utf-8").splitlines()
            rows = [json.loads(line) for line in lines if line.strip()]
            cases = []
            for row in rows[: args.limit] if args.limit else rows:
                case = evaluate_case(row, session, Path(work), args.model)
                cases.append(case)
                short = ", ".join(f"{k} −{n}" for k, n in case["media_short"].items()) or "media ok"
                print(
                    f"{split[:3]} {case['id']}  charts {case['charts_exact']}/{case['charts_wanted']}"
                    f"  invented {case['invented_charts']}  {short}  quotes {case['quotes_found']}/{case['quotes_wanted']}"
                    f"  palette {case['palette']:.2f}  report {len(case['shortfalls'])}"
                    + (f"  fell back: {len(case['fallbacks'])}" if case["fallbacks"] else ""),
                    flush=True,
                )
            report[split] = {"summary": split_summary(cases), "cases": cases}
    print()
    print(f"{'split':<11}" + "".join(f"{name:>17}" for name in (*FIGURES, "shared_sentences")))
    for split, figures in report.items():
        summary = figures["summary"]
        print(f"{split:<11}" + "".join(f"{summary[name]!s:>17}" for name in (*FIGURES, "shared_sentences")))
    save_figures(out, report)


if __name__ == "__main__":
    main()
