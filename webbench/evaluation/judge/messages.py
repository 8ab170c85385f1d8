"""Judge requests: prompt templates rendered to chat messages, with pictures attached as image parts."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from webagent.core.prompt_book import PromptBook

PROMPTS = PromptBook(Path(__file__).with_name("prompts"))
SENT_AS_IS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
PAGE_HTML_CHARS = 40_000
SCRIPT = re.compile(r"(<script\b[^>]*>).*?(</script>)", re.I | re.S)
DATA_URI = re.compile(r"data:([\w/+.-]+);base64,[A-Za-z0-9+/=\s]{64,}")


def image_part(path: Path) -> dict | None:
    """An OpenAI chat image part holding the picture at ``path`` as a data URL; None when it is not a picture.

    PNG, JPEG, WebP and GIF files are sent byte for byte; other raster formats as PNG.
    """
    try:
        with Image.open(path) as picture:
            mime = SENT_AS_IS.get(picture.format or "")
            if mime:
                data = path.read_bytes()
            else:
                buffer = io.BytesIO()
                picture.save(buffer, format="PNG")
                mime, data = "image/png", buffer.getvalue()
    except (OSError, UnidentifiedImageError):
        return None
    return {"type": "image_url", "image_url": {"url": f"data:{mime};base64,{base64.b64encode(data).decode()}"}}


def with_images(messages: list[dict], parts: list[dict]) -> list[dict]:
    """``messages`` with the user message's text followed by the image ``parts``, in order."""
    *head, user = messages
    return [*head, {"role": "user", "content": [{"type": "text", "text": user["content"]}, *parts]}]


def page_html(html: str, limit: int = PAGE_HTML_CHARS) -> str:
    """The page's HTML for a judge: script bodies and inline base64 data left out, then cut at ``limit``."""
    text = DATA_URI.sub(r"data:\1;base64,…", SCRIPT.sub(r"\1…\2", html))
    return text if len(text) <= limit else f"{text[:limit]}\n<!-- … {len(text) - limit} more characters -->"
