"""Fonts: typeface cues in the prompt → CSS font stacks for headings, body and code.

Named families come first in a stack ("Helvetica or Akkurat" → 'Helvetica', 'Akkurat', …) and
every stack ends with families that exist on a Debian renderer, so text never falls back to a
random system font.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from webagent.planners.offline.text import words_pattern
from webagent.planners.offline.vocabulary import load

_GENERIC = {"sans-serif", "serif", "monospace", "cursive", "fantasy", "system-ui"}
_HEADING_WORDS = re.compile(
    r"\b(head(?:line|ing)s?|titles?|display|logo(?:type)?|wordmark|h1|h2|hero text|big numbers?|numerals)\b", re.I
)
_BODY_WORDS = re.compile(
    r"\b(body|paragraphs?|copy|descriptions?|ui|interface|navigation|nav|labels?|captions?|small text|running text|"
    r"sub-?head(?:ing|line)?s?|subtitles?|taglines?|bio|blurbs?|reading text|long-form)\b",
    re.I,
)
_PAGE_WORDS = re.compile(
    r"\b(across the (?:page|site)|throughout|entire page|whole page|all (?:the )?(?:text|typography|type|copy)|"
    r"(?:primary|main|base) typeface|typography (?:uses|is)|typeface (?:is|across)|the typeface|type is set|every)\b",
    re.I,
)
_CLAUSE_SPLIT = re.compile(
    r";|\bwhile\b|\bwhereas\b|\bpaired with\b|\bcombined with\b|,\s*(?:and\s+)?(?:the\s+)?(?=body|head)", re.I
)
_SPECIFICITY = [
    "didone",
    "editorial",
    "oldstyle",
    "slab",
    "grotesque",
    "geometric",
    "humanist",
    "rounded",
    "condensed",
    "blackletter",
    "script",
    "mono",
    "display",
    "serif",
    "sans",
]


# Adjectives that describe type only when a font word follows ("rounded sans", not "rounded corners").
_NEEDS_FONT_NOUN = {
    "rounded",
    "geometric",
    "condensed",
    "compressed",
    "humanist",
    "script",
    "marker",
    "display",
    "gothic",
    "bubbly",
    "terminal",
    "typewriter",
}
_FONT_NOUN_AFTER = re.compile(
    r"[\s,-]+(?:[\w-]+[\s,]+){0,2}?(?:sans|serif|font|fonts|typeface|type|lettering|letters|letterforms|glyphs|display|grotesk|grotesque|headline|headings?|capitals|caps)\b",
    re.I,
)


@dataclass
class FontCue:
    kind: str  # a class from fonts.json
    families: list[str]
    role: str  # heading | body | page | loose


def css_stack(families: list[str], tail: str) -> str:
    """A CSS font-family value: each family quoted, duplicates dropped, the Debian tail last."""
    tails = load("fonts.json")["tails"]
    seen: list[str] = []
    for family in [*families, *tails[tail]]:
        clean = re.sub(r"[^\w \-]", "", family).strip()
        if clean and clean.lower() not in (s.lower() for s in seen):
            seen.append(clean)
    return ", ".join(s if s in _GENERIC else f"'{s}'" for s in seen)


def class_stack(kind: str, families: list[str] | None = None) -> str:
    """The stack of a font class from fonts.json, after any named families."""
    data = load("fonts.json")["classes"][kind]
    return css_stack([*(families or []), *data["lead"]], data["tail"])


def stack_for(cue: FontCue) -> str:
    return class_stack(cue.kind, cue.families)


@cache
def _cue_patterns() -> tuple[re.Pattern, re.Pattern]:
    data = load("fonts.json")
    return words_pattern(data["families"]), words_pattern((c for c, _ in data["cues"]), re.I)


def find_font_cues(sentences: list[str], quoted: set[str]) -> list[FontCue]:
    """Font cues clause by clause; a quoted string counts only when it is exactly a family name."""
    family_re, cue_re = _cue_patterns()
    data = load("fonts.json")
    cue_kind = {c.lower(): k for c, k in data["cues"]}
    found: list[FontCue] = []
    for sentence in sentences:
        if not re.search(
            r"font|type|serif|sans|mono|script|lettering|letters|glyph|text|grotesk|grotesque|"
            + "|".join(["helvetica", "inter", "akkurat", "garamond", "futura", "didot", "bodoni"]),
            sentence,
            re.I,
        ):
            continue
        for clause in _CLAUSE_SPLIT.split(sentence):
            families = [m.group(1) for m in family_re.finditer(clause) if _family_mention_ok(clause, m, quoted)]
            kinds = [
                cue_kind[m.group(1).lower()]
                for m in cue_re.finditer(clause)
                if m.group(1).lower() not in _NEEDS_FONT_NOUN or _FONT_NOUN_AFTER.match(clause, m.end())
            ]
            if not re.search(
                r"font|type|serif|sans|mono|script|lettering|letter|grotesk|grotesque|glyph", clause, re.I
            ):
                if not families:
                    continue
                kinds = [
                    k for k in kinds if k not in {"rounded", "condensed", "geometric", "display", "script", "marker"}
                ]
            if not families and not kinds:
                continue
            family_kinds = [data["families"][f] for f in families]
            candidates = family_kinds[:1] + kinds
            kind = min(candidates, key=lambda k: _SPECIFICITY.index(k) if k in _SPECIFICITY else 99)
            if (
                family_kinds
                and kind not in family_kinds
                and _SPECIFICITY.index(kind) > _SPECIFICITY.index(family_kinds[0])
            ):
                kind = family_kinds[0]
            found.append(FontCue(kind, list(dict.fromkeys(families)), _clause_role(clause)))
    return found


def _family_mention_ok(clause: str, m: re.Match, quoted: set[str]) -> bool:
    before = clause[max(0, m.start() - 1) : m.start()]
    after = clause[m.end() : m.end() + 1]
    if before in '“"' and after in '”"':
        return m.group(1) in quoted
    # "Helvetica Language Studio" is a name, not a font choice.
    return not re.match(r"\s+[A-Z][a-z]", clause[m.end() : m.end() + 3]) or m.group(1) in {
        "Helvetica Neue",
        "Inter Display",
    }


def _clause_role(clause: str) -> str:
    heading = bool(_HEADING_WORDS.search(clause))
    body = bool(_BODY_WORDS.search(clause))
    if _PAGE_WORDS.search(clause) or (heading and body):
        return "page"
    if heading:
        return "heading"
    if body:
        return "body"
    return "loose"


def choose_fonts(cues: list[FontCue], defaults: dict[str, str]) -> dict[str, str]:
    """heading / body / mono stacks from the cues, falling back to the visual style's fonts."""
    mono_cue = next((c for c in cues if c.kind == "mono"), None)
    mono = stack_for(mono_cue) if mono_cue else defaults.get("mono") or css_stack([], "mono")

    def pick(role: str) -> FontCue | None:
        for wanted in (role, "page", "loose"):
            for cue in cues:
                if cue.role != wanted:
                    continue
                if cue.kind == "script" and wanted != "heading":
                    continue
                if cue.kind == "blackletter" and wanted != "heading":
                    continue
                if cue.kind == "mono" and wanted == "loose":
                    continue
                if (
                    role == "body"
                    and cue.kind in {"display", "condensed", "didone", "rounded", "script", "blackletter"}
                    and wanted != "body"
                ):
                    continue
                return cue
        return None

    heading_cue, body_cue = pick("heading"), pick("body")
    heading = stack_for(heading_cue) if heading_cue else defaults["heading"]
    body = stack_for(body_cue) if body_cue else defaults["body"]
    if heading_cue and not body_cue and heading_cue.role == "page":
        body = heading
    return {"heading": heading, "body": body, "mono": mono}
