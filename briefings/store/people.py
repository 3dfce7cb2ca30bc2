"""People in the store: resolving a typed name to stored keys, and a person's profile."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from rapidfuzz import fuzz, process
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from briefings.errors import InputError
from briefings.models import StoryDeal, StoryMeeting
from briefings.store.db import Store
from briefings.store.schema import DealRow, FactEntityRow, MeetingRow, PersonAliasRow, PersonMentionRow
from briefings.store.views import PersonProfile
from briefings.stories.keys import country_key, name_key

_FUZZY_CUTOFF = 85
_FUZZY_TOKEN_CUTOFF = 80  # one misspelt name against single name tokens ("sholz" ~ "scholz": 91)
_PROFILE_FACTS = 50  # a profile lists this many recent meetings and deals at most


def entity_keys(session: Session, text: str) -> tuple[set[str], str | None]:
    """Keys a party, country or entity filter matches exactly, and a key prefix for partial names."""
    key = name_key(text)
    if not key:
        raise InputError("a name is needed")
    keys = {key}
    code = country_key(text)
    if code:
        keys.add(code)
    return keys, key if len(key) >= 3 else None


def person_keys(session: Session, text: str) -> tuple[set[str], str | None]:
    """A person's full-name keys (the name itself and whoever has it as an alias), and a one-word surname."""
    key = name_key(text)
    if not key:
        raise InputError("a name is needed")
    keys = {key}
    keys.update(session.scalars(select(PersonAliasRow.person_key).where(PersonAliasRow.alias_key == key)
                                .distinct()))
    return keys, key if " " not in key else None


def _resolve(session: Session, key: str) -> str | None:
    """The stored person key a typed name means, as people name people: the full name, an alias,
    one name alone ("Lula", "Xi", a surname), else the nearest spelling ("Sholz")."""
    if session.scalar(select(PersonMentionRow.key).where(PersonMentionRow.key == key).limit(1)):
        return key
    by_alias = select(PersonAliasRow.person_key, func.count()).where(PersonAliasRow.alias_key == key)
    owners = session.execute(by_alias.group_by(PersonAliasRow.person_key)).all()
    if owners:
        return str(min(owners, key=lambda row: (-row[1], row[0]))[0])
    if " " not in key:
        # One name: whoever has it as one of their names, the most mentioned first.
        having = _weighted_keys(session, _has_word(key))
        if having:
            return min(having, key=lambda k: (-having[k], k))
        # A misspelt single name: the nearest name token among names with a token of its first letter.
        weight = _weighted_keys(session, _has_word(key[0], prefix=True))
        tokens: dict[str, str] = {}
        for k in sorted(weight, key=lambda k: (-weight[k], k)):
            for token in k.split():
                tokens.setdefault(token, k)
        near = process.extractOne(key, list(tokens), scorer=fuzz.ratio, score_cutoff=_FUZZY_TOKEN_CUTOFF)
        return tokens[str(near[0])] if near else None
    # Typos rarely hit the first letter: compare only with names sharing it (an indexed range).
    first = key[0]
    known = list(session.scalars(select(PersonMentionRow.key).where(
        PersonMentionRow.key >= first, PersonMentionRow.key < first + "\uffff").distinct()))
    found = process.extractOne(key, known, scorer=fuzz.token_sort_ratio, score_cutoff=_FUZZY_CUTOFF)
    return str(found[0]) if found else None


def _has_word(word: str, *, prefix: bool = False) -> ColumnElement[bool]:
    """Folded names having `word` as one of their words (or a word starting with it)."""
    key = PersonMentionRow.key
    if prefix:
        return or_(key.startswith(word, autoescape=True), key.contains(f" {word}", autoescape=True))
    return or_(key == word, key.startswith(f"{word} ", autoescape=True),
               key.endswith(f" {word}", autoescape=True), key.contains(f" {word} ", autoescape=True))


def _weighted_keys(session: Session, where: ColumnElement[bool]) -> dict[str, int]:
    rows = session.execute(select(PersonMentionRow.key, func.sum(PersonMentionRow.mentions)).where(where)
                           .group_by(PersonMentionRow.key)).tuples().all()
    return {k: int(n or 0) for k, n in rows}


def clean_title(titles: Sequence[str]) -> str | None:
    """One title for a person: the most complete of those reported ("US Secretary of State" over
    "Secretary"), spellings of one title ("U.S." / "US") counted together; ties to the most frequent."""
    if not titles:
        return None
    folded = [name_key(t.replace(".", "")) for t in titles]

    def covers(i: int) -> int:
        return sum(1 for j, other in enumerate(folded) if j != i and f" {other} " in f" {folded[i]} ")

    best = max(range(len(titles)), key=lambda i: (covers(i), -i))
    return " ".join(titles[best].split())


def _ranked(values: Counter[str]) -> list[str]:
    return sorted(values, key=lambda v: (-values[v], v))


def person_profile(store: Store, name: str) -> PersonProfile | None:
    """Who someone is across the store: titles, aliases, countries, meetings, deals, articles."""
    key = name_key(name)
    if not key:
        raise InputError("a name is needed")
    with store.session() as session:
        person = _resolve(session, key)
        if person is None:
            return None
        rows = list(session.scalars(select(PersonMentionRow).where(PersonMentionRow.key == person)))
        names: Counter[str] = Counter()
        titles: Counter[str] = Counter()
        aliases: Counter[str] = Counter()
        countries: Counter[str] = Counter()
        for row in rows:
            names[row.name] += row.mentions
            titles.update(json.loads(row.titles))
            aliases.update(json.loads(row.aliases))
            if row.country:
                countries[row.country] += 1
        display = _ranked(names)[0]
        facts = select(FactEntityRow.fact_id).where(FactEntityRow.key == person)
        meetings = session.scalars(select(MeetingRow.data).where(
            MeetingRow.id.in_(facts.where(FactEntityRow.role == "participant")))
            .order_by(MeetingRow.date_start.is_(None), MeetingRow.date_start.desc(), MeetingRow.id)
            .limit(_PROFILE_FACTS))
        deals = session.scalars(select(DealRow.data).where(
            DealRow.id.in_(facts.where(FactEntityRow.role == "party")))
            .order_by(DealRow.date_start.is_(None), DealRow.date_start.desc(), DealRow.id)
            .limit(_PROFILE_FACTS))
        return PersonProfile(
            name=display, title=clean_title(_ranked(titles)), titles=_ranked(titles),
            aliases=[a for a in _ranked(aliases) if a != display],
            countries=_ranked(countries), meetings=[StoryMeeting.model_validate_json(m) for m in meetings],
            deals=[StoryDeal.model_validate_json(d) for d in deals],
            article_ids=sorted({row.article_id for row in rows}))



