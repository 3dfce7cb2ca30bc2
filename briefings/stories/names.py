"""One name per person, organisation and country across the articles of a story.

Outlets spell names differently ("Yusuf"/"Yousuf", "Öztürk"/"Ozturk"), shorten them to a
surname, or use an acronym the article defined ("NMC"). `NameIndex` groups the forms the extractor
reported (names, aliases, acronyms) and resolves any mention to one display name and one key.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz

from briefings.data.lexicons import load_lines
from briefings.models import ArticleFacts
from briefings.stories.keys import country_key, initials, name_key

_FUZZY_SAME = 90  # token-sort ratio above which two full names are spelling variants


@cache
def _particles() -> frozenset[str]:
    return frozenset(name_key(line.rstrip("*")) for line in load_lines("name_particles.txt"))


def surname_keys(name: str) -> frozenset[str]:
    """The distinctive tokens of a personal name: all but the first (unless it is alone), no particles."""
    tokens = name_key(name).split()
    rest = tokens[1:] if len(tokens) > 1 else tokens
    return frozenset(t for t in rest if t not in _particles() and len(t) > 1)


@dataclass(frozen=True)
class Party:
    """A resolved deal party or participant: display name, comparison key, country code if known."""

    name: str
    key: str
    country: str | None
    is_country: bool


class _Groups:
    """Union-find over name keys, remembering how often each display form was used."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.forms: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, key: str) -> None:
        self.parent.setdefault(key, key)

    def find(self, key: str) -> str:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str) -> None:
        self.add(a)
        self.add(b)
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller key becomes the root so the result never depends on insertion order.
            low, high = sorted((ra, rb))
            self.parent[high] = low

    def display(self, root: str) -> str:
        counts: Counter[str] = Counter()
        for key, forms in self.forms.items():
            if self.find(key) == root:
                counts.update(forms)
        if not counts:
            return root
        return min(counts, key=lambda form: (-counts[form], -len(form), form))


class NameIndex:
    """Resolves people, organisations and countries mentioned by a set of articles."""

    def __init__(self, facts: Sequence[ArticleFacts]) -> None:
        self._people = _Groups()
        self._orgs = _Groups()
        self._org_country: dict[str, Counter[str]] = defaultdict(Counter)
        self._country_forms: dict[str, Counter[str]] = defaultdict(Counter)
        self._surnames: dict[str, set[str]] = defaultdict(set)
        for item in facts:
            self._add_people(item)
            self._add_organisations(item)
            self._add_countries(item)
        self._join_variants(self._people)
        self._join_variants(self._orgs)
        for key in list(self._people.parent):
            for token in surname_keys(key):
                self._surnames[token].add(self._people.find(key))
        self._person_display = {root: self._people.display(root) for root in self._roots(self._people)}
        self._org_display = {root: self._orgs.display(root) for root in self._roots(self._orgs)}

    @staticmethod
    def _roots(groups: _Groups) -> set[str]:
        return {groups.find(key) for key in groups.parent}

    def _add_people(self, item: ArticleFacts) -> None:
        for person in item.people:
            full = name_key(person.name)
            if not full:
                continue
            self._people.add(full)
            self._people.forms[full][person.name] += 1
            for alias in person.aliases:
                alias_key = name_key(alias)
                if len(alias_key.split()) > 1 and alias_key != full:
                    self._people.union(full, alias_key)

    def _add_organisations(self, item: ArticleFacts) -> None:
        for org in item.organisations:
            full = name_key(org.name)
            if not full:
                continue
            self._orgs.add(full)
            self._orgs.forms[full][org.name] += 1
            for other in [org.acronym, *org.aliases]:
                if other and name_key(other):
                    self._orgs.union(full, name_key(other))
            if org.country and country_key(org.country):
                self._org_country[full][country_key(org.country) or ""] += 1

    def _add_countries(self, item: ArticleFacts) -> None:
        mentions: list[str | None] = [p.country for p in item.people]
        mentions += [o.country for o in item.organisations]
        mentions += [party for deal in item.deals for party in deal.parties]
        mentions += [m.place for m in item.meetings]
        for mention in mentions:
            code = country_key(mention) if mention else None
            if mention and code:
                self._country_forms[code][mention] += 1

    @staticmethod
    def _join_variants(groups: _Groups) -> None:
        keys = sorted(groups.parent)
        for i, a in enumerate(keys):
            if len(a.split()) < 2:
                continue
            for b in keys[i + 1:]:
                if len(b.split()) > 1 and fuzz.token_sort_ratio(a, b) >= _FUZZY_SAME:
                    groups.union(a, b)

    def country_name(self, code: str) -> str:
        """The form the articles use most for a country (ties: the longest)."""
        forms = self._country_forms.get(code)
        if not forms:
            return code
        return min(forms, key=lambda form: (-forms[form], -len(form), form))

    def _person_root(self, key: str) -> str | None:
        if key in self._people.parent:
            return self._people.find(key)
        tokens = key.split()
        if len(tokens) == 1:
            roots = self._surnames.get(key, set())
            return next(iter(roots)) if len(roots) == 1 else None
        best = max(self._person_display, key=lambda root: (fuzz.token_sort_ratio(key, root), root),
                   default=None)
        if best is not None and fuzz.token_sort_ratio(key, best) >= _FUZZY_SAME:
            return best
        return None

    def _org_root(self, key: str) -> str | None:
        if key in self._orgs.parent:
            return self._orgs.find(key)
        matches = sorted(root for root in self._org_display if " " not in key and initials(root) == key)
        return matches[0] if len(set(matches)) == 1 else None

    def person(self, name: str) -> str:
        """The display name of the person this mention refers to (the mention itself if unknown)."""
        root = self._person_root(name_key(name))
        return self._person_display[root] if root is not None else name.strip()

    def person_key(self, name: str) -> str:
        root = self._person_root(name_key(name))
        return root if root is not None else name_key(name)

    def party(self, name: str) -> Party:
        """A deal party or participant: a country, a known organisation, a known person, or itself."""
        code = country_key(name)
        if code is not None:
            return Party(name=self.country_name(code), key=code, country=code, is_country=True)
        key = name_key(name)
        org = self._org_root(key)
        if org is not None:
            countries = Counter[str]()
            for member, counts in self._org_country.items():
                if self._orgs.find(member) == org:
                    countries.update(counts)
            country = min(countries, key=lambda c: (-countries[c], c)) if countries else None
            return Party(name=self._org_display[org], key=org, country=country, is_country=False)
        person = self._person_root(key)
        if person is not None:
            return Party(name=self._person_display[person], key=person, country=None, is_country=False)
        return Party(name=name.strip(), key=key, country=None, is_country=False)

    def keys_of(self, party: Party) -> set[str]:
        """Every key of the group a resolved party belongs to: full names, acronyms, aliases."""
        for groups in (self._orgs, self._people):
            if party.key in groups.parent:
                root = groups.find(party.key)
                return {key for key in groups.parent if groups.find(key) == root}
        return {party.key}

    def participant(self, name: str) -> Party:
        """A meeting participant: a known person first, then an organisation or a country."""
        key = name_key(name)
        person = self._person_root(key)
        if person is not None:
            return Party(name=self._person_display[person], key=person, country=None, is_country=False)
        return self.party(name)

    def participants(self, names: Iterable[str]) -> list[Party]:
        """Resolved meeting participants, de-duplicated, in the order given."""
        seen: dict[str, Party] = {}
        for name in names:
            party = self.participant(name)
            seen.setdefault(party.key, party)
        return list(seen.values())

    def parties(self, names: Iterable[str]) -> list[Party]:
        """Resolved and de-duplicated, in the order given."""
        seen: dict[str, Party] = {}
        for name in names:
            party = self.party(name)
            seen.setdefault(party.key, party)
        return list(seen.values())
