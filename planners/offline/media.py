"""Media: every image, video and chart the prompt asks for, in the section that mentions it.

Rules, in order:
- negation first: "There are no videos, no animations, and no charts" removes a whole kind;
  "instead of avatars or photos" or "not a video player" removes only that mention;
- icons, logos, doodles and topics ("illustration workshops", "video tutorials") are not media;
- "a/an/three …" introduces new elements, "the/this …" refers back to the last one;
- a counted group ("three polaroid-style cards", "each card has a still image") opens slots
  that the following "the first card shows …" sentences fill.

Each sentence is read by `_read_sentence`: every media noun in it is settled by the first of
`_MENTION_RULES` that applies, or else becomes a new element.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from webagent.planners.offline.quotes import QuotedText
from webagent.planners.offline.sections import Segmentation
from webagent.planners.offline.sentences import Prose, Sentence
from webagent.planners.offline.text import shorten

_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "single": 1,
    "two": 2,
    "pair": 2,
    "dual": 2,
    "twin": 2,
    "both": 2,
    "three": 3,
    "trio": 3,
    "few": 3,
    "several": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "multiple": 3,
    "series": 3,
    "row": 3,
    "set": 3,
    "grid": 6,
    "collection": 4,
}
# Counts in the other languages the planner reads (es, fr, de, it, pt, nl); Italian "due" is left out: it is English too.
_FOREIGN_COUNTS = {
    **dict.fromkeys(("dos", "deux", "zwei", "duas", "dois", "twee"), 2),
    **dict.fromkeys(("tres", "trois", "drei", "tre", "três", "drie"), 3),
    **dict.fromkeys(("cuatro", "quatre", "vier", "quattro", "quatro"), 4),
    **dict.fromkeys(("cinco", "cinq", "fünf", "cinque", "vijf"), 5),
    **dict.fromkeys(("seis", "sechs", "sei", "zes"), 6),
}
_NUMBERS.update(_FOREIGN_COUNTS)
_FOREIGN_COUNT_WORDS = "|".join(_FOREIGN_COUNTS)
_IMAGE_NOUN = re.compile(
    r"\b(?P<noun>(?:photo|image|polaroid|picture|portrait)[- ](?:style )?(?:cards?|tiles?|frames?|panels?)|"
    r"illustrations?|\w*photo(?:graph)?s?|\w*fotos?|zdj[eę]ć|zdj[eę]cia|zdj[eę]cie|images?|pictures?|pics?|portraits?|thumbnails?|cover art|(?:book |album )?covers|"
    r"(?:product|hero|detail|studio|lifestyle|close-up) shots?|renders?|renderings?|mock-?ups?|screenshots?|artworks?|polaroids?|headshots?|collages?|hero visual|paintings?|"
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
    r"(?:progress|kpi|percentage|completion) rings?|donuts?|doughnuts?|dials?|"
    r"gr[áa]fic[oa]s?|grafici|graphiques?|diagrammes?|\w*diagramm(?:e|en)?|grafieken|grafiek|"
    r"(?:staaf|cirkel|taart|lijn|balk|stapel|linje|stolpe|søyle|kake|sektor)diagram(?:men|met|mer|s)?|wykres(?:y|u|ów)?)\b",
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
    r"\b(?:for|of|in|about|teaches|teaching|learn|learning|studying|study) (?:the )?(?:art of )?(?:digital |comic |wildlife |travel |film )?|"
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
    r"moving|cinematic|seconds?|minutes?|short|brief|interviews?|kurzes|courte|corto|curto|breve|korte|muted|slow|camera|pans?|panning|shot|scenes?|animated|animation|background|boucle|bucle|schleife|"
    r"embedded|player|trailer|(?:show)?reel|drone|timelapse|time-lapse|thumbnail)\b",
    re.I,
)
_OF = re.compile(
    r"\s*(?:of|from|about|de|d['’]|des|du|del|della|dei|delle|da|do|das|dos|von|vom|über|sur|sobre|van|uit)\b", re.I
)
# "a hero video", "a music video": the word before names what the video is for.
_VIDEO_CUE_BEFORE = re.compile(
    r"\b(?:hero|demo|promo|promotional|music|intro|explainer|product|brand|teaser|welcome|launch|highlight)\s+$", re.I
)
# "with a video.", "avec une vidéo": a video introduced by an article that ends its clause is an element.
_NAMED_ALONE = re.compile(
    rf"\b(?:an?|one|two|three|four|five|six|une?|una?|uno|ein(?:e[mn]?)?|{_FOREIGN_COUNT_WORDS})\s+(?:[\w-]+\s+){{0,2}}$",
    re.I,
)
# "… a video.", "two videos (sunrise over the lake, …)": the noun ends its clause or opens a list of what it shows.
_CLAUSE_END = re.compile(r"^\s*(?:$|[,.;:!?()]|(?:and|or|with|in|on|at|for|that|which|et|avec|y|con|und|mit)\b)", re.I)
# Where a sentence starts on another element: at a semicolon or "plus a …", and in a list of media at "and a …" too.
_SEMICOLON = re.compile(r";|\b(?:plus|as well as)\s+(?=(?:an?|one|two|three|four|five|six|several|some)\b)", re.I)
_LISTED = re.compile(
    r";|(?:\b(?:and|plus|as well as|et|y|und|e|en)|,) (?=(?:an?|one|two|three|four|five|six|several|some|une?|una?|uma?|"
    rf"ein(?:e[mnr]?)?|{_FOREIGN_COUNT_WORDS})\b)",
    re.I,
)
# A negation ends at a clause break, or where "and a …" starts on something wanted.
_NEGATION_END = re.compile(
    r"[.;:—()]|\bbut\b|(?:\b(?:and|plus)|,) (?:an?|one|two|three|four|five|six|some)\b|\bonly\b|\bjust\b|\beverything\b|\binstead\b(?! of)|\bwhile\b|\bapart from\b",
    re.I,
)
_GLOBAL_WORDS = re.compile(
    r"\b(?:anywhere|on (?:the|this) (?:page|site|homepage)|throughout|entire|whole page|at all|of any kind|whatsoever|"
    r"are (?:present|included|used|shown|depicted)|appear|is present|on the site|across the page|in the design|"
    r"intentionally|page (?:has|contains|includes|uses)|every (?:image|element|component))\b",
    re.I,
)
_LOCAL_WORDS = re.compile(
    r"\b(?:here|in this (?:section|card|panel|area|column|block|module)|per se|just (?:an? )?(?:abstract|decorative))\b",
    re.I,
)
# "the photo", "these two large, bright photos"; not "on the left, photo of …" (a comma closes the phrase).
_DEFINITE = re.compile(
    r"\b(?:the|this|that|these|those|its|their|same|above|previous|said|her|his|our|your)\s+"
    r"(?:(?!(?:a|an|one|another|two|three|four|five|six)\b)[\w-]+[\s,]+){0,3}(?<!,\s)(?<!,)$",
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
_LAYOUT_START = re.compile(
    r"^(?:below|beneath|under|underneath|after|next|further|then|finally|above|to the (?:left|right))\b", re.I
)
_NEW_THING = re.compile(
    r"^(?:for example,?\s+)?(?:the |a |an |and |then )?(?:(?:very )?(?:first|second|third|fourth|fifth|next|another|other|last|final|middle|"
    r"top[- ]left|top[- ]right|bottom[- ]left|bottom[- ]right)\b|(?:on|to|in|at) the (?:far )?(?:left|right)\b|(?:left|right)(?:most)? (?:column|side|half|card|panel)|"
    r"next to|beside|alongside|opposite|across from)|\banother\b",
    re.I,
)
_LOGO_SUBJECT = re.compile(r"\b(?:logo|emblem|favicon|wordmark|monogram|brand mark|icon)\b[^.;]*$", re.I)
_OVERVIEW = re.compile(
    r"\b(?:left(?:most)?|right(?:most)?|cent(?:er|re|ral)|middle|main|third) (?:column|rail|pane)\b", re.I
)
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
    (
        r"\bpie\b|gr[áa]fico circular|de (?:pastel|torta|pizza)|a torta|camembert|diagramme circulaire|tortendiagramm|"
        r"kreisdiagramm|taartdiagram|cirkeldiagram|kakediagram|sektordiagram|kołow\w*",
        "pie",
    ),
    (
        r"gauge|speedometer|dial|semi-circular|semicircular|progress ring|kpi ring|percentage ring|completion ring",
        "gauge",
    ),
    (r"funnel", "funnel"),
    (r"heat ?map", "heatmap"),
    (r"scatter|bubble", "scatter"),
    (r"filled area|area[- ]chart|area fill|stacked area|\barea graph", "area"),
    (
        r"sparkline|line chart|line graph|\bline\b|trend line|time-series|time series|dual-line|multi-line|lines|"
        r"l[íi]neas?|lignes?|linien|lijn|linee|linjediagram|liniow\w*",
        "line",
    ),
    (r"bar|column|histogram|waterfall|meters?|barras|barres|balken|staaf|barre|stapel|stolpe|søyle|słupk\w*", "bar"),
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
            if re.search(
                r"\bcharts?\b|\bgraphs?\b|data[- ]?visuali[sz]ations?|\bvisuali[sz]ations?\b|data[- ]driven visuali",
                text,
                re.I,
            ):
                kinds.add("chart")
            if re.search(
                r"\b(?:images?|photos?|photographs?|photography|pictures?|illustrations?|imagery)\b", text, re.I
            ):
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


_REGION_STOP = re.compile(
    r"\b(?:on|in|inside|within|over|under|behind|at|to|for|from|that|which|where|when|beyond|except)\b", re.I
)


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
    # Sentences about the whole page before its first section may still name media ("Homepage for X. It should
    # have a pie chart of …"): they go to the first section of content.
    home = next((k for k, c in enumerate(seg.chunks) if c.role not in _FRAME_ROLES), 0)
    in_sections = {id(s) for c in seg.chunks for s in c.sentences}
    preamble = [s for s in seg.preamble if id(s) not in in_sections and _PREAMBLE_ASK.search(s.text)]
    parts: list[tuple[int, list[Sentence], set[int]]] = [(home, preamble, set())] if preamble and seg.chunks else []
    for index, chunk in enumerate(seg.chunks):
        # Sections merged into one by the cap are read one by one, as if apart, so none of their media is lost.
        parts += [(index, chunk.sentences[a:b], {g - a for g in chunk.global_ids}) for a, b in chunk.spans()]
    for index, sentences, global_ids in parts:
        state = _ChunkState(index, dict(earlier), listing=listing)
        for k, sentence in enumerate(sentences):
            if len(drafts) + len(state.drafts) >= MAX_MEDIA:
                break
            if k in global_ids:
                continue
            plain = prose.without_quotes(sentence.start, sentence.end)
            if _OVERVIEW.search(plain) and len(_OVERVIEW.findall(plain)) >= 2:
                continue
            _read_sentence(prose, sentences, k, state, banned, quotes_by_start)
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


# How far the rules below look, before a media noun and back through the section.
# The words before a noun that may count it or introduce it ("a row of three framed photos").
BEFORE_CHARS = 60
# An article or a number belongs to the noun within a few adjectives: "the two tall, narrow portraits".
CUE_CHARS = 40
# "a large, softly lit hero image": an indefinite article and up to 40 characters of adjectives.
ARTICLE_CHARS = 45
# "if desired", "could be" right after the noun make it optional, and optional media are left out.
OPTIONAL_CHARS = 40
# An element is recent for "these images" within about a section of prose; further back the prompt moved on.
RECENT_CHARS = 1500
# "Each image …" may still mean the previous section's images when they are within two sections of prose.
EACH_REACH_CHARS = 3000
# A picture goes on being described for two sentences after it was last named; past that the prose moved on.
DESCRIPTION_REACH = 2
# A sentence without a cue ("It …", "The lighting …") goes on describing an element only right after it.
PLAIN_DESCRIPTION_REACH = 1
# A counted group ("three cards … each has a photo") or a noun said again stays one element for six
# sentences, about one card grid's paragraph.
MENTION_REACH = 6
# At most eight slots in a counted group: no card grid of a real prompt is wider.
MAX_GROUP_SLOTS = 8
# "twelve photos" is the most one noun asks for; a larger number counts something else.
MAX_COUNTED = 12
# "photos" with no number: a row of three, the commonest gallery.
UNCOUNTED_IMAGES = 3
# "each card has an image" before any count of cards: three cards.
DEFAULT_CARDS = 3
# "gauge charts", "video loop": two nouns at most two characters apart name one element.
DOUBLE_NOUN_GAP = 2
# Stop adding description once an element's prompt nears its 500-character cap (MediaDraft.prompt).
FULL_PROMPT_CHARS = 480

_FRAME_ROLES = {"header", "footer", "sidebar"}
# A sentence whose first words introduce the noun with an indefinite article: "Then a …", "Danach ein …", "Poi un …".
_OPENS_ON_A_NEW_ONE = re.compile(
    r"^\W*(?:(?:[\w'’-]+,?\s+){0,2}?|(?:[\w'’-]+,?\s+){1,6}?(?:and|y|et|und|e|en|plus)\s+)"  # "Tabla de vinos y un …"
    r"(?:an?|une?|una?|uno|ein(?:e[mnr]?)?|um|uma|een)\s+(?:[\w-]+\s+){0,3}$"
    r"|^\W*(?:[\w'’-]+\s+)?$",  # "Bar chart.", "Säulendiagramm Brote pro Tag: …": the sentence opens on the chart
    re.I,
)
# A sentence about the whole page that asks for one medium in so many words: "It should have a pie chart of
# lessons by level", "'Visits' as a line chart"; not "images bleed wider" or "with one data visualization".
_PREAMBLE_ASK = re.compile(
    r"(?:\b(?:an?|one|two|three|four|five|six|\d)\s+(?:[\w-]+\s+){0,2}"
    r"(?:charts?|graphs?|diagrams?|videos?|photos?|photographs?|images?|pictures?|pics?|portraits?|illustrations?)"
    r"\s+(?:of|showing|titled|called|from|about)\b)|['’\"”]\s+as\s+an?\s+(?:[\w-]+\s+){0,2}(?:chart|graph)\b",
    re.I,
)
_MEDIA_NOUNS = (("image", _IMAGE_NOUN), ("video", _VIDEO_NOUN), ("chart", _CHART_NOUN))
_OPTIONAL = re.compile(r"\b(?:if desired|if needed|optional(?:ly)?|if space allows|could be|might be)\b", re.I)
_SMALL_NUMBER = re.compile(rf"\b(?:two|three|four|five|six|pair|trio|dual|{_FOREIGN_COUNT_WORDS})\b", re.I)
_EACH_ADJACENT = re.compile(r"\b(?:each|every)\s+(?:[\w-]+\s+)?$", re.I)
_EACH_CARD = re.compile(
    r"\b(?:each|every)\s+(?:[\w-]+\s+)?(?:card|tile|item|project|entry|panel|box|column|plan|step)s?\b", re.I
)
_EACH_CARD_CLAUSE = re.compile(
    r"\b(?:each|every)\s+(?:[\w-]+\s+)?(?:card|tile|item|project|entry|panel|box|column|plan|step)s?\b"
    r"\s+(?:gets|has|shows|holds|includes|comes with|features|carries)\b[^.;]{0,160}$",
    re.I,
)
_INTRODUCED = re.compile(r"\b(?:a|an|one|another|single|large|small|big|tall|wide|full|hero|main)\b[^.;,]{0,40}$", re.I)
_LIST_WORD = re.compile(r"\b(?:combining|with|and|or|of|for|between|any|no|both)\s*$", re.I)
_VISUAL_INTRO = re.compile(
    r"\b(?:composition|poster|visual|graphic|artwork|scene|frame|collage|panel|block|area)\b", re.I
)


class _Noun(NamedTuple):
    """A media noun of a sentence: where its phrase starts, its kind, and the match of its last noun."""

    position: int
    kind: str
    match: re.Match


@dataclass
class _SentenceReading:
    """One sentence being read: where it is, the chunk read so far, and the elements it has touched."""

    prose: Prose
    sentences: list[Sentence]
    k: int
    state: _ChunkState
    quotes_by_start: dict[int, QuotedText]
    plain: str
    chart_mentions: list[re.Match]
    describing_previous: bool  # it goes on describing the picture named just before
    slot_sentence: bool  # "the first card shows …" while a counted group has open slots
    touched: list[MediaDraft] = field(default_factory=list)
    pictures_by_clause: dict[int, MediaDraft] = field(default_factory=dict)

    @property
    def sentence(self) -> Sentence:
        return self.sentences[self.k]


@dataclass
class _Mention:
    """A media noun and how it reads: new elements, or a reference back to ones already found."""

    kind: str
    match: re.Match
    position: int
    before: str
    clause: int
    noun: str
    plural: bool
    stated_count: int  # the number written before the noun: "three photos" → 3
    count: int  # the stated count, or the number of cards for "each card has an image"
    definite: bool  # it refers back: "the photo", "these images"
    list_item: bool  # a bare noun after "with", "and", "of": "combining photos and video"
    same_kind: list[MediaDraft]  # this section's elements of its kind
    recent: list[MediaDraft]  # those of them close enough for "these" and "each"


def _read_sentence(
    prose: Prose,
    sentences: list[Sentence],
    k: int,
    state: _ChunkState,
    banned: set[str],
    quotes_by_start: dict[int, QuotedText],
) -> None:
    """Read sentence ``k``: each media noun makes new elements or describes earlier ones (the first of
    _MENTION_RULES that settles it decides); a sentence without one may fill an open slot or go on
    describing the element just named."""
    plain = prose.without_quotes(sentences[k].start, sentences[k].end)
    _note_card_count(state, plain)
    nouns = _media_nouns(plain, banned)
    reading = _SentenceReading(
        prose=prose,
        sentences=sentences,
        k=k,
        state=state,
        quotes_by_start=quotes_by_start,
        plain=plain,
        chart_mentions=[noun.match for noun in nouns if noun.kind == "chart"],
        # A later part of a sentence listing sections ("…, a venue photo, …") starts on something new.
        describing_previous=sentences[k].piece <= 1 and _describes_previous_picture(state, k, plain),
        slot_sentence=bool(_open_slots(state) and _SLOT_CUE.match(plain.strip())),
    )
    if reading.slot_sentence and not nouns:
        _fill_slot(reading, _open_slots(state)[0])
    for noun in nouns:
        mention = _read_mention(reading, noun)
        if not any(rule(reading, mention) for rule in _MENTION_RULES):
            _add_new_elements(reading, mention)
    if reading.touched:
        state.last_touched, state.last_sentence = reading.touched[-1], k
    else:
        _continue_description(reading)


def _note_card_count(state: _ChunkState, plain: str) -> None:
    """'three pricing cards': remember how many cards the section has, for a later 'each card has an image'."""
    count_match = _CARD_COUNT.search(plain)
    if count_match:
        state.card_count = _number(count_match.group(1)) or state.card_count


def _media_nouns(plain: str, banned: set[str]) -> list[_Noun]:
    """The sentence's nouns that ask for media, in order, at most MAX_MENTIONS_PER_SENTENCE of them."""
    regions = _negated_regions(plain)
    nouns = [
        _Noun(m.start(), kind, m)
        for kind, regex in _MEDIA_NOUNS
        if kind not in banned
        for m in regex.finditer(plain)
        if not _is_negated(m, regions) and _is_media(kind, plain, m) and not _is_optional(plain, m)
    ]
    nouns.sort(key=lambda noun: noun.position)
    return _merge_double_nouns(nouns[:MAX_MENTIONS_PER_SENTENCE])


def _is_negated(m: re.Match, regions: list[tuple[int, int]]) -> bool:
    """'not a video player', 'instead of photos': the noun lies in a negated span."""
    return any(a <= m.start() < b for a, b in regions)


def _is_optional(plain: str, m: re.Match) -> bool:
    """'a map if space allows': an optional element is left out rather than guessed at."""
    return bool(_OPTIONAL.search(plain[m.start() : m.end() + OPTIONAL_CHARS]))


def _merge_double_nouns(nouns: list[_Noun]) -> list[_Noun]:
    """'gauge charts', 'donut charts', 'video loop': two nouns of a kind side by side name one element,
    whose phrase starts at the first and ends at the second."""
    merged: list[_Noun] = []
    for noun in nouns:
        if merged and merged[-1].kind == noun.kind and noun.position - merged[-1].match.end() <= DOUBLE_NOUN_GAP:
            noun = noun._replace(position=merged.pop().position)
        merged.append(noun)
    return merged


def _open_slots(state: _ChunkState) -> list[MediaDraft]:
    """The slots of counted groups still waiting for their own description."""
    return [d for d in state.drafts if d.slot and not d.filled]


_LIST_ITEM = re.compile(r"^\s*(?:[-*•·▪–]|\d{1,2}[.)])\s")


def _describes_previous_picture(state: _ChunkState, k: int, plain: str) -> bool:
    """The sentence goes on about the image or video named just before: it starts on nothing new, is no
    new list item, names no text element, and is no layout step ('Below …') unless it is plainly a
    continuation ('The lighting …')."""
    return (
        state.last_touched is not None
        and state.last_touched.kind != "chart"
        and k - state.last_sentence <= DESCRIPTION_REACH
        and not _NEW_THING.match(plain.strip())
        and not _LIST_ITEM.match(plain)
        and not _TEXT_ELEMENTS.search(plain)
        and bool(_CONTINUATION.match(plain.strip()) or not _LAYOUT_START.match(plain.strip()))
    )


# ----------------------------------------------------------------------------- reading one mention


def _read_mention(reading: _SentenceReading, noun: _Noun) -> _Mention:
    """What the words around a media noun say: how many, whether it refers back, and to what."""
    plain, state = reading.plain, reading.state
    before = plain[max(0, noun.position - BEFORE_CHARS) : noun.position]
    word = noun.match.group("noun").lower()
    plural = _is_plural(word)
    stated_count = _stated_count(before, plural) or _count_after(plain[noun.match.end() :], plural)
    definite = bool(_DEFINITE.search(before[-CUE_CHARS:])) and not stated_count
    same_kind = [d for d in state.drafts if d.kind == noun.kind]
    mention = _Mention(
        kind=noun.kind,
        match=noun.match,
        position=noun.position,
        before=before,
        clause=len((_LISTED if state.listing else _SEMICOLON).findall(plain, 0, noun.position)),
        noun=word,
        plural=plural,
        stated_count=stated_count,
        count=stated_count,
        definite=definite,
        list_item=_is_bare_list_item(before, plural, stated_count, definite),
        same_kind=same_kind,
        recent=[d for d in same_kind if reading.sentence.start - d.start < RECENT_CHARS],
    )
    _resolve_each(mention, state, plain[: noun.position])
    mention.definite = mention.definite or _refers_back(reading, mention)
    return mention


def _stated_count(before: str, plural: bool) -> int:
    """'three photos', 'a pair of portraits': the number before the noun (0 when there is none)."""
    if plural or _SMALL_NUMBER.search(before[-CUE_CHARS:]):
        return _count_before(before)
    return 0


# "a photo of each of our three groomers", "photos of our two teachers": the count follows the noun.
_EACH_OF_COUNT = re.compile(
    r"^\s+of\s+(?:each|every one|all)\s+of\s+(?:our|the|their|its|these|his|her|my)\s+(\w+)\s", re.I
)
_OF_COUNT = re.compile(r"^\s+of\s+(?:our|the|their|its|these|both|his|her|my)\s+(\w+)\s+[\w-]", re.I)
# "portraits of Dr Hannah Oduya, Dr Marek Nowicki and Dr Claire Beaumont": one picture per name.
_OF_LIST = re.compile(r"^\s+of\s+(?P<items>[^.;:()\n]{3,200})", re.I)
_LIST_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&|et|y|und|e)\s+", re.I)
_NAME_ITEM = re.compile(r"^(?:(?:Dr|Mr|Mrs|Ms|Prof|Chef)\.?\s+)?[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+){0,3}$")


def _count_after(after: str, plural: bool) -> int:
    """The number a picture's "of …" gives when none stands before the noun (0 when it gives none)."""
    m = _EACH_OF_COUNT.match(after) or (_OF_COUNT.match(after) if plural else None)
    if m:
        value = _number(m.group(1))
        return value if 1 < value <= MAX_COUNTED else 0
    listed = _OF_LIST.match(after) if plural else None
    if listed is None:
        return 0
    items = _LIST_SEPARATOR.split(listed.group("items").strip())
    names = 0
    for item in items:
        if not _NAME_ITEM.match(item.strip()):
            break  # the list of names ends where the words stop being names ("…, each with a bio")
        names += 1
    if names >= 3 or (names == 2 and names == len(items)):
        return min(names, MAX_COUNTED)
    return 0


def _is_bare_list_item(before: str, plural: bool, stated_count: int, definite: bool) -> bool:
    """'combining illustration with photo': a singular noun with no article, listed after 'with', 'and', 'of'."""
    return (
        not stated_count
        and not definite
        and not _INTRODUCED.search(before[-ARTICLE_CHARS:])
        and bool(_LIST_WORD.search(before))
        and not plural
    )


def _resolve_each(mention: _Mention, state: _ChunkState, sentence_before: str) -> None:
    """'each of the photos' refers back to recent ones; 'each card has an image' asks one image per card,
    however much the card gets before it ('Each card gets a description, a price and a small photo')."""
    if _EACH_CARD_CLAUSE.search(sentence_before) and mention.kind == "image" and not mention.count:
        mention.count = max(2, state.card_count or DEFAULT_CARDS)
        mention.definite = False
        return
    if not _EACH.search(mention.before):
        return
    if mention.recent and not _EACH_CARD.search(mention.before):
        mention.definite = True
    elif mention.kind == "image":
        mention.count = max(2, state.card_count or DEFAULT_CARDS)
        mention.definite = False


def _refers_back(reading: _SentenceReading, mention: _Mention) -> bool:
    """A bare list noun or an uncounted plural ('the photos show …') names the recent elements of its kind;
    a video said again without 'second' or 'next' is the section's video."""
    uncounted_plural = mention.plural and not mention.count
    video_again = (
        mention.kind == "video"
        and not mention.count
        and bool(mention.same_kind)
        and not _ORDINAL_CUE.match(reading.plain.strip())
    )
    return bool(mention.recent) and (mention.list_item or uncounted_plural) or video_again


# ----------------------------------------------------------------------------- the mention rules, in order


def _add_each_to_the_elements_described(reading: _SentenceReading, mention: _Mention) -> bool:
    """'Each image has …', 'Beneath each portrait …' describe the images already there, of this section or,
    close enough, of the one before."""
    if not _EACH_ADJACENT.search(mention.before):
        return False
    earlier = reading.state.earlier.get(mention.kind)
    if mention.same_kind:
        return _describe(reading, mention.same_kind[-1])
    if earlier is not None and reading.sentence.start - earlier.start < EACH_REACH_CHARS:
        return _describe(reading, earlier)
    return False


def _add_to_the_picture_being_described(reading: _SentenceReading, mention: _Mention) -> bool:
    """'It shows a photo of …' in the description of the image just named is that image, not a new one."""
    latest = mention.same_kind[-1] if mention.same_kind else None
    if (
        mention.kind in {"image", "video"}
        and reading.describing_previous
        and not mention.stated_count
        and latest is not None
        and latest is reading.state.last_touched
    ):
        return _describe(reading, latest)
    return False


def _skip_logo_picture(reading: _SentenceReading, mention: _Mention) -> bool:
    """'a logo with a small image of a leaf': the picture is the logo's, and logos are not media."""
    return mention.kind == "image" and bool(_LOGO_SUBJECT.search(mention.before))


# What a sentence about a picture says before a chart drawn in it: "a laptop showing a bar chart", "the screen has …".
_DEPICTS = re.compile(
    r"\b(?:show(?:s|n|ing)?|display(?:s|ed|ing)?|depict(?:s|ed|ing)?|featur(?:es|ing)|with|has|on|of)\b", re.I
)


def _skip_chart_inside_a_picture(reading: _SentenceReading, mention: _Mention) -> bool:
    """'a photo of a laptop showing a bar chart': an untitled chart on a screen in the picture is the picture's.
    A sentence that opens on a chart of its own ("Then a bar chart of …", "Luego un gráfico …") names a new one."""
    return (
        mention.kind == "chart"
        and bool(_DEPICTS.search(mention.before))
        and not _OPENS_ON_A_NEW_ONE.search(mention.before)
        and not any(draft.kind == "chart" for draft in reading.touched)  # "… a bar chart … and a pie chart"
        and reading.describing_previous
        and reading.state.last_touched is not None
        and reading.state.last_touched.kind in {"image", "video"}
        and not _title_for(reading.prose, reading.sentence, mention.match, reading.quotes_by_start)
    )


def _skip_list_item_with_nothing_to_refer_to(reading: _SentenceReading, mention: _Mention) -> bool:
    """'a collage combining illustration with photo': a bare noun in a list names a style, not an element,
    unless an element of its kind was just named."""
    return mention.list_item and not mention.recent


def _open_slots_for_the_counted_group(reading: _SentenceReading, mention: _Mention) -> bool:
    """'three cards, each with a photo … the three photos': a count after a group of slots grows the group to it."""
    group = [d for d in mention.recent if d.slot]
    if not (mention.count and group and reading.k - reading.state.last_sentence <= MENTION_REACH):
        return False
    sentence = reading.sentence
    for _ in range(min(mention.count, MAX_GROUP_SLOTS) - len(group)):
        reading.state.drafts.append(
            MediaDraft(
                kind=mention.kind,
                chunk=reading.state.index,
                noun=group[-1].noun,
                start=sentence.start + mention.position,
                end=sentence.start + mention.match.end(),
                sentences=[sentence.text],
                slot=True,
            )
        )
    reading.touched.append(group[-1])
    return True


def _skip_chart_referred_to_before_any(reading: _SentenceReading, mention: _Mention) -> bool:
    """'the chart' with no chart in the section is a reference we cannot place; charts are not guessed."""
    return mention.kind == "chart" and mention.definite and not mention.same_kind


def _fill_the_next_slot(reading: _SentenceReading, mention: _Mention) -> bool:
    """'The first card shows a photo of …' describes the next open slot of the counted group."""
    if mention.kind != "image" or not reading.slot_sentence:
        return False
    slots = _open_slots(reading.state)
    if not slots:
        return False
    _fill_slot(reading, slots[0])
    return True


def _add_to_the_earlier_section_element(reading: _SentenceReading, mention: _Mention) -> bool:
    """'the video' in a section with none of its own is the video of an earlier section."""
    earlier = reading.state.earlier.get(mention.kind)
    if mention.definite and not mention.same_kind and mention.kind != "chart" and earlier:
        return _describe(reading, earlier)
    return False


def _add_to_the_last_of_its_kind(reading: _SentenceReading, mention: _Mention) -> bool:
    """'the photo', 'these images' describe the section's last element of that kind."""
    if mention.definite and mention.same_kind:
        return _describe(reading, mention.same_kind[-1])
    return False


def _skip_an_alternative_in_the_same_clause(reading: _SentenceReading, mention: _Mention) -> bool:
    """'either a photo of interiors or a portrait': one element, described twice. A video and then photos
    in one clause ('a hero video of the flames, then a gallery of four photos') are two elements."""
    earlier = reading.pictures_by_clause.get(mention.clause)
    return mention.kind in {"image", "video"} and earlier is not None and earlier.kind == mention.kind


def _add_to_the_same_noun_said_again(reading: _SentenceReading, mention: _Mention) -> bool:
    """'a portrait … a portrait of the founder' a few sentences on: the same noun again is the same picture."""
    latest = mention.same_kind[-1] if mention.same_kind else None
    if (
        mention.kind != "chart"
        and not mention.count
        and latest is not None
        and not latest.slot
        and latest.noun == _singular(mention.noun)
        and sum(d.start == latest.start for d in mention.same_kind) == 1  # "eight speaker photos" is no one photo
        and reading.state.last_sentence >= reading.k - MENTION_REACH
        and not _ORDINAL_CUE.match(reading.plain.strip())
    ):
        return _describe(reading, latest, once=False)
    return False


def _add_to_the_chart_just_described(reading: _SentenceReading, mention: _Mention) -> bool:
    """'a line chart … the line chart's y-axis …': an untitled chart of the same type right after goes on
    describing it, unless it opens a new list item."""
    latest = mention.same_kind[-1] if mention.same_kind else None
    if (
        mention.kind == "chart"
        and not mention.count
        and not _LIST_ITEM.match(reading.plain)
        and latest is not None
        and latest is reading.state.last_touched
        and reading.state.last_sentence >= reading.k - DESCRIPTION_REACH
        and not _ORDINAL_CUE.match(reading.plain.strip())
        and not _title_for(reading.prose, reading.sentence, mention.match, reading.quotes_by_start)
        and _type_words(_noun_phrase(reading.plain, mention.position, mention.match.end()), reading.plain)[0]
        == latest.chart_type
    ):
        return _describe(reading, latest, once=False)
    return False


_MentionRule = Callable[[_SentenceReading, _Mention], bool]
# Applied in this order; the first that returns True settles the mention. A mention none settles is new.
_MENTION_RULES: tuple[_MentionRule, ...] = (
    _add_each_to_the_elements_described,
    _add_to_the_picture_being_described,
    _skip_logo_picture,
    _skip_chart_inside_a_picture,
    _skip_list_item_with_nothing_to_refer_to,
    _open_slots_for_the_counted_group,
    _skip_chart_referred_to_before_any,
    _fill_the_next_slot,
    _add_to_the_earlier_section_element,
    _add_to_the_last_of_its_kind,
    _skip_an_alternative_in_the_same_clause,
    _add_to_the_same_noun_said_again,
    _add_to_the_chart_just_described,
)


def _describe(reading: _SentenceReading, target: MediaDraft, once: bool = True) -> bool:
    """The sentence describes ``target``: add it to the target's sentences (``once``: if not there yet)."""
    if not once or reading.sentence.text not in target.sentences:
        target.sentences.append(reading.sentence.text)
    reading.touched.append(target)
    return True


def _fill_slot(reading: _SentenceReading, slot: MediaDraft) -> None:
    """The sentence is the description of ``slot``, an element of a counted group."""
    slot.sentences.append(reading.sentence.text)
    slot.filled = True
    _caption(reading.prose, reading.sentence, slot, reading.quotes_by_start)
    reading.touched.append(slot)


# ----------------------------------------------------------------------------- new elements


def _add_new_elements(reading: _SentenceReading, mention: _Mention) -> None:
    """The elements a mention none of the rules settled asks for: one, or a counted group of slots."""
    if mention.count:
        n = min(mention.count, MAX_COUNTED)
    else:
        n = UNCOUNTED_IMAGES if mention.plural and mention.kind == "image" else 1
    sentence = reading.sentence
    titles = (
        _titles_after(reading.prose, sentence, mention.match, n, reading.quotes_by_start)
        if mention.kind == "chart"
        else []
    )
    for i in range(n):
        draft = MediaDraft(
            kind=mention.kind,
            chunk=reading.state.index,
            noun=_singular(mention.noun),
            start=sentence.start + mention.position,
            end=sentence.start + mention.match.end(),
            sentences=[sentence.text],
            slot=n > 1,
            filled=False,
        )
        if mention.kind == "chart":
            _set_chart_details(reading, mention, draft, titles[i] if i < len(titles) else None, n)
        else:
            _caption(reading.prose, sentence, draft, reading.quotes_by_start)
            intro = _introducing_sentence(reading) if n == 1 else None
            if intro is not None:
                draft.sentences.insert(0, intro.text)
        reading.state.drafts.append(draft)
        reading.touched.append(draft)
        if mention.kind in {"image", "video"}:
            reading.pictures_by_clause[mention.clause] = draft


def _set_chart_details(
    reading: _SentenceReading, mention: _Mention, draft: MediaDraft, listed_title: str | None, n: int
) -> None:
    """A new chart's title (listed after a counted group, or quoted next to a single chart), its own clause
    as its prompt, and its type words."""
    if listed_title is not None:
        draft.title = listed_title
    elif n == 1:
        draft.title = _title_for(reading.prose, reading.sentence, mention.match, reading.quotes_by_start)
    draft.sentences = [_own_clause(reading.sentence.text, mention.match, reading.chart_mentions)]
    draft.chart_type, draft.horizontal, draft.stacked = _type_words(
        _noun_phrase(reading.plain, mention.position, mention.match.end()), reading.plain
    )


def _introducing_sentence(reading: _SentenceReading) -> Sentence | None:
    """'The hero is a bold poster composition.' before 'A photo of …': the sentence before that announced a
    visual without naming media, a text element or a quote."""
    if reading.k == 0:
        return None
    intro = reading.sentences[reading.k - 1]
    intro_plain = reading.prose.without_quotes(intro.start, intro.end)
    if (
        not reading.prose.quotes_between(intro.start, intro.end)
        and _VISUAL_INTRO.search(intro_plain)
        and not _IMAGE_NOUN.search(intro_plain)
        and not _VIDEO_NOUN.search(intro_plain)
        and not _TEXT_ELEMENTS.search(intro_plain)
    ):
        return intro
    return None


# ----------------------------------------------------------------------------- sentences without media


def _continue_description(reading: _SentenceReading) -> None:
    """A sentence naming no media goes on describing the element last named: right after an image or video,
    or within two sentences when it starts like a continuation ('It …', 'The lighting …')."""
    state, k, plain = reading.state, reading.k, reading.plain
    last = state.last_touched
    if last is None or len(last.prompt) >= FULL_PROMPT_CHARS:
        return
    right_after_a_picture = (
        last.kind != "chart"
        and k - state.last_sentence <= PLAIN_DESCRIPTION_REACH
        and not reading.prose.quotes_between(reading.sentence.start, reading.sentence.end)
        and not _TEXT_ELEMENTS.search(plain)
        and not _LAYOUT_START.match(plain.strip())
    )
    if right_after_a_picture or (k - state.last_sentence <= DESCRIPTION_REACH and _CONTINUATION.match(plain.strip())):
        last.sentences.append(reading.sentence.text)
        if last.kind != "chart":
            _caption(reading.prose, reading.sentence, last, reading.quotes_by_start)
        state.last_sentence = k


def _noun_phrase(plain: str, start: int, end: int) -> str:
    """'…these gauges, a slim horizontal column chart' → 'a slim horizontal column chart'."""
    window = plain[max(0, start - 60) : end]
    cut = max(window.rfind(","), window.rfind(";"), window.rfind(":"))
    m = list(re.finditer(r"\b(?:a|an|the|one|two|three|four|five|six)\s", window))
    if m:
        cut = max(cut, m[-1].start() - 1)
    return window[cut + 1 :]


# Where one chart's clause ends and the next one's starts: "…; ", ": at the bottom …", ", and a bar chart …".
_CLAUSE_CUT = re.compile(
    r";\s*|:\s+(?=at |beneath|below|on |in |and )|,\s+(?:and\s+|plus\s+)?(?=(?:an?|one|two|three|four)\s)"
    r"|\s+and\s+(?=an?\s)"
)


def _own_clause(text: str, m: re.Match, chart_mentions: list[re.Match]) -> str:
    """With several charts in one sentence, each chart's prompt is its own clause."""
    if len(chart_mentions) <= 1 or len(text) != len(m.string):
        return text
    cuts = [0] + [c.end() for c in _CLAUSE_CUT.finditer(text)] + [len(text)]
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
    if _NOT_MEDIA_AFTER.match(after) and not re.match(
        r"^[\s-]*(?:of|that|showing|shows|depicting|with)\b", after, re.I
    ):
        return False
    if _NOT_MEDIA_BEFORE.search(before):
        return False
    if re.search(r"-$", before) and not re.search(
        r"(?:full|half|hero|large|small|wide|tall|square|photo|still)-$", before
    ):
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
        if noun.startswith(("dial", "donut", "doughnut")) and not re.search(
            r"\b(?:chart|data|percent|%|values?|share|ring|segments?|kpi|metric)\b", plain, re.I
        ):
            return False
        if noun.startswith("visuali") and not re.search(
            r"\b(?:data|chart|graph|bars?|lines?|values?|metrics?|trend|numeric|statistic)", plain, re.I
        ):
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


_ANOTHER_PHRASE = re.compile(r"\b(?:and|or|plus|with|an?|y|et|und|e|en)\b|[,;]\s+an?\b", re.I)


def _count_before(before: str) -> int:
    m = re.search(
        r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2}|pair|trio|several|few|multiple|dual|twin|"
        rf"{_FOREIGN_COUNT_WORDS})\b"
        r"(?:\s+of)?(?:\s+[\w-]+,?){0,4}\s*$",
        before,
        re.I,
    )
    if not m or _ANOTHER_PHRASE.search(before, m.end(1)):
        return 0  # "three photos and a pie chart": the count belongs to the photos
    value = _number(m.group(1))
    return value if 1 < value <= 12 else 0


def _titles_after(
    prose: Prose, sentence: Sentence, m: re.Match, n: int, quotes_by_start: dict[int, QuotedText]
) -> list[str]:
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
        if re.search(
            r"\b(?:titled|title|labell?ed|label|called|named|headed|heading|captioned|reading|reads)\b[\s:,]*$",
            between,
            re.I,
        ) and not re.search(r"[.;]", between):
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
        explicit = re.search(
            r"\b(radar|spider|donut|doughnut|pie|gauge|funnel|heat ?map|scatter|bubble|area|line|bar|column)[\w\s-]{0,12}?(?:chart|graph|plot)",
            sentence.lower(),
        )
        if explicit:
            for pattern, name in _CHART_TYPES:
                if re.search(pattern, explicit.group(0)):
                    chart_type = name
                    break
    horizontal = bool(
        re.search(
            r"horizontal (?:\w+ ){0,2}(?:bar|column)|bar meters|horizontal stacked|horizontal bars",
            (phrase + " " + sentence).lower(),
        )
    )
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
    elif draft.noun.startswith(("gauge", "dial")) or re.search(
        r"(?:progress|kpi|percentage|completion) ring", draft.noun
    ):
        draft.chart_type = "gauge"
    elif draft.noun.startswith(("donut", "doughnut")):
        draft.chart_type = "donut"
    elif draft.noun.startswith("heat"):
        draft.chart_type = "heatmap"
