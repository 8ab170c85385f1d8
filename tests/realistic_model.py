"""An independent model double that answers the way real models do, for tests and benchmarks.

``RealisticDesigner`` plans pages by rules of its own — a section per paragraph, quoted strings as
copy, hex colours in the order given, a medium per media word, a chart from a markdown table or
from "label number" pairs — and never calls our offline planner or reads our prompt templates
beyond the few lines that say which section, dataset or slot a request is about. Its answers are
plausible, not perfect, and carry the habits real models have, each switchable by name (``HABITS``):

- think: a ``<think>`` block with braces before the answer; reasoning_field: a separate
  ``reasoning_content`` field (as vLLM and Ollama send it)
- fences: a ```css fence before the ```json one; preface: a preface and an afterword with braces
- extra_key: a ``reasoning`` key the schema lacks, whose text holds a fence; key_case: capitalised keys
- string_numbers: every integer written as a string; null_optional: ``null`` for optional fields
- short_hex: ``#fff`` for ``#ffffff``; dropped_copy: the first answer of each section leaves one
  piece of copy out; function_strings: a JavaScript formatter in chart options
- reveal_css: content hidden until a script reveals it on scroll; landmark_roots: header and
  footer sections answered as ``<header>``/``<footer>`` roots
- truncation: the first page plan and design system are cut off mid-answer with
  ``finish_reason: "length"``; error_200: the first request of each section plan answers an
  error object with status 200; slow_stream: chart answers drip out in small pieces
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Callable

from tests.model_server import Reply, Seen, chat_reply, image_reply, video_job
from tests.scripted_model import SECTION_IN_REQUEST, estimate_tokens, request_text, solid_mp4, solid_png

QUOTE = re.compile(r'"([^"\n]{1,240})"|“([^”\n]{1,240})”|«\s?([^»\n]{1,240}?)\s?»')
HEX6 = re.compile(r"#[0-9A-Fa-f]{6}\b")
TABLE_ROW = re.compile(r"^\s*\|(.+)\|\s*$")
PAIR = re.compile(r"([A-Za-zÀ-ÿ][\wÀ-ÿ&' -]{0,30}?)\s*[:=]?\s+(\d+(?:[.,]\d+)?)\s*(?:[%kKmM€$]|\b)")
MEDIA_WORDS = {
    "video": re.compile(r"\b(?:video|vídeo|clip|footage|loop)\b", re.I),
    "chart": re.compile(r"\b(?:chart|graph|gráfico|grafico|diagram|plot)\b", re.I),
    "image": re.compile(r"\b(?:photo|photos|image|images|picture|foto|fotos|imagen|illustration)\b", re.I),
}
CHART_TYPES = ("line", "pie", "donut", "area", "bar")
SPANISH = re.compile(r"\b(?:una|el|los|las|con|para|del|y)\b", re.I)
FONTS = {"heading": "Georgia, 'Times New Roman', serif", "body": "'Helvetica Neue', Arial, sans-serif"}
# How a model step that fell back offline ends its warning (the ``model_or_offline`` callers' wording).
FALLBACK_ENDINGS = ("offline instead", "offline template instead", "built-in stylesheet only")
HABITS = (
    "think",
    "reasoning_field",
    "fences",
    "preface",
    "extra_key",
    "key_case",
    "string_numbers",
    "null_optional",
    "short_hex",
    "dropped_copy",
    "function_strings",
    "reveal_css",
    "landmark_roots",
    "truncation",
    "error_200",
    "slow_stream",
)


# --- its own planning ------------------------------------------------------------------------------


def quotes_in(text: str) -> list[str]:
    return [next(group for group in match.groups() if group) for match in QUOTE.finditer(text)]


def slug(text: str, taken: Counter) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower().translate(str.maketrans("áéíóúñüç", "aeiounuc")))
    base = "-".join(words[:2]) or "part"
    taken[base] += 1
    return base if taken[base] == 1 else f"{base}-{taken[base]}"


def paragraphs_of(prompt: str) -> list[str]:
    """Blank-line paragraphs; a prompt of one paragraph is cut into its sentences."""
    parts: list[str] = []
    for part in (p.strip() for p in re.split(r"\n\s*\n", prompt.strip())):
        if part.startswith("|") and parts:  # a table belongs to the paragraph that announces it
            parts[-1] += "\n\n" + part
        elif part:
            parts.append(part)
    if len(parts) == 1:
        parts = [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÁÉÍÓÚ¿¡])", parts[0]) if s.strip()]
    return parts


def table_in(text: str) -> tuple[list[str], list[list[str]]] | None:
    """The first markdown table of ``text`` as (columns, rows)."""
    rows = [[cell.strip() for cell in m.group(1).split("|")] for m in map(TABLE_ROW.match, text.splitlines()) if m]
    rows = [row for row in rows if not all(set(cell) <= set("-: ") for cell in row)]
    return (rows[0], rows[1:]) if len(rows) > 1 else None


def pairs_in(text: str) -> tuple[list[str], list[list[str]]] | None:
    """'label number' pairs written inline ("Q1 8.1, Q2 9.4 …") as a two-column table."""
    found = [(label.strip(), value) for label, value in PAIR.findall(text) if not label.strip().isdigit()]
    return (["Label", "Value"], [[label, value] for label, value in found]) if len(found) >= 3 else None


def palette_of(prompt: str) -> dict[str, str]:
    """Hex colours in the order given; the one a sentence calls the background is the background."""
    colours = list(dict.fromkeys(c.upper() for c in HEX6.findall(prompt)))
    background = next(
        (c.upper() for c in HEX6.findall(prompt) if re.search(rf"(?:background|fondo|fond)[^.#]*{c}", prompt, re.I)),
        "#FFFFFF",
    )
    brand = [c for c in colours if c != background] + ["#2B59C3", "#E0A030", "#2A9D8F", "#F4F4F4", "#1A1A1A"]
    return {
        "background": background,
        "primary": brand[0],
        "secondary": brand[1],
        "accent": brand[2],
        "surface": brand[3] if len(colours) > 4 else "#F6F6F6",
        "text": brand[4] if len(colours) > 5 else "#1C1C1C",
        "muted": "#6B6B6B",
    }


def section_for(paragraph: str, index: int, taken: Counter) -> tuple[dict, list[dict]]:
    """One section of the page and the media it asks for."""
    quotes = quotes_in(paragraph)
    lowered = paragraph.lower()
    role = "hero" if index == 0 else "footer" if "footer" in lowered or "pie de página" in lowered else "content"
    role = "header" if re.search(r"\b(?:header|navigation|nav|cabecera|menú superior)\b", lowered) else role
    section_id = slug(quotes[0] if quotes and role != "header" else role if role != "content" else paragraph, taken)
    content = [
        {"text": text, "role": "heading" if n == 0 and role not in ("header", "footer") else "body"}
        for n, text in enumerate(quotes)
    ]
    if not quotes:
        content = [{"text": paragraph.split(".")[0][:90].strip(), "role": "heading"}]
    assets = []
    for kind, words in MEDIA_WORDS.items():
        if not words.search(paragraph):
            continue
        asset = {
            "id": f"{section_id}-{kind}",
            "kind": kind,
            "section_id": section_id,
            "title": (quotes[0] if quotes else paragraph[:60]),
            "size": {"width": 1200 if kind == "video" else 640, "height": 480 if kind != "video" else 675},
            "context": {"section": section_id, "role": f"{kind} of the section", "page_style": "warm editorial"},
            "attributes": {"kind": kind},
            "prompt": paragraph[:300],
            "path": f"assets/{section_id}-{kind}",
        }
        if kind == "chart":
            data = table_in(paragraph) or pairs_in(paragraph)
            if data is None:
                continue
            asset["dataset"] = {"title": asset["title"], "columns": data[0], "rows": data[1]}
            asset["attributes"]["chart_type"] = next((t for t in CHART_TYPES if t in lowered), "bar")
        assets.append(asset)
    section = {"id": section_id, "role": role, "title": quotes[0] if quotes else "", "content": content}
    section["layout"] = {"columns": 2 if "two columns" in lowered or "dos columnas" in lowered else 1}
    section["asset_ids"] = [a["id"] for a in assets]
    section["brief"] = paragraph[:600]
    return section, assets


def plan_from_prompt(prompt: str) -> dict:
    """A whole page plan from the prompt, by this double's own rules."""
    taken: Counter = Counter()
    paragraphs = paragraphs_of(prompt)
    sections, assets = [], []
    for index, paragraph in enumerate(paragraphs):
        section, found = section_for(paragraph, index, taken)
        sections.append(section)
        assets += found
    if not any(s["role"] == "footer" for s in sections):
        sections.append(
            {"id": "footer", "role": "footer", "title": "", "content": [{"text": "© 2026", "role": "legal"}]}
        )
    titles = quotes_in(prompt)
    return {
        "title": titles[0] if titles else " ".join(prompt.split()[:6]),
        "language": "es" if len(SPANISH.findall(prompt)) > 3 else "en",
        "tokens": {"palette": palette_of(prompt), "fonts": FONTS, "radius_px": 12, "mood": "warm"},
        "sections": sections,
        "assets": assets,
    }


# --- answers to each step, read from the request -----------------------------------------------------


def json_after(label: str, text: str) -> dict:
    """The JSON object on the line after (or at the end of) ``label`` in a request."""
    found = re.search(re.escape(label) + r"\s*(\{.*\})\s*$", text, re.MULTILINE)
    return json.loads(found.group(1)) if found else {}


def section_markup(plan: dict, slots: list[str], root: str) -> str:
    """A section's HTML showing each piece of its copy and one figure per slot."""
    tags = {"heading": "h2", "body": "p", "legal": "p"}
    items = "".join(
        f"<{tags.get(i['role'], 'p')}>{escape(i['text'])}</{tags.get(i['role'], 'p')}>" for i in plan.get("content", [])
    )
    tables = "".join(
        "<table><tr>"
        + "".join(f"<th>{escape(c)}</th>" for c in t["columns"])
        + "</tr>"
        + "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in t["rows"])
        + "</table>"
        for t in plan.get("tables", [])
    )
    figures = "".join(f'<figure data-slot="{slot}"></figure>' for slot in slots)
    return f'<{root} id="{plan["id"]}" class="section"><div class="container">{items}{tables}{figures}</div></{root}>'


def chart_option(text: str) -> dict:
    """An ECharts option drawing the numbers the request lists, as its chart type asks."""
    dataset = json_after("The dataset (JSON; cells as written):", text)
    numbers = json_after("Its numbers by column (JSON):", text)
    chart_type = re.search(r"Chart type: (\w+)", text).group(1)
    labels = [row[0] for row in dataset["rows"]]
    if chart_type in ("pie", "donut"):
        column, values = next(iter(numbers.items()))
        data = [{"name": label, "value": value} for label, value in zip(labels, values)]
        return {"title": {"text": column}, "tooltip": {}, "series": [{"type": "pie", "data": data}]}
    series = [
        {"type": "line" if chart_type in ("line", "area") else "bar", "name": c, "data": v} for c, v in numbers.items()
    ]
    return {
        "title": {"text": dataset.get("title", "")},
        "tooltip": {},
        "grid": {"containLabel": True},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {"type": "value"},
        "series": series,
    }


class RealisticDesigner:
    """The responder: each request's answer, planned by the double's rules and dressed in ``habits``."""

    def __init__(self, habits: tuple[str, ...] | list[str] = HABITS, delay_s: float = 0.0) -> None:
        unknown = set(habits) - set(HABITS)
        if unknown:
            raise ValueError(f"unknown habits: {sorted(unknown)}")
        self.habits = set(habits)
        self.delay_s = delay_s
        self.plan: dict = {}
        self.used: Counter = Counter()  # habit → answers it changed
        self.steps: Counter = Counter()  # step → requests seen
        self.png, self.mp4 = solid_png(), solid_mp4()
        self._lock = threading.Lock()

    def __call__(self, seen: Seen) -> Reply:
        if "/chat/completions" not in seen.path:
            return self._media(seen)
        text = request_text(seen)
        step = self._step(seen.step, text)
        with self._lock:
            self.steps[step] += 1
            first = self.steps[step] == 1
        if first and step.startswith("SectionDetail") and self._uses("error_200"):
            return Reply({"error": {"message": "model is loading, try again"}}, delay_s=self.delay_s)
        answer = self._answer(step, text, first)
        content = self._dress(json.dumps(answer, ensure_ascii=False), step)
        finish = "stop"
        if first and step in ("PagePlan", "DesignSystem") and self._uses("truncation"):
            content, finish = content[: len(content) * 3 // 5], "length"
        reply = chat_reply(content, finish, estimate_tokens(text), estimate_tokens(content), self.delay_s)
        if self._uses("reasoning_field"):
            reply.body["choices"][0]["message"]["reasoning_content"] = "The user wants {a page}; plan it first."
        if step == "ChartDraft" and self._uses("slow_stream"):
            reply.drip_s = 0.0002
        return reply

    def _uses(self, habit: str) -> bool:
        if habit in self.habits:
            with self._lock:
                self.used[habit] += 1
            return True
        return False

    @staticmethod
    def _step(header: str, text: str) -> str:
        """The step, told apart for the same schema: a section's plan and code by section id."""
        if header == "SectionCode" and "Current markup:" in text:
            return "patch"
        if header == "SectionCode":
            return "SectionCode " + re.search(r'<section id="([^"]+)">', text).group(1)
        if header == "SectionDetail":
            return "SectionDetail " + json_after("This section in the global plan (JSON):", text)["id"]
        return header

    def _media(self, seen: Seen) -> Reply:
        if "/images/" in seen.path:
            return image_reply(self.png, delay_s=self.delay_s)
        if seen.path.endswith("/videos") and seen.method == "POST":
            return Reply(video_job("video-1", "queued"), delay_s=self.delay_s)
        if "/content" in seen.path:
            return Reply(self.mp4, content_type="application/octet-stream", delay_s=self.delay_s)
        return Reply(video_job("video-1", "completed"), delay_s=self.delay_s)

    def _answer(self, step: str, text: str, first: bool) -> dict:
        kind = step.split(" ")[0]
        if kind == "PagePlan":
            self.plan = plan_from_prompt(re.search(r"<<<\n(.*?)\n>>>", text, re.DOTALL).group(1))
            return self.plan
        if kind == "SectionDetail":
            section = json_after("This section in the global plan (JSON):", text)
            assets = [json.loads(line) for line in re.findall(r'^(\{"id".*\})$', text, re.MULTILINE)]
            for asset in assets:
                asset["context"]["role"] = "the section's main visual"
                asset["path"] = f"assets/{asset['id']}"
            return {"section": {k: v for k, v in section.items() if k not in ("content", "tables")}, "assets": assets}
        if kind == "DesignSystem":
            css = ".feature-card { border-radius: 16px; background: var(--surface); padding: 24px; }"
            return {"css": css, "components": {"feature-card": "a rounded card"}}
        if kind == "SectionCode":
            return self._section_code(text, first)
        if kind == "ChartDraft":
            return self._dress_chart({"option": chart_option(text)})
        return self._reflection_answer(kind, text)

    def _section_code(self, text: str, first: bool) -> dict:
        plan = json.loads(re.search(r"Its plan \(JSON\):\n(\{.*\})\n", text).group(1))
        slots = re.findall(r'<figure data-slot="([^"]+)"></figure> —', text)
        if first and len(plan.get("content", [])) > 1 and self._uses("dropped_copy"):
            plan["content"] = plan["content"][:-1]
        root = plan["role"] if plan["role"] in ("header", "footer") and self._uses("landmark_roots") else "section"
        html = section_markup(plan, slots, root)
        css = f"#{plan['id']} h2 {{ color: var(--primary); }}"
        if self._uses("reveal_css"):
            html = html.replace('<div class="container">', '<div class="container reveal">', 1)
            html = html.replace(f"</{root}>", f'<script>observe(".reveal")</script></{root}>')
            css += f"\n#{plan['id']} .reveal {{ opacity: 0; transform: translateY(20px); }}"
            css += f"\n#{plan['id']} .reveal.in-view {{ opacity: 1; transform: none; }}"
        return {"html": html, "css": css}

    def _dress_chart(self, answer: dict) -> dict:
        if self._uses("function_strings"):
            for series in answer["option"].get("series", []):
                series["label"] = {"show": True, "formatter": "function (p) { return p.value; }"}
        return answer

    @staticmethod
    def _reflection_answer(kind: str, text: str) -> dict:
        """Reflection as a cautious model does it: fixes sent to the first content section, markup kept."""
        if kind == "SectionChoice":
            sections = json.loads(re.search(r"the start of their text\):\n(.*)\n", text).group(1))
            penalties = json.loads(re.search(r"\(JSON: number, issue, fix\):\n(.*)\n", text).group(1))
            target = next(s["id"] for s in sections if s["role"] != "header")
            return {"choices": [{"penalty": p["number"], "section_ids": [target]} for p in penalties]}
        if kind == "patch":
            _, html, css = SECTION_IN_REQUEST.search(text).groups()
            return {"html": html, "css": css}
        if kind == "PageRewrite":
            found = SECTION_IN_REQUEST.findall(text)
            return {"sections": [{"section_id": i, "html": h, "css": c} for i, h, c in found]}
        if kind == "PageRestyle":
            css = re.search(r"The shared stylesheet now:\n```css\n(.*?)\n```", text, re.DOTALL).group(1)
            return {"css": css + "\nh2 { letter-spacing: 0.01em; }"}
        if kind == "ElementStyle":
            return {"declarations": {"object-fit": "cover"}}
        raise ValueError(f"the realistic double has no answer for {kind}")

    # --- habits of the text -----------------------------------------------------------------------

    def _dress(self, content: str, step: str) -> str:
        data = json.loads(content)
        if self._uses("null_optional") and step == "PagePlan":
            for section in data["sections"]:
                section["layout"], section["background"] = None, None
        if self._uses("string_numbers"):
            data = stringified(data)
        if self._uses("key_case"):
            data = {key[:1].upper() + key[1:]: value for key, value in data.items()}
        if self._uses("extra_key"):
            data = {"reasoning": "Kept it simple; no ```json``` needed {here}.", **data}
        content = json.dumps(data, ensure_ascii=False)
        if self._uses("short_hex"):
            content = re.sub(r'"#([0-9A-Fa-f])\1([0-9A-Fa-f])\2([0-9A-Fa-f])\3"', r'"#\1\2\3"', content)
        wrappers: list[tuple[str, Callable[[str], str]]] = [
            ("fences", lambda c: f"Styles first:\n```css\n.x {{ color: red; }}\n```\nThe answer:\n```json\n{c}\n```"),
            ("preface", lambda c: f"Here it is {{as asked}}:\n{c}\nTell me {{if}} you want changes."),
            ("think", lambda c: f'<think>Plan: {{"title": "draft"}} then sections {{…}}.</think>\n{c}'),
        ]
        for habit, wrap in wrappers:
            if self._uses(habit):
                content = wrap(content)
        return content


def fell_back(warnings: list[str]) -> list[str]:
    """The warnings of a build that say a model step was done offline instead."""
    return [w for w in warnings if w.endswith(FALLBACK_ENDINGS)]


def stringified(value: object) -> object:
    """Every integer (not a boolean) in ``value`` written as a string."""
    if isinstance(value, dict):
        return {key: stringified(item) for key, item in value.items()}
    if isinstance(value, list):
        return [stringified(item) for item in value]
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
