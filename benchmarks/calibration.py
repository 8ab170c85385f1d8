"""Judge calibration: how far each kind of damage lowers the score that should notice it, on many pages.

    .venv/bin/python benchmarks/calibration.py [--limit 10] [--out benchmarks/results/calibration.json]

For the first N prompts of the MM-WebGEN-Bench dev split (the split the rules were tuned on, when it is beside
the repository) and of the fidelity benchmark's validation split (never read while they changed), each page is
built offline, scored by the static judge, then copied and damaged in each of the ways of tests/damages.py and
scored again; it is also scored against the next prompt of its split (an unrelated prompt). A damage counts as
noticed on a page when its score drops by 0.2 or more; damages a page cannot take (no video to drop, no quoted
headline to hide, no numbers in the prompt for its chart) are skipped. Prints, per split and damage, the pages noticed of those damaged and the mean drop, and the mean
average of pages judged against another prompt; writes benchmarks/results/calibration.json. Not a test.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from statistics import fmean

from bs4 import BeautifulSoup
from dev_set import DEFAULT_DATASET, RESULTS, ROOT, figures_file, save_figures

from tests import damages
from webagent.core.browser import BrowserSession
from webagent.core.config import Settings
from webagent.core.ownership import remove_tree
from webagent.engine.build import build
from webagent.webbench.bench.runner import score_page
from webagent.webbench.evaluation.metrics import quoted_strings
from webagent.webbench.evaluation.reading import read_prompt

FIDELITY_VALIDATION = ROOT / "benchmarks" / "fidelity" / "prompts-validation.jsonl"
NOTICED = 0.2
Damage = Callable[[Path, str], None]


def scores(folder: Path, prompt: str, session: BrowserSession) -> dict[str, float]:
    """The static judge's protocol scores with their average, and the deterministic metrics, of one folder."""
    _, evaluation = score_page(prompt, folder.name, folder, folder / "evaluation", "static", Settings(), session)
    judged = {name: value for name, value in evaluation.scores.model_dump().items() if value is not None}
    return {**judged, "average": fmean(judged.values()), **evaluation.metrics.model_dump(exclude={"details"})}


def damages_for(page: Path, prompt: str) -> dict[str, tuple[Damage, str]]:
    """The damages this page can take, each with the score that should notice it."""
    html = (page / "index.html").read_text(encoding="utf-8")
    heading = BeautifulSoup(html, "html.parser").find(["h1", "h2"])
    headline = [quote for quote in quoted_strings(prompt) if heading and quote in heading.get_text(" ")]
    found: dict[str, tuple[Damage, str]] = {
        "copy about another subject": (damages.replace_copy, "average"),
        "overflow at 390 px": (damages.overflow_on_phones, "layout"),
        "unreadable contrast": (damages.faint_text, "aesthetics"),
    }
    if html.count("<section") >= 3:
        found["a section removed"] = (damages.remove_section, "layout")
    if headline:
        found["the quoted headline hidden by opacity"] = (damages.hide_text(headline[0]), "layout")
    if "<video" in html:
        found["the videos dropped"] = (damages.drop_videos, "video")
    if "<img" in html:
        found["the images broken"] = (damages.break_images, "image")
    if 'data-asset-kind="chart"' in html and any(e.dataset for e in read_prompt(prompt).elements if e.kind == "chart"):
        found["chart numbers changed"] = (damages.change_chart_numbers, "chart")  # only the prompt's own numbers
    return found


def measure_page(prompt: str, other: str, work: Path, session: BrowserSession) -> dict:
    """One page: its undamaged scores, each damage's drop, and its average against ``other``."""
    page = work / "page"
    build(prompt, page, Settings(media_cache=False, reflection_rounds=0), browser=session)
    undamaged = scores(page, prompt, session)
    drops = {}
    for name, (harm, score) in damages_for(page, prompt).items():
        if score not in undamaged:  # an image the prompt did not ask for has no image score to lower
            continue
        copy = work / "damaged"
        shutil.copytree(page, copy, ignore=shutil.ignore_patterns("evaluation"))
        harm(copy, prompt)
        drops[name] = {"score": score, "drop": round(undamaged[score] - scores(copy, prompt, session)[score], 4)}
        remove_tree(copy)  # a copy of webagent's page: the ownership gate removes it
    against_other = scores(page, other, session)
    remove_tree(page)
    return {"undamaged": undamaged, "drops": drops, "against_another_prompt": against_other}


def split_summary(pages: list[dict]) -> dict:
    """Per damage: pages noticed / damaged and the mean drop; and the mean average against another prompt."""
    summary: dict = {"undamaged_average": round(fmean(p["undamaged"]["average"] for p in pages), 3), "damages": {}}
    for name in sorted({name for p in pages for name in p["drops"]}):
        drops = [p["drops"][name]["drop"] for p in pages if name in p["drops"]]
        summary["damages"][name] = {
            "noticed": sum(drop >= NOTICED - 1e-6 for drop in drops),
            "damaged": len(drops),
            "mean_drop": round(fmean(drops), 3),
        }
    summary["average_against_another_prompt"] = round(fmean(p["against_another_prompt"]["average"] for p in pages), 3)
    return summary


def read_split(path: Path, key: str, limit: int) -> list[str]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row[key] for row in rows[:limit]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=10, help="the first N prompts of each split (at least 2)")
    parser.add_argument("--out", type=figures_file, default=RESULTS / "calibration.json")
    args = parser.parse_args()
    if args.limit < 2:
        parser.error("--limit must be 2 or more: each page is also judged against the next prompt of its split")
    splits = {"validation": read_split(FIDELITY_VALIDATION, "prompt", args.limit)}
    if DEFAULT_DATASET.is_file():
        splits = {"dev (tuned)": read_split(DEFAULT_DATASET, "input", args.limit), **splits}
    report = {}
    with BrowserSession() as session, tempfile.TemporaryDirectory(prefix="webagent-calibration-") as work:
        for split, prompts in splits.items():
            pages = []
            for index, prompt in enumerate(prompts):
                pages.append(measure_page(prompt, prompts[(index + 1) % len(prompts)], Path(work), session))
                print(
                    f"{split} {index + 1}/{len(prompts)}: average {pages[-1]['undamaged']['average']:.3f}", flush=True
                )
            report[split] = {"summary": split_summary(pages), "pages": pages}
    for split, figures in report.items():
        summary = figures["summary"]
        print(f"\n{split}: undamaged average {summary['undamaged_average']:.3f}")
        for name, damage in summary["damages"].items():
            print(
                f"  {name:<36} noticed {damage['noticed']:>2}/{damage['damaged']:<2}  mean drop {damage['mean_drop']:.3f}"
            )
        print(f"  {'judged against another prompt':<36} mean average {summary['average_against_another_prompt']:.3f}")
    save_figures(args.out, report)


if __name__ == "__main__":
    main()
