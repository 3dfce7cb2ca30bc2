"""Context-free rules for single lines of a news page: furniture, captions, headings.

The words and patterns live in `briefings/data/furniture.json`; this module compiles them once
(on first use, never at import) and answers questions about one line at a time. Rules that need
the neighbouring lines (repeated headlines, "Photo" labels) live in `ingest/paragraphs.py`.
"""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel

from briefings.data.lexicons import load_json

_FILE = "furniture.json"


class FurnitureLexicon(BaseModel):
    """The shape of `furniture.json`."""

    about: str = ""
    line_patterns: list[str]
    section_labels: list[str]
    caption_credits: list[str]
    stamp_words: list[str]
    outlets: dict[str, str]
    english_function_words: list[str]
    sentence_openers: list[str]
    kicker_words: list[str]


@cache
def lexicon() -> FurnitureLexicon:
    return FurnitureLexicon.model_validate(load_json(_FILE))


@cache
def _line_re() -> re.Pattern[str]:
    joined = "|".join(f"(?:{p})" for p in lexicon().line_patterns)
    return re.compile(joined, re.IGNORECASE)


@cache
def section_labels() -> frozenset[str]:
    return frozenset(label.casefold() for label in lexicon().section_labels)


@cache
def stamp_words() -> tuple[str, ...]:
    """Words that open a publication stamp, the most trusted first."""
    return tuple(word.casefold() for word in lexicon().stamp_words)


@cache
def english_function_words() -> frozenset[str]:
    """Words every English news text of some length uses (a cheap language check)."""
    return frozenset(word.casefold() for word in lexicon().english_function_words)


@cache
def sentence_openers() -> frozenset[str]:
    """Capitalised words that open sentences and never start a place name ("In", "The")."""
    return frozenset(word.casefold() for word in lexicon().sentence_openers)


@cache
def kicker_words() -> frozenset[str]:
    """Labels printed in capitals before a colon that are not places ("UPDATE:", "WATCH:")."""
    return frozenset(word.casefold() for word in lexicon().kicker_words) | section_labels()


@cache
def outlet_names() -> dict[str, str]:
    return {host.casefold(): name for host, name in lexicon().outlets.items()}


@cache
def _credits() -> frozenset[str]:
    return frozenset(credit.casefold() for credit in lexicon().caption_credits)


@cache
def _credit_re() -> re.Pattern[str]:
    credits = "|".join(re.escape(c) for c in sorted(lexicon().caption_credits, key=len, reverse=True))
    return re.compile(
        rf"(?:\s[—–-]{{1,2}}\s*(?:{credits})(?:\s*/\s*[\w .'’-]{{1,40}})?"  # "… Riyadh. — Reuters"
        rf"|\s[—–]\s*[A-Z][\w.'’&-]*(?:\s[A-Z][\w.'’&-]*){{0,2}}"  # "… — Staff Photographer"
        rf"|\((?:{credits})\))\s*\.?$"  # "… (AFP)"
    )


_PHOTO_END_RE = re.compile(
    r"\((?=[^()]*(?:\bphoto\b|\bvia\b|\bfile\b|\bhandout\b|/))[^()]{2,120}\)\s*\.?$"  # (AP Photo/X)
    r"|(?:\bfile\s)?\bphoto(?:graph)?s?\s*(?:by|:|courtesy(?: of)?)\s*[^.]{2,80}$"
    r"|(?:/|\.|\s)\s*courtesy(?: of)?\s*:?\s*[^.]{2,80}$",
    re.IGNORECASE,
)
_PHOTO_START_RE = re.compile(
    r"(?:in )?(?:this|these) (?:undated |handout |file |video )?(?:photo|image|picture|grab)s?\b"
    r"|image caption\s*[,:]"
    r"|(?:photo|image|picture|file photo|caption)\s*[:|]\s*\S.{20,}",
    re.IGNORECASE,
)
_BYLINE_RE = re.compile(
    r"(?:(?:Writer|Author|Reporter)\s*:\s*)?(?:By|Written by|Reported by|Words by)\s+(?P<names>\S.*)$")
_QUOTES = "\"“”„«»"
_SENTENCE_END = ".!?…:;,"


def fold(text: str) -> str:
    """Whitespace folded, quotes straightened, casefolded: for comparing lines, never for output."""
    text = text.translate(_QUOTE_TABLE)
    return " ".join(text.split()).casefold()


_QUOTE_TABLE = str.maketrans({"‘": "'", "’": "'", "‛": "'", "`": "'", "“": '"', "”": '"', "„": '"',
                              "«": '"', "»": '"', "–": "-", "—": "-", "\u00a0": " "})


def is_section_label(line: str) -> bool:
    return fold(line).strip(" :|•·-") in section_labels()


def is_byline(line: str) -> bool:
    """'By Jane Doe', 'Writer: By X', 'By Jane Doe and John Roe, Reuters' (not 'By the end of …')."""
    match = _BYLINE_RE.match(line.strip())
    if match is None:
        return False
    words = match.group("names").split()
    if len(words) > 12:
        return False
    connectors = {"and", "&", "in", "for", "with", "|", "-", "–", "—", "de", "van", "von", "al", "bin"}
    named = [w for w in words if w.lower() not in connectors]
    if not named:
        return False
    capitalised = sum(1 for w in named if w[:1].isupper() or not w[:1].isalpha())
    return capitalised / len(named) >= 0.75 and not line.rstrip().endswith(("?", "!"))


def is_furniture_line(line: str) -> bool:
    """Furniture that is recognisable on its own: promos, labels, bylines, tickers, share links."""
    stripped = line.strip()
    if not any(c.isalnum() for c in stripped):  # rules, separators, stray symbols
        return True
    if _line_re().fullmatch(stripped) or is_section_label(stripped):
        return True
    if fold(stripped).strip("()[]—–-/ .") in _credits():  # a credit alone: "AFP", "(Reuters)"
        return True
    return is_byline(stripped)


def is_caption_line(line: str) -> bool:
    """A photo caption: ends with a credit ("— AFP", "(AP Photo/…)", "Courtesy of …")."""
    stripped = line.strip()
    words = stripped.split()
    if len(words) < 4 or len(words) > 150:
        return False
    if _PHOTO_END_RE.search(stripped) or _PHOTO_START_RE.match(stripped):
        return True
    # A wire credit closing a paragraph of quoted speech is the story's credit, not a caption's.
    return bool(_credit_re().search(stripped)) and not any(q in stripped for q in _QUOTES)


def ends_sentence(line: str) -> bool:
    stripped = line.rstrip().rstrip(_QUOTES + "’')]")
    return stripped.endswith(tuple(_SENTENCE_END))


def looks_like_heading(line: str) -> bool:
    """A short title-case line without final punctuation ("Quick cash injection", "Major Deals Signed")."""
    stripped = line.strip()
    words = stripped.split()
    if not 1 <= len(words) <= 14 or len(stripped) > 120 or ends_sentence(stripped):
        return False
    if not (stripped[0].isupper() or stripped[0].isdigit() or stripped[0] in "‘'\"“"):
        return False
    if not any(c.isalpha() for c in stripped):
        return False
    long_words = [w for w in words if len(w) > 3]
    if len(words) <= 6 or not long_words:
        return True
    capitalised = sum(1 for w in long_words if w[0].isupper())
    return capitalised / len(long_words) >= 0.5


def looks_like_headline(line: str, repeated: bool) -> bool:
    """A candidate title: no final full stop, not a caption, short (long only if repeated)."""
    stripped = line.strip()
    words = stripped.split()
    if len(words) < 2 or len(stripped) >= 200 or is_caption_line(stripped):
        return False
    if stripped.rstrip(_QUOTES + "’')").endswith((".", ":", ";", ",")) and not stripped.endswith("..."):
        return False
    if not (stripped[0].isupper() or stripped[0].isdigit() or stripped[0] in "‘'\"“$€£"):
        return False
    return repeated or len(words) <= 20
