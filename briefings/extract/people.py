"""Person name hits in sentences, each with the evidence that it names a person.

A capitalised sequence is a person only with evidence (precision first): a title or honorific
before it, a lowercase role before it ("the billionaire X"), a role after it (", the brother of"),
a person verb after it ("X said"), a patronymic particle ("bin"), or a possessive two-word name.
Title-case headlines only yield names cut at the first headline word ("... Mahmood Secures ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from briefings.data.lexicons import load_lines
from briefings.extract.first_names import is_first_name
from briefings.extract.names import (
    CONNECTORS,
    Split,
    Word,
    is_geo_word,
    is_particle,
    is_regnal,
    name_like,
    not_names,
    org_suffixes,
    person_verbs,
    place_nouns,
    relations,
    runs_at,
    split_on_and,
    split_title,
    strong_particles,
    titles,
    words_of,
)
from briefings.extract.places import country_of, fold, lookup_geo
from briefings.extract.sentences import Sentence

_FUNCTION_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "to", "in", "on", "at", "for", "with", "by",
                             "from", "as", "is", "are", "was", "were", "be"})
_SKIPPABLE = frozenset({"also", "has", "had", "have", "was", "is", "earlier", "later", "then", "further",
                        "again", "recently", "previously", "personally", "once", "who"})
# ", Name" after a title-only run, or "(ACRONYM) Name" after a title defined by its acronym.
# A stray space before the comma ("the President of X , Y") is common copy noise.
_APPOSITIVE_NEXT = re.compile(r"^(?: ?, |\s*\([A-Za-z]{2,10}\)\s)")
_APPOSITIVE_GAP = re.compile(r"(?:, |\([A-Za-z]{2,10}\)\s)$")
# "“We are ready,” said Nadia Farooq": a speech verb right before the name.
_SPEECH_BEFORE = re.compile(r"[,”\"]\s*(?:said|says|added|told\s+\w+)\s+$")
# "By Lim Jaeho", "(Photo: X)", "Reporting by X": a credit, not a person of the story. A "by" inside
# a sentence ("signed by X", "led by X") is no credit.
_BYLINE = re.compile(r"(?:^|[(|—–]\s*|\b(?:[Rr]eporting|[Ee]diting|[Ww]riting|[Cc]ompiled|[Pp]hotos?"
                     r"|[Ii]mages?)\s+)(?:[Bb]y|BY)\s*$|(?:^|[\s(])(?:Photo:?|Credit:?|Writer:?)\s*$|/\s*$")


@dataclass
class NameHit:
    """One verbatim name in a sentence; `evidence` says why it is a person (empty: not yet known)."""

    start: int
    end: int
    text: str
    words: list[str]
    sentence: int
    title: str | None = None
    titles: list[str] = field(default_factory=list)
    country: str | None = None
    evidence: str = ""


def _roles_body() -> str:
    return "|".join(re.escape(t) for t in sorted(titles() | relations(), key=len, reverse=True))


@cache
def _lower_title_before() -> re.Pattern[str]:
    return re.compile(
        rf"(?:^|[\s(“\"])(?P<role>(?:{_roles_body()})(?:\s+(?:of|for)\s+(?:the\s+)?[a-z]+)?)"
        rf"(?:\s+of\s+(?P<place>(?-i:[A-Z][\w-]+)))?\s*,?\s*$",
        re.IGNORECASE)


@cache
def _role_after() -> re.Pattern[str]:
    body = _roles_body()
    # ", Germany's development minister,", ", the airline's chief executive": an owner in the
    # possessive may open the role.
    return re.compile(rf"^,\s+(?:(?:the|his|her|their|its|a|an)\s+)?"
                      rf"(?:(?P<owner>[\w.-]+(?:\s+[A-Z][\w.-]*)?)['’]s\s+)?"
                      rf"(?P<role>(?:[\w-]+\s+){{0,2}}?(?:{body})(?:\s+(?:of|for)\s+(?-i:[a-z]+))?)\b"
                      rf"(?:\s+of\s+(?P<place>(?-i:[A-Z][\w-]+)))?", re.IGNORECASE)


def is_headline(sentence: Sentence) -> bool:
    """Title Case lines ("Tariq Mahmood Secures U.S. Strategic Support"): most content words capitalised."""
    if sentence.kind == "heading":
        return True
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", sentence.text) if w.casefold() not in _FUNCTION_WORDS]
    # Headlines carry no full stop; a sentence full of names ("A B and C D visited E.") does.
    if len(words) < 4 or sentence.text.rstrip("”\"’' ").endswith((".", "!", "?")):
        return False
    capitalised = sum(1 for w in words if w[:1].isupper())
    return capitalised / len(words) >= 0.8


def _next_words(text: str, end: int, count: int = 3) -> list[str]:
    return re.findall(r"[\w’']+", text[end:end + 60])[:count]


def _verb_follows(text: str, end: int) -> bool:
    after = text[end:]
    if after.startswith(", who "):
        return True
    if not after.startswith(" "):
        return False
    for word in _next_words(text, end, 4):
        if word in person_verbs():
            return True
        if word.casefold() in _SKIPPABLE or word.endswith("ly") or word in {"on", "Monday", "Tuesday"}:
            continue
        return False
    return False


def _country_in(words: list[Word]) -> str | None:
    for word in words:
        found = country_of(word.text)
        if found:
            return found
    for size in (4, 3, 2):
        for i in range(len(words) - size + 1):
            found = country_of(" ".join(w.text for w in words[i:i + size]))
            if found:
                return found
    return None


def _text(sentence_text: str, base: int, words: list[Word]) -> str:
    return sentence_text[words[0].start - base:words[-1].end - base]


def _name_words_ok(split: Split, part: list[Word]) -> bool:
    name = split.name
    if not name:
        return False
    core = [w for w in name if not is_particle(w) and not w.initial]
    if not 1 <= len(core) <= 5:
        return False
    after = part.index(name[-1]) + 1
    # "Eastern Mining Organisation", "Morocco-Spain Economic Council": the words before an
    # organisation suffix are no name.
    return not any(fold(w.text) in org_suffixes() for w in part[after:])


_CAMEL = re.compile(r"[a-z]{2}[A-Z]")  # "PetroValves" (not "McDonald")
_LIST_ITEM = r"[A-Z][\w.&’'-]*(?: [A-Z][\w.&’'-]*){0,3}"
_ITEM_BEFORE = re.compile(rf"({_LIST_ITEM}),\s+(?:and\s+)?$")
_ITEM_AFTER = re.compile(rf",?\s+(?:and\s+)?({_LIST_ITEM})(?=[,.;]|\s+and\b|$)")


def _org_list_item(item: str) -> bool:
    """"SDF Group", "ENI", "PetroValves": an item that looks like a company, not a person."""
    words = item.split()
    return any(fold(w) in org_suffixes() or (w.isupper() and len(w) >= 2) or _CAMEL.search(w) is not None
               for w in words)


def _in_company_list(text: str, start: int, end: int) -> bool:
    """"investors such as ENI, SDF Group, Maire Tecnimont, and Ballestra": a name listed among companies.

    A given name alone is weak evidence; inside an enumeration whose other items look like
    companies (an organisation suffix, capitals, CamelCase), the item is a company too.
    """
    items: list[str] = []
    left = text[max(0, start - _TAIL):start]
    while (m := _ITEM_BEFORE.search(left)) is not None:
        items.append(m.group(1))
        left = left[:m.start()]
    right = text[end:]
    while (m := _ITEM_AFTER.match(right)) is not None:
        items.append(m.group(1))
        right = right[m.end():]
        if not right.startswith(","):
            break
    return any(_org_list_item(i) for i in items)


# What comes before a name is only read near its end (a role, "said", "By", a list of companies):
# searching the whole sentence prefix for each name would cost the square of a long sentence.
_TAIL = 200
_ROLE_REACH = 90  # "the minister of housing " and an owner's possessive fit in this


def _tail(text: str, end: int) -> str:
    return text[max(0, end - _TAIL):end]


def sentence_hits(sentence: Sentence, headline: bool) -> list[NameHit]:
    """Name hits of one sentence; evidence-less hits are kept (a later pass may resolve them)."""
    text, base = sentence.text, sentence.start
    words = words_of(text, base)
    hits: list[NameHit] = []
    pending_title: tuple[str, list[str], str | None] | None = None
    for run in runs_at(text, base):
        before = _tail(text, run[0].start - base)
        if len(run) == 1 and before.endswith("(") and text[run[0].end - base:].startswith(")"):
            continue  # "(COAS)": an acronym in brackets keeps the title before it pending
        after_end = run[-1].end - base
        appositive, pending_title = pending_title, None
        if appositive and not _APPOSITIVE_GAP.search(before):
            appositive = None
        if appositive and _portfolio_only(run) and _APPOSITIVE_NEXT.match(text[after_end:]):
            pending_title = appositive  # "Minister of Transport, Highways, Ports and ... X": still the title
            continue
        parts = split_on_and(run)
        verb = _verb_follows(text, after_end) and not run[-1].possessive
        for index, part in enumerate(parts):
            split = split_title(part)
            part_before = before if index == 0 else _tail(text, part[0].start - base)
            if not _name_words_ok(split, part):
                if split.title and index == len(parts) - 1 and _APPOSITIVE_NEXT.match(text[after_end:]):
                    title = _text(text, base, split.title)
                    country = _country_in(split.title)
                    if country is None and _possessive_country(words, run[0]):
                        country = _possessive_country(words, run[0])
                        title = _possessive_text(sentence, words, run[0]) + title
                    pending_title = (title, split.title_phrases, country)
                continue
            hit = _hit(sentence, split, part, words, headline)
            if appositive and not split.title:
                hit.title, hit.titles, hit.country = appositive[0], list(appositive[1]), appositive[2]
                hit.evidence = "appositive"
            elif appositive:
                # "Chief of Army Staff (COAS) Field Marshal X": both titles are X's.
                hit.titles = [*appositive[1], *hit.titles]
                hit.country = hit.country or appositive[2]
            elif split.title or split.honorifics:
                hit.evidence = "title"
            if not hit.evidence and not headline:
                hit.evidence = _context_evidence(text, base, split, part, part_before, words, verb, hit)
            name_before = _tail(text, split.name[0].start - base)  # "By Lena X": "By" opens the run
            if (_BYLINE.search(part_before) or _BYLINE.search(name_before)) \
                    and not (split.title or split.honorifics):
                hit.evidence = ""
            hits.append(hit)
    return hits


def _portfolio_only(run: list[Word]) -> bool:
    """"Highways", "Labour and Tourism": portfolio words listed after a title, no name among them."""
    return all(fold(w.text) in not_names() or w.text.casefold() in CONNECTORS for w in run)


def _hit(sentence: Sentence, split: Split, part: list[Word], words: list[Word], headline: bool) -> NameHit:
    name = split.name
    if headline:
        name = name[:3]
    text = sentence.text[name[0].start - sentence.start:name[-1].end - sentence.start]
    title = _text(sentence.text, sentence.start, split.title) if split.title else None
    country = _country_in(split.title) or _possessive_country(words, part[0])
    phrases = list(split.title_phrases)
    if title and country and not _country_in(split.title):
        title = f"{_possessive_text(sentence, words, part[0])}{title}"
    return NameHit(start=name[0].start, end=name[-1].end, text=text, words=[w.text for w in name],
                   sentence=sentence.index, title=title, titles=phrases, country=country)


def _possessive_country(words: list[Word], first: Word, countries_only: bool = False) -> str | None:
    """"Pakistan's Deputy Prime Minister X": the country in the possessive right before the run."""
    index = words.index(first)
    if index == 0:
        return None
    prev = words[index - 1]
    if not prev.possessive or prev.gap_after.strip():
        return None
    found = lookup_geo(prev.text)
    if found is None or (countries_only and found[0] != "country"):
        return None
    return found[2]


def _possessive_text(sentence: Sentence, words: list[Word], first: Word) -> str:
    prev = words[words.index(first) - 1]
    return sentence.text[prev.start - sentence.start:first.start - sentence.start]


def _role_before(hit: NameHit, before: str) -> bool:
    """"Egypt's minister of housing X", "the billionaire X", "his wife X": a lowercase role."""
    match = _lower_title_before().search(before[-_ROLE_REACH:])  # a role sits right before the name
    if match is None:
        return False
    role = match.group("role")
    if fold(role.split()[0]) not in relations():
        hit.title = role
        hit.titles = [role]
        owner = re.search(r"(\w+)['’]s\s*$", before[-_ROLE_REACH:][:match.start("role")])
        # "the minister of mines of Zambia, X": the country after the post
        place = match.group("place")
        hit.country = hit.country or (country_of(owner.group(1)) if owner else None) \
            or (country_of(place) if place else None)
    return True


@cache
def _contact_before() -> re.Pattern[str]:
    cues = sorted(load_lines("person_objects.txt"), key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(re.escape(c) for c in cues)})\s+$")


_CLAUSE_END = re.compile(r"^(?:[,.;]|\s+(?:in|at|on|to|for|and|during|after|before|last|this)\b|$)")


def _contact_object(name: list[Word], before: str, after: str) -> bool:
    """"Okonjo-Iweala met Tedros Ghebreyesus in Geneva": the other side of a contact, named in full and
    followed by the end of the clause, is a person whatever the given name; a place is not."""
    if _contact_before().search(before) is None or not _CLAUSE_END.match(after):
        return False
    return not any(is_geo_word(name, i) for i in range(len(name)))


def _title_after(hit: NameHit, match: re.Match[str]) -> None:
    """"X, Germany's development minister, said": the role after the name is X's title.

    Only a role that reads as a post is taken: a relation ("the brother of") is evidence, not a title.
    """
    role = match.group("role")
    if hit.title or fold(role.split()[-1]) in relations():
        return
    # "X, President of Italy’s Council of Ministers": a post of a body read only in part is no title.
    if not re.match(r"\s*(?:[,.;)]|$)", match.string[match.end():]):
        return
    hit.title = role
    hit.titles = [role]
    owner, place = match.group("owner"), match.group("place")
    hit.country = hit.country or (country_of(owner) if owner else None) \
        or (country_of(place) if place else None)


def _context_evidence(text: str, base: int, split: Split, part: list[Word], before: str,
                      words: list[Word], verb: bool, hit: NameHit) -> str:
    name = split.name
    core = [w for w in name if not is_particle(w) and not w.initial]
    start, end = name[0].start - base, name[-1].end - base
    if name[0] is part[0] and _role_before(hit, before):
        return "role"
    if any(w.text.casefold() in strong_particles() for w in name):
        return "particle"
    if (after := _role_after().match(text[end:])) and len(core) >= 2:
        _title_after(hit, after)
        return "role_after"
    if len(core) < 2 or not all(name_like(w) or w.initial or is_regnal(w) for w in name):
        return ""
    if name[-1] is part[-1] and any(w in place_nouns() for w in _next_words(text, end, 1)):
        return ""  # "in Quang Ninh province": a place, however its first word reads
    if name[0] is part[0] and name[-1] is part[-1] and _contact_object(name, before, text[end:]):
        return "contact_object"
    if verb and name[-1] is part[-1]:
        return "verb"
    if name[0] is part[0] and _SPEECH_BEFORE.search(before):
        return "verb_before"
    if name[-1].possessive and name[-1] is part[-1]:
        return "possessive"
    if name[-1] is part[-1] and _possessive_country(words, part[0], countries_only=True) \
            and text[start - 1:start] == " ":
        return "country_possessive"
    # A given name opens the name, which also ends the capitalised run: "Halim X International
    # Airport" names a place after a person, not the person.
    if is_first_name(core[0].text) and name[0] is core[0] and name[-1] is part[-1] \
            and not _in_company_list(text, start, end):
        return "first_name"
    return ""
