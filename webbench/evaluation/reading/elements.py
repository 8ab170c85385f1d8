"""The images, videos and charts a prompt asks for, counted from how each is introduced.

A new element is introduced with an indefinite determiner or a count ("a hero video", "three photos of
pastries", "two donut charts", "three image tiles"); "the video" or "its chart" refer back to one already
counted, and "each card shows a portrait" asks for one per card counted before. A mention that is negated
("no photos"), figurative ("video-like", "chart junk"), an icon ("a photo icon", "the icon is a line
illustration"), a modifier ("an illustration tutorial") or a faceless avatar is not an element, nor is a
count that disagrees with the noun's number ("three … lines chart progress"). "The image is a soft
photograph" or "a thumbnail: a flat illustration" restates one just named.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from webagent.core.contracts import AssetKind
from webagent.webbench.evaluation.reading.counts import MANY, count_of
from webagent.webbench.evaluation.reading.prose import FUNCTION_WORDS, Sentence

IMAGE_HEADS = r"tiles?|frames?|cards?|panels?|placeholders?|slots?|areas?|windows?"  # "image tiles" are images
NOUNS: dict[AssetKind, str] = {
    "image": r"(?:photo(?:graph)?s?|images?|pictures?|illustrations?|portraits?|headshots?|thumbnails?|artworks?"
    rf"|screenshots?|avatars?|maps?|diagrams?)(?:\s+(?:{IMAGE_HEADS}))?",
    "video": r"videos?\s+(?:snippets?|clips?|loops?)|videos?",
    "chart": r"charts?|graphs?|sparklines?|histograms?|heat\s?maps?|scatter\s?plots?|gauges?"
    r"|data\s+visuali[sz]ations?|(?:sankey|chord|venn)\s+diagrams?",
}
SINGULAR = re.compile(r"(?<!s)$|(?:ss|sis)$")
CONTAINERS = r"panels?|areas?|windows?|frames?|cards?|containers?|boxes|box|slots?|blocks?|platforms?"
NOT_MEDIA = (
    r"icons?|glyphs?|symbols?|games?|calls?|chats?|editors?|junk|placeholders?|buttons?|credits?"
    r"|tutorials?|courses?|class(?:es)?|lessons?|workshops?|studios?|styles?|packs?|series|subscriptions?"
    r"|sessions?|essays?|walks?|weekends?|booths?"
)  # a media noun before one of these names something else: "an illustration tutorial", "a photo walk"
NOUN = re.compile(
    r"(?<![\w-])(?P<noun>" + "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in NOUNS.items()) + r")(?![\w-])"
    rf"(?!\s+(?:{NOT_MEDIA}|{CONTAINERS})\b)",
    re.IGNORECASE,
)
# The words between a determiner and its noun are modifiers: a function word or a verb ends the noun phrase.
GAP_STOP = FUNCTION_WORDS | {"shows", "show", "showing", "features", "contains", "holds", "displays", "says", "reads"}
WORD = r"(?:[\w:/%'’-]+|[“\"]_+[”\"])"  # a masked quote stands in a noun phrase as one word
DETERMINER = re.compile(rf"(?P<det>{WORD})(?P<gap>(?:[\s,]+{WORD}){{0,5}}?)[\s,]+$")
NEGATION = re.compile(
    r"\b(?:no|not|without|never|nor|avoid|instead\s+of|rather\s+than)\b(?:(?!\bbut\b)[^.;:—]){0,60}$", re.IGNORECASE
)
FIGURATIVE = re.compile(
    r"(?<![\w-])(?:like|resembling|mimicking|evoking|suggesting|implying|hinting\s+at|reminiscent\s+of|as\s+if)"
    r"\s+(?:[\w-]+\s+){0,3}$"
)
ICON_DESCRIBED = re.compile(
    r"\b(?:icons?|logos?|emblems?|glyphs?)\b(?:[\s,]+[\w-]+){0,5}?"
    r"(?:\s+(?:is|are|shows|showing|depicts|depicting|contains|containing)\b|:)[^.;:]{0,60}$",
    re.IGNORECASE,
)  # "the icon is a line illustration", "an icon area containing a flat illustration"
FACELESS = re.compile(r"\b(?:silhouette|initials?|monogram|icon-only|solid)\b", re.IGNORECASE)
RESTATING = re.compile(
    r"[^.;]{0,40}?(?:\b(?:is|are|was)\s+|[:—–]\s*|\b(?:shows?|showing|depicts|depicting|holding|containing|of)\s+)"
    r"(?:an?|one)\s+(?:[\w,’'-]+\s+){0,5}$",
    re.IGNORECASE,
)  # the words between a media noun and "a … photograph" that make the second the first again
EACH = re.compile(r"\b(?:each|every)(?P<words>(?:\s+[\w-]+){1,3})", re.IGNORECASE)
EXAMPLE = re.compile(r"\b(?:for\s+(?:example|instance)|e\.g\.)", re.IGNORECASE)  # one of those just counted
COUNTED_GROUP = re.compile(
    rf"\b(?P<count>{MANY})\s+(?:[\w“”\"-]+\s+){{0,3}}?[“\"]?(?P<head>[a-z-]+?)(?:s|es)[”\"]?"
    r"(?![\w-])",
    re.IGNORECASE,
)  # "four speaker cards", "three “cards”": what "each" counts
PRONOUN_SUBJECT = re.compile(r"(?:it|this|that)(?:\s+is|\s+was|[’']s)\b", re.IGNORECASE)
EACH_VERBS = {"is", "has", "with", "containing", "showing", "featuring", "holding", "having", "one", "of", "shows",
              "features", "contains", "holds", "displays", "displaying", "depicting", "in"}  # fmt: skip
DATA_SHADED = re.compile(r"\b(?:shaded|colou?red|tinted)\s+(?:[\w-]+\s+){0,3}?by\b|\bchoropleth\b", re.IGNORECASE)
DEFINITE_BEFORE = re.compile(r"\b(?:the|these|those|its|their)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
ORDINAL_SUBJECT = re.compile(
    r"(?:the\s+)?(?:first|second|third|fourth|fifth|sixth|last|top|bottom|middle|left|right|center)\b"
    r"(?![\s-]+(?:half|halves|part|side|corner|edge|one-third|two-thirds)\b)",
    re.IGNORECASE,
)  # "the first tile shows a thumbnail": one of a set just counted
LABEL_NUMBER = re.compile(r"\b[A-Z][a-z]+\s+\d+\s+$")  # "Project 1 thumbnail": a label, not a count
LOOKBACK_CHARS = 160
# A sentence or list item opening on the noun, with at most two words that qualify it ("Pie chart", "Hero photo").
TERSE_OPENING = re.compile(
    r"[\s\-*•·▪–\d.)]*(?:(?!(?:the|this|that|these|those|its|their|our|your|his|her|my|a|an|one|each|every|no|any|"
    r"some|all|both)\b)[A-Za-z][\w-]*\s+){0,2}",
    re.IGNORECASE,
)
DEFINITE = {"the", "this", "that", "these", "those", "its", "their", "his", "her", "our", "your", "each", "every",
            "all", "any", "such", "other", "more", "same", "which"}  # fmt: skip
DEFINITE_ARTICLES = {"the", "this", "its"}
BARE_PLURAL = 2  # "a wall of photos": more than one, however many is unsaid
BARE_PLURAL_AFTER = {"of", "with", "shows", "showing", "features", "featuring", "displays", "contains", "holds"}
REFERENCE = 0  # "the video": one already asked for, or (when none was) the one the prompt presupposes
RESTATED = -1  # "the image is a soft photograph": the one just named, or (when none was) a new one
ONE_OF_SET = -2  # "the first tile shows a thumbnail": one of a set just counted, or (when none was) a new one
DESCRIPTION_CHARS = 240


class Mention(NamedTuple):
    """An element kind asked for, how many (``REFERENCE`` for "the …"), and the sentence that asks."""

    kind: AssetKind
    count: int
    description: str


def kind_of(match: re.Match[str]) -> AssetKind:
    return next(kind for kind in NOUNS if match.group(kind))


def is_plural(noun: str) -> bool:
    return not SINGULAR.search(noun.split()[-1].casefold())


def determined_count(before: str, plural: bool) -> int | None:
    """The count the words just before a noun give it: ``REFERENCE`` for "the/this/its" and a singular noun,
    None when the noun is not asked for (negated, figurative, "all photos", a count of another number)."""
    before = before[-LOOKBACK_CHARS:]
    if NEGATION.search(before) or FIGURATIVE.search(before) or LABEL_NUMBER.search(before):
        return None
    if TERSE_OPENING.fullmatch(before):  # "Bar chart of classes: …", "- Hero photo": a terse request opens on it
        return BARE_PLURAL if plural else 1
    found = DETERMINER.search(before)
    if found is None:
        return BARE_PLURAL if plural else None
    words = [found["det"], *found["gap"].replace(",", " ").split()]
    for position in range(len(words) - 1, -1, -1):
        word = words[position].casefold()
        count = count_of(word)
        if count is not None:
            return count if (count > 1) == plural else None
        if word in DEFINITE:
            return REFERENCE if not plural and word in DEFINITE_ARTICLES else None
        if word in GAP_STOP:
            return BARE_PLURAL if plural and position == len(words) - 1 and word in BARE_PLURAL_AFTER else None
    return None


def is_not_asked_for(group: list[re.Match[str]], before: str, sentence: str) -> bool:
    """An icon described as a picture ("the icon is a line illustration") or an avatar without a face."""
    avatar = group[0]["noun"].casefold().startswith("avatar")
    return bool(ICON_DESCRIBED.search(before)) or (avatar and bool(FACELESS.search(sentence)))


def restates(kind: AssetKind, earlier_nouns: list[tuple[AssetKind, int]], before: str) -> bool:
    """Whether "a …" restates a noun of its kind just before it ("the image is a soft photograph", "a thumbnail:
    a flat illustration") or the sentence's subject ("it's a candid photograph")."""
    if PRONOUN_SUBJECT.match(before):
        return True
    return any(RESTATING.match(before[end:]) for noun_kind, end in earlier_nouns if noun_kind == kind)


def each_head(words: str) -> str:
    """The noun "each" governs ("each speaker card is" → "card"), or the verb after it ("each is" → "is")."""
    head = ""
    for word in words.casefold().split():
        if word in EACH_VERBS or word in GAP_STOP:
            return head or word
        head = word
    return head


def distributed_count(kind: AssetKind, before: Sentence, earlier: str) -> int | None:
    """For "each card shows a portrait": how many cards were counted ("four speaker cards"), ``RESTATED`` when
    they are themselves pictures of the kind, None when no "each" governs the noun or nothing was counted."""
    each = next(reversed(list(EACH.finditer(before.masked))), None)
    if each is None:
        return None
    head = each_head(each["words"])
    in_sentence = head in EACH_VERBS or head in GAP_STOP
    scope = before.text[: each.start()] if in_sentence else earlier + " " + before.text[: each.start()]
    groups = [g for g in COUNTED_GROUP.finditer(scope) if not DEFINITE_BEFORE.search(scope[: g.start()])]
    if not in_sentence:
        groups = [g for g in groups if g["head"].casefold() == head.removesuffix("s")]
    if not groups:
        return None
    named = NOUN.search(groups[-1].group(0))
    return RESTATED if named and kind_of(named) == kind else count_of(groups[-1]["count"])


def asked_count(kind: AssetKind, earlier_nouns: list[tuple[AssetKind, int]], before: Sentence, earlier: str) -> int:
    """The count of a noun introduced by "a/an/one" (``before``: the sentence up to it): one per counted thing
    after "each", ``RESTATED`` when it names again a picture just named, else one."""
    distributed = distributed_count(kind, before, earlier)
    if distributed is not None:
        return distributed
    if ORDINAL_SUBJECT.match(before.masked):
        return ONE_OF_SET
    return RESTATED if EXAMPLE.search(before.masked) or restates(kind, earlier_nouns, before.masked) else 1


def kind_in(sentence: str, group: list[re.Match[str]]) -> AssetKind:
    """The group's kind, a map shaded by data being a chart."""
    kind = kind_of(group[0])
    data_map = group[0]["noun"].casefold().startswith("map") and DATA_SHADED.search(sentence)
    return "chart" if data_map else kind


def noun_groups(masked: str) -> list[list[re.Match[str]]]:
    """Media nouns, nouns in a row ("portrait photo", "gauge charts") grouped as one noun phrase."""
    groups: list[list[re.Match[str]]] = []
    for match in NOUN.finditer(masked):
        if groups and not masked[groups[-1][-1].end() : match.start()].strip():
            groups[-1].append(match)
        else:
            groups.append([match])
    return groups


def mentions(sentence: Sentence, earlier: str = "") -> list[Mention]:
    """The elements one sentence introduces or refers to: a noun phrase's first noun gives its kind ("video
    thumbnail" is a video), its last its number; ``earlier`` (the sentences before) holds what "each" counts."""
    found = []
    nouns: list[tuple[AssetKind, int]] = []  # each media noun's kind and end, to tell a restatement
    for group in noun_groups(sentence.masked):
        before = Sentence(sentence.text[: group[0].start()], sentence.masked[: group[0].start()])
        count = determined_count(before.masked, is_plural(group[-1]["noun"]))
        kind = kind_in(sentence.masked, group)
        if count is not None and not is_not_asked_for(group, before.masked, sentence.masked):
            if count == 1:
                count = asked_count(kind, nouns, before, earlier)
            found.append(Mention(kind, count, describe(sentence.text)))
        nouns.append((kind, group[-1].end()))
    return found


def describe(text: str) -> str:
    """A short description: the sentence, cut at a word boundary."""
    return text if len(text) <= DESCRIPTION_CHARS else text[:DESCRIPTION_CHARS].rsplit(" ", 1)[0] + " …"
