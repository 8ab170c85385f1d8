"""A scripted "model" behind the scripted server: valid answers for every step of a build.

It plans pages by running the offline compiler on the design prompt it reads from the request and
marks what it returns (title, a sentence per section, a CSS class, distinctive media), so a test
can tell that the page holds the server's answers. ``faults`` replaces the answer of a step (by
its X-Webagent-Step header, or "images"/"videos") with scripted failures, one per request, then
falls back to the valid answer.
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
from generators.chart.offline import build_option
from planners.offline import compile_prompt
from webagent.state import PagePlan

IMAGE_RGB = (23, 190, 120)
VIDEO_RGB = (200, 40, 160)
TITLE_PREFIX = "Scripted "


def solid_png(rgb: tuple[int, int, int] = IMAGE_RGB, size: tuple[int, int] = (1536, 1024)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, rgb).save(buffer, "PNG")
    return buffer.getvalue()


def solid_mp4(rgb: tuple[int, int, int] = VIDEO_RGB, size: tuple[int, int] = (320, 180), seconds: int = 2) -> bytes:
    """A real H.264 clip of one colour with a small moving square, made with imageio-ffmpeg's ffmpeg."""
    colour = "0x{:02X}{:02X}{:02X}".format(*rgb)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "clip.mp4"
        subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                        f"color=c={colour}:s={size[0]}x{size[1]}:r=24:d={seconds}", "-vf",
                        "drawbox=x=10+t*60:y=10:w=12:h=12:color=white:t=fill", "-c:v", "libx264",
                        "-pix_fmt", "yuv420p", str(out)], check=True)
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
            answer = json.dumps(self._answer(step, seen.text()))
            return chat_reply(answer, delay_s=self.delay_s, prompt_tokens=estimate_tokens(seen.text()),
                              completion_tokens=estimate_tokens(answer))
        if "/images/" in seen.path:
            return image_reply(self.png, delay_s=self.delay_s)
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
        return {"PagePlan": self.page_plan, "SectionDetail": self.section_detail, "DesignSystem": self.design_system,
                "SectionCode": self.section_code, "ChartDraft": self.chart_draft}[step](text)

    def page_plan(self, text: str) -> dict:
        prompt = re.search(r"<<<\n(.*?)\n>>>", text, re.DOTALL).group(1)
        plan = compile_prompt(prompt)
        plan = plan.model_copy(update={"title": TITLE_PREFIX + plan.title})
        self.plan = plan
        return plan.model_dump(mode="json")

    def section_detail(self, text: str) -> dict:
        section_id = json.loads(re.search(r"global plan \(JSON\): (\{.*\})", text).group(1))["id"]
        section = self.plan.section(section_id)
        assets = [a.model_copy(update={"size": a.size.model_copy(update={"width": 640, "height": 400})})
                  for a in self.plan.assets_of(section_id)]
        return {"section": section.model_dump(mode="json", exclude={"content"}),
                "assets": [a.model_dump(mode="json") for a in assets]}

    @staticmethod
    def design_system(text: str) -> dict:
        return {"css": ".scripted-note { font-style: italic; color: var(--primary); }",
                "components": {"scripted-note": "a note written by the scripted coder"}}

    def section_code(self, text: str) -> dict:
        section_id = re.search(r'<section id="([^"]+)">', text).group(1)
        asked = json.loads(re.search(r"Its plan \(JSON\):\n(\{.*\})\n", text).group(1))  # echo what was asked
        items = "".join(f"<p>{escape(item['text'])}</p>" for item in asked.get("content", []))
        slots = "".join(f'<figure data-slot="{a.id}"></figure>' for a in self.plan.assets_of(section_id))
        html = (f'<section id="{section_id}"><div class="container"><p class="scripted-note">'
                f"{section_marker(section_id)}</p>{items}{slots}</div></section>")
        return {"html": html, "css": f"#{section_id} .scripted-note {{ letter-spacing: 0.02em; }}"}

    def chart_draft(self, text: str) -> dict:
        chart = next(a for a in self.plan.assets
                     if a.kind == "chart" and a.dataset and all(row[0] in text for row in a.dataset.rows))
        return {"option": build_option(chart, self.plan.tokens)}


def estimate_tokens(text: str) -> int:
    """About four characters per token, as for English text with common tokenizers."""
    return max(1, len(text) // 4)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
