"""The model path against a scripted OpenAI-compatible server with a fixed latency per request.

    .venv/bin/python benchmarks/model_path.py [--latency 1.0] [--dev 4] [--double scripted|realistic]

For each page: model calls, tokens in and out (the server counts about four characters per token),
wall time, and the critical path: the fixed latency times the number of requests along the longest
chain of requests that must wait for each other (page plan → section plan → the slowest element
or section), plus the local work after the last model answer (assemble, render, evaluate). The
ratio wall / critical path shows what the orchestration costs on top of the models (target ≤ 1.10).
The media and render caches are off, so every element is requested and every round rendered. One
untimed build first loads the code paths and the browser, as a long-running process would have them.
``--double realistic`` answers with the independent realistic double of tests/realistic_model.py, every habit
on (its repairs and retries are requests on the chain like any other), and also counts the steps that fell
back offline. Writes benchmarks/results/model_path[-realistic].json. Not a test: it measures.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bs4 import BeautifulSoup  # noqa: E402
from dev_set import RESULTS, save_figures  # noqa: E402

from tests.conftest import dev_prompts  # noqa: E402
from tests.model_server import ScriptedServer  # noqa: E402
from tests.realistic_model import RealisticDesigner, fell_back  # noqa: E402
from tests.scripted_model import ScriptedDesigner  # noqa: E402
from webagent.core.browser import BrowserSession  # noqa: E402
from webagent.core.config import Settings  # noqa: E402
from webagent.core.records import RunRecord  # noqa: E402
from webagent.core.source import ModelCall  # noqa: E402
from webagent.engine.build import build  # noqa: E402

LOCAL_TAIL_NODES = ("assemble", "render", "evaluate", "finish")
PLANNING_STEPS = ("section plan", "design system")


def task_of(call: ModelCall) -> tuple[int, str]:
    """(level, task) of a request: requests of one task run one after another, tasks of a level at once."""
    if call.step == "page plan":
        return 1, call.step
    if call.step.startswith(PLANNING_STEPS):
        return 2, call.step
    return 3, call.step.removesuffix(" poll").removesuffix(" download")


def chain_length(calls: list[ModelCall]) -> int:
    """Requests along the longest dependent chain: per level, the task with the most requests."""
    per_task: dict[tuple[int, str], int] = defaultdict(int)
    for call in calls:
        per_task[task_of(call)] += 1
    per_level: dict[int, int] = defaultdict(int)
    for (level, _), count in per_task.items():
        per_level[level] = max(per_level[level], count)
    return sum(per_level.values())


DOUBLES = {"scripted": ScriptedDesigner, "realistic": RealisticDesigner}
QUOTED = re.compile(r'"([^"\n]{2,})"|“([^”\n]{2,})”')
HEX = re.compile(r"#[0-9A-Fa-f]{6}\b")


def page_fidelity(prompt: str, folder: Path) -> tuple[float, float]:
    """(share of the prompt's quoted strings in the page's text, share of its hex colours in the page's CSS)."""
    html = (folder / "index.html").read_text(encoding="utf-8")
    text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
    quotes = [" ".join(next(g for g in m.groups() if g).split()) for m in QUOTED.finditer(prompt)]
    styles = (html + "".join(p.read_text(encoding="utf-8") for p in (folder / "assets").glob("*.css"))).upper()
    colours = {c.upper() for c in HEX.findall(prompt)}
    return (
        round(sum(q in text for q in quotes) / len(quotes), 4) if quotes else 1.0,
        round(sum(c in styles for c in colours) / len(colours), 4) if colours else 1.0,
    )


def measure(
    prompt: str, name: str, latency: float, session: BrowserSession, double: str = "scripted", backoff: float = 1.0
) -> dict:
    designer = DOUBLES[double](delay_s=latency)
    with ScriptedServer(designer) as server, tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            base_url=server.url,
            api_key="benchmark",
            image_backend="openai",
            video_backend="openai",
            video_poll_interval_s=0.01,
            model_timeout_s=60,
            model_backoff_s=backoff,
            media_cache=False,
        )
        result = build(prompt, Path(tmp) / "page", settings, browser=session)
        quotes, colours = page_fidelity(prompt, result.out_dir)
    record: RunRecord = result.record
    tail = sum(t.seconds for t in record.timings if t.node in LOCAL_TAIL_NODES)
    critical = chain_length(record.model_calls) * latency + tail
    return {
        "page": name,
        "sections": next(t.calls for t in record.timings if t.node == "write_sections"),
        "elements": sum(t.calls for t in record.timings if t.node == "generate_assets"),
        "calls": len(record.model_calls),
        "tokens_in": sum(c.input_tokens for c in record.model_calls),
        "tokens_out": sum(c.output_tokens for c in record.model_calls),
        "chain": chain_length(record.model_calls),
        "local_tail_s": round(tail, 2),
        "wall_s": record.total_seconds,
        "critical_s": round(critical, 2),
        "ratio": round(record.total_seconds / critical, 3),
        "quotes": quotes,
        "colours": colours,
        "fallbacks": len(fell_back(record.warnings)),
        "repairs": sum(c.outcome == "repaired" for c in record.model_calls),
        "warnings": record.warnings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=1.0, help="seconds the server waits before each answer")
    parser.add_argument("--dev", type=int, default=4, help="dev-split prompts to add to the demo prompt")
    parser.add_argument("--double", choices=list(DOUBLES), default="scripted", help="which model double answers")
    parser.add_argument(
        "--backoff", type=float, default=1.0, help="MODEL_BACKOFF_S: the wait before a retry, off the critical path"
    )
    args = parser.parse_args()
    pages = [("demo", (ROOT / "examples" / "demo-prompt.txt").read_text())]
    pages += sorted(dev_prompts().items())[: args.dev]
    rows = []
    with BrowserSession() as session:
        measure("a landing page for a bakery", "warm-up", 0.0, session, args.double, args.backoff)
        for name, prompt in pages:
            rows.append(measure(prompt, name, args.latency, session, args.double, args.backoff))
            row = rows[-1]
            print(
                f"{row['page']:<10} sections {row['sections']:>2}  elements {row['elements']:>2}  calls {row['calls']:>3}  "
                f"tokens {row['tokens_in']:>6} in {row['tokens_out']:>6} out  chain {row['chain']}  "
                f"wall {row['wall_s']:6.2f} s  critical {row['critical_s']:6.2f} s  ratio {row['ratio']:.3f}"
                + f"  quotes {row['quotes']:.2f}  colours {row['colours']:.2f}"
                + f"  repairs {row['repairs']}  fell back {row['fallbacks']}"
                + (f"  warnings: {len(row['warnings'])}" if row["warnings"] else "")
            )
    worst = max(r["ratio"] for r in rows)
    print(f"latency {args.latency} s per request; worst wall / critical path = {worst:.3f} (target ≤ 1.10)")
    print(
        f"steps that fell back offline: {sum(r['fallbacks'] for r in rows)} in {len(rows)} pages; "
        f"quotes {min(r['quotes'] for r in rows):.2f} and colours {min(r['colours'] for r in rows):.2f} at worst"
    )
    name = "model_path.json" if args.double == "scripted" else f"model_path-{args.double}.json"
    save_figures(
        RESULTS / name, {"latency_s": args.latency, "double": args.double, "backoff_s": args.backoff, "pages": rows}
    )


if __name__ == "__main__":
    main()
