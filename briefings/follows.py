"""Follows: what a chat follows, how it is matched against stories and facts, and reader preferences.

Pure: nothing here reads the store. A follow is matched through *tokens*, strings such as
`name:ishaq dar`, `country:PAK` or `topic:mineral`; a story or a fact yields the tokens of every
person, party, country and word it names, so a follow touches it when they share one (a topic of
several words needs all of them). The same tokens index follows for the alert fan-out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, Field

from briefings.models import Story, StoryDeal, StoryEvent, StoryMeeting
from briefings.store.search_words import index_words
from briefings.stories.keys import country_key, name_key

FollowKind = Literal["person", "organisation", "country", "topic"]
Frequency = Literal["daily", "weekdays", "weekly"]

MAX_FOLLOWS = 50
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Candidate(BaseModel):
    """Something a typed name may mean: its kind, the key it is matched by, how it is shown."""

    kind: FollowKind
    key: str
    keys: list[str] = Field(default_factory=list)
    label: str
    detail: str | None = None

    @property
    def display(self) -> str:
        """"Jane Doe (Foreign Minister, Ruritania)"."""
        return f"{self.label} ({self.detail})" if self.detail else self.label


class Follow(Candidate):
    id: int
    chat_id: int
    alert: bool = False
    created_at: dt.datetime


class ReaderPrefs(BaseModel):
    """How a chat wants its briefing: only what it follows, a chart, and how often."""

    only_follows: bool = False
    chart: bool = False
    frequency: Frequency = "daily"
    weekday: int = Field(default=0, ge=0, le=6)  # for "weekly": 0 is Monday

    def delivers_on(self, day: dt.date) -> bool:
        if self.frequency == "weekdays":
            return day.weekday() < 5
        if self.frequency == "weekly":
            return day.weekday() == self.weekday
        return True

    @property
    def schedule(self) -> str:
        if self.frequency == "weekly":
            return f"Weekly on {dt.date(2024, 1, 1 + self.weekday):%A}"  # 1 Jan 2024 was a Monday
        return "On weekdays" if self.frequency == "weekdays" else "Daily"


# --- tokens -----------------------------------------------------------------------------------


def word_stem(word: str) -> str:
    """A crude English singular, so "minerals" follows "mineral" stories and the other way round."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def topic_words(text: str) -> list[str]:
    """The stemmed words a topic follow is made of (stop words dropped), in order."""
    folded = name_key(text)
    kept = index_words(folded)
    return [word_stem(w) for w in folded.split() if w in kept]


def follow_tokens(follow: Candidate) -> set[str]:
    """The tokens a follow matches on; a topic of several words is one token of all of them."""
    if follow.kind == "country":
        return {f"country:{follow.key}"}
    if follow.kind == "topic":
        return {"topic:" + " ".join(follow.key.split())}
    return {f"name:{k}" for k in [follow.key, *follow.keys] if k}


def _name_tokens(names: Iterable[str | None]) -> set[str]:
    tokens = set()
    for name in names:
        if not name:
            continue
        key = name_key(name)
        if key:
            tokens.add(f"name:{key}")
        code = country_key(name)
        if code:
            tokens.add(f"country:{code}")
    return tokens


def _words(texts: Iterable[str | None]) -> set[str]:
    return {word_stem(w) for text in texts if text for w in index_words(name_key(text))}


Fact = StoryMeeting | StoryDeal | StoryEvent


def fact_names(fact: Fact) -> list[str]:
    if isinstance(fact, StoryMeeting):
        return [*fact.participants, *([fact.place] if fact.place else [])]
    if isinstance(fact, StoryDeal):
        return list(fact.parties)
    return []


def fact_texts(fact: Fact) -> list[str]:
    texts = [ev.sentence for ev in fact.sources]
    if isinstance(fact, StoryDeal) and fact.sector:
        texts.append(fact.sector)
    if isinstance(fact, StoryEvent):
        texts.append(fact.what)
    return texts


def fact_tokens(fact: Fact, countries: Iterable[str] = ()) -> tuple[set[str], set[str]]:
    """(name and country tokens, topic words) of one fact; `countries` adds known party countries."""
    tokens = _name_tokens(fact_names(fact))
    tokens |= {f"country:{c}" for c in countries}
    return tokens, _words(fact_texts(fact))


_STORY_TOKENS: OrderedDict[tuple[str, object], tuple[set[str], set[str]]] = OrderedDict()
_TOKENS_KEPT = 4096


def story_tokens(story: Story) -> tuple[set[str], set[str]]:
    """(name and country tokens, topic words) of a story and every fact in it; kept per story
    version, since every reader's briefing asks for the same stories."""
    key = (story.id, story.updated_at)
    hit = _STORY_TOKENS.get(key)
    if hit is None:
        hit = _story_tokens(story)
        _STORY_TOKENS[key] = hit
        while len(_STORY_TOKENS) > _TOKENS_KEPT:
            _STORY_TOKENS.popitem(last=False)
    return hit


def _story_tokens(story: Story) -> tuple[set[str], set[str]]:
    tokens = _name_tokens([*story.people, *story.countries])
    words = _words([story.headline])
    facts: list[Fact] = [*story.meetings, *story.deals, *story.events]
    for fact in facts:
        more, more_words = fact_tokens(fact)
        tokens |= more
        words |= more_words
    return tokens, words


def touches(follow: Candidate, tokens: set[str], words: set[str]) -> bool:
    if follow.kind == "topic":
        return bool(follow.key) and all(w in words for w in follow.key.split())
    return bool(follow_tokens(follow) & tokens)


def matching(story: Story, follows: Sequence[Candidate]) -> list[Candidate]:
    """The follows a story touches, in the order given."""
    if not follows:
        return []
    tokens, words = story_tokens(story)
    return [f for f in follows if touches(f, tokens, words)]


_WEEKDAY_WORDS = {name: i for i, name in enumerate(WEEKDAYS)}


def parse_weekday(text: str) -> int | None:
    """"mon", "Monday", "tues" -> 0, 0, 1; None if not a weekday."""
    word = re.sub(r"[^a-z]", "", text.lower())
    return _WEEKDAY_WORDS.get(word[:3]) if len(word) >= 3 else None
