"""Writing one merged `Story` into its rows: the story, its facts (denormalised JSON), their entities."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import Table, delete, insert, inspect
from sqlalchemy.orm import Session

from briefings.extract.money import format_amount
from briefings.models import ArticleFacts, DateValue, Story, StoryDeal, StoryEvent, StoryMeeting
from briefings.store.schema import (
    Base,
    DealRow,
    EventRow,
    FactEntityRow,
    MeetingRow,
    SearchDocRow,
    SearchWordRow,
    StoryRow,
)
from briefings.store.search_words import index_words
from briefings.stories.keys import country_key, name_key
from briefings.stories.names import NameIndex, surname_keys

FACT_TABLES: tuple[type[MeetingRow] | type[DealRow] | type[EventRow], ...] = (MeetingRow, DealRow, EventRow)


def date_span(value: DateValue | None) -> tuple[dt.date | None, dt.date | None]:
    """The first and last calendar day a date at its precision covers."""
    if value is None:
        return None, None
    if value.day is not None:
        day = value.first_day()
        return day, day
    if value.month is not None:
        last = calendar.monthrange(value.year, value.month)[1]
        return dt.date(value.year, value.month, 1), dt.date(value.year, value.month, last)
    return dt.date(value.year, 1, 1), dt.date(value.year, 12, 31)


def meeting_label(m: StoryMeeting) -> str:
    when = f" ({m.date.iso()})" if m.date else ""
    where = f" in {m.place}" if m.place else ""
    return f"{m.kind.capitalize()}: {', '.join(m.participants)}{where}{when}"


def deal_label(d: StoryDeal) -> str:
    kind = "MoU" if d.kind == "mou" else d.kind.replace("_", " ")
    amount = f", {format_amount(d.amount)}" if d.amount else ""
    return f"{kind.capitalize() if kind != 'MoU' else kind}: {', '.join(d.parties)}{amount} ({d.status})"


def event_label(e: StoryEvent) -> str:
    planned = " (planned)" if e.status == "planned" else ""
    return f"{e.date.iso()}: {e.what}{planned}"


def search_text(*parts: str | None) -> str:
    """Folded text for portable `LIKE` search: case, accents and punctuation do not matter."""
    return " " + " ".join(name_key(p) for p in parts if p) + " "


def _sentences(fact: StoryMeeting | StoryDeal | StoryEvent) -> list[str]:
    return [e.sentence for e in fact.sources]


def _entities(story_id: str, fact_id: str, role: str, keys: Iterable[str]) -> list[FactEntityRow]:
    return [FactEntityRow(story_id=story_id, fact_id=fact_id, role=role, key=key[:200])
            for key in sorted(set(keys)) if key]


def _person_rows(story_id: str, fact_id: str, names: Iterable[str], role: str) -> list[FactEntityRow]:
    names = list(names)
    rows = _entities(story_id, fact_id, role, (name_key(n) for n in names))
    rows += _entities(story_id, fact_id, f"{role}_part", (t for n in names for t in surname_keys(n)))
    return rows


def _meeting_rows(story_id: str, m: StoryMeeting) -> tuple[MeetingRow, list[FactEntityRow]]:
    start, end = date_span(m.date)
    row = MeetingRow(id=m.id, story_id=story_id, kind=m.kind, date_start=start, date_end=end,
                     label=meeting_label(m), data=m.model_dump_json(),
                     search_text=search_text(m.kind, *m.participants, m.place, *_sentences(m)))
    countries = [code for name in [*m.participants, m.place] if name and (code := country_key(name))]
    return row, _person_rows(story_id, m.id, m.participants, "participant") + \
        _entities(story_id, m.id, "country", countries)


def _deal_rows(story_id: str, d: StoryDeal, names: NameIndex) -> tuple[DealRow, list[FactEntityRow]]:
    start, end = date_span(d.date)
    row = DealRow(id=d.id, story_id=story_id, kind=d.kind, status=d.status,
                  currency=d.amount.currency if d.amount else None,
                  amount=d.amount.value if d.amount else None,
                  date_start=start, date_end=end, label=deal_label(d), data=d.model_dump_json(),
                  search_text=search_text(d.kind, *d.parties, d.sector, d.status,
                                          format_amount(d.amount) if d.amount else None, *_sentences(d)))
    parties = [names.party(p) for p in d.parties]
    keys = {key for p in parties for key in names.keys_of(p)} | {name_key(p) for p in d.parties}
    countries = [p.country for p in parties if p.country]
    return row, _entities(story_id, d.id, "party", keys) + _entities(story_id, d.id, "country", countries)


def _event_row(story_id: str, e: StoryEvent) -> EventRow:
    start, end = date_span(e.date)
    return EventRow(id=e.id, story_id=story_id, status=e.status, date_start=start or e.date.first_day(),
                    date_end=end or e.date.first_day(), label=event_label(e), data=e.model_dump_json(),
                    search_text=search_text(e.what, *_sentences(e)))


def table_of(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def bulk_insert(session: Session, rows: Sequence[Base]) -> None:
    """Insert new rows with one executemany per table (the ORM unit of work is slow for many rows)."""
    by_table: dict[type[Base], list[dict[str, object]]] = {}
    for row in rows:
        mapper = inspect(type(row))
        fields = {attr.key: getattr(row, attr.key) for attr in mapper.column_attrs}
        by_table.setdefault(type(row), []).append({k: v for k, v in fields.items() if v is not None
                                                   or not mapper.columns[k].primary_key})
    for table, values in by_table.items():
        # Core insert on the Table, not the mapped class: the ORM's bulk path costs more per row.
        session.connection().execute(insert(table_of(table)), values)


def word_rows(kind: str, ref_id: str, folded: str, sort_date: dt.date | None, *, story_id: str | None = None,
              article_id: str | None = None) -> list[dict[str, object]]:
    """Search index rows for one fact or article (plain values: inserted in bulk)."""
    return [{"word": w, "kind": kind, "ref_id": ref_id, "sort_date": sort_date, "story_id": story_id,
             "article_id": article_id} for w in sorted(index_words(folded))]


def insert_words(session: Session, rows: list[dict[str, object]]) -> None:
    if rows:
        session.connection().execute(insert(table_of(SearchWordRow)), rows)


def doc_row(kind: str, ref_id: str, folded: str, sort_date: dt.date | None, *, story_id: str | None = None,
            article_id: str | None = None) -> dict[str, object]:
    """The full-text search row of one fact or article (the database indexes `body` itself)."""
    return {"kind": kind, "ref_id": ref_id, "body": folded, "sort_date": sort_date, "story_id": story_id,
            "article_id": article_id}


def insert_docs(session: Session, rows: list[dict[str, object]]) -> None:
    if rows:
        session.connection().execute(insert(table_of(SearchDocRow)), rows)


def delete_story_facts(session: Session, story_id: str) -> None:
    for table in (*FACT_TABLES, FactEntityRow, SearchWordRow, SearchDocRow):
        session.execute(delete(table).where(table.story_id == story_id))


def write_story(session: Session, story: Story, facts: Sequence[ArticleFacts], now: dt.datetime) -> None:
    """Replace the story's rows with this version of it (`story.updated_at` is set to `now`)."""
    story.updated_at = now
    row = session.get(StoryRow, story.id)
    if row is None:
        row = StoryRow(id=story.id, created_at=now)
        session.add(row)
    row.headline = story.headline
    row.first_published = story.first_published
    row.last_published = story.last_published
    row.article_count = len(story.article_ids)
    row.updated_at = now
    row.data = story.model_dump_json()
    row.search_text = search_text(story.headline, *story.people, *story.countries)
    delete_story_facts(session, story.id)
    session.flush()  # the story row first: fact rows point at it
    names = NameIndex(facts)
    rows: list[Base] = []
    entities = _person_rows(story.id, story.id, story.people, "person")
    entities += _entities(story.id, story.id, "country",
                          (code for c in story.countries if (code := country_key(c))))
    for m in story.meetings:
        meeting, extra = _meeting_rows(story.id, m)
        rows.append(meeting)
        entities += extra
    for d in story.deals:
        deal, extra = _deal_rows(story.id, d, names)
        rows.append(deal)
        entities += extra
    rows += [_event_row(story.id, e) for e in story.events]
    bulk_insert(session, [*rows, *entities])
    kinds = {MeetingRow: "meeting", DealRow: "deal", EventRow: "event"}
    insert_words(session, [word for row in rows if isinstance(row, MeetingRow | DealRow | EventRow)
                           for word in word_rows(kinds[type(row)], row.id, row.search_text, row.date_start,
                                                 story_id=story.id)])
    insert_docs(session, [doc_row(kinds[type(row)], row.id, row.search_text, row.date_start,
                                  story_id=story.id)
                          for row in rows if isinstance(row, MeetingRow | DealRow | EventRow)])
