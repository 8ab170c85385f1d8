"""The offline prompt compiler: a design prompt in, a complete `PagePlan` out, without a model.

Long, detailed prompts are compiled from their own words: quoted copy, hex colours, fonts,
section order, media mentions and tables. So are sketches that list their sections ("Hero with
…. Pricing: …. A short looping video of …."), cut at each sentence that names a section and
framed with a header and footer when they name none (frame.py). Short prompts ("a landing page
for a bakery") are filled from a scene library and then bent to whatever the prompt does say.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath

from webagent.core.colour import contrast_ratio
from webagent.core.contracts import (
    AssetSpec,
    ChartAttributes,
    Dataset,
    DesignTokens,
    ImageAttributes,
    PagePlan,
    SectionPlan,
    VideoAttributes,
)
from webagent.core.datasets import numeric_columns
from webagent.core.prompt_text import read_part
from webagent.planners.offline import colours as colour_rules
from webagent.planners.offline.content import PlacedItem, SectionCopy, hero_index, normalise, place_copy
from webagent.planners.offline.described import add_described_copy
from webagent.planners.offline.fonts import choose_fonts, find_font_cues
from webagent.planners.offline.frame import frame_page
from webagent.planners.offline.language import detect_language
from webagent.planners.offline.lists import add_listed_cards
from webagent.planners.offline.media import MediaDraft, find_media
from webagent.planners.offline.quotes import QuotedText, read_quotes
from webagent.planners.offline.scenes import compile_scene_prompt, is_short_prompt
from webagent.planners.offline.sections import Chunk, Segmentation, segment
from webagent.planners.offline.sentences import Prose, read_prose
from webagent.planners.offline.series import inline_series
from webagent.planners.offline.slots import new_asset, plan_sections
from webagent.planners.offline.styles import Style, design_tokens, detect_style
from webagent.planners.offline.subject import opening_name, title_line_name, within_sentence, without_label
from webagent.planners.offline.tables import (
    EACH_DATASET,
    SPACE_GROUP_LANGUAGES,
    fence_bare_blocks,
    find_tables,
    illustrative_dataset,
    is_kpi_table,
    mark_decimal_comma,
    mark_decimal_commas,
    match_score,
    one_chart_per_series,
    parse_series_lines,
    weakly_matched,
)
from webagent.planners.offline.tables import (
    tokens as word_tokens,
)
from webagent.planners.offline.text import shorten, unique_id
from webagent.planners.offline.vocabulary import load

log = logging.getLogger(__name__)

_TITLE_CUES = [
    re.compile(r"\b(?:titled|entitled|headlined)\s*:?\s*(?:the\s+)?[“\"]([^”\"\n]{1,120})[”\"]", re.I),
    re.compile(
        r"\b(?:called|named|branded(?: as)?|dubbed|known as)\s*:?\s*(?:the\s+)?[“\"]([^”\"\n]{1,120})[”\"]", re.I
    ),
    re.compile(r"\bfor\s+(?:the\s+|an?\s+)?(?:[\w-]+\s+){0,3}?[“\"]([^”\"\n]{1,120})[”\"]", re.I),
]


_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def compile_prompt(prompt: str) -> PagePlan:
    """The global plan of a page for a design prompt (planner = "offline")."""
    text = _clean(prompt)
    if is_short_prompt(text):
        return _read_data_as_meant(compile_scene_prompt(text))
    try:
        return _read_data_as_meant(_compile_detailed(text))
    except Exception as exc:  # never fail a build on an unusual prompt: fall back to a scene plan
        log.warning("offline planner: detailed compile failed (%s); using a scene plan instead", exc)
        return _read_data_as_meant(compile_scene_prompt(text[:2000]))


def _read_data_as_meant(plan: PagePlan) -> PagePlan:
    """Numbers read with the prompt's decimal mark, and a chart asked for each series split into one per series."""
    return one_chart_per_series(mark_decimal_commas(plan))


def _clean(prompt: object) -> str:
    """The part of the prompt every stage reads, with one kind of line break and no control characters."""
    text = read_part(prompt if isinstance(prompt, str) else str(prompt))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return fence_bare_blocks(_CONTROL.sub(" ", text))


# ----------------------------------------------------------------------------- detailed prompts


@dataclass
class _Draft:
    """A section on its way to a SectionPlan."""

    chunk: Chunk
    id: str
    copy: SectionCopy
    accents: list[str]
    background: str | None = None
    tables: list[Dataset] | None = None


def _compile_detailed(text: str) -> PagePlan:
    prose = read_prose(text)
    opening = " ".join(s.text for s in prose.sentences[:3])
    dashboard = bool(re.search(r"\bdashboard\b", opening, re.I))
    seg = segment(prose, dashboard)
    quotes = read_quotes(prose)
    title = find_title(prose, quotes, seg)
    style = detect_style(opening, prose.without_quotes(0, min(len(prose.text), 20000)))

    choice, hexes = _palette(prose, style)
    fonts = choose_fonts(
        find_font_cues([s.text for s in prose.sentences[:400]], {q.text for q in quotes}),
        style.fonts,
    )
    tokens = design_tokens(style, choice, fonts, _radius(prose, style))

    if not seg.chunks:
        return compile_scene_prompt(text[:2000])
    copies = place_copy(prose, seg.chunks, quotes, title)
    for chunk, copy in zip(seg.chunks, copies):
        add_listed_cards(prose, chunk, copy)
    if detect_language(text) == "en":
        add_described_copy(seg.chunks, copies, prose.sentences[0].text if prose.sentences else "", title)
    drafts = _section_drafts(seg, copies)
    _place_colours(prose, seg, drafts, hexes, choice)

    media = find_media(prose, seg, quotes)
    assets = _without_repeated_charts(_assets(prose, drafts, media, tokens))
    _attach_tables(text, prose, seg, drafts, assets)

    named = {d.id for d in drafts if d.chunk.named}
    sections = _in_listed_order(drafts, [_section_plan(prose, d) for d in drafts], assets)
    sections = _drop_empty(sections, assets, keep=named)
    language = detect_language(text)
    if named:  # a prompt that lists its sections leaves the page's frame to the planner
        sections = frame_page(sections, title, _nav_labels(drafts, language))
    planned_sections, planned_assets = _plan_locally(sections, assets, tokens)
    return PagePlan(
        title=title,
        language=language,
        tokens=tokens,
        sections=planned_sections,
        assets=planned_assets,
        planner="offline",
    )


def _plan_locally(
    sections: list[SectionPlan], assets: list[AssetSpec], tokens: DesignTokens
) -> tuple[list[SectionPlan], list[AssetSpec]]:
    """Run the local planning layer on every section, so the global plan is complete on its own."""
    for section in sections:
        charts = [a for a in assets if a.section_id == section.id and a.kind == "chart"]
        if len(charts) == 1 and not charts[0].title and section.title:
            # A lone chart in a titled card takes the card's title ("Energy Output – Last 7 Days").
            charts[0].title = section.title
            if charts[0].dataset is not None and not charts[0].dataset.title:
                charts[0].dataset = charts[0].dataset.model_copy(update={"title": section.title})
    return plan_sections(sections, assets, tokens)


def find_title(prose: Prose, quotes: list[QuotedText], seg: Segmentation) -> str:
    """'titled “X”' > 'called “X”' > 'for … “X”' > the first name-like quote > the logo."""
    head_end = seg.preamble[-1].end if seg.preamble else (prose.sentences[0].end if prose.sentences else 0)
    head_end = max(head_end, prose.sentences[min(1, len(prose.sentences) - 1)].end if prose.sentences else 0)
    cued = _cued_title(prose.text[: min(head_end, 3000)])
    if cued:
        return cued
    opening = prose.sentences[0] if prose.sentences else None
    if opening is not None and not prose.quotes_between(opening.start, opening.end):
        named = _unquoted_name(opening.text) or title_line_name(prose.text[opening.start :])
        if named:  # "… a yoga studio called Still Point." or "Casa Nilo — Sudanese café", before any quote
            return named
    for quote in quotes:
        if quote.start > head_end:
            break
        if _name_like(quote.text):
            return _tidy_title(quote.text)
    for quote in quotes:
        if quote.role == "logo":
            return _tidy_title(quote.text)
    cued = _cued_title(prose.text[:20000])
    if cued:
        return cued
    return _unquoted_name(prose.text[:600]) or "Untitled page"


_UNQUOTED_NAME = re.compile(
    r"\b(?:for|called|named|(?:website|site|homepage|page) of)\s+(?:an?\s+|the\s+)?((?:(?:[A-Z][\w&'’.-]*|&)\s?){1,4})"
)


def _unquoted_name(text: str) -> str:
    """The capitalised words after 'for' / 'called' / 'named' / 'website of', without a sentence's full stop;
    else the name the sentence opens with when it says what that is ('Hanul Dance Academy is a …')."""
    m = _UNQUOTED_NAME.search(text)
    if m is None:
        return opening_name(text)
    return within_sentence(without_label(m.group(1).strip(), text[m.end(1) :]))


def _cued_title(text: str) -> str:
    """The first name-like 'titled “X”' / 'called “X”' / 'for … “X”' in the text, by cue order."""
    for pattern in _TITLE_CUES:
        m = pattern.search(text)
        if m and _name_like(m.group(1)):
            return _tidy_title(m.group(1))
    return ""


def _name_like(text: str) -> bool:
    text = text.strip().rstrip(",")
    words = text.split()
    if not words or len(words) > 10 or len(text) > 90:
        return False
    if text.endswith((".", "!", "?")) and len(words) > 3:
        return False
    capitals = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit())
    return capitals >= max(1, len(words) // 2)


def _tidy_title(text: str) -> str:
    return text.strip().rstrip(",").strip()


def _palette(prose: Prose, style: Style):
    hexes = colour_rules.hex_mentions(prose.text)
    named = colour_rules.named_mentions(prose.without_quotes(0, min(len(prose.text), 60000)))
    choice = colour_rules.choose_palette(hexes, named, style.palette, style.want_dark)
    return choice, hexes


def _radius(prose: Prose, style: Style) -> int:
    lowered = prose.text[:30000].lower()
    if re.search(
        r"\b(?:no rounded corners|sharp (?:corners|edges)|square corners|hard edges|zero radius|0px radius)\b", lowered
    ):
        return 0
    if style.radius == 0 and re.search(r"\b(?:pill|rounded)\b", lowered[:3000]):
        return 4
    return style.radius


def _section_drafts(seg: Segmentation, copies: list[SectionCopy]) -> list[_Draft]:
    drafts: list[_Draft] = []
    used: dict[str, int] = {}
    for chunk, copy in zip(seg.chunks, copies):
        base = slug(chunk.role) or "section"
        used[base] = used.get(base, 0) + 1
        section_id = base if used[base] == 1 else f"{base}-{used[base]}"
        drafts.append(_Draft(chunk=chunk, id=section_id, copy=copy, accents=[], tables=[]))
    return drafts


def slug(text: str, limit: int = 48) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    value = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(value) > limit:
        value = value[:limit].rsplit("-", 1)[0] or value[:limit]
    return value.strip("-")


# ----------------------------------------------------------------------------- colours per section


def _draft_at(drafts: list[_Draft], position: int) -> _Draft | None:
    found = None
    for draft in drafts:
        if draft.chunk.start <= position:
            found = draft
        else:
            break
    return found


def _hero_draft(drafts: list[_Draft]) -> _Draft:
    return drafts[hero_index([d.chunk for d in drafts])]


def _place_colours(prose: Prose, seg: Segmentation, drafts: list[_Draft], hexes, choice) -> None:
    """Every prompt hex without a palette role lands as a section background or accent."""
    in_palette = set(choice.palette.values())
    placed: set[str] = set()
    for mention in hexes:
        if (
            mention.hex in in_palette
            and mention.hex != choice.palette["background"]
            and colour_rules.is_section_background(mention)
        ):
            draft = _draft_at(drafts, mention.start)
            if draft is not None and draft.background is None and _owner_matches(mention.owner, draft):
                draft.background = mention.hex
            continue
        if mention.hex in in_palette or mention.hex in placed:
            continue
        draft = _draft_at(drafts, mention.start)
        if draft is None or mention.start > drafts[-1].chunk.end + 1:
            draft = _hero_draft(drafts) if draft is None else draft
        if (
            colour_rules.is_section_background(mention)
            and draft.background is None
            and _owner_matches(mention.owner, draft)
        ):
            draft.background = mention.hex
        elif mention.hex not in draft.accents:
            draft.accents.append(mention.hex)
        placed.add(mention.hex)
    for colour in choice.displaced:
        if colour in placed or colour in in_palette:
            continue
        first = next((m for m in hexes if m.hex == colour), None)
        draft = (_draft_at(drafts, first.start) if first else None) or _hero_draft(drafts)
        if colour not in draft.accents:
            draft.accents.append(colour)
        placed.add(colour)
    # Named colours that set a section's own background ("a soft pastel mint band").
    page_background = choice.palette["background"]
    for draft in drafts:
        if draft.background:
            continue
        for sentence in draft.chunk.sentences[:2]:
            head = sentence.text[:400]
            m = _SECTION_COLOUR.search(head)
            if not m or re.search(
                r"\b(?:card|button|pill|tag|badge|chip|tile|input|module|box|label|icon)s?\b",
                head[: m.start() + 1][-80:],
                re.I,
            ):
                continue
            words = next(g for g in m.groups() if g)
            colour = colour_rules.colour_of_words(words)
            if colour and contrast_ratio(colour, page_background) > 1.08:
                draft.background = colour
            break


_SECTION_COLOUR = re.compile(
    r"\b(?:section|band|strip|area|segment|footer|header|hero)\b[^.;]{0,70}?\b(?:on|with|has|uses|in|against|over)\s+(?:an?\s+|the\s+)?"
    r"((?:[\w-]+\s+){0,3}?[\w-]+)(?:-colou?red)?\s+(?:background|band|backdrop)\b"
    r"|\b(?:the )?(?:section|band|strip|area|footer|header|hero)(?:'s|’s)? background (?:is|returns to|switches to|becomes|turns)\s+(?:an?\s+|the\s+)?((?:[\w-]+\s+){0,3}[\w-]+)"
    r"|^(?:the )?background (?:is|returns to|switches to|becomes|turns|here is)\s+(?:an?\s+|the\s+)?((?:[\w-]+\s+){0,3}[\w-]+)",
    re.I,
)


def _owner_matches(owner: str, draft: _Draft) -> bool:
    role = draft.chunk.role
    if owner in {"header", "nav", "navigation", "navigation bar", "top bar"} or owner.startswith("nav"):
        return role in {"header", "sidebar"}
    if owner == "footer":
        return role == "footer"
    if owner == "hero":
        return role == "hero"
    if owner == "sidebar":
        return role == "sidebar"
    return True


# ----------------------------------------------------------------------------- media


def _assets(prose: Prose, drafts: list[_Draft], media: list[MediaDraft], tokens: DesignTokens) -> list[AssetSpec]:
    assets: list[AssetSpec] = []
    used: set[str] = set()
    for item in media:
        draft = drafts[item.chunk]
        if item.kind == "chart":
            base = "chart-" + (slug(item.title, 44) if item.title else slug(draft.id, 40))
        else:
            base = f"{draft.id}-{slug(item.noun, 24) or item.kind}"
        asset_id = unique_id(base[:60].strip("-") or item.kind, used)
        prompt = item.prompt or f"A {item.noun} for the {draft.chunk.role} section."
        if item.kind == "image":
            attributes = ImageAttributes()
        elif item.kind == "video":
            attributes = VideoAttributes()
        else:
            palette = list(
                dict.fromkeys(
                    colour_rules.normalise_hex(h) for h in re.findall(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b", prompt)
                )
            )
            attributes = ChartAttributes(
                chart_type=item.chart_type, horizontal=item.horizontal, stacked=item.stacked, palette=palette
            )
        assets.append(
            new_asset(
                asset_id,
                item.kind,
                draft.id,
                draft.copy.title or draft.chunk.role,
                tokens,
                item.title,
                attributes,
                prompt,
            )
        )
    return assets


# ----------------------------------------------------------------------------- tables and data

_MAX_TABLES = 200
_MAX_CHARTS = 200


def _without_repeated_charts(assets: list[AssetSpec]) -> list[AssetSpec]:
    """A chart the prompt names twice ("three charts: …", then each described) is one chart.

    It keeps its first place and id; its type and description come from the mention whose own
    words name it, which is the specific one.
    """
    first: dict[str, int] = {}
    kept: list[AssetSpec] = []
    for asset in assets:
        key = normalise(asset.title) if asset.kind == "chart" and asset.title else ""
        if not key or key not in first:
            if key:
                first[key] = len(kept)
            kept.append(asset)
            continue
        earlier = kept[first[key]]
        if key in normalise(asset.prompt) and key not in normalise(earlier.prompt):
            kept[first[key]] = asset.model_copy(
                update={"id": earlier.id, "path": earlier.path, "section_id": earlier.section_id}
            )
    return kept


def _attach_tables(text: str, prose: Prose, seg: Segmentation, drafts: list[_Draft], assets: list[AssetSpec]) -> None:
    language = detect_language(text)
    tables = [mark_decimal_comma(table, language) for table in find_tables(text)[:_MAX_TABLES]]
    data_lines = parse_series_lines(text)[:_MAX_TABLES]
    charts = [a for a in assets if a.kind == "chart"]
    space_grouped = language in SPACE_GROUP_LANGUAGES
    for chart in charts:  # numbers in a chart's own sentence are its data
        own = inline_series(chart.prompt, space_grouped) if chart.dataset is None else None
        if own is not None:
            chart.dataset = own.model_copy(update={"title": chart.title})
    plottable = [bool(numeric_columns(table)) for table in tables] + [True] * len(data_lines)
    tables_and_lines = tables + data_lines
    pairs = []
    for ci, chart in enumerate(charts[:_MAX_CHARTS]):
        chart_words = word_tokens(chart.prompt)
        for ti, table in enumerate(tables_and_lines):
            if not plottable[ti]:
                continue  # a table of names and dates is shown as a table, never drawn
            score = match_score(chart.title, chart.prompt, table, chart_words)
            if score >= 0.45:
                pairs.append((score, -ci, -ti, ci, ti))
    pairs.sort(reverse=True)
    chart_table: dict[int, int] = {}
    used_tables: set[int] = set()
    _split_row_tables(charts, tables, used_tables)
    for _score, _, _, ci, ti in pairs:
        if ci in chart_table or ti in used_tables or charts[ci].dataset is not None:
            continue
        chart_table[ci] = ti
        used_tables.add(ti)
    for ci, chart in enumerate(charts):
        if chart.dataset is not None:
            continue
        if ci in chart_table:
            table = tables_and_lines[chart_table[ci]]
            chart.dataset = table.model_copy(update={"title": table.title or chart.title})
            continue
        spare = next((ti for ti in range(len(tables)) if plottable[ti] and ti not in used_tables), None)
        if spare is None:  # a line of data only where its title shares a word with the chart ("Booking channels")
            lines = [i for i in range(len(tables), len(tables_and_lines)) if i not in used_tables]
            spare = weakly_matched(chart.title, chart.prompt, tables_and_lines, lines)
        if spare is not None:  # the prompt's own numbers, even when nothing names them for this chart
            used_tables.add(spare)
            found = tables_and_lines[spare]
            chart.dataset = found.model_copy(update={"title": found.title or chart.title})
            continue
        categories = _categories(prose, chart)
        chart.dataset = illustrative_dataset(chart.title, chart.prompt, chart.attributes.chart_type, categories)
    _chart_each_dataset(charts, tables, plottable, used_tables, assets)
    leftovers = [t for ti, t in enumerate(tables) if ti not in used_tables]
    if not leftovers:
        return
    texts = [prose.text[d.chunk.start : d.chunk.end] for d in drafts]
    homes = _TableHomes([normalise(t) for t in texts], [word_tokens(t) for t in texts])
    for table in leftovers:
        index = _table_home(homes, table)
        if index is not None:
            target = drafts[index]
        else:
            index = (
                next((k for k, d in enumerate(drafts) if d.chunk.role == "stats"), None)
                if is_kpi_table(table)
                else None
            )
            target = drafts[index] if index is not None else _data_section(drafts, table)
        target.tables = (target.tables or []) + [table]


def _chart_each_dataset(
    charts: list[AssetSpec], tables: list[Dataset], plottable: list[bool], used: set[int], assets: list[AssetSpec]
) -> None:
    """A chart asked for "for each dataset" is repeated, in its section, for each table of numbers left over."""
    model = next((c for c in charts if EACH_DATASET.search(c.prompt)), None)
    if model is None:
        return
    ids = {a.id for a in assets}
    for ti, table in enumerate(tables):
        if ti in used or not plottable[ti]:
            continue
        used.add(ti)
        asset_id = unique_id(model.id, ids)
        title = table.title or model.title
        assets.append(
            model.model_copy(
                update={
                    "id": asset_id,
                    "path": str(PurePosixPath(model.path).with_stem(asset_id)),
                    "title": title,
                    "dataset": table.model_copy(update={"title": title}),
                },
                deep=True,
            )
        )


def _split_row_tables(charts: list[AssetSpec], tables: list[Dataset], used_tables: set[int]) -> None:
    """Six gauges and one table with a row per gauge: each gauge gets its own row, verbatim."""
    titled = {normalise(c.title): c for c in charts if c.title and c.dataset is None}
    if len(titled) < 2:
        return
    for ti, table in enumerate(tables):
        if ti in used_tables:
            continue
        hits = [(titled[normalise(row[0])], row) for row in table.rows if row and normalise(row[0]) in titled]
        if len(hits) < 2:
            continue
        for chart, row in hits:
            chart.dataset = Dataset(title=chart.title, columns=list(table.columns), rows=[list(row)])
            titled.pop(normalise(chart.title), None)
        used_tables.add(ti)


@dataclass
class _TableHomes:
    """Each section's text, normalised and as words, computed once for all tables."""

    normals: list[str]
    words: list[set[str]]


def _categories(prose: Prose, chart: AssetSpec) -> list[str]:
    """Axis or category names the prompt lists for a chart: quoted ones, or a parenthesised list."""
    quoted = re.findall(r"[“\"]([^”\"]{1,40})[”\"]", chart.prompt)
    names = [
        q.strip().rstrip(",.") for q in quoted if q.strip().rstrip(",.") and normalise(q) != normalise(chart.title)
    ]
    names = [n for n in names if len(n.split()) <= 5 and not re.search(r"\b(?:axis|per|%)\b", n, re.I)]
    if len(names) >= 3:
        return list(dict.fromkeys(names))[:8]
    m = re.search(r"\(([^()]{5,160})\)", chart.prompt)
    if m and m.group(1).count(",") >= 2:
        items = [i.strip(" .") for i in re.split(r",\s*(?:and\s+|or\s+)?|\s+and\s+", m.group(1)) if i.strip(" .")]
        if len(items) >= 3 and all(len(i) <= 30 for i in items):
            return items[:8]
    m = re.search(
        r"\b(?:for|across|by|between|comparing)\s+((?:[A-Z][\w‑-]*(?:\s[A-Z][\w‑-]*)?,\s*){2,7}(?:and|or)\s+[A-Z][\w‑-]*(?:\s[A-Z][\w‑-]*)?)",
        chart.prompt,
    )
    if m:
        items = [i.strip() for i in re.split(r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+", m.group(1)) if i.strip()]
        return items[:8]
    return names


def _table_home(homes: _TableHomes, table: Dataset) -> int | None:
    """The section whose text names the table, else the one that uses most of its column words."""
    wanted = normalise(table.title) if table.title else ""
    if wanted:
        for index, segment_text in enumerate(homes.normals):
            if wanted in segment_text:
                return index
        best, best_score = _best_overlap(word_tokens(table.title), homes.words)
        if best is not None and best_score >= 0.75:
            return best
    best, best_score = _best_overlap(word_tokens(" ".join(table.columns)), homes.words)
    if best is not None and best_score >= 0.6:
        return best
    return None


def _best_overlap(wanted: set[str], candidates: list[set[str]]) -> tuple[int | None, float]:
    """The candidate holding the largest share of `wanted` (the first on ties), and that share."""
    best, best_score = None, 0.0
    for index, words in enumerate(candidates):
        score = len(wanted & words) / max(1, len(wanted))
        if score > best_score:
            best, best_score = index, score
    return best, best_score


def _data_section(drafts: list[_Draft], table: Dataset) -> _Draft:
    existing = next((d for d in drafts if d.id.startswith("data")), None)
    if existing:
        return existing
    role = "stats" if is_kpi_table(table) else "table"
    used = {d.id for d in drafts}
    section_id = unique_id("data", set(used))
    last = drafts[-1]
    chunk = Chunk(sentences=list(last.chunk.sentences[-1:]), role=role)
    draft = _Draft(chunk=chunk, id=section_id, copy=SectionCopy(title="Data"), accents=[], tables=[])
    draft.copy.items = [PlacedItem("Data", "heading", 0, 0)]
    position = len(drafts) - 1 if last.chunk.role == "footer" else len(drafts)
    drafts.insert(position, draft)
    return draft


# ----------------------------------------------------------------------------- sections

_UNTITLED_ROLES = {"header", "hero", "footer", "sidebar"}


def _fallback_title(chunk: Chunk) -> str:
    """A section's title when its copy has no heading: its name in the prompt, else its role's title."""
    if chunk.role in _UNTITLED_ROLES:
        return ""
    return chunk.name or _role_title(chunk.role)


def _role_title(role: str) -> str:
    """The English fallback title of a section role ("Pricing"), "" for roles without one."""
    return load("section_roles.json")["roles"].get(role, {}).get("title", "")


def _nav_labels(drafts: list[_Draft], language: str) -> dict[str, str]:
    """Header link labels by section id: each section's name in the prompt, else (in English) its role title.

    A section the prompt introduced by its chart or video alone ("A bar chart of …") gets no link.
    """
    labels = {}
    for draft in drafts:
        if draft.chunk.role in _UNTITLED_ROLES or draft.chunk.media:
            continue
        label = draft.chunk.name or (_role_title(draft.chunk.role) if language == "en" else "")
        if label:
            labels[draft.id] = label
    return labels


def _in_listed_order(drafts: list[_Draft], sections: list[SectionPlan], assets: list[AssetSpec]) -> list[SectionPlan]:
    """A section described after a list of sections named it ("Sections: intro, where the money went, …", then
    "Where the money went (pie chart): …") takes the list's place; the list's entry goes when it holds no media."""
    with_media = {a.section_id for a in assets}
    entries = {
        d.chunk.name: s for d, s in zip(drafts, sections) if d.chunk.named and all(x.listed for x in d.chunk.sentences)
    }
    ordered = list(sections)
    for draft, section in zip(drafts, sections):
        entry = entries.get(draft.chunk.name) if draft.chunk.refers_back else None
        if entry is None or entry not in ordered:
            continue
        ordered.remove(section)
        at = ordered.index(entry)
        if entry.id in with_media:
            ordered.insert(at + 1, section)
        else:
            ordered[at] = section
    return ordered


def _section_plan(prose: Prose, draft: _Draft) -> SectionPlan:
    chunk = draft.chunk
    # The title names the section for planners and critics; it is not added as visible copy,
    # because a detailed prompt says exactly which words the page shows.
    title = draft.copy.title or _fallback_title(chunk)
    content = draft.copy.content()
    sentences = [s.text for k, s in enumerate(chunk.sentences) if k not in chunk.global_ids] or [
        s.text for s in chunk.sentences
    ]
    brief = shorten(" ".join(sentences), 600)
    return SectionPlan(
        id=draft.id,
        role=chunk.role or "content",
        title=title,
        content=content,
        tables=draft.tables or [],
        accents=draft.accents,
        background=draft.background,
        brief=brief,
    )


def _drop_empty(sections: list[SectionPlan], assets: list[AssetSpec], keep: set[str]) -> list[SectionPlan]:
    """A section with no copy, media or table is a layout remark: fold it into its neighbour.

    Sections in `keep` (named by the prompt: "Testimonials from our guests.") stay, with their title.
    """
    with_assets = {a.section_id for a in assets}
    kept: list[SectionPlan] = []
    carry_accents: list[str] = []
    carry_brief = ""
    for index, section in enumerate(sections):
        empty = not section.content and not section.tables and section.id not in with_assets and section.id not in keep
        if empty and len(sections) > 1:
            colours = section.accents + ([section.background] if section.background else [])
            target = kept[-1] if kept and index == len(sections) - 1 else None
            if target is not None:
                target.accents.extend(c for c in colours if c not in target.accents)
            else:
                carry_accents.extend(colours)
                carry_brief = (carry_brief + " " + section.brief).strip()
            continue
        if carry_accents:
            section.accents.extend(c for c in carry_accents if c not in section.accents)
            carry_accents = []
        if carry_brief:
            section.brief = shorten(carry_brief + " " + section.brief, 600)
            carry_brief = ""
        kept.append(section)
    if carry_accents and kept:
        kept[-1].accents.extend(c for c in carry_accents if c not in kept[-1].accents)
    return kept or sections[:1]
