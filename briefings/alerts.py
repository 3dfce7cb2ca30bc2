"""Alerts: which facts an ingested article adds, and who, by their follows, hears of them.

Pure. An article *adds* a meeting or deal when no article that came before it is among the fact's
sources; it *changes a status* when the deal's current status is one it states and differs from
the status the earlier articles gave. "Before" is decided by the caller (`older`): articles
ingested earlier, or already looked at by an earlier scan. So a second outlet on the same fact,
the same article again, or a correction (its id was looked at before) adds nothing.

Each new fact has a `fact_key` that does not depend on fact or story ids (they may change when a
story is merged again): the adding article and the fact's kind and names, or, for a status change,
the deal's names, kind and new status and the earliest earlier article. The ledger keeps one row
per (chat, fact_key), so a fact alerts a reader once whatever path or process brought it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, Field

from briefings.follows import Follow, fact_tokens, follow_tokens, touches
from briefings.models import DealStatus, Evidence, Story, StoryDeal, StoryMeeting
from briefings.stories.keys import name_key
from briefings.summarise import _claim_order

AlertKind = Literal["meeting", "deal", "status"]
COALESCE = dt.timedelta(minutes=10)  # at most one alert message per reader in this time
MAX_LISTED = 8  # facts listed in one alert message; the rest are counted


class NewFact(BaseModel):
    """A meeting or deal an article added, or a status it changed."""

    kind: AlertKind
    fact_key: str
    story_id: str
    headline: str | None = None
    meeting: StoryMeeting | None = None
    deal: StoryDeal | None = None
    before: DealStatus | None = None
    source: Evidence

    @property
    def fact_id(self) -> str:
        fact = self.meeting or self.deal
        assert fact is not None
        return fact.id


class Alert(BaseModel):
    """A new fact as one reader gets it: with the follows it touched."""

    fact: NewFact
    follows: list[str] = Field(default_factory=list)

    # What the alert template reads, straight from the fact.
    @property
    def meeting(self) -> StoryMeeting | None:
        return self.fact.meeting

    @property
    def deal(self) -> StoryDeal | None:
        return self.fact.deal

    @property
    def before(self) -> DealStatus | None:
        return self.fact.before

    @property
    def source(self) -> Evidence:
        return self.fact.source

    @property
    def story_id(self) -> str:
        return self.fact.story_id

    @property
    def headline(self) -> str | None:
        return self.fact.headline


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]


def _names(fact: StoryMeeting | StoryDeal) -> str:
    names = fact.participants if isinstance(fact, StoryMeeting) else fact.parties
    return ",".join(sorted({name_key(n) for n in names}))


def new_facts(story: Story, article_id: str, older: Callable[[str], bool]) -> list[NewFact]:
    """The meetings and deals `article_id` added to `story`, and the deal statuses it changed."""
    found: list[NewFact] = []
    facts: list[StoryMeeting | StoryDeal] = [*story.meetings, *story.deals]
    for fact in facts:
        mine = [ev for ev in fact.sources if ev.article_id == article_id]
        if not mine:
            continue
        kind: Literal["meeting", "deal"] = "meeting" if isinstance(fact, StoryMeeting) else "deal"
        earlier = sorted({ev.article_id for ev in fact.sources
                          if ev.article_id != article_id and older(ev.article_id)})
        # Only the adding article's sentence travels with the alert: the ledger keeps one per reader.
        base = {"story_id": story.id, "headline": story.headline, "source": mine[0],
                kind: fact.model_copy(update={"sources": mine, "disagreements": []})}
        if not earlier:
            found.append(NewFact.model_validate({
                **base, "kind": kind, "fact_key": _key("new", article_id, kind, _names(fact))}))
            continue
        if isinstance(fact, StoryDeal):
            before = _status(fact, lambda a: a != article_id and older(a))
            states = {c.status for c in fact.status_history if c.article_id == article_id}
            if before is not None and fact.status != before and fact.status in states:
                found.append(NewFact.model_validate({
                    **base, "kind": "status", "before": before,
                    "fact_key": _key("status", earlier[0], fact.kind, _names(fact), fact.status)}))
    return found


def _status(deal: StoryDeal, counted: Callable[[str], bool]) -> DealStatus | None:
    """The deal's status as the counted articles state it (the newest dated claim)."""
    claims = sorted((c for c in deal.status_history if counted(c.article_id)), key=_claim_order)
    return claims[-1].status if claims else None


class FollowIndex:
    """Alert follows by token, so a fact finds its readers without looking at every follow."""

    def __init__(self, follows: Iterable[Follow]) -> None:
        self.by_token: dict[str, list[Follow]] = {}
        self.by_word: dict[str, list[Follow]] = {}
        for follow in follows:
            if follow.kind == "topic":
                words = follow.key.split()
                if words:
                    self.by_word.setdefault(words[0], []).append(follow)
            else:
                for token in follow_tokens(follow):
                    self.by_token.setdefault(token, []).append(follow)

    def readers(self, fact: NewFact, countries: Sequence[str], at: dt.datetime) -> dict[int, list[str]]:
        """Chat -> labels of its follows the fact touches (follows made after `at` do not count)."""
        subject: StoryMeeting | StoryDeal | None = fact.meeting or fact.deal
        assert subject is not None
        tokens, words = fact_tokens(subject, countries)
        hits: dict[int, list[str]] = {}
        candidates = [f for t in tokens for f in self.by_token.get(t, ())]
        candidates += [f for w in words for f in self.by_word.get(w, ()) if touches(f, tokens, words)]
        for follow in candidates:
            if follow.created_at <= at:
                labels = hits.setdefault(follow.chat_id, [])
                if follow.label not in labels:
                    labels.append(follow.label)
        return hits


def fan_out(facts: Sequence[tuple[NewFact, dt.datetime]], index: FollowIndex,
            countries: Mapping[str, Sequence[str]]) -> list[tuple[int, NewFact, list[str]]]:
    """(chat, fact, labels of the chat's follows it touches) for every reader each new fact touches;
    `countries` by fact id. Facts are shared, not copied: there may be a reader per follow."""
    out: list[tuple[int, NewFact, list[str]]] = []
    for fact, at in facts:
        for chat_id, labels in index.readers(fact, countries.get(fact.fact_id, ()), at).items():
            out.append((chat_id, fact, labels))
    return out
