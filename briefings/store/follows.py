"""Follows and reader preferences in the store, and what a typed name may mean (`candidates`).

Follows belong to a chat, not to a subscription: `/unsubscribe` and a blocked bot leave them, only
the user removes them. At most `MAX_FOLLOWS` per chat, checked in the transaction that adds one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Collection, Iterable, Sequence

import pycountry
from rapidfuzz import fuzz, process
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from briefings.errors import InputError, NotFoundError
from briefings.follows import MAX_FOLLOWS, Candidate, Follow, FollowKind, ReaderPrefs, topic_words
from briefings.models import Story, StoryDeal
from briefings.store.db import Store
from briefings.store.schema import (
    DealRow,
    FactEntityRow,
    FollowRow,
    PersonAliasRow,
    PersonMentionRow,
    ReaderPrefsRow,
    SearchWordRow,
    StoryRow,
    SubscriberRow,
)
from briefings.stories.keys import country_key, initials, name_key

_FUZZY_CUTOFF = 85
MAX_CHOICES = 6
FOLLOWED_STORIES = 20


def _view(row: FollowRow) -> Follow:
    kind: FollowKind = row.kind  # type: ignore[assignment]  # written only from FollowKind
    return Follow(id=row.id, chat_id=row.chat_id, kind=kind, key=row.key, keys=json.loads(row.keys),
                  label=row.label, detail=row.detail, alert=row.alert, created_at=row.created_at)


# --- follows ----------------------------------------------------------------------------------


def list_follows(store: Store, chat_id: int) -> list[Follow]:
    with store.session() as session:
        rows = session.scalars(select(FollowRow).where(FollowRow.chat_id == chat_id).order_by(FollowRow.id))
        return [_view(r) for r in rows]


def follows_of(store: Store, chat_ids: Sequence[int]) -> dict[int, list[Follow]]:
    """Follows of several chats at once (a broadcast composes many briefings)."""
    found: dict[int, list[Follow]] = {}
    with store.session() as session:
        for start in range(0, len(chat_ids), 500):
            rows = session.scalars(select(FollowRow).where(FollowRow.chat_id.in_(chat_ids[start:start + 500]))
                                   .order_by(FollowRow.id))
            for row in rows:
                found.setdefault(row.chat_id, []).append(_view(row))
    return found


def alert_follows(store: Store) -> list[Follow]:
    """Follows with alerts on, of chats that are active subscribers (a blocked chat gets nothing)."""
    columns = (FollowRow.id, FollowRow.chat_id, FollowRow.kind, FollowRow.key, FollowRow.keys,
               FollowRow.label, FollowRow.created_at)
    with store.session() as session:
        rows = session.execute(select(*columns)
                               .join(SubscriberRow, SubscriberRow.chat_id == FollowRow.chat_id)
                               .where(FollowRow.alert.is_(True), SubscriberRow.active.is_(True)))
        # Plain rows and unvalidated models: a fan-out loads every alert follow (50,000 for 10,000
        # readers), and these values were validated when they were written.
        return [Follow.model_construct(id=i, chat_id=chat, kind=kind, key=key,
                                       keys=json.loads(keys) if keys != "[]" else [], label=label,
                                       detail=None, alert=True, created_at=created)
                for i, chat, kind, key, keys, label, created in rows]


def add_follow(store: Store, chat_id: int, candidate: Candidate, *, alert: bool,
               now: dt.datetime) -> tuple[Follow, bool]:
    """Follow `candidate` (True when new); an existing follow only gains its alert. `InputError` past 50."""
    with store.session() as session:
        row = session.scalars(select(FollowRow).where(
            FollowRow.chat_id == chat_id, FollowRow.kind == candidate.kind,
            FollowRow.key == candidate.key[:200])).first()
        if row is not None:
            row.alert = row.alert or alert
            session.flush()
            return _view(row), False
        count = session.scalar(select(func.count(FollowRow.id)).where(FollowRow.chat_id == chat_id)) or 0
        if count >= MAX_FOLLOWS:
            raise InputError(f"You already follow {MAX_FOLLOWS} things, the most a chat can: "
                             "/following lists them with buttons to remove some.")
        row = FollowRow(chat_id=chat_id, kind=candidate.kind, key=candidate.key[:200],
                        keys=json.dumps([k[:200] for k in candidate.keys]), label=candidate.label[:300],
                        detail=(candidate.detail or None) and candidate.detail[:300], alert=alert,
                        created_at=now)
        session.add(row)
        session.flush()
        return _view(row), True


def get_follow(store: Store, chat_id: int, follow_id: int) -> Follow:
    with store.session() as session:
        row = session.get(FollowRow, follow_id)
        if row is None or row.chat_id != chat_id:
            raise NotFoundError("You no longer follow that.")
        return _view(row)


def remove_follow(store: Store, chat_id: int, follow_id: int) -> Follow:
    """Remove one follow of this chat; `NotFoundError` if it has none with that id."""
    with store.session() as session:
        row = session.get(FollowRow, follow_id)
        if row is None or row.chat_id != chat_id:
            raise NotFoundError("You no longer follow that.")
        follow = _view(row)
        session.execute(delete(FollowRow).where(FollowRow.id == follow_id))
        return follow


def set_alert(store: Store, chat_id: int, follow_id: int, on: bool) -> Follow:
    with store.session() as session:
        row = session.get(FollowRow, follow_id)
        if row is None or row.chat_id != chat_id:
            raise NotFoundError("You no longer follow that.")
        row.alert = on
        session.flush()
        return _view(row)


# --- reader preferences -----------------------------------------------------------------------


def get_prefs(store: Store, chat_id: int) -> ReaderPrefs:
    with store.session() as session:
        row = session.get(ReaderPrefsRow, chat_id)
        return ReaderPrefs() if row is None else _prefs(row)


def _prefs(row: ReaderPrefsRow) -> ReaderPrefs:
    return ReaderPrefs.model_validate({"only_follows": row.only_follows, "chart": row.chart,
                                       "frequency": row.frequency, "weekday": row.weekday})


def prefs_of(store: Store, chat_ids: Iterable[int] | None = None) -> dict[int, ReaderPrefs]:
    """Preferences of the chats that have any (others have the defaults)."""
    with store.session() as session:
        stmt = select(ReaderPrefsRow)
        if chat_ids is not None:
            stmt = stmt.where(ReaderPrefsRow.chat_id.in_(sorted(set(chat_ids))))
        return {row.chat_id: _prefs(row) for row in session.scalars(stmt)}


def save_prefs(store: Store, chat_id: int, prefs: ReaderPrefs) -> ReaderPrefs:
    with store.session() as session:
        row = session.get(ReaderPrefsRow, chat_id)
        if row is None:
            row = ReaderPrefsRow(chat_id=chat_id)
            session.add(row)
        row.only_follows, row.chart = prefs.only_follows, prefs.chart
        row.frequency, row.weekday = prefs.frequency, prefs.weekday
    return prefs


# --- what a typed name means ------------------------------------------------------------------


def candidates(store: Store, text: str) -> list[Candidate]:
    """What `text` may mean, best first: a country, a person, an organisation, or a topic word.

    The same lookup as `/who` (exact key, then alias owners, then surname and a close spelling);
    several people sharing an alias or surname are all returned, for the user to choose.
    """
    key = name_key(text)
    if len(key.replace(" ", "")) < 2:
        raise InputError("Give a name of at least two letters, e.g. /follow Pakistan or /follow minerals.")
    code = country_key(text)
    if code is not None:
        country = pycountry.countries.get(alpha_3=code)
        name = getattr(country, "common_name", None) or getattr(country, "name", code)
        return [Candidate(kind="country", key=code, label=str(name))]
    with store.session() as session:
        people = _people(session, key, loose=False)
        if people:
            return people
        orgs = _organisations(session, key)
        if orgs:
            return orgs
        people = _people(session, key, loose=True)
        if people:
            return people
        words = topic_words(text)
        if words and _known_words(session, text):
            return [Candidate(kind="topic", key=" ".join(words), label=" ".join(text.split())[:100])]
    return []


def _people(session: Session, key: str, *, loose: bool) -> list[Candidate]:
    if not loose:
        if session.scalar(select(PersonMentionRow.key).where(PersonMentionRow.key == key).limit(1)):
            return [_person(session, key)]
        owners = session.execute(select(PersonAliasRow.person_key, func.count())
                                 .where(PersonAliasRow.alias_key == key).group_by(PersonAliasRow.person_key))
        ranked = sorted(owners.all(), key=lambda row: (-row[1], row[0]))
        return [_person(session, str(k)) for k, _ in ranked[:MAX_CHOICES]]
    # A surname alone ("Dar"), else a close spelling among names sharing the first letter.
    surname = list(session.scalars(select(PersonMentionRow.key).where(
        PersonMentionRow.key.like(f"% {key}")).distinct().limit(MAX_CHOICES)))
    if surname:
        return [_person(session, k) for k in sorted(surname)]
    first = key[0]
    known = list(session.scalars(select(PersonMentionRow.key).where(
        PersonMentionRow.key >= first, PersonMentionRow.key < first + "\uffff").distinct()))
    found = process.extract(key, known, scorer=fuzz.token_sort_ratio, score_cutoff=_FUZZY_CUTOFF,
                            limit=MAX_CHOICES)
    return [_person(session, str(match[0])) for match in found]


def _person(session: Session, key: str) -> Candidate:
    rows = list(session.scalars(select(PersonMentionRow).where(PersonMentionRow.key == key)))
    names: Counter[str] = Counter()
    titles: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    for row in rows:
        names[row.name] += row.mentions
        titles.update(json.loads(row.titles))
        if row.country:
            countries[row.country] += 1
    def top(values: Counter[str]) -> str | None:
        return min(values, key=lambda v: (-values[v], v)) if values else None

    detail = ", ".join(x for x in (top(titles), top(countries)) if x)
    aliases = set(session.scalars(select(PersonAliasRow.alias_key).where(PersonAliasRow.person_key == key)
                                  .distinct()))
    # Aliases of one word ("Dar") would match every Dar: a person follow matches full names only.
    return Candidate(kind="person", key=key, keys=sorted(a for a in aliases if " " in a and a != key),
                     label=top(names) or key, detail=detail or None)


def _organisations(session: Session, key: str) -> list[Candidate]:
    facts = list(session.scalars(select(FactEntityRow.fact_id).where(
        FactEntityRow.role == "party", FactEntityRow.key == key).limit(20)))
    if not facts:
        return []
    for data in session.scalars(select(DealRow.data).where(DealRow.id.in_(facts))):
        for party in StoryDeal.model_validate_json(data).parties:
            full = name_key(party)
            if key in (full, initials(full)):
                keys = sorted({full, key} - {key})
                return [Candidate(kind="organisation", key=key, keys=keys, label=party)]
    return [Candidate(kind="organisation", key=key, label=key.upper() if " " not in key else key.title())]


def _known_words(session: Session, text: str) -> bool:
    """Every word of a topic occurs in some stored fact or article (the index keeps unstemmed words)."""
    words = [w for w in name_key(text).split() if len(w) > 1]
    for word in words:
        forms = {word, word.rstrip("s"), word + "s"}
        hit = select(SearchWordRow.id).where(SearchWordRow.word.in_(sorted(forms))).limit(1)
        if session.scalar(hit) is None:
            return False
    return bool(words)


def candidate(store: Store, kind: FollowKind, key: str) -> Candidate:
    """The candidate a button stands for, looked up again (a person's title may have changed)."""
    if kind == "person":
        with store.session() as session:
            if session.scalar(select(PersonMentionRow.key).where(PersonMentionRow.key == key).limit(1)):
                return _person(session, key)
        raise NotFoundError("That person is no longer on record.")
    found = [c for c in candidates(store, key) if c.kind == kind and c.key == key]
    return found[0] if found else Candidate(kind=kind, key=key, label=key)


def deal_parties(store: Store, deal_id: str) -> list[str]:
    with store.session() as session:
        data = session.scalar(select(DealRow.data).where(DealRow.id == deal_id))
    if data is None:
        raise NotFoundError(f"no deal with id {deal_id[:40]!r}")
    return list(StoryDeal.model_validate_json(data).parties)


def reader(store: Store, chat_id: int, since: dt.datetime | None,
           known: Collection[str] = ()) -> tuple[list[Follow], ReaderPrefs, list[Story]]:
    """A chat's follows, its preferences, and the stories changed since `since` that name a followed
    person, organisation or country or hold a followed topic's first word (those not in `known`,
    most recently changed first, at most `FOLLOWED_STORIES`): one transaction."""
    with store.session() as session:
        follows = [_view(r) for r in session.scalars(select(FollowRow).where(FollowRow.chat_id == chat_id)
                                                     .order_by(FollowRow.id))]
        row = session.get(ReaderPrefsRow, chat_id)
        prefs = ReaderPrefs() if row is None else _prefs(row)
        if not follows:
            return follows, prefs, []
        keys = sorted({k for f in follows if f.kind != "topic" for k in [f.key, *f.keys] if k})
        words = sorted({w for f in follows if f.kind == "topic" and f.key for w in _forms(f.key.split()[0])})
        touching = [StoryRow.id.in_(select(FactEntityRow.story_id).where(FactEntityRow.key.in_(keys)))] \
            if keys else []
        if words:
            touching.append(StoryRow.id.in_(select(SearchWordRow.story_id).where(SearchWordRow.word.in_(words))))
        stmt = select(StoryRow.id, StoryRow.data).where(or_(*touching))
        if since is not None:
            stmt = stmt.where(StoryRow.updated_at >= since)
        rows = session.execute(stmt.order_by(StoryRow.updated_at.desc(), StoryRow.id)
                               .limit(FOLLOWED_STORIES + len(known)))
        stories = [Story.model_validate_json(data) for story_id, data in rows if story_id not in known]
        return follows, prefs, stories[:FOLLOWED_STORIES]


def _forms(stem: str) -> set[str]:
    # The word index keeps words as written; a topic is kept stemmed ("mineral").
    return {stem, stem + "s", stem + "es", stem[:-1] + "ies" if stem.endswith("y") else stem}


def reader_key(store: Store, chat_id: int) -> tuple[object, ...] | None:
    """What makes a chat's briefing its own (its follows and preferences); None when it has neither,
    so its briefing can be shared with every reader of the same window."""
    with store.session() as session:
        follows = tuple(session.execute(select(FollowRow.kind, FollowRow.key)
                                        .where(FollowRow.chat_id == chat_id).order_by(FollowRow.id)).tuples())
        prefs = session.get(ReaderPrefsRow, chat_id)
        only = bool(prefs and prefs.only_follows)
    return (follows, only) if follows or only else None


def migrate_chat(store: Store, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: its follows and preferences move to the new chat id (the new id's
    own, if it somehow has any, win)."""
    with store.session() as session:
        taken = set(session.execute(select(FollowRow.kind, FollowRow.key)
                                    .where(FollowRow.chat_id == new_chat_id)).tuples())
        for row in session.scalars(select(FollowRow).where(FollowRow.chat_id == old_chat_id)):
            if (row.kind, row.key) in taken:
                session.delete(row)
            else:
                row.chat_id = new_chat_id
        old = session.get(ReaderPrefsRow, old_chat_id)
        if old is not None:
            if session.get(ReaderPrefsRow, new_chat_id) is None:
                session.add(ReaderPrefsRow(chat_id=new_chat_id, only_follows=old.only_follows,
                                           chart=old.chart, frequency=old.frequency, weekday=old.weekday))
            session.delete(old)
