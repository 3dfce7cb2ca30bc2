"""How the evaluation compares strings: names, parties, places, dates, kinds, amounts and `what`s.

These rules are the definition of the metric (they mirror the corpus scorer we are judged by), not
an extraction lexicon: the few country aliases and stopwords below say what counts as "the same
answer", so they live with the metric rather than in `briefings/data/`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

DateVerdict = Literal["ok", "+day", "-day", "wrong"]

DEAL_KINDS = frozenset({"mou", "agreement", "investment", "loan", "trade_agreement"})
PARTIAL_KIND_CREDIT = 0.5
# Kinds that share half a credit: contract forms among themselves, and an investment made
# through an MoU or agreement. A loan is only ever a loan.
_PARTIAL_KINDS = frozenset(frozenset(pair) for pair in [
    ("mou", "agreement"), ("mou", "trade_agreement"), ("agreement", "trade_agreement"),
    ("investment", "mou"), ("investment", "agreement")])
_KIND_ALIASES = {
    "memorandum_of_understanding": "mou", "mous": "mou", "fta": "trade_agreement",
    "free_trade_agreement": "trade_agreement", "trade_deal": "trade_agreement"}
# Canonical party names (after `normalise`): a party written as an acronym, a demonym or a
# long form is the same party.
_PARTY_ALIASES = {
    "us": "united states", "usa": "united states", "america": "united states",
    "united states of america": "united states", "american": "united states",
    "uk": "united kingdom", "britain": "united kingdom", "great britain": "united kingdom",
    "british": "united kingdom", "eu": "european union", "uae": "united arab emirates",
    "emirati": "united arab emirates", "ksa": "saudi arabia", "kingdom of saudi arabia": "saudi arabia",
    "saudi": "saudi arabia", "prc": "china", "people s republic of china": "china", "chinese": "china",
    "adb": "asian development bank", "republic of korea": "south korea", "indian": "india",
    "pakistani": "pakistan", "brazilian": "brazil", "french": "france", "japanese": "japan",
    "bangladeshi": "bangladesh"}
_STOPWORDS_TEXT = (
    "a an the and or of in on at to for from by with as is are was were be been being it its this that "
    "these those his her their our after before during over under into about than then also has have had "
    "will would not no but who which while per s")
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_SUFFIXES = ("ing", "ed", "es", "s")
_GOVERNMENT = re.compile(r"^(government|govt) of (the )?|\s(government|govt)$")


def normalise(text: str | None) -> str:
    """Accents dropped, casefolded, full stops deleted (U.S. -> us), other punctuation -> space."""
    if not text:
        return ""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", " ", bare.casefold().replace(".", "")).strip()


def collapse_spaces(text: str | None) -> str:
    """Whitespace runs as one space (how evidence is looked up in the article text)."""
    return " ".join(text.split()) if text else ""


def clean_date(value: str | None) -> str | None:
    """A stripped ISO date string, or None for a missing or blank one."""
    return value.strip() or None if value else None


def deal_kind(kind: str | None) -> str:
    """A deal kind in canonical spelling ("Memorandum of understanding" -> "mou")."""
    key = normalise(kind).replace(" ", "_")
    return _KIND_ALIASES.get(key, key)


def kind_credit(predicted: str, accepted: Sequence[str]) -> float:
    """1 for an accepted kind, 0.5 for a related contract kind, else 0."""
    if predicted in accepted:
        return 1.0
    if any(frozenset((predicted, k)) in _PARTIAL_KINDS for k in accepted):
        return PARTIAL_KIND_CREDIT
    return 0.0


def positive_amount(value: float | None) -> float | None:
    """The amount if it is a positive number; zero or less means "no amount"."""
    return value if value is not None and value > 0 else None


def same_amount(predicted: float | None, gold: float | None) -> bool:
    """Both present and within 1% of the gold amount."""
    return predicted is not None and gold is not None and abs(predicted - gold) <= 0.01 * gold


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_words(text: str | None) -> set[str]:
    """The stemmed non-stopwords of a short description."""
    return {_stem(w) for w in normalise(text).split() if w not in _STOPWORDS}


def jaccard(a: set[str], b: set[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def name_similarity(a: str, b: str) -> float:
    """Typo tolerance for normalised full names: token overlap >= 0.8 or difflib ratio >= 0.85."""
    ta, tb = set(a.split()), set(b.split())
    shortest = min(len(ta), len(tb))
    overlap = len(ta & tb) / shortest if shortest >= 2 else 0.0
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    return max(overlap if overlap >= 0.8 else 0.0, ratio if ratio >= 0.85 else 0.0)


def full_forms(forms: Iterable[str], name: str) -> list[str]:
    """The multi-word forms of a name (typos are only forgiven on those), else the name itself."""
    return [f for f in forms if " " in f] or [name]


def normalise_party(party: str, acronyms: Mapping[str, str]) -> str:
    """A deal party in canonical form: no leading "the", acronyms expanded, "government of" dropped."""
    name = re.sub(r"^the ", "", normalise(party))
    name = acronyms.get(name, name)
    name = _GOVERNMENT.sub("", name)
    return _PARTY_ALIASES.get(name, name)


def _same_party(a: str, b: str) -> bool:
    ta, tb = set(a.split()), set(b.split())
    subset = min(len(ta), len(tb)) >= 2 and (ta <= tb or tb <= ta)
    return a == b or subset or difflib.SequenceMatcher(None, a, b).ratio() >= 0.9


def party_jaccard(predicted: Sequence[str], gold: Sequence[str]) -> float:
    """Jaccard of two normalised party lists, pairing each predicted party with a free gold one."""
    used: set[int] = set()
    for p in predicted:
        j = next((j for j, g in enumerate(gold) if j not in used and _same_party(p, g)), None)
        if j is not None:
            used.add(j)
    shared = len(used)
    return shared / (len(predicted) + len(gold) - shared) if predicted or gold else 0.0


def place_matches(predicted: str | None, accepted: Sequence[str | None]) -> bool:
    """Equal places, or one contained in the other as whole words; null = null is a match."""
    p = normalise(predicted)
    for gold in accepted:
        g = normalise(gold)
        if p == g or (p and g and (f" {p} " in f" {g} " or f" {g} " in f" {p} ")):
            return True
    return False


def date_verdict(predicted: str | None, accepted: Sequence[str | None]) -> DateVerdict:
    """'ok'; '+day' (a day for a month-only gold); '-day' (a month for a day gold); else 'wrong'."""
    p = clean_date(predicted)
    if p in accepted:
        return "ok"
    if p and len(p) == 10 and any(g and len(g) == 7 and p[:7] == g for g in accepted):
        return "+day"
    if p and len(p) == 7 and any(g and len(g) == 10 and g[:7] == p for g in accepted):
        return "-day"
    return "wrong"
