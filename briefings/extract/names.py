"""Capitalised word runs and how a run splits into a title part and a name part.

A run is a maximal sequence of capitalised words (plus name particles such as "bin", "von der"
and the connectors "of", "the", "and", "&") separated by single spaces. "Deputy Prime Minister and
Foreign Minister Senator Tariq Mahmood" is one run; `split_title` tells the titles from the name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

from briefings.data.lexicons import load_lines
from briefings.extract.places import fold, lookup_geo

# Run scanning folds the same few words and phrases over and over: remember them.
_fold = lru_cache(maxsize=1 << 16)(fold)

# A word: "U.S." style abbreviations, an initial ("G."), or letters joined by hyphens/apostrophes.
_WORD = re.compile(r"(?:[A-Z]\.){2,}|[A-Z]\.(?=\s)|[^\W\d_]+(?:[-'’][^\W\d_]+)*['’]?|&")
CONNECTORS = frozenset({"of", "the", "and", "&", "for"})
_REGNAL = re.compile(r"X{0,3}(?:IX|IV|VI{0,3}|I{1,3})")
_MAX_TITLE_WORDS = 5


@dataclass(eq=False)
class Word:
    """One word of a sentence; `text` excludes a possessive "'s" (which `possessive` records).

    Never changed once made (not frozen only because frozen instances are twice as slow to build,
    and a long article has hundreds of thousands); equal only to itself, like its sentence offsets.
    """

    start: int
    end: int
    text: str
    possessive: bool
    gap_after: str = ""

    # Computed once per word (words are shared by several passes over a sentence).
    @cached_property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    @cached_property
    def all_caps(self) -> bool:
        letters = [c for c in self.text if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)

    @cached_property
    def initial(self) -> bool:
        """"G." or "E": one capital letter, with or without its full stop."""
        letter = self.text.rstrip(".")
        return len(letter) == 1 and letter.isupper()


@cache
def titles() -> frozenset[str]:
    return frozenset(fold(t) for t in load_lines("titles.txt"))


@cache
def relations() -> frozenset[str]:
    """"wife", "brother", "counterpart": they introduce a name but are never a title."""
    return frozenset(fold(t) for t in load_lines("relation_words.txt"))


@cache
def honorifics() -> frozenset[str]:
    return frozenset(fold(t).rstrip(".") for t in load_lines("honorifics.txt"))


@cache
def particles() -> frozenset[str]:
    return frozenset(p.rstrip("*").casefold() for p in load_lines("name_particles.txt"))


@cache
def strong_particles() -> frozenset[str]:
    """Patronymic particles ("bin", "ibn") that on their own show a run names a person."""
    return frozenset(p.rstrip("*").casefold() for p in load_lines("name_particles.txt") if p.endswith("*"))


@cache
def not_names() -> frozenset[str]:
    return frozenset(fold(w) for w in load_lines("not_names.txt"))


@cache
def place_nouns() -> frozenset[str]:
    """"province", "region": a lowercase noun after a name that makes the name a place."""
    return frozenset(load_lines("place_nouns.txt"))


@cache
def org_suffixes() -> frozenset[str]:
    return frozenset(fold(w).rstrip(".") for w in load_lines("org_suffixes.txt"))


@cache
def person_verbs() -> frozenset[str]:
    return frozenset(load_lines("person_verbs.txt"))


def words_of(text: str, base: int = 0) -> list[Word]:
    """The words of `text` with offsets shifted by `base`; possessives split off.

    Several extractors read the same sentence, so the result is cached (until `forget_words`) and
    shared: never mutate it.
    """
    return _words_of(text, base)


def runs_at(text: str, base: int = 0) -> list[list[Word]]:
    """`runs_of(words_of(text, base))`, cached like `words_of` (shared: never mutate it)."""
    return _runs_at(text, base)


def forget_words() -> None:
    """Drop the cached words and runs (one article's worth: the entity layer calls this when done)."""
    _words_of.cache_clear()
    _runs_at.cache_clear()


@cache
def _runs_at(text: str, base: int) -> list[list[Word]]:
    return runs_of(_words_of(text, base))


@cache
def _words_of(text: str, base: int) -> list[Word]:
    matches = list(_WORD.finditer(text))
    out: list[Word] = []
    for i, match in enumerate(matches):
        raw = match.group(0)
        possessive = False
        body = raw
        if len(raw) > 3 and raw.endswith(("'s", "’s")):
            body, possessive = raw[:-2], True
        elif raw.endswith(("'", "’")):
            # "Philippines’ economy" is a possessive; "‘Ras El Hekma’" ends a quotation.
            body, possessive = raw[:-1], raw[:-1].endswith("s") and raw[:1].isupper()
        if not body:
            continue
        nxt = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        out.append(Word(start=base + match.start(), end=base + match.start() + len(body), text=body,
                        possessive=possessive, gap_after=text[match.end():nxt]))
    return out


def is_particle(word: Word) -> bool:
    return word.text.casefold() in particles() and not word.all_caps


def _hyphen_particle(word: Word) -> bool:
    """"al-Haddad", "el-Masri": a lowercase particle joined to a capitalised surname."""
    head, _, tail = word.text.partition("-")
    return bool(tail) and head.casefold() in particles() and tail[:1].isupper()


def name_like(word: Word) -> bool:
    """Could this word be part of a personal name?"""
    if is_particle(word) or _hyphen_particle(word):
        return True
    if not word.capitalised or word.all_caps:
        return False
    key = _fold(word.text)
    return key not in not_names() and key not in org_suffixes() and key not in titles() \
        and key.rstrip(".") not in honorifics()


def is_regnal(word: Word) -> bool:
    """"III" of "Charles III", "VI" of "Louis VI": a roman numeral that ends a regnal name."""
    return len(word.text) >= 2 and _REGNAL.fullmatch(word.text) is not None


def _joinable(left: Word, right: Word) -> bool:
    if left.possessive:
        return False
    gap = left.gap_after
    if gap == " " or gap == "\u00a0":
        return True
    # "Dr. Mori", "Paul K. Ortega": a full stop after an honorific or an initial does not end the run.
    return gap == ". " and (_fold(left.text) in honorifics() or len(left.text) == 1)


def _in_run(word: Word) -> bool:
    return word.capitalised or is_particle(word) or _hyphen_particle(word) \
        or word.text.casefold() in CONNECTORS


def runs_of(words: list[Word]) -> list[list[Word]]:
    """Maximal runs of capitalised words; connectors and particles only inside a run."""
    runs: list[list[Word]] = []
    current: list[Word] = []
    for word in words:
        if _in_run(word) and (not current or _joinable(current[-1], word)):
            current.append(word)
            continue
        if current:
            runs.append(current)
        current = [word] if _in_run(word) else []
    if current:
        runs.append(current)
    trimmed = []
    for run in runs:
        # A capitalised particle may open a name ("Von der Brock said", "Al Qasimi"); a lowercase one not.
        while run and run[0].text in CONNECTORS | particles() and not _hyphen_particle(run[0]):
            run = run[1:]
        while run and run[0].text.casefold() in CONNECTORS:
            run = run[1:]
        while run and run[-1].text.casefold() in CONNECTORS | particles():
            run = run[:-1]
        if run:
            trimmed.append(run)
    return trimmed


@cache
def _title_heads() -> frozenset[str]:
    """First words of every title and honorific (folded, with and without a full stop)."""
    heads = {t.split(" ")[0] for t in titles() | honorifics() if t}
    return frozenset(heads | {h.rstrip(".") for h in heads})


def title_spans(run: list[Word]) -> list[tuple[int, int, bool]]:
    """(first, last+1, honorific) for every title or honorific phrase in the run, longest first."""
    spans: list[tuple[int, int, bool]] = []
    heads = _title_heads()
    i = 0
    while i < len(run):
        first = _fold(run[i].text)
        if first not in heads and first.rstrip(".") not in heads:
            i += 1  # no title or honorific starts with this word: skip the phrase lookups
            continue
        found = None
        for size in range(min(_MAX_TITLE_WORDS, len(run) - i), 0, -1):
            phrase = _fold(" ".join(w.text for w in run[i:i + size]))
            if phrase in titles() and (run[i].capitalised or size > 1 or phrase.isupper()):
                found = (i, i + size, False)
                break
            if phrase.rstrip(".") in honorifics() and run[i].capitalised:
                found = (i, i + size, True)
                break
        if found:
            spans.append(found)
            i = found[1]
        else:
            i += 1
    return spans


def is_geo_word(words: list[Word], i: int) -> int:
    """How many words from `i` name a country, demonym or place (0 if none); longest first."""
    for size in range(min(4, len(words) - i), 0, -1):
        if lookup_geo(" ".join(w.text for w in words[i:i + size])) is not None:
            return size
    return 0


@dataclass(frozen=True)
class Split:
    """A run part split into its title words and its name words (either may be empty)."""

    title: list[Word]
    honorifics: list[Word]
    name: list[Word]
    title_phrases: list[str]


def split_title(part: list[Word]) -> Split:
    """Titles first, name last: the name starts after the last title or honorific word."""
    spans = title_spans(part)
    start = spans[-1][1] if spans else 0
    hon = [w for a, b, h in spans if h for w in part[a:b]]
    # Country, acronym and connector words right after the title belong to it ("President of Uzbekistan").
    while start < len(part):
        word = part[start]
        if word.text.casefold() in CONNECTORS or word.all_caps:
            start += 1
            continue
        size = is_geo_word(part, start)
        if size:
            start += size
            continue
        if _fold(word.text) in not_names() and not _hyphen_particle(word):
            start += 1
            continue
        break
    if spans and _complement_follows(part, spans[-1][1], start):
        start = _name_after_complement(part, start)
    name = _name_from(part, start)
    if spans and not name and start < len(part) and part[spans[-1][1]:spans[-1][1] + 1][0].text == "of":
        # "Governor of the Central Bank of Norland Amaka Obi": the name after the body's name.
        start = _name_after_complement(part, start)
        name = _name_from(part, start)
    while name and (is_particle(name[-1]) or name[-1].text.casefold() in CONNECTORS):
        name.pop()
    title_words = [w for w in part[:start] if w not in hon]
    while title_words and title_words[-1].text.casefold() in CONNECTORS:
        title_words.pop()
    phrases = _phrases(part, spans)
    return Split(title=title_words if spans else [], honorifics=hon, name=name, title_phrases=phrases)


def _name_from(part: list[Word], start: int) -> list[Word]:
    name: list[Word] = []
    for word in part[start:]:
        if name and is_regnal(word):
            name.append(word)  # "King Louis VI": the numeral closes the name
            break
        if not (name_like(word) or word.initial) or is_geo_word([word], 0):
            break
        name.append(word)
    return name


def _complement_follows(part: list[Word], title_end: int, start: int) -> bool:
    """"President of Foment del Treball": only "of" (and "the") between the title and an unknown word."""
    between = [w.text.casefold() for w in part[title_end:start]]
    return start < len(part) and bool(between) and between[0] == "of" and set(between) <= {"of", "the"}


def _name_after_complement(part: list[Word], start: int) -> int:
    """Where the name starts after "Title of <organisation>": at the first known given name, else nowhere.

    After "of" comes what the title is of (an organisation, a body); the holder's name follows it and
    opens with a given name ("Chairman of Foment del Treball Josep X"). Without one, the capitalised
    words are the complement only, and the name (if any) comes later as an appositive.
    """
    from briefings.extract.first_names import is_first_name

    for i in range(start, len(part)):
        if is_first_name(part[i].text) and i + 1 < len(part) and name_like(part[i + 1]):
            return i
    return len(part)


def _phrases(part: list[Word], spans: list[tuple[int, int, bool]]) -> list[str]:
    """"Deputy Prime Minister and Foreign Minister Senator" -> its separate titles."""
    out: list[str] = []
    begin = 0
    for a, b, honorific in spans:
        if honorific:
            out.append(" ".join(w.text for w in part[a:b]))
            begin = b
            continue
        words = [w.text for w in part[begin:b] if w.text.casefold() not in {"and", "&"} or begin < a]
        while words and words[0].casefold() in CONNECTORS:
            words = words[1:]
        if words:
            out.append(" ".join(words))
        begin = b
    return out


def split_on_and(run: list[Word]) -> list[list[Word]]:
    """"A and B" is two parts; "Deputy PM and Foreign Minister X" stays one (title-only left)."""
    parts: list[list[Word]] = [[]]
    for word in run:
        if word.text.casefold() == "and":  # "&" joins organisation names ("Hydro & Nuclear Power")
            parts.append([])
        else:
            parts[-1].append(word)
    merged: list[list[Word]] = []
    for part in (p for p in parts if p):
        if merged and title_spans(merged[-1]) and not split_title(merged[-1]).name:
            merged[-1] = merged[-1] + part
        else:
            merged.append(part)
    return merged


def name_key(words: Sequence[str]) -> tuple[str, ...]:
    """Comparable form of a name: folded, hyphens and full stops split off, initials dropped."""
    return _name_key(tuple(words))


@lru_cache(maxsize=1 << 16)
def _name_key(words: tuple[str, ...]) -> tuple[str, ...]:
    parts: list[str] = []
    for word in words:
        for piece in re.split(r"[-\s]+", _fold(word).replace(".", " ")):
            if piece:
                parts.append(piece)
    return tuple(p for p in parts if len(p) > 1 or not p.isalpha())
