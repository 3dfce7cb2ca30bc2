"""People, organisations, countries and places of an article, with every mention resolved.

The entry point of the entity layer. Rule-based on a blank spaCy pipeline (no trained model):
person names need evidence (see `people.py`), aliases group by `aliases.py`, organisations come
from defined acronyms and organisation suffixes, countries and places from lexicons.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from briefings.extract.aliases import PersonBuild, PersonIndex, best_person, group_people
from briefings.extract.coreference import (
    PersonRef,
    RefMention,
    acronym_references,
    latter_references,
    title_references,
)
from briefings.extract.first_names import is_first_name
from briefings.extract.names import (
    Word,
    forget_words,
    is_geo_word,
    is_particle,
    is_regnal,
    name_key,
    name_like,
    particles,
    runs_at,
    words_of,
)
from briefings.extract.organisations import (
    OrgHit,
    find_acronyms,
    find_context_orgs,
    find_suffix_orgs,
    known_acronyms,
    letters_match,
)
from briefings.extract.parties import canonical_party
from briefings.extract.people import NameHit, is_headline, sentence_hits
from briefings.extract.places import GeoHit, country_of, find_geo, fold
from briefings.extract.sentences import Sentence
from briefings.extract.spans import SpanIndex
from briefings.models import Article, Organisation, Person

__all__ = ["Entities", "Mention", "canonical_party", "country_of", "extract_entities"]

MentionKind = Literal["person", "organisation", "country", "place"]


class Mention(BaseModel):
    """One resolved mention; `start`/`end` index `Article.text`, `key` is the canonical name."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    text: str
    kind: MentionKind
    key: str
    sentence: int


class Entities(BaseModel):
    people: list[Person] = Field(default_factory=list)
    organisations: list[Organisation] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    places: list[str] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    main_country: str | None = None
    _by_sentence: dict[int, list[Mention]] | None = PrivateAttr(default=None)
    _indexed: int = PrivateAttr(default=-1)

    def person(self, name: str) -> Person | None:
        """The person named `name` (canonical name or any alias, accents and case ignored)."""
        wanted = fold(name)
        for person in self.people:
            if wanted in {fold(n) for n in [person.name, *person.aliases]}:
                return person
        return None

    def mentions_in(self, sentence: int) -> list[Mention]:
        # Built once per article: extractors ask for every sentence, and a scan each time is quadratic.
        if self._by_sentence is None or self._indexed != len(self.mentions):
            self._by_sentence = {}
            for mention in self.mentions:
                self._by_sentence.setdefault(mention.sentence, []).append(mention)
            self._indexed = len(self.mentions)
        return list(self._by_sentence.get(sentence, []))


def extract_entities(article: Article, sentences: list[Sentence]) -> Entities:
    """Find and resolve the entities of `article` (its `sentences` come from `split_sentences`)."""
    try:
        return _extract_entities(article, sentences)
    finally:
        forget_words()


def _extract_entities(article: Article, sentences: list[Sentence]) -> Entities:
    headlines = {s.index for s in sentences if is_headline(s)}
    hits = _drop_named_companies(sentences, headlines,
                                 [h for s in sentences for h in sentence_hits(s, s.index in headlines)])
    index = group_people([h for h in hits if h.evidence])
    _extend(index, [h for h in hits if not h.evidence and h.sentence not in headlines])
    _attach_windows(index, sentences)
    people = index.people
    person_mentions = _person_mentions(people)
    orgs, org_mentions, title_acronyms = _organisations(sentences, headlines, person_mentions)
    taken = [(m.start, m.end) for m in person_mentions + org_mentions]
    refs = _references(sentences, people, title_acronyms, person_mentions, taken)
    person_mentions += [Mention(start=r.start, end=r.end, text=r.text, kind="person", key=r.key,
                                sentence=r.sentence) for r in refs]
    taken += [(r.start, r.end) for r in refs]
    geo = _geo_mentions(sentences, taken)
    mentions = sorted(person_mentions + org_mentions + geo, key=lambda m: (m.start, m.end))
    countries = _unique(m.key for m in geo if m.kind == "country")
    places = _unique(m.key for m in geo if m.kind == "place")
    return Entities(people=[p.to_person() for p in people], organisations=orgs, countries=countries,
                    places=places, mentions=mentions, main_country=_main_country(sentences, geo))


# Evidence that only says "this could be a name" (a given name, a verb after it), not who the person is.
_WEAK_EVIDENCE = frozenset({"first_name", "verb", "verb_before", "possessive", "country_possessive"})


def _drop_named_companies(sentences: list[Sentence], headlines: set[int],
                          hits: list[NameHit]) -> list[NameHit]:
    """"railway operator Temir Zholy", "Volta Grid, the national grid operator": the words around the
    name say organisation, which outweighs a given name or a verb after it (org_context.json)."""
    if not any(h.evidence in _WEAK_EVIDENCE for h in hits):
        return hits
    companies = SpanIndex([(o.start, o.end) for s in sentences if s.index not in headlines
                           for o in find_context_orgs(s, SpanIndex([]))])
    return [h for h in hits if h.evidence not in _WEAK_EVIDENCE or not companies.overlaps(h.start, h.end)]


def _unique(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _extend(index: PersonIndex, loose: list[NameHit]) -> None:
    """"Budi Santoso" without evidence joins "President Budi" (known by one name only)."""
    for hit in loose:
        key = name_key(hit.words)
        if len(key) < 2:
            continue
        for person in index.candidates(key):
            if len(person.longest) == 1 and person.longest[0] in key:
                hit.evidence = "extends"
                index.add(person, hit)
                break


def _attach_windows(index: PersonIndex, sentences: list[Sentence]) -> None:
    """Surname-only and partial forms ("Mahmood", "Al Qasimi", "Von der Brock") anywhere in the text."""
    # A window found here covers the words the scan then skips, so only the first hits need checking.
    known = SpanIndex((h.start, h.end) for p in index.people for h in p.hits)
    for sentence in sentences:
        for run in runs_at(sentence.text, sentence.start):
            i = 0
            while i < len(run):
                if known.covers(run[i].start):
                    i += 1
                    continue
                found = _longest_window(run, i, index)
                if found is None:
                    i += 1
                    continue
                j, person = found
                words = run[i:j]
                text = sentence.text[words[0].start - sentence.start:words[-1].end - sentence.start]
                index.add(person, NameHit(start=words[0].start, end=words[-1].end, text=text,
                                          words=[w.text for w in words], sentence=sentence.index,
                                          evidence="alias"))
                i = j


def _longest_window(run: list[Word], i: int, index: PersonIndex) -> tuple[int, PersonBuild] | None:
    """The longest name-like stretch from `i` that names a known person (its end and the person)."""
    end = i
    while end < len(run) and (name_like(run[end]) or run[end].initial or (end > i and is_regnal(run[end]))) \
            and end - i < 6 and not is_geo_word(run, end):
        end += 1
    for j in range(end, i, -1):
        words = run[i:j]
        if words[0].text in particles() or is_particle(words[-1]):
            continue
        key = name_key([w.text for w in words])
        if len(key) == 1 and len(key[0]) < 3:
            continue
        person = best_person(key, index)
        if person is not None and _opens_like_a_name(key, person):
            return j, person
    return None


def _opens_like_a_name(key: tuple[str, ...], person: PersonBuild) -> bool:
    """A window longer than a known form in front ("Grupo Alvor Teresa Lobato" around "Teresa
    Lobato") names the person only when the extra words are given names or particles."""
    for known in person.keys:
        size = len(known)
        if size >= len(key) or not known:
            continue
        for at in range(1, len(key) - size + 1):
            if key[at:at + size] == known:
                return all(t in particles() or is_first_name(t) for t in key[:at])
    return True


def _person_mentions(people: list[PersonBuild]) -> list[Mention]:
    out: list[Mention] = []
    for person in people:
        key = person.canonical()
        out.extend(Mention(start=h.start, end=h.end, text=h.text, kind="person", key=key, sentence=h.sentence)
                   for h in person.hits)
    return out


def _organisations(sentences: list[Sentence], headlines: set[int], people: list[Mention],
                   ) -> tuple[list[Organisation], list[Mention], dict[str, str]]:
    acronyms = find_acronyms(sentences)
    title_acronyms = {a.acronym: a.expansion for a, _ in acronyms if a.kind == "title"}
    hits: list[OrgHit] = [h for _, h in acronyms if h is not None]
    defined = {h.acronym: h for h in hits if h.acronym}
    body = [h for s in sentences if s.index not in headlines for h in find_suffix_orgs(s)]
    body_names = {fold(h.text) for h in body} | {fold(h.text) for h in hits}
    # Title Case headlines make anything look like a name ("Kenya Agree Power Deal"): there an
    # organisation must also be named in the body.
    heads = [h for s in sentences if s.index in headlines for h in find_suffix_orgs(s)
             if fold(h.text) in body_names]
    for hit in body + heads:
        if not any(h.start <= hit.start < h.end or hit.start <= h.start < hit.end for h in hits):
            hits.append(hit)
    by_name: dict[str, Organisation] = {}
    mentions: list[Mention] = []
    for hit in sorted(hits, key=lambda h: h.start):
        org = by_name.setdefault(fold(hit.text), Organisation(name=hit.text, country=_org_country(hit.text)))
        if hit.acronym and org.acronym is None:
            org.acronym = hit.acronym
        org.mentions += 1
        mentions.append(Mention(start=hit.start, end=hit.end, text=hit.text, kind="organisation",
                                key=org.name, sentence=hit.sentence))
    uses = {a: by_name[fold(h.text)].name for a, h in defined.items()}
    _add_known_acronyms(sentences, by_name, uses, title_acronyms)
    mentions += _acronym_uses(sentences, uses)
    mentions += _context_orgs(sentences, headlines, by_name, [(m.start, m.end) for m in people + mentions])
    for mention in mentions:
        org = by_name[fold(mention.key)]
        if mention.text != org.name and mention.text != org.acronym and mention.text not in org.aliases:
            org.aliases.append(mention.text)
    # An acronym found in context may be a second key of one organisation: list each once.
    return list({id(o): o for o in by_name.values()}.values()), mentions, title_acronyms


def _context_orgs(sentences: list[Sentence], headlines: set[int], by_name: dict[str, Organisation],
                  taken: list[tuple[int, int]]) -> list[Mention]:
    """Organisations known from the words around them ("state-owned X", "X, a ... company"), then
    every other verbatim use of those names ("X and Y signed ...")."""
    blocked = SpanIndex(taken)
    found = [h for s in sentences if s.index not in headlines for h in find_context_orgs(s, blocked)]
    names = {h.text for h in found}
    seen = {(h.start, h.end) for h in found}
    out: list[Mention] = []
    for hit in found:
        org = by_name.get(fold(hit.text)) or _spelt_out(hit.text, by_name) \
            or Organisation(name=hit.text, country=_org_country(hit.text))
        by_name.setdefault(fold(hit.text), org)
        org.mentions += 1
        out.append(Mention(start=hit.start, end=hit.end, text=hit.text, kind="organisation", key=org.name,
                           sentence=hit.sentence))
    if not names:
        return out
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")
    for sentence in sentences:
        for match in pattern.finditer(sentence.text):
            start, end = sentence.start + match.start(), sentence.start + match.end()
            if (start, end) in seen or blocked.overlaps(start, end):
                continue
            org = by_name[fold(match.group(0))]
            org.mentions += 1
            out.append(Mention(start=start, end=end, text=match.group(0), kind="organisation", key=org.name,
                               sentence=sentence.index))
    return out


def _spelt_out(name: str, by_name: dict[str, Organisation]) -> Organisation | None:
    """"KHNP" next to "Korea Hydro & Nuclear Power" found elsewhere: the acronym of that organisation."""
    if not name.isupper() or " " in name:
        return None
    for org in by_name.values():
        if org.acronym is None and letters_match(name, org.name.split()):
            org.acronym = name
            return org
    return None


def _acronym_uses(sentences: list[Sentence], acronyms: dict[str, str]) -> list[Mention]:
    out: list[Mention] = []
    for sentence in sentences:
        for word in words_of(sentence.text, sentence.start):
            if word.text in acronyms:
                prefix = sentence.text[:word.start - sentence.start]
                if prefix.endswith("("):
                    continue  # the definition itself
                out.append(Mention(start=word.start, end=word.end, text=word.text, kind="organisation",
                                   key=acronyms[word.text], sentence=sentence.index))
    return out


def _add_known_acronyms(sentences: list[Sentence], by_name: dict[str, Organisation], uses: dict[str, str],
                        title_acronyms: dict[str, str]) -> None:
    """"the IMF said": well-known bodies used by acronym alone, or spelt out once and then abbreviated."""
    words = {w.text for s in sentences for w in words_of(s.text, s.start)}
    for acronym, expansion in known_acronyms().items():
        if acronym in uses or acronym in title_acronyms:
            continue
        known = by_name.get(fold(expansion))
        if known is None and acronym in words:
            known = by_name.setdefault(fold(expansion), Organisation(name=expansion))
        if known is not None:
            known.acronym = known.acronym or acronym
            uses[acronym] = known.name


def _org_country(name: str) -> str | None:
    words = name.split()
    for size in (3, 2, 1):
        found = country_of(" ".join(words[:size]))
        if found:
            return found
    if " of " in name:
        return country_of(name.rsplit(" of ", 1)[1])
    return None


def _references(sentences: list[Sentence], people: list[PersonBuild], title_acronyms: dict[str, str],
                person_mentions: list[Mention], taken: list[tuple[int, int]]) -> list[RefMention]:
    refs = [PersonRef(key=p.canonical(), title_words=_title_words(p), country=p.to_person().country,
                      first_start=p.first_start) for p in people]
    found = acronym_references(sentences, title_acronyms, refs, taken)
    found += title_references(sentences, refs, taken + [(r.start, r.end) for r in found])
    so_far = [(m.start, m.key, m.sentence) for m in person_mentions] + \
        [(r.start, r.key, r.sentence) for r in found]
    found += latter_references(sentences, so_far)
    return found


def _title_words(person: PersonBuild) -> frozenset[str]:
    words: set[str] = set()
    for hit in person.hits:
        for title in [hit.title or "", *hit.titles]:
            words.update(fold(w.strip("’'s,")) for w in title.replace("’s", " ").replace("'s", " ").split())
    return frozenset(w for w in words if w)


def _geo_mentions(sentences: list[Sentence], taken: list[tuple[int, int]]) -> list[Mention]:
    out: list[Mention] = []
    spans = SpanIndex(taken)
    for sentence in sentences:
        for hit in find_geo(sentence.text, sentence.start):
            if spans.overlaps(hit.start, hit.end):
                continue
            out.append(_geo_mention(hit, sentence.index))
    return out


def _geo_mention(hit: GeoHit, sentence: int) -> Mention:
    return Mention(start=hit.start, end=hit.end, text=hit.text, kind=hit.kind, key=hit.key, sentence=sentence)


def _main_country(sentences: list[Sentence], geo: list[Mention]) -> str | None:
    """The dateline's country (an all-capitals place early on), else the most mentioned country."""
    early = {s.index for s in sentences[:4]}
    for mention in geo:
        if mention.sentence in early and mention.text.isupper() and len(mention.text) > 3:
            country = country_of(mention.key)
            if country:
                return country
    counts = Counter(m.key for m in geo if m.kind == "country")
    if not counts:
        return None
    top = max(counts.values())
    return next(m.key for m in geo if m.kind == "country" and counts[m.key] == top)
