"""Group name hits into people: one canonical full name, every other verbatim form an alias.

Two forms are one person when their comparable keys are equal, when one is a contiguous part of
the other ("Mahmood" of "Tariq Mahmood", "Al Qasimi" of "Mohamed bin Rashid Al Qasimi"), or when they are
spelling variants (rapidfuzz: "Muhammad bin Rashid Al Qasimi" ~ "Mohamed bin Rashid Al Qasimi").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from briefings.extract.names import honorifics, name_key, particles
from briefings.extract.people import NameHit
from briefings.extract.places import fold
from briefings.extract.title_forms import clean_title, merge_titles
from briefings.models import Person

_FULL_RATIO = 85.0
_LAST_RATIO = 85.0


@dataclass(eq=False)
class PersonBuild:
    """A person being assembled from the hits that name them.

    Add hits with `add`: it keeps the distinct name keys, the longest one and the first offset up
    to date, so matching a form against a person never recomputes keys from every hit.
    """

    hits: list[NameHit] = field(default_factory=list)
    keys: list[tuple[str, ...]] = field(init=False, default_factory=list)
    longest: tuple[str, ...] = field(init=False, default=())
    first_start: int = field(init=False, default=-1)

    def __post_init__(self) -> None:
        hits, self.hits = self.hits, []
        for hit in hits:
            self.add(hit)

    def add(self, hit: NameHit) -> tuple[tuple[str, ...] | None, bool]:
        """Add a hit: its key when new for this person (the index must learn it), and whether
        anything that matching looks at (keys, first mention) changed."""
        self.hits.append(hit)
        moved = self.first_start < 0 or hit.start < self.first_start
        if moved:
            self.first_start = hit.start
        key = name_key(hit.words)
        if key in self.keys:
            return None, moved
        self.keys.append(key)
        if len(key) > len(self.longest):
            self.longest = key
        return key, True

    def canonical(self) -> str:
        """The longest full form seen (most name words, then most characters, then first seen)."""
        best = self.hits[0]
        for hit in self.hits[1:]:
            if (len(name_key(hit.words)), len(hit.text)) > (len(name_key(best.words)), len(best.text)):
                best = hit
        return best.text

    def to_person(self) -> Person:
        name = self.canonical()
        aliases: list[str] = []
        for hit in sorted(self.hits, key=lambda h: h.start):
            if hit.text != name and hit.text not in aliases:
                aliases.append(hit.text)
        ordered = sorted(self.hits, key=lambda h: h.start)
        # A chain ("Deputy Prime Minister and Foreign Minister") counts as its separate titles.
        said = [t for h in ordered for t in (h.titles or [h.title or ""]) if t]
        roles = [t for t in said if fold(t) not in honorifics()]
        titles = merge_titles(roles)
        titles += list(dict.fromkeys(t for t in said if fold(t) in honorifics()))
        title = next((c for h in ordered if h.title and (c := clean_title(h.title))), None)
        country = next((h.country for h in sorted(self.hits, key=lambda h: h.start) if h.country), None)
        return Person(name=name, title=title, titles=titles, aliases=aliases, country=country,
                      mentions=len(self.hits))


def _contiguous(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    size = len(short)
    return any(long[i:i + size] == short for i in range(len(long) - size + 1))


def _variants(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Spelling variants of one full name: same shape, close first and last names, close overall."""
    if len(a) < 2 or len(b) < 2:
        return False
    first_floor = 60.0 if min(len(a), len(b)) >= 3 else 80.0
    return (fuzz.ratio(a[-1], b[-1]) >= _LAST_RATIO and fuzz.ratio(a[0], b[0]) >= first_floor
            and fuzz.ratio(" ".join(a), " ".join(b)) >= _FULL_RATIO)


def _fuzzy_part(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """"Muhammad bin Rashid" inside "Mohamed bin Rashid Al Qasimi": a close contiguous window."""
    size = len(short)
    if size < 2 or size > len(long):
        return False
    return any(_variants(short, long[i:i + size]) for i in range(len(long) - size + 1))


def same_person(key: tuple[str, ...], person: PersonBuild) -> int:
    """How well `key` names `person`: 3 equal, 2 part or variant of a full form, 1 a single token, 0 no."""
    if not key or all(k in particles() for k in key):
        return 0
    best = 0
    for other in person.keys:
        if key == other:
            return 3
        if len(key) >= 2 and (_contiguous(key, other) or _contiguous(other, key) or _variants(key, other)
                              or _fuzzy_part(key, other) or _fuzzy_part(other, key)):
            best = max(best, 2)
        elif len(key) == 1 and key[0] in other:
            best = max(best, 1)
    return best


def _preference(key: tuple[str, ...], person: PersonBuild) -> tuple[int, int]:
    """A single token prefers the person whose surname it is, then whose first name it is."""
    longest = person.longest
    if key and longest and key[-1] == longest[-1]:
        return (2, -person.first_start)
    if key and longest and key[0] == longest[0]:
        return (1, -person.first_start)
    return (0, -person.first_start)


class PersonIndex:
    """The people found so far, bucketed by the tokens of their name keys (and token prefixes).

    A form can only name a person who shares a token with it or, for spelling variants, a token
    prefix; looking up those buckets keeps matching linear in the article's length instead of
    scoring every name window against every person.
    """

    def __init__(self) -> None:
        self.people: list[PersonBuild] = []
        self._buckets: dict[str, list[PersonBuild]] = {}
        self._order: dict[int, int] = {}
        # best_person answers per key. An answer depends only on the people sharing a bucket with
        # the key, so a change to one person forgets only the answers in that person's buckets.
        self.memo: dict[tuple[str, ...], PersonBuild | None] = {}
        self._memo_buckets: dict[str, set[tuple[str, ...]]] = {}

    def new_person(self, hit: NameHit) -> PersonBuild:
        person = PersonBuild()
        self._order[id(person)] = len(self.people)
        self.people.append(person)
        self.add(person, hit)
        return person

    def add(self, person: PersonBuild, hit: NameHit) -> None:
        key, changed = person.add(hit)
        for token in key or ():
            for bucket in {token, _prefix(token)}:
                members = self._buckets.setdefault(bucket, [])
                if person not in members:
                    members.append(person)
        if changed:
            self._forget(person)

    def remember(self, key: tuple[str, ...], person: PersonBuild | None) -> None:
        self.memo[key] = person
        for token in key:
            for bucket in (token, _prefix(token)):
                self._memo_buckets.setdefault(bucket, set()).add(key)

    def _forget(self, person: PersonBuild) -> None:
        """Drop the remembered answers that `person` may now change (keys sharing a bucket with it)."""
        for key in person.keys:
            for token in key:
                for bucket in (token, _prefix(token)):
                    for stale in self._memo_buckets.pop(bucket, ()):
                        self.memo.pop(stale, None)

    def sort_by_first_mention(self) -> None:
        self.memo.clear()
        self._memo_buckets.clear()
        self.people.sort(key=lambda p: p.first_start)
        self._order = {id(p): i for i, p in enumerate(self.people)}

    def candidates(self, key: tuple[str, ...]) -> list[PersonBuild]:
        found: dict[int, PersonBuild] = {}
        for token in key:
            for bucket in (token, _prefix(token)):
                for person in self._buckets.get(bucket, ()):
                    found.setdefault(id(person), person)
        return sorted(found.values(), key=lambda p: self._order[id(p)])


def _prefix(token: str) -> str:
    return "~" + token[:3]


def best_person(key: tuple[str, ...], index: PersonIndex) -> PersonBuild | None:
    """The person a form names; ambiguous first names (two people share it) name nobody."""
    if key not in index.memo:
        index.remember(key, _best_person(key, index))
    return index.memo[key]


def _best_person(key: tuple[str, ...], index: PersonIndex) -> PersonBuild | None:
    scored = [(same_person(key, p), p) for p in index.candidates(key)]
    top = max((s for s, _ in scored), default=0)
    if top == 0:
        return None
    candidates = [p for s, p in scored if s == top]
    if len(candidates) == 1:
        return candidates[0]
    ranked = sorted(candidates, key=lambda p: _preference(key, p), reverse=True)
    first, second = _preference(key, ranked[0]), _preference(key, ranked[1])
    if first[0] == 2 or first[0] > second[0]:
        return ranked[0]
    return None


def group_people(confirmed: list[NameHit]) -> PersonIndex:
    """Full names first (they define people), then single-word forms attach to them."""
    index = PersonIndex()
    ordered = sorted(confirmed, key=lambda h: (len(name_key(h.words)) < 2, h.start))
    for hit in ordered:
        key = name_key(hit.words)
        if not key:
            continue
        person = best_person(key, index)
        if person is None:
            index.new_person(hit)
        else:
            index.add(person, hit)
    index.sort_by_first_mention()
    return index
