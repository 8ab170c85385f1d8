"""Scenes: complete pages for short prompts ("a landing page for a bakery").

A short prompt says too little to compile, so a scene from scenes.json supplies the sections,
copy and media of a typical page of that kind. Whatever the prompt does say still wins: the
name it gives, its quoted strings, hex colours and colour words, its language and its numbers,
and the media it names or rules out (asks.py reads them, scene_media.py puts them in place).
"""

from __future__ import annotations

import re

from webagent.core.colour import relative_luminance
from webagent.core.contracts import (
    AssetSpec,
    ContentItem,
    Dataset,
    DesignTokens,
    ImageAttributes,
    PagePlan,
    SectionPlan,
    VideoAttributes,
)
from webagent.planners.offline import colours as colour_rules
from webagent.planners.offline.asks import Asks, read_asks
from webagent.planners.offline.enumerations import lists_sections_after_a_cue
from webagent.planners.offline.fonts import choose_fonts, class_stack, find_font_cues
from webagent.planners.offline.language import detect_language
from webagent.planners.offline.leads import role_of_name
from webagent.planners.offline.quotes import read_quotes
from webagent.planners.offline.scene_media import SceneSection, fit_media, scene_section
from webagent.planners.offline.sections import lists_sections
from webagent.planners.offline.sentences import read_prose
from webagent.planners.offline.slots import new_asset, plan_sections
from webagent.planners.offline.styles import design_tokens, detect_style
from webagent.planners.offline.subject import (
    Subject,
    introduced_name,
    opening_name,
    read_subject,
    title_line_name,
    without_label,
)
from webagent.planners.offline.text import CAPITAL, unique_id
from webagent.planners.offline.vocabulary import load

_STRUCTURE_WORDS = re.compile(
    r"\b(?:header|hero|navigation|nav bar|section|footer|sidebar|column|grid|cards?|testimonials?|pricing|gallery|"
    r"at the (?:very )?top|below|beneath|chart|table|headline|button)\b",
    re.I,
)
_NAME = re.compile(
    r"(?:\b(?:called|named|titled|branded as|brand name|appel[ée]e?s?|nomm[ée]e?s?|llamad[oa]|denominad[oa]|namens|genannt|chiamat[oa])\s+"
    rf"|\b(?:for|för|für|voor|dla)\s+(?:the\s+)?(?={CAPITAL}))"
    rf"(?P<name>(?:(?:{CAPITAL}|[0-9])[\w&'’.+!-]*)(?:\s+(?:&|and|of|the|de|du|des|la|le|et|y|und|von|(?:{CAPITAL}|[0-9])[\w&'’.+!-]*)){{0,5}})"
)
_ABBREVIATION_END = re.compile(r"\b(?:Co|Inc|Ltd|St|Bros|Corp|Jr|Sr|Dr|Mr|Mrs|Ms)\.$")
_COUNTABLE = {
    "features": ("features", "cards"),
    "feature": ("features", "cards"),
    "benefits": ("features", "cards"),
    "services": ("features", "cards"),
    "plans": ("pricing", "plans"),
    "tiers": ("pricing", "plans"),
    "testimonials": ("testimonials", "quotes"),
    "reviews": ("testimonials", "quotes"),
    "projects": ("gallery", "images"),
    "speakers": ("speakers", "cards"),
    "steps": ("steps", "cards"),
    "courses": ("courses", "cards"),
}
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6}


def is_short_prompt(text: str) -> bool:
    """Short and cue-poor: a one-liner, or a paragraph that never describes the page's parts."""
    stripped = text.strip()
    # Sections named one per sentence or line, or after "Sections:"; a sketch naming its parts in passing ("a
    # photo, a menu and a chart") keeps the scene's copy.
    if len(stripped) < 800 and (
        lists_sections(read_prose(stripped, cut_lists=False)) or lists_sections_after_a_cue(stripped)
    ):
        return False  # a sketch that names its sections, however briefly: "Hero with …. Pricing: …."
    if len(stripped) < 300:
        return True
    if len(stripped) < 800 and "|" not in stripped:
        quotes = len(re.findall(r"[“\"«„]", stripped)) // 2
        return quotes <= 2 and len(_STRUCTURE_WORDS.findall(stripped)) < 3
    return False


# A scene keyword inside a media phrase ("a bar chart", "photos of pastries") weighs this much.
_IN_MEDIA_PHRASE = 0.25
# Below one plain mention of its keywords a scene is not what the page is about: "a bar chart" alone is no bar.
_LEAST_SCENE_SCORE = 0.99


_NUMBER_NEAR = 12  # "Kitchen 940.00", "$7.2k from the bar": a word this close to a number labels data


def _labels_a_number(text: str, start: int, end: int) -> bool:
    """Whether the word at ``start:end`` labels a number of the prompt's data rather than saying what the page is."""
    return bool(
        re.search(r"\d", text[max(0, start - _NUMBER_NEAR) : start]) or re.search(r"\d", text[end : end + _NUMBER_NEAR])
    )


def pick_scene(text: str, asks: Asks) -> str:
    """The scene whose keywords score highest; words inside a media phrase say what the media
    show, not what the page is, so they count for little."""
    scenes = load("scenes.json")["scenes"]
    lowered = text.lower()
    best, best_score = "generic", _LEAST_SCENE_SCORE
    for key, scene in scenes.items():
        score = 0.0
        for word in scene["keywords"]:
            for m in re.finditer(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", lowered):
                in_media = any(ask.start <= m.start() < ask.end for ask in asks.media) or _labels_a_number(
                    lowered, m.start(), m.end()
                )
                score += (
                    (2.0 if " " in word else 1.0)
                    * (1.5 if m.start() < 120 else 1.0)
                    * (_IN_MEDIA_PHRASE if in_media else 1.0)
                )
        if score > best_score:
            best, best_score = key, score
    return best


def find_name(text: str) -> str:
    quoted = re.search(
        r"\b(?:called|named|titled|for|brand(?:ed)?(?: as)?|appel[ée]e?|llamad[oa]|namens)\s+(?:the\s+)?[“\"«„]\s?([^”\"»“]{1,80}?)\s?[”\"»“]",
        text,
        re.I,
    )
    if quoted:
        return quoted.group(1).strip().rstrip(",")
    m = _NAME.search(text)
    if m:
        name = m.group("name").strip()
        name = without_label(name, text[m.end() :])
        sentence_end = re.search(r"(?<!\b(?:Co|St|Dr|Mr|Ms|Jr|Sr))(?<!\bInc)(?<!\bLtd)(?<!\bMrs)\.\s", name)
        if sentence_end:
            name = name[: sentence_end.start()]
        name = re.sub(r"\s+(?:in|with|using|and|for|that|on|at|en|avec|con|mit)$", "", name)
        if name.endswith(".") and not _ABBREVIATION_END.search(name):
            name = name[:-1]
        if name.lower() not in {"a", "an", "the", "my", "our"} and len(name) >= 2 and not role_of_name(name):
            return name
    return opening_name(text) or introduced_name(text) or title_line_name(text)


def compile_scene_prompt(text: str) -> PagePlan:
    """A full page plan for a short prompt, honouring every specific it gives."""
    scenes = load("scenes.json")["scenes"]
    asks = read_asks(text)
    key = pick_scene(text, asks)
    scene = scenes[key]
    subject = read_subject(text, find_name(text))
    language = detect_language(text) if text.strip() else "en"
    page_language = language if key in load("translations.json").get("_scenes", []) else "en"
    name = subject.name or _unnamed(subject, scene, page_language).title()
    translate = _translator(page_language, _slots(subject, scene, page_language))

    prose = read_prose(text)
    quotes = [q for q in read_quotes(prose) if q.text.strip() and q.text.strip() != name]
    style = detect_style(text, text)
    style_defaults = dict(style.palette)
    if style.name in {"clean", "minimal"} or not re.search(r"\b(?:style|aesthetic|look|feel|theme)\b", text, re.I):
        preset = load("styles.json")["styles"].get(scene["style"], load("styles.json")["styles"]["clean"])
        if style.name == load("styles.json")["default"]:
            style_defaults = dict(preset["palette"])
            style.name, style.radius, style.shadow = scene["style"], preset["radius"], preset["shadow"]
            style.mood = preset["mood"]
            style.fonts = {
                "heading": class_stack(preset["fonts"]["heading"]),
                "body": class_stack(preset["fonts"]["body"]),
                "mono": style.fonts["mono"],
            }
        style_defaults.update(scene.get("palette", {}))
    palette_choice = _palette(text, prose, style_defaults, style.want_dark)
    fonts = choose_fonts(find_font_cues([s.text for s in prose.sentences], {q.text for q in quotes}), style.fonts)
    tokens = design_tokens(style, palette_choice, fonts, style.radius)

    blueprint = _adjust_counts(text, [dict(s) for s in scene["sections"] if _asked_for(s, text)])
    fitted = fit_media([scene_section(spec, translate) for spec in blueprint], asks, asks.topic(text))
    sections: list[SectionPlan] = []
    assets: list[AssetSpec] = []
    used_ids: set[str] = set()
    for scene_part in fitted:
        section, section_assets = _build_section(scene_part, translate, used_ids, tokens)
        sections.append(section)
        assets.extend(section_assets)
    _honour_quotes(sections, quotes)
    _honour_colours(sections, palette_choice, text)
    if name and not any(name.lower() in i.text.lower() for s in sections for i in s.content):
        header = sections[0]
        header.content.insert(0, ContentItem(text=name, role="logo"))

    planned_sections, planned_assets = plan_sections(sections, assets, tokens)
    return PagePlan(
        title=name,
        language=language,
        tokens=tokens,
        sections=planned_sections,
        assets=planned_assets,
        planner="offline",
    )


_DOUBLED_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")
# How "in <place>" reads in each language the scenes are translated into.
_IN_PLACE = {"en": " in {place}", "fr": " à {place}", "es": " en {place}", "de": " in {place}"}


def _slots(subject: Subject, scene: dict, language: str) -> dict[str, str]:
    """The words scene copy is written around: the prompt's own where it gives them, the scene's otherwise."""
    kind = subject.kind or scene["kind"]
    return {
        "{name}": subject.name or _unnamed(subject, scene, language),
        "{kind}": kind,
        "{activity}": subject.activity if subject.kind else scene.get("activity", kind),
        "{in_place}": _IN_PLACE.get(language, _IN_PLACE["en"]).format(place=subject.place) if subject.place else "",
    }


def _unnamed(subject: Subject, scene: dict, language: str) -> str:
    """What copy calls a subject the prompt gives no name: what it is ("the tea room"), never an invented brand."""
    kind = subject.kind or scene["kind"]
    return f"the {kind}" if language == "en" else kind


_SENTENCE_OPENING_THE = re.compile(r"(^|[.!?]\s+)the\b")


def _translator(language: str, slots: dict[str, str]):
    table = load("translations.json").get(language, {}) if language != "en" else {}
    pattern = re.compile("|".join(re.escape(slot) for slot in slots))

    def translate(text: str) -> str:
        filled = pattern.sub(lambda m: slots[m.group(0)], table.get(text, text))
        filled = _SENTENCE_OPENING_THE.sub(r"\1The", filled)  # "the tea room welcomes …" opens a sentence
        return _DOUBLED_STOP.sub(".", filled)  # "… de Crumb & Co.." when a name ends a sentence with its own stop

    return translate


def _palette(text: str, prose, defaults: dict[str, str], want_dark):
    hexes = colour_rules.hex_mentions(prose.text)
    bare_roles = ["primary", "accent", "secondary"]
    for mention in hexes:
        if sum(mention.scores.values()) < 1.0 and bare_roles:
            mention.scores = {bare_roles.pop(0): 5.0}
    named = colour_rules.named_mentions(prose.without_quotes(0, len(prose.text)))
    bare_named = ["primary", "accent", "secondary"]
    for mention in named:
        # A one-liner's colour words set the page's colours; their neighbours are rarely role cues.
        explicit = {r: v for r, v in mention.scores.items() if r == "background" and v >= 3.0}
        if explicit:
            mention.scores = explicit
            continue
        lightness = relative_luminance(mention.hex)
        if lightness > 0.75:
            mention.scores = {"background": 4.0}
        elif lightness < 0.04:
            mention.scores = {"text": 4.0}
        elif bare_named:
            mention.scores = {bare_named.pop(0): 4.0}
    return colour_rules.choose_palette(hexes, named, defaults, want_dark)


# A scene's table holds example rows ("Acme Corp, Enterprise, $4,200"): shown only when the prompt asks for a
# table, or for a dashboard, whose parts it is.
_ASKS_FOR_A_TABLE = re.compile(
    r"\b(?:tables?|tabl[ae]s?|tableaux?|tabellen?|tabel(?:la|le|a)?|spreadsheet|dashboards?)\b", re.I
)


def _asked_for(spec: dict, text: str) -> bool:
    """Whether the scene section ``spec`` belongs on this page: every section does but a table of example rows."""
    return spec["role"] != "table" or bool(_ASKS_FOR_A_TABLE.search(text))


def _adjust_counts(text: str, blueprint: list[dict]) -> list[dict]:
    """'with four features', '3 pricing plans': resize the scene's lists to the asked number (media counts are asks)."""
    for m in re.finditer(
        r"\b(two|three|four|five|six|[2-6])\s+(?:[\w-]+\s+)?(features?|benefits|services|plans|tiers|testimonials|reviews|projects|speakers|steps|courses)\b",
        text,
        re.I,
    ):
        count = _NUMBER_WORDS.get(m.group(1).lower(), 0)
        role, field = _COUNTABLE.get(m.group(2).lower(), (None, None))
        if not role or not count:
            continue
        section = next((s for s in blueprint if s["role"] == role and field in s), None)
        if section is None:
            continue
        items = list(section[field])
        while len(items) < count:
            extra = list(items[len(items) % len(section[field])])
            if field == "plans":
                extra[0] = f"{extra[0]} Plus"
            items.append(extra)
        section[field] = items[:count]
    return blueprint


_PAIRED_ITEMS = {"cards": ("subheading", "body"), "stats": ("stat", "label"), "quotes": ("quote", "attribution")}


def _build_section(
    scene_part: SceneSection, t, used_ids: set[str], tokens: DesignTokens
) -> tuple[SectionPlan, list[AssetSpec]]:
    spec, role = scene_part.spec, scene_part.role
    section_id = unique_id(role, used_ids)
    content: list[ContentItem] = []

    def add(text: str, item_role: str, group: int = 0, emphasis: bool = False) -> None:
        content.append(ContentItem(text=t(text), role=item_role, group=group, emphasis=emphasis))

    if role == "header":
        add("{name}", "logo")
        for k, item in enumerate(spec.get("nav", [])):
            add(item, "nav", emphasis=k == 0)
        if spec.get("button"):
            add(spec["button"], "button", emphasis=True)
    else:
        for key in ("eyebrow", "heading", "subheading", "body"):
            if spec.get(key):
                add(spec[key], key)
    # Two-line groups: a card's title and text, a stat and its label, a quote and its author.
    for key, (first_role, second_role) in _PAIRED_ITEMS.items():
        for k, pair in enumerate(spec.get(key, []), start=1):
            add(pair[0], first_role, group=k)
            add(pair[1], second_role, group=k)
    featured = spec.get("featured", -1)
    for k, plan in enumerate(spec.get("plans", []), start=1):
        is_featured = k - 1 == featured
        add(plan[0], "subheading", group=k, emphasis=is_featured)
        add(plan[1], "price", group=k, emphasis=is_featured)
        for feature in plan[2].split("|"):
            add(feature, "list_item", group=k)
        add(plan[3], "button", group=k, emphasis=is_featured)
    if spec.get("placeholder"):
        add(spec["placeholder"], "placeholder")
    if role != "header":
        for k, button in enumerate(spec.get("buttons", [])):
            add(button, "button", emphasis=k == 0)
    if role == "footer":
        if spec.get("tagline"):
            add(spec["tagline"], "body")
        for link in spec.get("links", []):
            add(link, "link")
        if spec.get("legal"):
            add(spec["legal"], "legal")

    assets: list[AssetSpec] = []
    for medium in scene_part.media:
        if medium.caption:
            content.append(
                ContentItem(text=medium.caption, role="caption", group=len({c.group for c in content if c.group}) + 1)
            )
        attributes = medium.attributes or (ImageAttributes() if medium.kind == "image" else VideoAttributes())
        asset_id = unique_id(f"{section_id}-{medium.noun}", used_ids)
        assets.append(
            new_asset(
                asset_id, medium.kind, section_id, role, tokens, medium.title, attributes, medium.prompt, medium.dataset
            )
        )
    tables = []
    if spec.get("table"):
        table = spec["table"]
        tables.append(
            Dataset(
                title=t(table["title"]) + " (illustrative)",
                columns=[t(c) for c in table["columns"]],
                rows=[[t(c) for c in row] for row in table["rows"]],
                illustrative=True,
            )
        )
    title = next((c.text for c in content if c.role == "heading"), "")
    section = SectionPlan(
        id=section_id,
        role=role,
        title=title,
        content=content,
        asset_ids=[a.id for a in assets],
        tables=tables,
        brief=" ".join([f"Scene section: {role}.", *(f"Asked: {phrase}." for phrase in scene_part.phrases)]),
    )
    return section, assets


def _honour_quotes(sections: list[SectionPlan], quotes) -> None:
    """Quoted strings of a short prompt replace the scene's copy where their role fits."""
    if not quotes:
        return
    header = next((s for s in sections if s.role == "header"), None)
    hero = next((s for s in sections if s.role == "hero"), None) or next(
        (s for s in sections if s.role != "header"), sections[0]
    )
    replaced = {"heading": False, "subheading": False, "button": False}
    for quote in quotes:
        role = quote.role
        if role == "nav" and header is not None:
            header.content.append(ContentItem(text=quote.text, role="nav"))
            continue
        if role in {"label", "eyebrow", "body", "caption", "tag"} and not replaced["heading"]:
            role = "heading"
        if role in replaced and not replaced[role]:
            target = next((c for c in hero.content if c.role == role), None)
            if target is not None:
                target.text = quote.text
                replaced[role] = True
                if role == "heading":
                    hero.title = quote.text
                continue
        hero.content.append(ContentItem(text=quote.text, role=role if role not in {"logo", "nav"} else "label"))


def _honour_colours(sections: list[SectionPlan], choice, text: str) -> None:
    """A prompt hex that got no palette role is still used: as an accent of the hero."""
    hero = next((s for s in sections if s.role == "hero"), sections[0])
    for colour in colour_rules.hex_values(text):
        if colour not in choice.palette.values() and colour not in hero.accents:
            hero.accents.append(colour)
