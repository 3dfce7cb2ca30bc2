"""Meetings, calls and visits that happened, with their participants, date and place.

Precision first: a meeting or call needs two named people, a visit a named traveller (visits in
`visits`); planned, hoped-for or negated contacts are left to the timeline as events. The people
of a contact are those of the trigger's part of the sentence; "the two leaders" are those of the
contact told before, or of the sentence before; "their leaders met" waits for the leaders to be
named. The date is the sentence's own (`contact_dates`), or one the article told for one side
("X spoke by phone on Monday with his counterpart ... the call with Y"), or the trip's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from briefings.extract.contact_dates import contact_date
from briefings.extract.contact_words import (
    contact,
    hosts_nobody,
    is_passive,
    is_planned,
    lexicon,
    meets_nobody,
    place_of,
    pronoun_subject,
    received_by,
    talk_triggers,
    unique_keys,
)
from briefings.extract.context import ArticleContext, finer_date
from briefings.extract.dates_lexicon import date_words
from briefings.extract.delegations import delegation_heads
from briefings.extract.entities import Mention, country_of
from briefings.extract.sentences import Sentence
from briefings.extract.triggers import find_phrases, has_phrase, phrase_pattern
from briefings.extract.venues import dateline_city
from briefings.extract.visits import join_companions, visits_in
from briefings.models import ContactKind, DateValue, Evidence, Meeting

_DURING_VISIT = re.compile(r"\b(?:during|on the sidelines of|in the course of)\s+"
                           r"(?:the|his|her|their|this|that)\s+(?:\w+\s+){0,2}(?:visit|trip|tour)\b",
                           re.IGNORECASE)
_HELD_IN = re.compile(r"\b(?:held|took place|convened)\s+(?:in|at)\b", re.IGNORECASE)
# Where one part of a sentence ends and another, about other people, begins.
_PART_BREAK = re.compile(r"[—–;:()]|\s-\s|\baccording\s+to\b"
                         r"|,\s+(?:while|whereas|as|after|before|when|since|and\s+(?:said|added|told)"
                         r"|(?:a|\w+)\s+(?:days?|weeks?)\s+(?:after|before))\b", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s?\b")
_RELATIVE = re.compile(r",\s+(?:who|whose|which)\b[^,;:—–]*")  # ", who succeeded Z in 2023"
_OWNS_TRIGGER = re.compile(r"['’]s?(?:\s+[\w-]+){0,3}\s+")  # "Y's first official " + trigger
_OWNED_HEAD = re.compile(r"['’]s?\s+")
_MODIFIERS = 3
_MODIFIER = re.compile(r"(?!said\b|says\b|told\b)[a-z][\w-]*\s+")  # "recent", "first official"
_SPEAKS = re.compile(r",?\s+(?:said|says|told|added|noted|wrote|posted)\b")
_UNNAMED_WINDOW = 5  # sentences after "their leaders met" in which the leaders are looked for


def _confirmed_dateline_city(ctx: ArticleContext) -> str | None:
    """"BOGOR, Indonesia (AP) — X met Y on Wednesday ... greeted at a palace in Bogor": Bogor.

    A dateline alone tells where the report was filed; the body must place something there too.
    """
    city = dateline_city(ctx.article.dateline)
    if city is None:
        return None
    return city if re.search(rf"\b(?:in|at)\s+{re.escape(city)}\b", ctx.article.text) else None


def _on_report_day(ctx: ArticleContext, date: DateValue | None) -> bool:
    published = ctx.article.published
    if date is None or date.day is None or published is None:
        return False
    return abs((date.first_day() - published).days) <= 1


@dataclass
class _State:
    """What earlier sentences of the article tell the later ones."""

    found: list[Meeting] = field(default_factory=list)
    # `found` less its visits, and where each participant's talks are in it: kept as items are found,
    # so a sentence looks at the talks it may refer to, not at every contact told before it
    talks: list[Meeting] = field(default_factory=list)
    talks_of: dict[str, list[int]] = field(default_factory=dict)
    nameless_talks: list[int] = field(default_factory=list)
    dateline_city: str | None = ""  # "" until looked up
    last_visit: Meeting | None = None
    # a contact told with one named side and a date ("X spoke by phone on Monday with his counterpart")
    dated_sides: dict[tuple[str, str], DateValue] = field(default_factory=dict)
    # "their leaders met" before either leader is named: (kind, date, evidence, sentence index)
    unnamed: tuple[ContactKind, DateValue | None, Evidence, int] | None = None


def _near_group(group: list[re.Match[str]], trigger: re.Match[str]) -> bool:
    return any(0 <= trigger.start() - g.end() <= 40 or 0 <= g.start() - trigger.end() <= 5 for g in group)


def _talks(ctx: ArticleContext, sentence: Sentence, state: _State, people: list[Mention]) -> list[Meeting]:
    lex = lexicon()
    kind, triggers = talk_triggers(sentence)
    if kind is None:
        return []
    trigger = triggers[0]
    passive = is_passive(sentence, trigger) and not received_by(ctx, sentence, trigger)
    if is_planned(sentence, trigger, ctx) or passive \
            or hosts_nobody(ctx, sentence, trigger) or meets_nobody(ctx, sentence, trigger):
        return []
    text = sentence.text
    keys = _participants(sentence, people, trigger)
    dates = ctx.date_mentions(sentence)
    date = contact_date(text, dates, trigger.start())
    group = find_phrases(text, lex["group_refs"])
    earlier = state.talks
    if len(keys) == 1 and date is not None:
        # "During his phone conversation on Monday, X ..." dates the call told just before,
        # or, when none was, the one told next with X.
        undated = next((m for m in reversed(earlier) if m.kind == kind and keys[0] in m.participants
                        and m.date is None), None)
        if undated is not None:
            undated.date = date
            undated.evidence.append(ctx.evidence(sentence))
        else:
            state.dated_sides[(kind, keys[0])] = date
    if len(keys) < 2 and group and _near_group(group, trigger):
        if earlier:
            # "their earlier meeting", "the two leaders had a conversation": the contact told before,
            # of its kind when the words fit either ("conversation", "talks")
            keys = list(earlier[-1].participants)
            if has_phrase(trigger.group(0), lex["either_kind"]):
                kind = earlier[-1].kind
        elif (pair := _pair_before(ctx, sentence)) is not None:
            keys = pair  # "X arrived ..., received by Y. The two leaders later held talks"
        elif not keys:
            state.unnamed = (kind, date, ctx.evidence(sentence), sentence.index)
            return []
    visit = state.last_visit
    during = visit is not None and _DURING_VISIT.search(text) is not None
    if len(keys) == 1 and during and visit is not None and keys[0] not in visit.participants:
        # "During the visit, talks were held with President Y": the traveller is the other side.
        keys = [visit.participants[0], *keys]
    if len(keys) == 1 and (subject := pronoun_subject(ctx, sentence, trigger)) not in (None, keys[0]):
        keys = [subject, *keys]  # "X travelled to Washington. On Tuesday, he spoke with Y by telephone."
    if len(keys) < 2:
        return []
    # only talks sharing a side (or naming none) can hold or be held in these sides
    near = sorted({i for k in keys for i in state.talks_of.get(k, ())}.union(state.nameless_talks))
    sides = set(keys)
    same = [m for m in (earlier[i] for i in near)
            if set(m.participants) >= sides or sides >= set(m.participants)]
    if same and has_phrase(trigger.group(0), lex["either_kind"]):
        kind = same[-1].kind  # "the two leaders had a friendly conversation" after their call: that call
    if date is None:
        date = next((d for k in keys if (d := state.dated_sides.get((kind, k))) is not None), None)
    if date is None and during and visit is not None:
        date = visit.date
    same_day = _same_day_before(sentence, earlier, keys) if date is None else None
    if same_day is not None:
        date = same_day.date  # "Talks between X and Y followed later in the day"
    place = place_of(ctx, sentence, trigger.start(), trigger_end=trigger.end()) if kind == "meeting" else None
    if place is None and kind == "meeting" and same_day is not None and same_day.kind == "meeting":
        place = same_day.place  # the same day at the same gathering
    if place is None and kind == "meeting" and _on_report_day(ctx, date):
        if state.dateline_city == "":
            state.dateline_city = _confirmed_dateline_city(ctx)  # once per article: it reads the whole text
        place = state.dateline_city
    first = contact(kind, keys, date, place, ctx.evidence(sentence))
    return [first, *_other_part_contacts(ctx, sentence, people, kind, triggers, first)]


def _part_bounds(text: str, offset: int) -> tuple[int, int]:
    breaks = [0, *(m.start() for m in _PART_BREAK.finditer(text)), len(text)]
    return max(b for b in breaks if b <= offset), min(b for b in breaks if b > offset)


def _other_part_contacts(ctx: ArticleContext, sentence: Sentence, people: list[Mention], kind: ContactKind,
                         triggers: Sequence[re.Match[str]], first: Meeting) -> list[Meeting]:
    """"X met Y on Tuesday, a day after Z held talks with W": a second contact in another part of
    the sentence, when that part names two people of its own."""
    text = sentence.text
    told = [_part_bounds(text, triggers[0].start())]
    found: list[Meeting] = []
    for trigger in triggers[1:]:
        bounds = _part_bounds(text, trigger.start())
        if bounds in told or is_planned(sentence, trigger, ctx) or is_passive(sentence, trigger):
            continue
        told.append(bounds)
        inside = [m for m in people if bounds[0] <= m.start - sentence.start < bounds[1]]
        keys = unique_keys(inside)
        if len(keys) < 2 or set(keys) == set(first.participants):
            continue
        own = [d for d in ctx.date_mentions(sentence) if bounds[0] <= d.start < bounds[1]]
        date = contact_date(text, own, trigger.start())
        place = None
        if kind == "meeting":
            place = place_of(ctx, sentence, trigger.start(), trigger_end=trigger.end())
        found.append(contact(kind, keys, date, place, ctx.evidence(sentence)))
    return found


def _same_day_before(sentence: Sentence, earlier: list[Meeting], keys: list[str]) -> Meeting | None:
    """The contact told just before, dated to the day and sharing a participant, when the sentence
    places its own "later in the day" or "the same day"."""
    if not earlier or not has_phrase(sentence.text, date_words().same_day_words):
        return None
    last = earlier[-1]
    if last.date is None or last.date.day is None or not set(last.participants) & set(keys):
        return None
    return last


def _participants(sentence: Sentence, people: list[Mention], trigger: re.Match[str]) -> list[str]:
    """The people of the contact: those of the trigger's part of the sentence when it names two.

    "X met Y on Monday, days after Z visited W" is a meeting of X and Y; when the trigger's part
    names fewer than two ("X, who met Y on Monday, said ..."), the whole sentence counts.
    """
    text = sentence.text
    # "Y's speech": a possessor is no participant, unless what is owned is a contact ("Y's talks with
    # Z", "Y's recent visits to the US, including a meeting with Z")
    people = [m for m in people if not _POSSESSIVE.match(text, m.end - sentence.start)
              or _owns_contact(text[m.end - sentence.start:])]
    speakers = [m for m in people if _SPEAKS.match(text, m.end - sentence.start)]
    if len(unique_keys([m for m in people if m not in speakers])) >= 2:
        people = [m for m in people if m not in speakers]  # "..., presidential spokesman Y said"
    breaks = [0, *(m.start() for m in _PART_BREAK.finditer(text)), len(text)]
    start = max(b for b in breaks if b <= trigger.start())
    end = min(b for b in breaks if b > trigger.start())
    inside = [m for m in people if start <= m.start - sentence.start < end]
    principals = [m for m in inside if not _onlooker(text, m.start - sentence.start, trigger)]
    if len(unique_keys(principals)) >= 2:
        inside = principals
    owner = [m for m in inside if _OWNS_TRIGGER.fullmatch(text[m.end - sentence.start:trigger.start()])]
    if owner:  # "X criticised Y's meeting with rebels": Y and whom Y met, not X
        inside = owner + [m for m in inside if m.start - sentence.start > trigger.start()]
    keys = unique_keys(inside)
    return keys if len(keys) >= 2 or owner else unique_keys(people)


def _onlooker(text: str, offset: int, trigger: re.Match[str]) -> bool:
    """A person named as a topic or onlooker of the contact, not a party to it: after a stop word
    that follows the trigger ("met Y to discuss the crisis Z triggered", "in the presence of Z"), or
    inside a relative clause without the trigger ("X, who succeeded Z, met Y")."""
    if offset > trigger.end():
        stops = find_phrases(text[trigger.end():offset], lexicon()["participant_stops"])
        if stops:
            return True
    return any(c.start() <= offset < c.end() and not c.start() <= trigger.start() < c.end()
               for c in _RELATIVE.finditer(text))


def _pair_before(ctx: ArticleContext, sentence: Sentence) -> list[str] | None:
    """The two people the sentence just before names, when it names exactly two."""
    if sentence.index == 0:
        return None
    previous = ctx.sentences[sentence.index - 1]
    if previous.paragraph != sentence.paragraph:
        return None
    keys = unique_keys(ctx.people_in(previous))
    return keys if len(keys) == 2 else None


def _owns_contact(after: str) -> bool:
    """After "Y's", a contact behind at most a few modifiers: "Y's recent visits", not "Y's aide
    said Z met"."""
    lex = lexicon()
    pattern = phrase_pattern(tuple(lex["meeting"] + lex["call"] + lex["visit"]))
    head = _OWNED_HEAD.match(after)
    for _ in range(_MODIFIERS + 1):
        if head is None:
            return False
        if pattern.match(after, head.end()):
            return True
        head = _MODIFIER.match(after, head.end())
    return False


def _name_unnamed(ctx: ArticleContext, sentence: Sentence, state: _State,
                  people: list[Mention]) -> list[Meeting]:
    """"Their leaders met": the first two people named within a few sentences after it."""
    if state.unnamed is None:
        return []
    kind, date, evidence, index = state.unnamed
    keys = unique_keys(people)
    if sentence.index - index > _UNNAMED_WINDOW:
        state.unnamed = None
        return []
    if len(keys) < 2:
        return []
    state.unnamed = None
    return [Meeting(kind=kind, participants=keys[:2], date=date, place=None,
                    evidence=[evidence, ctx.evidence(sentence)])]


def _sentence_contacts(ctx: ArticleContext, sentence: Sentence, state: _State) -> list[Meeting]:
    lex = lexicon()
    people = ctx.people_in(sentence)
    found = _name_unnamed(ctx, sentence, state, people)
    text = sentence.text
    if not people and not has_phrase(text, lex["group_refs"]) and not has_phrase(text, lex["visit"]):
        return found  # a visit may name its traveller by title only
    talks = _talks(ctx, sentence, state, people)
    # a date nearer the talks told in the sentence is theirs, not the trip's
    rivals = [t.start() for t in talk_triggers(sentence)[1][:1]] if talks else []
    visits = visits_in(ctx, sentence, people, rivals)
    found += talks
    # "X, who arrived in Y on Monday, was accompanied by Z": a companion of the trip this sentence
    # tells, else of the one told before
    join_companions(ctx, sentence, visits[-1] if visits else state.last_visit, people)
    return found + visits


def _compatible(a: DateValue | None, b: DateValue | None) -> bool:
    if a is None or b is None:
        return True
    return a.iso().startswith(b.iso()) or b.iso().startswith(a.iso())


def _same_destination(a: Meeting, b: Meeting) -> bool:
    if a.place is None or b.place is None:
        return True
    # two cities are two stops ("Astana and Samarkand"); a city and its country may be one trip
    return a.place == b.place or country_of(a.place) == b.place or country_of(b.place) == a.place


def _mergeable(a: Meeting, b: Meeting) -> bool:
    if a.kind != b.kind or not _compatible(a.date, b.date):
        return False
    pa, pb = set(a.participants), set(b.participants)
    if a.kind == "visit":
        # two trips told in one sentence are two legs ("visiting Indonesia after travelling to Malaysia")
        legs = a.evidence[:1] == b.evidence[:1]
        return bool(pa & pb) and not legs and _same_destination(a, b) and a.repeated == b.repeated
    return pa <= pb or pb <= pa


def _add_talk(state: _State, item: Meeting) -> None:
    state.talks.append(item)
    for key in item.participants:
        state.talks_of.setdefault(key, []).append(len(state.talks) - 1)
    if not item.participants:
        state.nameless_talks.append(len(state.talks) - 1)


def merge_contacts(items: Sequence[Meeting]) -> list[Meeting]:
    """One item per contact: the same meeting told twice in an article is one meeting."""
    merged: list[Meeting] = []
    # An item merges only with one sharing a participant, or one naming nobody (`_mergeable`):
    # those are looked at, in order, instead of every item before it (a long article has many).
    holders: dict[str, set[int]] = {}
    nameless: set[int] = set()
    for item in items:
        spots: Iterable[int] = range(len(merged)) if not item.participants else \
            sorted(nameless.union(*(holders.get(p, ()) for p in item.participants)))
        at = next((i for i in spots if _mergeable(merged[i], item)), None)
        if at is None:
            at = len(merged)
            merged.append(item.model_copy(deep=True))
        else:
            target = merged[at]
            people = target.participants + [p for p in item.participants if p not in target.participants]
            merged[at] = _merged(target, item, people)
        for key in merged[at].participants:
            holders.setdefault(key, set()).add(at)
        if not merged[at].participants:
            nameless.add(at)
    return merged


def _merged(target: Meeting, item: Meeting, people: list[str]) -> Meeting:
    return target.model_copy(update={
        "participants": people,
        "date": finer_date(target.date, item.date),
        "place": target.place or item.place,
        "evidence": target.evidence + [e for e in item.evidence if e not in target.evidence],
    })


def _delegation_meeting(ctx: ArticleContext, found: list[Meeting]) -> list[Meeting]:
    """Delegation-level talks whose heads are named apart from the meeting sentence."""
    told = [(s, heads) for s in ctx.sentences if (heads := delegation_heads(ctx, s))]
    heads = list(dict.fromkeys(h for _s, hs in told for h in hs))
    if len(heads) < 2 or any(len(set(m.participants) & set(heads)) >= 2 for m in found):
        return []
    for sentence in ctx.sentences:
        kind, triggers = talk_triggers(sentence)
        if kind != "meeting" or ctx.people_in(sentence) or is_planned(sentence, triggers[0], ctx):
            continue
        trigger = triggers[0]
        date = contact_date(sentence.text, ctx.date_mentions(sentence), trigger.start())
        # the sentence names no one, so any city it places the meeting in is the meeting's
        held = _HELD_IN.search(sentence.text, trigger.end())
        place = place_of(ctx, sentence, held.end() if held else trigger.start())
        evidence = [ctx.evidence(sentence)] + [ctx.evidence(s) for s, _hs in told]
        return [Meeting(kind="meeting", participants=heads, date=date, place=place, evidence=evidence)]
    return []


def extract_contacts(ctx: ArticleContext) -> list[Meeting]:
    state = _State()
    for sentence in ctx.sentences:
        for item in _sentence_contacts(ctx, sentence, state):
            state.found.append(item)
            if item.kind != "visit":
                _add_talk(state, item)
            if item.kind == "visit":
                state.last_visit = item
    return merge_contacts(state.found + _delegation_meeting(ctx, state.found))
