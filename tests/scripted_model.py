"""A scripted "model" behind the scripted server: valid answers for every step of a build.

It plans pages by running the offline compiler on the design prompt it reads from the request and
marks what it returns (title, a sentence per section, a CSS class, distinctive media), so a test
can tell that the page holds the server's answers. As the judge it finds nothing wrong, and as the
coder in reflection it patches a section by adding one marked paragraph (a whole-page rewrite
patches every section so), answers fixed embedding CSS, and draws a regenerated image (its prompt
carries "Fix:") in another colour; a test subclasses it to script critiques. ``faults`` replaces the
answer of a step (by its X-Webagent-Step header, or "images"/"videos") with scripted failures, one
per request, then falls back to the valid answer.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import tempfile
import threading
from collections import defaultdict
from pathlib import Path

import imageio_ffmpeg
from PIL import Image

from tests.model_server import Reply, Seen, chat_reply, error_reply, image_reply, video_job
from webagent.core.contracts import PagePlan
from webagent.generators.chart.offline import build_option
from webagent.planners.offline import compile_prompt

IMAGE_RGB = (23, 190, 120)
FIXED_IMAGE_RGB = (214, 64, 40)
VIDEO_RGB = (200, 40, 160)
TITLE_PREFIX = "Scripted "
PATCH_NOTE = "Patched by the scripted coder."
RESTYLE_RULE = ".section-title { letter-spacing: 0.03em; }"
RESTYLED_SECONDARY = "#5B2A86"
SCRIPTED_STYLE = {"object-fit": "contain", "object-position": "left top", "width": "50%"}
SECTION_IN_REQUEST = re.compile(
    r'^Section "([^"]+)" \([^)\n]*\)\. Current markup:\n```html\n(.*?)\n```\n'
    r"Current CSS:\n```css\n(.*?)\n```",
    re.DOTALL | re.MULTILINE,
)


def solid_png(rgb: tuple[int, int, int] = IMAGE_RGB, size: tuple[int, int] = (1536, 1024)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, rgb).save(buffer, "PNG")
    return buffer.getvalue()


def solid_mp4(rgb: tuple[int, int, int] = VIDEO_RGB, size: tuple[int, int] = (320, 180), seconds: int = 2) -> bytes:
    """A real H.264 clip of one colour with a small moving square, made with imageio-ffmpeg's ffmpeg."""
    colour = "0x{:02X}{:02X}{:02X}".format(*rgb)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "clip.mp4"
        subprocess.run(
            [
                imageio_ffmpeg.get_ffmpeg_exe(),
                "-loglevel",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                f"color=c={colour}:s={size[0]}x{size[1]}:r=24:d={seconds}",
                "-vf",
                "drawbox=x=10+t*60:y=10:w=12:h=12:color=white:t=fill",
                "-c:v",
                "libx264",
                "-pix_fmt",
                "yuv420p",
                str(out),
            ],
            check=True,
        )
        return out.read_bytes()


def section_marker(section_id: str) -> str:
    return f"Written by the scripted coder for {section_id}."


class ScriptedDesigner:
    """The responder: call it with each request the server sees."""

    def __init__(self, delay_s: float = 0.0, faults: dict[str, list[Reply]] | None = None) -> None:
        self.delay_s = delay_s
        self.faults = {step: list(replies) for step, replies in (faults or {}).items()}
        self.plan: PagePlan | None = None
        self.png = solid_png()
        self.fixed_png = solid_png(FIXED_IMAGE_RGB)
        self.mp4 = solid_mp4()
        self.polls: defaultdict[str, int] = defaultdict(int)
        self._lock = threading.Lock()

    def __call__(self, seen: Seen) -> Reply:
        step = seen.step or self._media_step(seen)
        with self._lock:
            queued = self.faults.get(step)
            fault = queued.pop(0) if queued else None
        if fault is not None:
            return fault
        if "/chat/completions" in seen.path:
            answer = json.dumps(self._answer(step, request_text(seen)))
            return chat_reply(
                answer,
                delay_s=self.delay_s,
                prompt_tokens=estimate_tokens(seen.text()),
                completion_tokens=estimate_tokens(answer),
            )
        if "/images/" in seen.path:
            return image_reply(self.fixed_png if "Fix:" in seen.text() else self.png, delay_s=self.delay_s)
        if seen.path.endswith("/videos") and seen.method == "POST":
            return Reply(video_job("video-1", "queued"), delay_s=self.delay_s)
        if "/content" in seen.path:
            return Reply(self.mp4, content_type="application/octet-stream", delay_s=self.delay_s)
        if "/videos/" in seen.path:
            return Reply(video_job("video-1", "completed"), delay_s=self.delay_s)
        return error_reply(404, f"the scripted server has no {seen.path}")

    @staticmethod
    def _media_step(seen: Seen) -> str:
        return "images" if "/images/" in seen.path else "videos" if "/videos" in seen.path else ""

    # --- answers ----------------------------------------------------------------------------

    def _answer(self, step: str, text: str) -> dict:
        if step == "PenaltyCritique":
            step = "layout" if "layout of a web page" in text else "style"
        if step == "SectionCode" and "Current markup:" in text:
            step = "patch"
        return {
            "PagePlan": self.page_plan,
            "SectionDetail": self.section_detail,
            "DesignSystem": self.design_system,
            "SectionCode": self.section_code,
            "ChartDraft": self.chart_draft,
            "RequiredElements": self.required_elements,
            "layout": self.layout,
            "style": self.style,
            "AestheticsCritique": self.aesthetics,
            "ImageVerdict": self.image_verdict,
            "VideoVerdict": self.video_verdict,
            "ChartVerdict": self.chart_verdict,
            "SectionChoice": self.section_choice,
            "patch": self.patch_section,
            "ElementStyle": self.element_style,
            "EditPlan": self.edit_plan,
            "PageRewrite": self.rewrite_page,
            "PageRestyle": self.restyle_page,
        }[step](text)

    def page_plan(self, text: str) -> dict:
        prompt = re.search(r"<<<\n(.*?)\n>>>", text, re.DOTALL).group(1)
        plan = compile_prompt(prompt)
        plan = plan.model_copy(update={"title": TITLE_PREFIX + plan.title})
        self.plan = plan
        return plan.model_dump(mode="json")

    def section_detail(self, text: str) -> dict:
        section_id = json.loads(re.search(r"global plan \(JSON\): (\{.*\})", text).group(1))["id"]
        section = self.plan.section(section_id)
        assets = [
            a.model_copy(update={"size": a.size.model_copy(update={"width": 640, "height": 400})})
            for a in self.plan.assets_of(section_id)
        ]
        return {
            "section": section.model_dump(mode="json", exclude={"content"}),
            "assets": [a.model_dump(mode="json") for a in assets],
        }

    @staticmethod
    def design_system(text: str) -> dict:
        return {
            "css": ".scripted-note { font-style: italic; color: var(--primary); }",
            "components": {"scripted-note": "a note written by the scripted coder"},
        }

    def section_code(self, text: str) -> dict:
        section_id = re.search(r'<section id="([^"]+)">', text).group(1)
        asked = json.loads(re.search(r"Its plan \(JSON\):\n(\{.*\})\n", text).group(1))  # echo what was asked
        items = "".join(f"<p>{escape(item['text'])}</p>" for item in asked.get("content", []))
        slots = "".join(f'<figure data-slot="{a.id}"></figure>' for a in self.plan.assets_of(section_id))
        html = (
            f'<section id="{section_id}"><div class="container"><p class="scripted-note">'
            f"{section_marker(section_id)}</p>{items}{slots}</div></section>"
        )
        return {"html": html, "css": f"#{section_id} .scripted-note {{ letter-spacing: 0.02em; }}"}

    def chart_draft(self, text: str) -> dict:
        chart = next(
            a
            for a in self.plan.assets
            if a.kind == "chart" and a.dataset and all(row[0] in text for row in a.dataset.rows)
        )
        return {"option": build_option(chart, self.plan.tokens)}

    # --- the judge: every element the plan has is required, and nothing is wrong -------------------

    def required_elements(self, text: str) -> dict:
        return {
            "elements": [
                {
                    "kind": a.kind,
                    "description": a.prompt,
                    "dataset": a.dataset.model_dump(mode="json") if a.dataset else None,
                }
                for a in self.plan.assets
            ]
        }

    def layout(self, text: str) -> dict:
        return {"penalties": []}

    def style(self, text: str) -> dict:
        return {"penalties": []}

    def aesthetics(self, text: str) -> dict:
        return {"balance": 1.0, "typography": 1.0, "colour": 1.0, "clarity": 1.0, "finish": 1.0}

    def image_verdict(self, text: str) -> dict:
        return {"issues": []}

    def video_verdict(self, text: str) -> dict:
        return {"grade": 1.0, "issues": []}

    def chart_verdict(self, text: str) -> dict:
        return {"blank": False, "issues": []}

    # --- the coder in reflection ---------------------------------------------------------------

    def section_choice(self, text: str) -> dict:
        """Each penalty goes to the sections whose id or title it names, else to the first section after the header."""
        sections = json.loads(re.search(r"the start of their text\):\n(.*)\n", text).group(1))
        penalties = json.loads(re.search(r"\(JSON: number, issue, fix\):\n(.*)\n", text).group(1))
        fallback = [next(s["id"] for s in sections if s["role"] != "header")]
        choices = []
        for penalty in penalties:
            said = penalty["issue"].casefold()
            named = [
                s["id"] for s in sections if s["id"] in said.split() or (s["title"] and s["title"].casefold() in said)
            ]
            choices.append({"penalty": penalty["number"], "section_ids": named or fallback})
        return {"choices": choices}

    @staticmethod
    def patch_section(text: str) -> dict:
        """The current section with one marked paragraph added, and a rule for it added to its CSS."""
        return patched(*SECTION_IN_REQUEST.search(text).groups())

    @staticmethod
    def rewrite_page(text: str) -> dict:
        """Every section of the page patched as ``patch_section`` patches one."""
        return {
            "sections": [
                {"section_id": section_id, **patched(section_id, html, css)}
                for section_id, html, css in SECTION_IN_REQUEST.findall(text)
            ]
        }

    @staticmethod
    def restyle_page(text: str) -> dict:
        """The shared stylesheet with one marked rule added, and a new secondary colour."""
        css = re.search(r"The shared stylesheet now:\n```css\n(.*?)\n```", text, re.DOTALL).group(1)
        return {"css": f"{css}\n{RESTYLE_RULE}", "palette": {"secondary": RESTYLED_SECONDARY}}

    @staticmethod
    def element_style(text: str) -> dict:
        return {"declarations": dict(SCRIPTED_STYLE)}

    # --- the coder planning a user's edit ------------------------------------------------------

    @staticmethod
    def edit_plan(text: str) -> dict:
        """A colour in the request becomes the primary colour, a chart type is given to every chart, and a
        request naming the hero patches the hero section."""
        request = re.search(r"Request:\n<<<\n(.*?)\n>>>", text, re.DOTALL).group(1)
        lines = [json.loads(line) for line in re.findall(r'^(\{"id": .*\})$', text, re.MULTILINE)]
        plan: dict = {}
        if colour := re.search(r"#[0-9A-Fa-f]{6}", request):
            plan["palette"] = {"primary": colour.group(0)}
        if chart_type := re.search(r"\b(bar|line|pie)\b", request):
            plan["chart_types"] = [
                {"asset_id": line["id"], "chart_type": chart_type.group(1)}
                for line in lines
                if line.get("kind") == "chart"
            ]
        if "hero" in request:
            plan["sections"] = [{"section_id": "hero", "instruction": request}]
        return plan


def patched(section_id: str, html: str, css: str) -> dict:
    """A section's markup with one marked paragraph added, and its CSS with a rule for it."""
    head, _, tail = html.rpartition("</section>")
    return {
        "html": f'{head}<p class="scripted-patch">{PATCH_NOTE}</p></section>{tail}',
        "css": f"{css}\n#{section_id} .scripted-patch {{ margin-top: 24px; }}",
    }


def request_text(seen: Seen) -> str:
    """What a request said to the model: its messages' text (image parts left out) and its prompt."""
    if not isinstance(seen.body, dict):
        return ""
    parts = []
    for message in seen.body.get("messages", []):
        content = message.get("content", "")
        if isinstance(content, str):
            parts.append(content)
        else:
            parts += [part.get("text", "") for part in content if part.get("type") == "text"]
    return "\n".join([*parts, str(seen.body.get("prompt", ""))])


def asset_in(text: str) -> str:
    """The data-asset-id of the element a judge request shows ('' when none)."""
    found = re.search(r'data-asset-id="([^"]+)"', text)
    return found.group(1) if found else ""


def estimate_tokens(text: str) -> int:
    """About four characters per token, as for English text with common tokenizers."""
    return max(1, len(text) // 4)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
