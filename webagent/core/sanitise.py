"""Model-written HTML and CSS made safe for a self-contained page.

Section markup keeps its structure and copy but loses scripts, frames, event handlers, remote
links and any media outside the element slots; forms keep their look but cannot submit (the page's
policy forbids sending form data, and a submission would only be refused on the console); stylesheets lose imports, web fonts and every
``url()`` that is not inline data; a section's rules are scoped under ``#<section id>`` so one
section can never restyle another.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

DROPPED_TAGS = (
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "link",
    "meta",
    "base",
    "portal",
    "noscript",
    "img",
    "video",
    "audio",
    "source",
    "picture",
    "track",
    "canvas",
    "image",
)
URL_ATTRIBUTES = ("href", "xlink:href")
DROPPED_ATTRIBUTES = (
    "src",
    "srcset",
    "action",
    "method",
    "enctype",
    "target",
    "form",
    "formaction",
    "formmethod",
    "formenctype",
    "formtarget",
    "poster",
    "background",
    "ping",
    "data-asset-id",
    "data-asset-kind",
)
SUBMITTING_TYPE = re.compile(r"^\s*(submit|image|)\s*$", re.I)  # input and button types that submit a form
SUBMIT_SELECTOR = re.compile(r"\[\s*type\s*=\s*(['\"]?)(?:submit|image)\1\s*\]", re.I)
CSS_DANGER = re.compile(r"expression\s*\(|javascript:|behavior\s*:|-moz-binding|</style", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
KEPT_AT_RULES = ("@media", "@supports", "@container", "@layer")
ROOT_SELECTORS = {":root", "html", "body", "*"}


def clean_css_urls(css: str) -> str:
    """Replace every url() that is not inline data or a fragment with ``none``."""

    def keep_or_drop(match: re.Match) -> str:
        target = match.group(2).strip()
        return match.group(0) if target.startswith(("data:image/", "#")) else "none"

    return CSS_URL.sub(keep_or_drop, css)


def clean_declarations(declarations: str) -> str:
    """A declaration list without dangerous values and without remote urls."""
    kept = [d for d in declarations.split(";") if d.strip() and not CSS_DANGER.search(d)]
    return clean_css_urls(";".join(kept)).strip()


def css_blocks(css: str) -> list[tuple[str, str]]:
    """Top-level ``(prelude, body)`` pairs; statements without a body (``@import …;``) come back with body None."""
    blocks: list[tuple[str, str]] = []
    depth, start, prelude_end = 0, 0, -1
    quote = ""
    for index, char in enumerate(css):
        if quote:
            quote = "" if char == quote and css[index - 1] != "\\" else quote
        elif char in "'\"":
            quote = char
        elif char == "{":
            if depth == 0:
                prelude_end = index
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                blocks.append((css[start:prelude_end].strip(), css[prelude_end + 1 : index]))
                start = index + 1
        elif char == ";" and depth == 0:
            start = index + 1  # a bodiless at-rule (@import, @charset): dropped
    return blocks


def scope_selector(selector: str, scope: str) -> str:
    """``selector`` limited to the element ``scope`` (e.g. '#pricing')."""
    selector = selector.strip()
    if selector.startswith(scope) and not selector[len(scope) : len(scope) + 1].isalnum():
        return selector
    first, _, rest = selector.partition(" ")
    if first in ROOT_SELECTORS:
        return f"{scope} {rest}".strip() if rest else scope
    return f"{scope} {selector}"


def clean_css(css: str, scope: str | None = None) -> str:
    """A stylesheet with only style rules, media-like groups and keyframes, optionally scoped."""
    out: list[str] = []
    for prelude, body in css_blocks(CSS_COMMENT.sub("", css)):
        if CSS_DANGER.search(prelude):
            continue
        lowered = prelude.lower()
        if lowered.startswith(KEPT_AT_RULES):
            inner = clean_css(body, scope)
            if inner:
                out.append(f"{prelude} {{\n{inner}\n}}")
        elif lowered.startswith("@keyframes") or lowered.startswith("@-webkit-keyframes"):
            out.append(f"{prelude} {{{clean_css_urls(body) if not CSS_DANGER.search(body) else ''}}}")
        elif prelude and not prelude.startswith("@"):
            selectors = SUBMIT_SELECTOR.sub('[type="button"]', prelude)  # submit buttons become plain buttons
            if scope is not None:
                selectors = ", ".join(scope_selector(s, scope) for s in selectors.split(","))
            declarations = clean_declarations(body)
            if declarations:
                out.append(f"{selectors} {{ {declarations}; }}")
    return "\n".join(out)


def clean_attributes(element: Tag) -> None:
    """Drop event handlers, remote links and media sources from one element."""
    for name in list(element.attrs):
        lowered = name.lower()
        value = element.attrs[name]
        if lowered.startswith("on") or lowered in DROPPED_ATTRIBUTES:
            del element.attrs[name]
        elif lowered in URL_ATTRIBUTES:
            if not str(value).startswith("#"):
                element.attrs[name] = "#"
        elif lowered == "style":
            cleaned = clean_declarations(str(value))
            if cleaned:
                element.attrs[name] = cleaned
            else:
                del element.attrs[name]


def without_submission(soup: BeautifulSoup) -> None:
    """Forms keep their fields and look but cannot submit: submit buttons and inputs become plain buttons, and
    each form opens with a disabled, hidden default button, so that Enter in a field submits nothing either."""
    for field in soup.find_all("input", attrs={"type": SUBMITTING_TYPE}):
        field["type"] = "button"
    for button in soup.find_all("button"):
        if SUBMITTING_TYPE.match(str(button.get("type", "submit"))):
            button["type"] = "button"
    for form in soup.find_all("form"):
        form.insert(
            0,
            soup.new_tag(
                "button",
                attrs={
                    "type": "submit",
                    "disabled": "",
                    "hidden": "",
                    "style": "display: none !important",
                    "aria-hidden": "true",
                },
            ),
        )


def clean_section_html(html: str, section_id: str) -> tuple[str, str]:
    """One safe ``<section id=section_id>`` from model markup, and the CSS of any <style> it held."""
    soup = BeautifulSoup(html, "html.parser")
    styles = [tag.extract().get_text() for tag in soup.find_all("style")]
    for tag in soup.find_all(DROPPED_TAGS):
        tag.decompose()
    without_submission(soup)
    for element in soup.find_all(True):
        clean_attributes(element)
    roots = [node for node in soup.contents if isinstance(node, Tag)]
    loose_text = any(str(node).strip() for node in soup.contents if not isinstance(node, Tag))
    if len(roots) == 1 and roots[0].name == "section" and not loose_text:
        section = roots[0]
    else:  # "<header id=…>…</header>" as the answer: kept inside the section, without the section's id
        section = soup.new_tag("section", attrs={"class": "section"})
        for node in list(soup.contents):
            section.append(node.extract())
        for element in section.find_all(id=section_id):
            del element["id"]
        soup.append(section)
    section["id"] = section_id
    return str(section), "\n".join(styles)


# Declarations that keep an element out of sight until a script reveals it ("reveal on scroll").
_HIDING = re.compile(
    r"^\s*(?:opacity\s*:\s*0(?:\.0+)?|visibility\s*:\s*hidden|transform\s*:\s*(?:translate|scale)[^;]*)\s*(?:!important)?\s*$",
    re.I,
)
_CLASS = re.compile(r"\.([\w-]+)")


def shown_without_scripts(css: str, html: str) -> str:
    """``css`` with the hiding declarations removed from rules that wait for a script: a rule hides ``S``
    (``opacity: 0``, ``visibility: hidden``, a translate) and another shows ``S.X`` for a class ``X`` the markup
    never has — a class only the stripped script would have added (``.reveal.is-visible``)."""
    present = {name for tag in BeautifulSoup(html, "html.parser").find_all(class_=True) for name in tag["class"]}
    blocks = css_blocks(css)
    selectors = [s.strip() for prelude, _ in blocks for s in prelude.split(",")]
    out: list[str] = []
    for prelude, body in blocks:
        declarations = [d for d in body.split(";") if d.strip()]
        hiding = [d for d in declarations if _HIDING.match(d)]
        waiting = any(_waits(s.strip(), selectors, present) for s in prelude.split(","))
        if prelude.startswith("@") or not hiding or not waiting:
            out.append(f"{prelude} {{{body}}}")
            continue
        kept = [d.strip() for d in declarations if d not in hiding]
        out.append(f"{prelude} {{ {'; '.join(kept)}{';' if kept else ''} }}")
    return "\n".join(out)


def _waits(selector: str, selectors: list[str], present: set[str]) -> bool:
    """Whether some rule shows ``selector`` once an absent class is added to its last element."""
    for other in selectors:
        if other.startswith(selector) and other != selector:
            added = _CLASS.findall(other[len(selector) :].split(" ")[0])
            if added and not set(added) & present:
                return True
    return False
