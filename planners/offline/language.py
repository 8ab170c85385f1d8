"""Which language a prompt is written in, from its most common small words."""

from __future__ import annotations

import re

_STOPWORDS: dict[str, set[str]] = {
    "en": {
        "the",
        "a",
        "an",
        "for",
        "with",
        "and",
        "of",
        "page",
        "landing",
        "website",
        "site",
        "my",
        "our",
        "is",
        "to",
        "in",
    },
    "fr": {
        "une",
        "un",
        "pour",
        "le",
        "la",
        "les",
        "des",
        "du",
        "avec",
        "et",
        "de",
        "page",
        "d'accueil",
        "accueil",
        "site",
        "notre",
        "mon",
        "boulangerie",
        "pâtisserie",
        "entreprise",
        "au",
        "aux",
    },
    "es": {
        "una",
        "un",
        "para",
        "el",
        "la",
        "los",
        "las",
        "con",
        "y",
        "de",
        "del",
        "página",
        "pagina",
        "sitio",
        "web",
        "nuestra",
        "mi",
        "panadería",
        "tienda",
        "inicio",
    },
    "de": {
        "eine",
        "ein",
        "für",
        "die",
        "der",
        "das",
        "und",
        "mit",
        "von",
        "seite",
        "startseite",
        "webseite",
        "unsere",
        "mein",
        "bäckerei",
        "zum",
        "zur",
    },
    "it": {
        "una",
        "un",
        "per",
        "il",
        "lo",
        "la",
        "gli",
        "le",
        "con",
        "e",
        "di",
        "della",
        "pagina",
        "sito",
        "nostra",
        "panetteria",
        "negozio",
    },
    "pt": {
        "uma",
        "um",
        "para",
        "o",
        "a",
        "os",
        "as",
        "com",
        "e",
        "de",
        "da",
        "do",
        "página",
        "site",
        "nossa",
        "padaria",
        "loja",
    },
    "nl": {"een", "voor", "de", "het", "met", "en", "van", "pagina", "website", "onze", "bakkerij", "winkel"},
}


def detect_language(text: str) -> str:
    """An ISO 639-1 code; English unless another language's small words clearly dominate."""
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text[:3000].lower())
    if not words:
        return "en"
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOPWORDS.items()}
    # Words unique to one language count double; shared ones ("de", "la") are weak evidence.
    for lang, stop in _STOPWORDS.items():
        others = set().union(*(s for other, s in _STOPWORDS.items() if other != lang))
        scores[lang] += sum(1 for w in words if w in stop and w not in others)
    best = max(scores, key=lambda lang: scores[lang])
    if best != "en" and scores[best] >= 2 and scores[best] > scores["en"] * 1.2:
        return best
    return "en"
