"""Media: every image, video and chart the prompt asks for, in the section that mentions it.

Rules, in order:
- negation first: "There are no videos, no animations, and no charts" removes a whole kind;
  "instead of avatars or photos" or "not a video player" removes only that mention;
- icons, logos, doodles and topics ("illustration workshops", "video tutorials") are not media;
- "a/an/three …" introduces new elements, "the/this …" refers back to the last one;
- a counted group ("three polaroid-style cards", "each card has a still image") opens slots
  that the following "the first card shows …" sentences fill.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planners.offline.quotes import QuotedText
from planners.offline.sections import Segmentation
from planners.offline.sentences import Prose, Sentence
from planners.offline.text import shorten

_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "pair": 2, "dual": 2, "twin": 2, "both": 2, "three": 3,
    "trio": 3, "few": 3, "several": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "multiple": 3, "series": 3, "row": 3, "set": 3, "grid": 6, "collection": 4,
}
_IMAGE_NOUN = re.compile(
    r"\b(?P<noun>(?:photo|image|polaroid|picture|portrait)[- ](?:style )?(?:cards?|tiles?|frames?|panels?)|"
    r"illustrations?|photo(?:graph)?s?|fotos?|images?|pictures?|portraits?|thumbnails?|cover art|(?:book |album )?covers|"
    r"renders?|renderings?|mock-?ups?|screenshots?|artworks?|polaroids?|headshots?|collages?|hero visual|paintings?|"
    r"still(?:s| image| frame)|snapshots?|(?:stylized|regional|abstract|schematic|illustrated|world|city|zone|route|trail|topographic|choropleth) maps?|"
    r"map-style (?:panel|card|widget|module|view))\b",
    re.I,
)
_VIDEO_NOUN = re.compile(
    r"\b(?P<noun>videos?|vidéos?|vídeos?|video clips?|video loops?|footage|showreels?|sizzle reels?|trailers?|cinemagraphs?|"
    r"background loops?|looping (?:animation|sequence|background|clip)s?|motion loops?|clips)\b",
    re.I,
)
_CHART_NOUN = re.compile(
    r"\b(?P<noun>charts?|graphs?|plots?|sparklines?|histograms?|gauges?|(?:data[- ](?:driven )?)?visuali[sz]ations?|heat ?maps?|"
    r"(?:progress|kpi|percentage|completion) rings?|donuts?|doughnuts?|dials?)\b",
    re.I,
)
_NOT_MEDIA_AFTER = re.compile(
    r"^[\s-]*(?:icons?|glyphs?|symbols?|studios?|workshops?|festivals?|courses?|class(?:es)?|tutorials?|subscriptions?|"
    r"platforms?|clubs?|business|agency|school|lab|labs|conference|camp|weekend|show|shows|exhibition|calls?|games?|"
    r"lessons?|discussions?|production|editing|library|libraries|streaming|overload|required|chats?|conferencing|editor|"
    r"player icon|-free|free\b|style\b|styles\b|sessions?|tools?|skills?|techniques?|tracks?|program\w*|team|series of workshops|"
    r"paper|-like|like\b|junk|area is|legend|tooltip|icon|based|inspired|direction|reviews?|critique|portfolio|career|work\b|"
    r"journeys?|orientation|mode|format|prompts?|challenges?|assignments?|modules?|curriculum|tutor|educator|kits?|packs?|"
    r"supplies|brushes|pens|services|gear|equipment|consultanc(?:y|ies)|compan(?:y|ies)|firms?|startups?|apps?|software|booths?|rentals?|shops?|stores?)(?![a-z])",
    re.I,
)
_NOT_MEDIA_BEFORE = re.compile(
    r"(?:icon|logo|emoji|doodle|bullet|avatar initials|line-art|flowchart|tidal|nautical|org|seating|star|birth|video|"
    r"digital illustration|comic illustration|book illustration|children's illustration|freelance|editorial illustration|"
    r"(?:for|of|in|about|teaches|teaching|learn|learning|studying|study) (?:the )?(?:art of )?(?:digital |comic |wildlife |travel |film )?|"
    r"(?<![\w-])(?:feels?|looks?|looking|resembl\w+|evok\w+|reminiscent of|like|as if|as though|mimic\w*|suggest\w*) (?:an? |the )?(?:[\w-]+,? ){0,2})\s*$",
    re.I,
)
_NEGATION = re.compile(
    r"\b(?:no|not|without|never|nor|avoid(?:ing|s)?|free of|absence of|instead of|rather than|zero|lack of|in place of|"
    r"neither|excluding|omit(?:ting)?|non)\b",
    re.I,
)
# Words that show a video is an element that plays, not a topic ("video tutorials").
_VIDEO_WORDS = re.compile(
    r"\b(?:loop\w*|plays?|playing|autoplay\w*|footage|montage|clips?|shows?|depicts?|depicting|frames?|motion|"
    r"moving|cinematic|seconds|muted|slow|camera|pans?|panning|shot|scenes?|animated|animation|background|boucle|bucle|schleife|"
    r"embedded|player|trailer|(?:show)?reel|drone|timelapse|time-lapse|thumbnail)\b",
    re.I,
)
_OF = re.compile(r"\s*(?:of|de|d['’]|del|von)\b", re.I)
# "a hero video", "a music video": the word before names what the video is for.
_VIDEO_CUE_BEFORE = re.compile(
    r"\b(?:hero|demo|promo|promotional|music|intro|explainer|product|brand|teaser|welcome|launch|highlight)\s+$", re.I
)
# "with a video.", "avec une vidéo": a video introduced by an article that ends its clause is an element.
_NAMED_ALONE = re.compile(r"\b(?:an?|one|une?|una?|uno|ein(?:e[mn]?)?)\s+(?:[\w-]+\s+){0,2}$", re.I)
_CLAUSE_END = re.compile(r"^\s*(?:$|[,.;:!?)]|(?:and|or|with|in|on|at|for|that|which|et|avec|y|con|und|mit)\b)", re.I)
# Where a sentence starts on another element: at a semicolon, and in a list of media at "and a …" too.
_SEMICOLON = re.compile(";")
_LISTED = re.compile(
    r";|\b(?:and|plus|as well as|et|y|und) (?=(?:an?|one|two|three|four|five|six|several|some|une?|una?|ein(?:e[mnr]?)?)\b)", re.I
)
# A negation ends at a clause break, or where "and a …" starts on something wanted.
_NEGATION_END = re.compile(
    r"[.;:—()]|\bbut\b|\b(?:and|plus) (?:an?|one|some)\b|\bonly\b|\bjust\b|\beverything\b|\binstead\b(?! of)|\bwhile\b|\bapart from\b",
    re.I,
)
_GLOBAL_WORDS = re.compile(
    r"\b(?:anywhere|on (?:the|this) (?:page|site|homepage)|throughout|entire|whole page|at all|of any kind|whatsoever|"
    r"are (?:present|included|used|shown|depicted)|appear|is present|on the site|across the page|in the design|"
    r"intentionally|page (?:has|contains|includes|uses)|every (?:image|element|component))\b",
    re.I,
)
_LOCAL_WORDS = re.compile(r"\b(?:here|in this (?:section|card|panel|area|column|block|module)|per se|just (?:an? )?(?:abstract|decorative))\b", re.I)
_DEFINITE = re.compile(
    r"\b(?:the|this|that|these|those|its|their|same|above|previous|said|her|his|our|your)\s+"
    r"(?:(?!(?:a|an|one|another|two|three|four|five|six)\b)[\w-]+[\s,]+){0,3}$",
    re.I,
)
_EACH = re.compile(r"\b(?:each|every|all (?:three|four|five|six|of the))\b[^.;]{0,60}$", re.I)
_CARD_COUNT = re.compile(
    r"\b(two|three|four|five|six|seven|eight|nine|ten|twelve|\d{1,2})\s+(?:[\w-]+,?\s+){0,3}?"
    r"(?:cards?|tiles?|columns?|items?|projects?|entries|plans?|tiers?|steps?|panels?|boxes|frames?|blocks?|"
    r"modules?|speakers?|itineraries|destinations?|thumbnails?|sessions?|works?|pieces?|posts?|articles?|stories|products?|courses?|lessons?)\b",
    re.I,
)
_SLOT_CUE = re.compile(
    r"^(?:for example,?\s+)?(?:the |a |an |and |then |in )?(?:very )?(?:first|second|third|fourth|fifth|sixth|1st|2nd|3rd|4th|left(?:most)?|middle|center|centre|"
    r"right(?:most)?|top[- ]left|top[- ]right|bottom[- ]left|bottom[- ]right|last|final|next|another|other|upper|lower)\b",
    re.I,
)
_ORDINAL_CUE = re.compile(
    r"^(?:for example,?\s+)?(?:the |a |an |and |then |in )?(?:very )?(?:first|second|third|fourth|fifth|sixth|1st|2nd|3rd|4th|middle|"
    r"top[- ]left|top[- ]right|bottom[- ]left|bottom[- ]right|last|final|next|another|other)\b",
    re.I,
)
_TEXT_ELEMENTS = re.compile(
    r"\b(?:buttons?|links?|head(?:line|ing)s?|sub-?head\w*|labels?|nav\w*|menu|tagline|price|caption|copy|paragraph|"
    r"cta|section|footer|header|form|input)\b",
    re.I,
)
_LAYOUT_START = re.compile(r"^(?:below|beneath|under|underneath|after|next|further|then|finally|above|to the (?:left|right))\b", re.I)
_NEW_THING = re.compile(
    r"^(?:for example,?\s+)?(?:the |a |an |and |then )?(?:(?:very )?(?:first|second|third|fourth|fifth|next|another|other|last|final|middle|"
    r"top[- ]left|top[- ]right|bottom[- ]left|bottom[- ]right)\b|(?:on|to|in|at) the (?:far )?(?:left|right)\b|(?:left|right)(?:most)? (?:column|side|half|card|panel)|"
    r"next to|beside|alongside|opposite|across from)|\banother\b",
    re.I,
)
_LOGO_SUBJECT = re.compile(r"\b(?:logo|emblem|favicon|wordmark|monogram|brand mark|icon)\b[^.;]*$", re.I)
_OVERVIEW = re.compile(r"\b(?:left(?:most)?|right(?:most)?|cent(?:er|re|ral)|middle|main|third) (?:column|rail|pane)\b", re.I)
_CONTINUATION = re.compile(
    r"^(?:it|they|its|their|the (?:image|illustration|photo|photograph|picture|scene|video|clip|footage|chart|graph|visual|render|"
    r"lighting|composition|style|palette|colou?rs?|background|foreground|midground|character|characters|figure|figures|camera|line|"
    r"lines|bars?|axis|x-axis|y-axis|legend|perspective|mood|shot|frame|sequence|loop|transition|transitions|whole illustration|"
    r"whole image|entire illustration|visualization|data)|in the (?:foreground|background|midground|distance)|behind (?:them|the figure|it|him|her)|"
    r"(?:mid|back|fore)ground|on the (?:left|right) side of the (?:illustration|image|photo|scene)|each (?:bar|line|point|slice|segment)|"
    r"(?:the )?(?:caption|colou?r palette|palette|lighting|light|mood|tone|colou?rs)\b)\b",
    re.I,
)
_CHART_TYPES: list[tuple[str, str]] = [
    (r"radar|spider|web chart", "radar"),
    (r"donut|doughnut|ring|radial(?! gauge)", "donut"),
    (r"\bpie\b", "pie"),
    (r"gauge|speedometer|dial|semi-circular|semicircular|progress ring|kpi ring|percentage ring|completion ring", "gauge"),
    (r"funnel", "funnel"),
    (r"heat ?map", "heatmap"),
    (r"scatter|bubble", "scatter"),
    (r"filled area|area[- ]chart|area fill|stacked area|\barea graph", "area"),
    (r"sparkline|line chart|line graph|\bline\b|trend line|time-series|time series|dual-line|multi-line|lines", "line"),
    (r"bar|column|histogram|waterfall|meters?", "bar"),
]


# No real page has more; past this the prompt is not describing media any more.
MAX_MEDIA = 80
MAX_MENTIONS_PER_SENTENCE = 24


@dataclass
class MediaDraft:
    """One multimodal element found in the prompt, before ids and sizes are given."""

    kind: str  # image | video | chart
    chunk: int
    noun: str
    start: int
    end: int  # just past the noun that named it
    sentences: list[str] = field(default_factory=list)
    title: str = ""
    chart_type: str = "bar"
    horizontal: bool = False
    stacked: bool = False
    slot: bool = False  # opened by a counted group, waiting for its own description
    filled: bool = False

    @property
    def prompt(self) -> str:
        text = " ".join(dict.fromkeys(s.strip() for s in self.sentences if s.strip()))
        return shorten(text, 500)


def globally_negated(prose: Prose, seg: Segmentation) -> set[str]:
    """Kinds the prompt rules out for the whole page."""
    kinds: set[str] = set()
    page_wide = {id(s) for s in seg.preamble} | {id(s) for s in seg.closing}
    lowered = prose.text.lower()
    if re.search(r"\bdata[- ]free\b", lowered):
        kinds.add("chart")
    for sentence in prose.sentences:
        plain = prose.without_quotes(sentence.start, sentence.end)
        if not _NEGATION.search(plain):
            continue
        for region in _negated_regions(plain):
            text = plain[region[0] : region[1]]
            is_global = (
                id(sentence) in page_wide
                or _GLOBAL_WORDS.search(plain)
                or re.match(r"^\s*(?:there (?:are|is) (?:absolutely )?no|no )", plain, re.I)
            ) and not _LOCAL_WORDS.search(plain)
            if not is_global:
                continue
            if re.search(r"\bvideos?\b|\bclips?\b|\bfootage\b|video (?:elements?|players?|content)", text, re.I):
                kinds.add("video")
            if re.search(r"\bcharts?\b|\bgraphs?\b|data[- ]?visuali[sz]ations?|\bvisuali[sz]ations?\b|data[- ]driven visuali", text, re.I):
                kinds.add("chart")
            if re.search(r"\b(?:images?|photos?|photographs?|photography|pictures?|illustrations?|imagery)\b", text, re.I):
                if not re.search(r"\b(?:other than|except|besides)\b", plain, re.I):
                    kinds.add("image")
    if "image" in kinds and _has_positive_images(prose):
        kinds.discard("image")
    return kinds


def _has_positive_images(prose: Prose) -> bool:
    """'No photos' next to 'a large illustration' rules out photos, not every picture."""
    count = 0
    for sentence in prose.sentences:
        plain = prose.without_quotes(sentence.start, sentence.end)
        regions = _negated_regions(plain)
        for m in _IMAGE_NOUN.finditer(plain):
            if not any(a <= m.start() < b for a, b in regions):
                count += 1
    return count >= 2


_REGION_STOP = re.compile(r"\b(?:on|in|inside|within|over|under|behind|at|to|for|from|that|which|where|when|beyond|except)\b", re.I)


def _negated_regions(plain: str) -> list[tuple[int, int]]:
    """Spans governed by a negation: 'no videos, no animations, and no charts' — up to the
    first clause break or preposition, so 'no text overlay on the video' spares the video."""
    regions = []
    for m in _NEGATION.finditer(plain):
        end_match = _NEGATION_END.search(plain, m.end())
        end = end_match.start() if end_match else len(plain)
        stop = _REGION_STOP.search(plain, m.end(), end)
        if stop:
            end = stop.start()
        regions.append((m.start(), min(end, m.end() + 160)))
    return regions


def find_media(prose: Prose, seg: Segmentation, quotes: list[QuotedText], listing: bool = False) -> list[MediaDraft]:
    """Every image, video and chart of the page, in prompt order.

    With `listing` (a one-liner: "a video of the beach and a gallery of six photos"), each
    "and a …" starts a new element; in a long prompt it goes on describing the same picture."""
    banned = globally_negated(prose, seg)
    drafts: list[MediaDraft] = []
    quotes_by_start = {q.start: q for q in quotes}
    earlier: dict[str, MediaDraft] = {}
    for index, chunk in enumerate(seg.chunks):
        # Sections merged into one by the cap are read one by one, as if apart, so none of their media is lost.
        for first, end in chunk.spans():
            state = _ChunkState(index, dict(earlier), listing=listing)
            sentences = chunk.sentences[first:end]
            for k, sentence in enumerate(sentences):
                if len(drafts) + len(state.drafts) >= MAX_MEDIA:
                    break
                if first + k in chunk.global_ids:
                    continue
                plain = prose.without_quotes(sentence.start, sentence.end)
                if _OVERVIEW.search(plain) and len(_OVERVIEW.findall(plain)) >= 2:
                    continue
                _read_sentence(prose, sentences, k, sentence, state, banned, quotes_by_start)
            drafts.extend(state.drafts[: max(0, MAX_MEDIA - len(drafts))])
            for draft in state.drafts:
                earlier[draft.kind] = draft
    for draft in drafts:
        if draft.kind == "chart":
            _chart_type(draft)
    return drafts


@dataclass
class _ChunkState:
    index: int
    earlier: dict[str, MediaDraft] = field(default_factory=dict)  # the last element of each kind in earlier sections
    drafts: list[MediaDraft] = field(default_factory=list)
    last_touched: MediaDraft | None = None
    last_sentence: int = -10
    card_count: int = 0
    listing: bool = False  # "and a …" names a new element (see find_media)


def _read_sentence(
    prose: Prose,
    sentences: list[Sentence],
    k: int,
    sentence: Sentence,
    state: _ChunkState,
    banned: set[str],
    quotes_by_start: dict[int, QuotedText],
) -> None:
    plain = prose.without_quotes(sentence.start, sentence.end)
    count_match = _CARD_COUNT.search(plain)
    if count_match:
        state.card_count = _number(count_match.group(1)) or state.card_count
    regions = _negated_regions(plain)
    mentions = []
    for kind, regex in (("image", _IMAGE_NOUN), ("video", _VIDEO_NOUN), ("chart", _CHART_NOUN)):
        if kind in banned:
            continue
        for m in regex.finditer(plain):
            if any(a <= m.start() < b for a, b in regions):
                continue
            if not _is_media(kind, plain, m):
                continue
            if re.search(r"\b(?:if desired|if needed|optional(?:ly)?|if space allows|could be|might be)\b", plain[m.start() : m.end() + 40], re.I):
                continue
            mentions.append((m.start(), kind, m))
    mentions.sort(key=lambda t: t[0])
    mentions = mentions[:MAX_MENTIONS_PER_SENTENCE]
    # "gauge charts", "donut charts", "video loop": one element named twice.
    merged_mentions = []
    for item in mentions:
        if merged_mentions and merged_mentions[-1][1] == item[1] and item[0] - merged_mentions[-1][2].end() <= 2:
            previous = merged_mentions.pop()
            item = (previous[0], item[1], item[2])
        merged_mentions.append(item)
    mentions = merged_mentions

    chart_mentions = [mm for _, kind_, mm in mentions if kind_ == "chart"]
    describing_previous = (
        state.last_touched is not None and state.last_touched.kind != "chart" and k - state.last_sentence <= 2
        and not _NEW_THING.match(plain.strip()) and not _TEXT_ELEMENTS.search(plain)
        and (_CONTINUATION.match(plain.strip()) or not _LAYOUT_START.match(plain.strip()))
    )
    touched: list[MediaDraft] = []
    open_slots = [d for d in state.drafts if d.slot and not d.filled]
    slot_sentence = bool(open_slots) and _SLOT_CUE.match(plain.strip())
    if slot_sentence and not mentions:
        slot = open_slots[0]
        slot.sentences.append(sentence.text)
        slot.filled = True
        _caption(prose, sentence, slot, quotes_by_start)
        state.last_touched, state.last_sentence = slot, k
        return

    images_this_clause: dict[int, MediaDraft] = {}
    for position, kind, m in mentions:
        before = plain[max(0, position - 60) : position]
        clause_id = len((_LISTED if state.listing else _SEMICOLON).findall(plain, 0, position))
        noun = m.group("noun").lower()
        plural = _is_plural(noun)
        count = _count_before(before) if plural or re.search(r"\b(?:two|three|four|five|six|pair|trio|dual)\b", before[-40:], re.I) else 0
        definite = bool(_DEFINITE.search(before[-40:])) and not count
        each = bool(_EACH.search(before))
        same_kind = [d for d in state.drafts if d.kind == kind]
        recent = [d for d in same_kind if sentence.start - d.start < 1500]
        each_adjacent = bool(re.search(r"\b(?:each|every)\s+(?:[\w-]+\s+)?$", before, re.I))
        if each_adjacent:
            # "Each image has …", "Beneath each portrait …": the images already described.
            earlier_same = state.earlier.get(kind)
            target = same_kind[-1] if same_kind else (
                earlier_same if earlier_same is not None and sentence.start - earlier_same.start < 3000 else None
            )
            if target is not None:
                if sentence.text not in target.sentences:
                    target.sentences.append(sentence.text)
                touched.append(target)
                continue
        if kind in {"image", "video"} and describing_previous and not count and same_kind and same_kind[-1] is state.last_touched:
            if sentence.text not in same_kind[-1].sentences:
                same_kind[-1].sentences.append(sentence.text)
            touched.append(same_kind[-1])
            continue
        if kind == "image" and _LOGO_SUBJECT.search(before):
            continue
        if kind == "chart" and describing_previous and state.last_touched.kind in {"image", "video"} and not _title_for(prose, sentence, m, quotes_by_start):
            continue  # charts on a screen inside the picture are part of the picture
        bare = not count and not definite and not re.search(r"\b(?:a|an|one|another|single|large|small|big|tall|wide|full|hero|main)\b[^.;,]{0,40}$", before[-45:], re.I)
        if each and recent and not re.search(r"\b(?:each|every)\s+(?:[\w-]+\s+)?(?:card|tile|item|project|entry|panel|box|column|plan|step)s?\b", before, re.I):
            definite = True
        elif each and kind == "image":
            count = max(2, state.card_count or 3)
            definite = False
        if bare and re.search(r"\b(?:combining|with|and|or|of|for|between|any|no|both)\s*$", before, re.I) and not plural:
            if recent:
                definite = True
            else:
                continue
        if plural and not count and recent:
            definite = True
        group = [d for d in recent if d.slot]
        if count and group and k - state.last_sentence <= 6 and group[-1].kind == kind:
            missing = min(count, 8) - len(group)
            for _ in range(max(0, missing)):
                clone = MediaDraft(kind=kind, chunk=state.index, noun=group[-1].noun, start=sentence.start + position,
                                   end=sentence.start + m.end(), sentences=[sentence.text], slot=True)
                state.drafts.append(clone)
            touched.append(group[-1])
            continue
        if kind == "chart" and definite and not same_kind:
            continue
        if kind == "image" and slot_sentence:
            slot = next((d for d in state.drafts if d.slot and not d.filled), None)
            if slot:
                slot.sentences.append(sentence.text)
                slot.filled = True
                _caption(prose, sentence, slot, quotes_by_start)
                touched.append(slot)
                continue
        if definite and not same_kind and kind != "chart" and state.earlier.get(kind):
            target = state.earlier[kind]
            if sentence.text not in target.sentences:
                target.sentences.append(sentence.text)
            touched.append(target)
            continue
        if kind == "video" and not count and same_kind and not _ORDINAL_CUE.match(plain.strip()):
            definite = True
        if definite and same_kind:
            target = same_kind[-1]
            if sentence.text not in target.sentences:
                target.sentences.append(sentence.text)
            touched.append(target)
            continue
        if kind in {"image", "video"} and clause_id in images_this_clause:
            continue  # "either a photo of interiors or a portrait": one element, described twice
        if (
            kind != "chart" and not count and same_kind and not same_kind[-1].slot and same_kind[-1].noun == _singular(noun)
            and state.last_sentence >= k - 6 and not _ORDINAL_CUE.match(plain.strip())
        ):
            same_kind[-1].sentences.append(sentence.text)
            touched.append(same_kind[-1])
            continue
        if kind == "image" and not count and not definite and same_kind and same_kind[-1] is state.last_touched and state.last_sentence == k:
            continue
        if (
            kind == "chart" and not count and same_kind and same_kind[-1] is state.last_touched and state.last_sentence >= k - 2
            and not _ORDINAL_CUE.match(plain.strip()) and not _title_for(prose, sentence, m, quotes_by_start)
            and _type_words(_noun_phrase(plain, position, m.end()), plain)[0] == same_kind[-1].chart_type
        ):
            same_kind[-1].sentences.append(sentence.text)
            touched.append(same_kind[-1])
            continue
        n = max(1, min(count, 12)) if count else 1
        if plural and not count and kind == "image":
            n = 3
        titles = _titles_after(prose, sentence, m, n, quotes_by_start) if kind == "chart" else []
        for i in range(n):
            draft = MediaDraft(kind=kind, chunk=state.index, noun=_singular(noun), start=sentence.start + position,
                               end=sentence.start + m.end(), sentences=[sentence.text], slot=n > 1, filled=False)
            if kind == "chart":
                draft.title = titles[i] if i < len(titles) else (_title_for(prose, sentence, m, quotes_by_start) if n == 1 else "")
                draft.sentences = [_own_clause(sentence.text, m, chart_mentions)]
                draft.chart_type, draft.horizontal, draft.stacked = _type_words(_noun_phrase(plain, position, m.end()), plain)
            else:
                _caption(prose, sentence, draft, quotes_by_start)
                if n == 1 and k > 0:
                    intro = sentences[k - 1]
                    intro_plain = prose.without_quotes(intro.start, intro.end)
                    if (
                        not prose.quotes_between(intro.start, intro.end)
                        and re.search(r"\b(?:composition|poster|visual|graphic|artwork|scene|frame|collage|panel|block|area)\b", intro_plain, re.I)
                        and not _IMAGE_NOUN.search(intro_plain) and not _VIDEO_NOUN.search(intro_plain) and not _TEXT_ELEMENTS.search(intro_plain)
                    ):
                        draft.sentences.insert(0, intro.text)
            state.drafts.append(draft)
            touched.append(draft)
            if kind in {"image", "video"}:
                images_this_clause[clause_id] = draft
    if touched:
        state.last_touched, state.last_sentence = touched[-1], k
        return
    # A sentence that goes on describing the element just introduced.
    last = state.last_touched
    describing = (
        last is not None and last.kind != "chart" and k - state.last_sentence <= 1
        and not prose.quotes_between(sentence.start, sentence.end)
        and not _TEXT_ELEMENTS.search(plain) and not _LAYOUT_START.match(plain.strip())
    )
    if last and (describing or (k - state.last_sentence <= 2 and _CONTINUATION.match(plain.strip()))) and len(last.prompt) < 480:
        last.sentences.append(sentence.text)
        if last.kind != "chart":
            _caption(prose, sentence, last, quotes_by_start)
        state.last_sentence = k


def _noun_phrase(plain: str, start: int, end: int) -> str:
    """'…these gauges, a slim horizontal column chart' → 'a slim horizontal column chart'."""
    window = plain[max(0, start - 60) : end]
    cut = max(window.rfind(","), window.rfind(";"), window.rfind(":"))
    m = list(re.finditer(r"\b(?:a|an|the|one|two|three|four|five|six)\s", window))
    if m:
        cut = max(cut, m[-1].start() - 1)
    return window[cut + 1 :]


def _own_clause(text: str, m: re.Match, chart_mentions: list[re.Match]) -> str:
    """With several charts in one sentence, each chart's prompt is its own clause."""
    if len(chart_mentions) <= 1 or len(text) != len(m.string):
        return text
    cuts = [0] + [c.end() for c in re.finditer(r";\s*|:\s+(?=at |beneath|below|on |in |and )", text)] + [len(text)]
    for a, b in zip(cuts, cuts[1:]):
        if a <= m.start() < b:
            others = [c for c in chart_mentions if c is not m and a <= c.start() < b]
            if not others:
                return text[a:b].strip(" ;,")
    return text


def _is_media(kind: str, plain: str, m: re.Match) -> bool:
    after = plain[m.end() : m.end() + 30]
    before = plain[max(0, m.start() - 40) : m.start()]
    noun = m.group("noun").lower()
    if _NOT_MEDIA_AFTER.match(after) and not re.match(r"^[\s-]*(?:of|that|showing|shows|depicting|with)\b", after, re.I):
        return False
    if _NOT_MEDIA_BEFORE.search(before):
        return False
    if re.search(r"-$", before) and not re.search(r"(?:full|half|hero|large|small|wide|tall|square|photo|still)-$", before):
        return False
    if kind == "image":
        if noun.startswith("portrait") and re.match(r"^\s*(?:orientation|format|mode|ratio)", after, re.I):
            return False
        if noun in {"covers"} and not re.search(r"\b(?:book|album|magazine|record)\s*$", before, re.I):
            return False
        if re.match(r"^\s*(?:icon|placeholder icon)", after, re.I):
            return False
    if kind == "video":
        if noun == "clips" and not re.search(r"\b(?:video|loop|footage|montage|motion|cinematic)\b", plain, re.I):
            return False
        if re.search(r"\b(?:watch|mock|frozen)\s*$", before, re.I) and not re.search(r"\bloop", plain, re.I):
            return False
        if re.match(r"^\s*(?:player ui|call|calls|frames? inside)", after, re.I):
            return False
        if not _is_video_element(plain, before, after):
            return False
    if kind == "chart":
        if re.match(r"^\s*(?:icons?|paper|-like\b(?! visuali))", after, re.I):
            return False
        if noun.startswith(("dial", "donut", "doughnut")) and not re.search(r"\b(?:chart|data|percent|%|values?|share|ring|segments?|kpi|metric)\b", plain, re.I):
            return False
        if noun.startswith("visuali") and not re.search(r"\b(?:data|chart|graph|bars?|lines?|values?|metrics?|trend|numeric|statistic)", plain, re.I):
            return False
    return True


def _is_video_element(plain: str, before: str, after: str) -> bool:
    """'a looping video', 'a video of waves', 'a hero video', 'with a video.' are elements;
    'video tutorials' and 'video calls' are not."""
    return bool(
        _VIDEO_WORDS.search(plain)
        or _OF.match(after)
        or _VIDEO_CUE_BEFORE.search(before)
        or (_NAMED_ALONE.search(before) and _CLAUSE_END.match(after))
    )


def _is_plural(noun: str) -> bool:
    last = noun.split()[-1]
    return last.endswith("s") and not last.endswith(("ss", "us", "sis")) and last not in {"footage", "series"}


def _singular(noun: str) -> str:
    words = noun.split()
    last = words[-1]
    if _is_plural(noun):
        last = last[:-1] if not last.endswith("ies") else last[:-3] + "y"
    return " ".join(words[:-1] + [last])


def _number(word: str) -> int:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return _NUMBERS.get(word, 0)


def _count_before(before: str) -> int:
    m = re.search(
        r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2}|pair|trio|several|few|multiple|dual|twin)\b"
        r"(?:\s+of)?(?:\s+[\w-]+,?){0,4}\s*$",
        before,
        re.I,
    )
    if not m:
        return 0
    value = _number(m.group(1))
    return value if 1 < value <= 12 else 0


def _titles_after(prose: Prose, sentence: Sentence, m: re.Match, n: int, quotes_by_start: dict[int, QuotedText]) -> list[str]:
    """For 'two donut charts: the first, “A”, …; the second, “B”' — the quoted names in order."""
    if n <= 1:
        return []
    start = sentence.start + m.end()
    found = []
    for quote in prose.quotes_between(start, sentence.end):
        q = quotes_by_start.get(quote.start)
        if q is None or len(q.text.split()) > 9:
            continue
        found.append(q.text)
        if len(found) == n:
            break
    return found


def _title_for(prose: Prose, sentence: Sentence, m: re.Match, quotes_by_start: dict[int, QuotedText]) -> str:
    """'a radar chart titled “X”' or 'the panel “X” contains a bar chart' → X."""
    absolute_end = sentence.start + m.end()
    absolute_start = sentence.start + m.start()
    for quote in prose.quotes_between(absolute_end, min(sentence.end, absolute_end + 90)):
        between = prose.text[absolute_end : quote.start]
        if re.search(r"\b(?:titled|title|labell?ed|label|called|named|headed|heading|captioned|reading|reads)\b[\s:,]*$", between, re.I) and not re.search(r"[.;]", between):
            return quotes_by_start[quote.start].text if quote.start in quotes_by_start else quote.text.strip()
        break
    before = prose.quotes_between(max(sentence.start, absolute_start - 110), absolute_start)
    if before:
        quote = before[-1]
        between = prose.text[quote.end : absolute_start]
        if len(between) < 90 and not re.search(r"[.;]|\b(?:and|with|axis|axes|for)\b", between, re.I):
            q = quotes_by_start.get(quote.start)
            if q and len(q.text.split()) <= 10:
                return q.text
    return ""


def _caption(prose: Prose, sentence: Sentence, draft: MediaDraft, quotes_by_start: dict[int, QuotedText]) -> None:
    if draft.title:
        return
    for quote in prose.quotes_between(sentence.start, sentence.end):
        before = prose.text[max(sentence.start, quote.start - 40) : quote.start]
        if re.search(r"\b(?:caption(?:ed)?|titled|labell?ed|credit)\b[^.;]{0,20}$", before, re.I):
            q = quotes_by_start.get(quote.start)
            draft.title = (q.text if q else quote.text).strip()
            return


def _type_words(phrase: str, sentence: str) -> tuple[str, bool, bool]:
    lowered = phrase.lower()
    chart_type = ""
    for pattern, name in _CHART_TYPES:
        if re.search(pattern, lowered):
            chart_type = name
            break
    if not chart_type:
        explicit = re.search(r"\b(radar|spider|donut|doughnut|pie|gauge|funnel|heat ?map|scatter|bubble|area|line|bar|column)[\w\s-]{0,12}?(?:chart|graph|plot)", sentence.lower())
        if explicit:
            for pattern, name in _CHART_TYPES:
                if re.search(pattern, explicit.group(0)):
                    chart_type = name
                    break
    horizontal = bool(re.search(r"horizontal (?:\w+ ){0,2}(?:bar|column)|bar meters|horizontal stacked|horizontal bars", (phrase + " " + sentence).lower()))
    stacked = bool(re.search(r"stacked (?:[\w-]+ ){0,2}(?:bar|column|area|chart)|stacked$", lowered))
    if chart_type in {"", "meters"}:
        chart_type = "bar"
    return chart_type, horizontal, stacked


def _chart_type(draft: MediaDraft) -> None:
    if draft.chart_type == "bar" and not re.search(r"\b(?:bar|column|histogram)", " ".join(draft.sentences[:1]), re.I):
        whole = " ".join(draft.sentences).lower()
        for pattern, name in _CHART_TYPES:
            if re.search(pattern, whole):
                draft.chart_type = name
                break
    if draft.noun.startswith(("sparkline",)):
        draft.chart_type = "line"
    elif draft.noun.startswith("histogram"):
        draft.chart_type = "bar"
    elif draft.noun.startswith(("gauge", "dial")) or re.search(r"(?:progress|kpi|percentage|completion) ring", draft.noun):
        draft.chart_type = "gauge"
    elif draft.noun.startswith(("donut", "doughnut")):
        draft.chart_type = "donut"
    elif draft.noun.startswith("heat"):
        draft.chart_type = "heatmap"
