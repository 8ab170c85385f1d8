"""Taking a built page away: a zip of its folder, or one self-contained HTML file with every asset inlined."""

from __future__ import annotations

import base64
import io
import mimetypes
import posixpath
import re
import zipfile
from pathlib import Path

from bs4 import BeautifulSoup

from webagent.core.errors import UnsafePathError, WebAgentError
from webagent.core.files import safe_join

# What a page needs to be opened elsewhere; rounds/ and screenshots/ are the build's own records.
ZIPPED_FILES = ("index.html", "plan.json", "source.json", "run.json", "prompt.txt")
ZIPPED_FOLDERS = ("assets",)
CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")
for _type, _ext in (
    ("image/webp", ".webp"),
    ("video/webm", ".webm"),
    ("video/mp4", ".mp4"),
    ("text/javascript", ".js"),
):
    mimetypes.add_type(_type, _ext)


def page_zip(folder: Path) -> bytes:
    """The page folder as a zip: index.html, its assets and the build's plan and run record.

    Every file goes through ``safe_join``: a symbolic link (or linked folder) pointing outside the
    page is left out, never zipped.
    """
    folder = folder.resolve()
    if inside(folder, "index.html") is None:
        raise WebAgentError(f"{folder} has no index.html: nothing to download")
    names = [
        *ZIPPED_FILES,
        *(path.relative_to(folder).as_posix() for top in ZIPPED_FOLDERS for path in sorted((folder / top).rglob("*"))),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            path = inside(folder, name)
            if path is not None:
                archive.write(path, name)
    return buffer.getvalue()


def inside(folder: Path, relative: str) -> Path | None:
    """The file ``relative`` names in ``folder``, or None when there is none or ``safe_join`` refuses it."""
    try:
        path = safe_join(folder, relative)
    except UnsafePathError:
        return None
    return path if path.is_file() else None


def is_local(reference: str) -> bool:
    """A relative reference to a file of the page (not a fragment, data: URI or outside address)."""
    ref = reference.strip()
    return bool(ref) and not ref.startswith(("#", "data:", "http:", "https:", "//", "mailto:", "tel:", "javascript:"))


def local_file(folder: Path, base: Path, reference: str) -> Path | None:
    """The file ``reference`` names, relative to ``base`` (a folder inside ``folder``), when it lies inside ``folder``."""
    joined = posixpath.join(base.relative_to(folder).as_posix(), reference.split("#")[0].split("?")[0])
    return inside(folder, posixpath.normpath(joined))


def data_uri(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def inline_css(css: str, folder: Path, base: Path) -> str:
    """CSS with each ``url(…)`` of a page file replaced by a data: URI."""

    def replace(match: re.Match) -> str:
        ref = match.group(2)
        path = local_file(folder, base, ref) if is_local(ref) else None
        return f"url({data_uri(path)})" if path else match.group(0)

    return CSS_URL.sub(replace, css)


def single_file_html(folder: Path) -> str:
    """index.html with stylesheets and scripts (the chart runtime too) inlined and media as data: URIs."""
    folder = folder.resolve()
    index = inside(folder, "index.html")
    if index is None:
        raise WebAgentError(f"{folder} has no index.html: nothing to download")
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    for link in soup.find_all("link", href=True):
        path = local_file(folder, folder, link["href"]) if is_local(link["href"]) else None
        if path is None:
            continue
        if "stylesheet" in (link.get("rel") or []):
            style = soup.new_tag("style")
            style.string = inline_css(path.read_text(encoding="utf-8"), folder, path.parent)
            link.replace_with(style)
        else:
            link["href"] = data_uri(path)
    for script in soup.find_all("script", src=True):
        path = local_file(folder, folder, script["src"]) if is_local(script["src"]) else None
        if path is not None:
            del script["src"]
            script.string = path.read_text(encoding="utf-8").replace("</script", "<\\/script")
    for tag in soup.find_all(["img", "video", "source", "audio", "track", "iframe", "embed", "object", "input"]):
        for attribute in ("src", "poster", "data"):
            ref = tag.get(attribute)
            path = local_file(folder, folder, ref) if isinstance(ref, str) and is_local(ref) else None
            if path is not None:
                tag[attribute] = data_uri(path)
        if tag.get("srcset"):
            tag["srcset"] = ", ".join(
                " ".join(
                    [
                        data_uri(p) if (p := local_file(folder, folder, part.split()[0])) else part.split()[0],
                        *part.split()[1:],
                    ]
                )
                for part in tag["srcset"].split(",")
                if part.strip()
            )
    for styled in soup.find_all(style=True):
        styled["style"] = inline_css(styled["style"], folder, folder)
    for style in soup.find_all("style"):
        if style.string:
            style.string = inline_css(style.string, folder, folder)
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    if policy is not None and isinstance(policy.get("content"), str):
        policy["content"] = with_inlined_media(policy["content"])
    return str(soup)


def with_inlined_media(policy: str) -> str:
    """The page's Content-Security-Policy letting its videos play from the data: URIs they are inlined as."""
    return re.sub(r"media-src([^;]*)", lambda m: m[0] if "data:" in m[1] else f"media-src{m[1]} data:", policy)


def relative_references(html: str) -> list[str]:
    """Every reference in ``html`` that still points at a file beside it (empty for a self-contained page)."""
    soup = BeautifulSoup(html, "html.parser")
    found = [
        tag[a]
        for a in ("src", "href", "poster", "data")
        for tag in soup.find_all(attrs={a: True})
        if isinstance(tag[a], str) and is_local(tag[a])
    ]
    for style in soup.find_all("style"):
        found += [m.group(2) for m in CSS_URL.finditer(style.string or "") if is_local(m.group(2))]
    return found
