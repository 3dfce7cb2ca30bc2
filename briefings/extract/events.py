"""Dated events for the timeline: every dated meeting and deal, and other dated happenings.

A date attached to a reporting verb ("the ministry said on Tuesday", "Oli on Wednesday said")
dates the report, not an event, so such a sentence makes no event of its own. Neither do page
furniture (publication stamps, datelines, embedded posts' signatures) nor days that were guessed: an
undated article cannot place "on Thursday" or "16 January" on a calendar. A month it names ("in
July") is still placed against the reference date, marked `inferred`, as the facts are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from pydantic import BaseModel

from briefings.data.lexicons import load_json
from briefings.extract.context import ArticleContext
from briefings.extract.dates import DateMention
from briefings.extract.dates_tense import local_tense, sentence_tense
from briefings.extract.deal_terms import terms
from briefings.extract.money import format_amount
from briefings.extract.places import demonyms
from briefings.extract.sentences import Sentence
from briefings.extract.triggers import inside_quotes, phrase_pattern
from briefings.ingest.published import MONTH, is_stamp_line, match_dateline
from briefings.models import DateValue, Deal, Event, Evidence, Meeting

_CLAUSE_SPLIT = re.compile(r"\s*(?:[,;:]|\s[—–-]\s|—)\s*")
_MAX_WORDS = 16
# "since X took office": a subject and a verb after "since", up to the end of the clause
_SINCE_CLAUSE = re.compile(r"\bsince\s+(?P<what>(?:[A-Z][\w'’.-]*\s+){1,4}[a-z]+\b[^,;]*)$")
_NAME_BEFORE_VERB = re.compile(r"^((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*),\s+(?=[a-z])")
_MIN_WORDS = 3
_NAME_RUN = 4  # words a description may grow by to finish a name cut at the limit
_DATE_LEAD = re.compile(r"(?:\b(?:back|early|late|mid|earlier|later)\s+)?\b(?:in|on|of|since|from|by|during|"
                        r"for|until|this|last|next|at)?\s*$", re.IGNORECASE)
_HANDLE_BEFORE = re.compile(r"\(@\w{1,30}\)\s*$")  # "— Name (@handle) February 3, 2025": a post's signature
_WEEKDAY = re.compile(r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b", re.IGNORECASE)
_DEAL_NAMES = {"mou": "MoU", "agreement": "agreement", "investment": "investment", "loan": "loan",
               "trade_agreement": "trade agreement"}


class _EventWords(BaseModel):
    about: str = ""
    reporting: list[str]
    period_end: list[str]
    level_leads: list[str] = []
    level_verbs: list[str] = []
    leading: list[str]
    adverbs: list[str]
    prepositions: list[str]
    conjunctions: list[str]
    trailing: list[str]
    trip_words: list[str]
    future_modals: list[str]
    present_plans: list[str] = []
    arrival_words: list[str]
    relatives: list[str]
    purpose_phrases: list[str]


@cache
def _words_lexicon() -> _EventWords:
    return _EventWords.model_validate(load_json("event_words.json"))


def _alternation(words: Sequence[str]) -> str:
    return "|".join(r"\s+".join(re.escape(w) for w in phrase.split())
                    for phrase in sorted(words, key=len, reverse=True))


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    w = _words_lexicon()
    report = _alternation(w.reporting)
    trip = _alternation(w.trip_words)
    return {
        "report_before": re.compile(rf"\b(?:{report})\b[^,.;]{{0,24}}$", re.IGNORECASE),
        "report_next": re.compile(rf"^\s*(?:{report})\b"),  # "Oli on Wednesday said"
        # "On Monday Petro said", "On Friday, she told" (", reported Akorda" credits the sentence)
        "report_subject": re.compile(rf"^\s*,?\s*(?:(?:[A-Z][\w'’.-]*|he|she|they|it|we)\s+){{1,4}}"
                                     rf"(?:{report})\b"),
        "future": re.compile(rf"(?<![\w’'])(?:{_alternation([*w.future_modals, *w.present_plans])})\b"
                             r"[^,;:.]{0,60}$",
                             re.IGNORECASE),
        "stamp": re.compile(rf"\b(?:published|updated|posted)\s*(?:on|at)?\s*:?\s*"
                            rf"(?:{_WEEKDAY.pattern}\.?,?\s*)?$", re.IGNORECASE),
        "period_end": re.compile(rf"\b(?:{_alternation(w.period_end)})\s*$", re.IGNORECASE),
        "level_lead": re.compile(rf"\b(?:{_alternation(w.level_leads)})\s*$", re.IGNORECASE),
        "level_verb": re.compile(rf"\b(?:{_alternation(w.level_verbs)})\b", re.IGNORECASE),
        # "spared until April 2, when reciprocal tariffs will go into effect": the when-clause happens then
        "until_when": re.compile(r"^\s*,\s*when\s+(?P<what>[^;:.]+)"),
        "leading": re.compile(rf"^[\s,;:.—–-]*(?:(?:{_alternation(w.leading)})\s+)?", re.IGNORECASE),
        "adverbs": re.compile(rf"^(?:(?:{_alternation(w.adverbs)})\s+)+", re.IGNORECASE),
        # "following the ceasefire between X and Y", "after the ousting of X": the noun is what happened
        "nominal": re.compile(rf"^(?:(?:{_alternation(w.prepositions)})\s+(?:the|a|an)\s+|"
                              rf"(?:{_alternation(w.conjunctions)})\s+(?:the|a|an)\s+(?=\w+\s+of\b))",
                              re.IGNORECASE),
        "opener": re.compile(rf"^(?:{_alternation([*w.prepositions, *w.conjunctions])})\b", re.IGNORECASE),
        # "visited the US", "visit to Kazakhstan", "arrived in Jakarta's airport"
        "destination": re.compile(
            rf"(?:\b(?:{_alternation(w.arrival_words)})\s+(?:in|at)\s+|\b(?:visited|visiting|visits)\s+|"
            rf"\b(?:{trip})\b[^.;:]{{0,40}}?\bto\s+)(?:the\s+)?"
            rf"(?!{MONTH}\b|{_WEEKDAY.pattern})(?P<place>[A-Z][\w'’]+(?:\s+(?:of\s+)?[A-Z][\w'’]+){{0,3}})\b(?!-)"),
        "purpose": re.compile(rf"\s(?:{_alternation(w.purpose_phrases)})\b", re.IGNORECASE),
        "relative": re.compile(rf"^(?:{_alternation(w.relatives)})\s+", re.IGNORECASE),
    }


def _join(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def describe_meeting(m: Meeting) -> str:
    where = f" in {m.place}" if m.place else ""
    if m.kind == "visit":
        return f"{_join(m.participants)} visit{'s' if len(m.participants) == 1 else ''}{where or ''}".strip()
    noun = "Phone call" if m.kind == "call" else "Meeting"
    return f"{noun} between {_join(m.participants)}{where}"


def describe_deal(d: Deal) -> str:
    """Who did what: "India and Maldives sign a loan worth ₹4,850 crore on infrastructure"."""
    verbs = {"signed": "sign", "announced": "announce", "negotiating": "negotiate", "planned": "plan"}
    verb = verbs[d.status]
    if len(d.parties) == 1:
        verb += "es" if verb.endswith("h") else "s"
    sector = f" on {d.sector}" if d.sector else ""
    name = _DEAL_NAMES[d.kind]
    article = "an" if name[:1].lower() in "aeiou" or name.startswith("MoU") else "a"  # "an MoU"
    worth = f" worth {format_amount(d.amount)}" if d.amount else ""
    who = _join(d.parties) or "The parties"
    return f"{who} {verb} {article} {name}{worth}{sector}"


def tidy(words: list[str]) -> str:
    """A description from words: what the happening was for cut off ("seeking to delay …"), a name
    cut at the limit finished, dangling words and spaces dropped."""
    purpose = _patterns()["purpose"].search(" ".join(words))
    if purpose and len(" ".join(words)[:purpose.start()].split()) >= _MIN_WORDS + 1:
        words = " ".join(words)[:purpose.start()].split()
    kept = words[:_MAX_WORDS]
    rest = words[_MAX_WORDS:]
    if kept and rest and kept[-1][:1].isupper() and kept[-1][-1:].isalnum():
        for word in rest[:_NAME_RUN]:  # "... in the United Arab" + "Emirates"
            if not word[:1].isupper():
                break
            kept.append(word)
            if not word[-1:].isalnum():
                break
    trailing = {w.casefold() for w in _words_lexicon().trailing}
    while kept and kept[-1].strip(".,;:—–-").casefold() in trailing | {""}:
        kept.pop()
    text = " ".join(kept)
    text = re.sub(r"\s+([,.;:!?’”)])", r"\1", text)
    text = re.sub(r"([(“‘])\s+", r"\1", text)
    text = text.strip().rstrip(",;:.—–-").strip()
    return text[:1].upper() + text[1:]


def _readable(text: str) -> str:
    """A clause's start without connectors or adverbs; a leading "following the X of" becomes "X of"."""
    p = _patterns()
    text = p["leading"].sub("", text)
    text = p["adverbs"].sub("", text)
    nominal = p["nominal"].match(text)
    if nominal:
        text = text[nominal.end():]
        text = text.split(",")[0]  # the nominal ends where the main clause starts
    return text


def _clause(sentence: Sentence, mention: DateMention) -> str:
    # The date itself is left out: the timeline shows it beside the description.
    lead = _DATE_LEAD.search(sentence.text[:mention.start])
    cut = lead.start() if lead else mention.start
    text = sentence.text[:cut] + " " * (mention.end - cut) + sentence.text[mention.end:]
    pieces: list[tuple[int, int]] = []
    last = 0
    for sep in _CLAUSE_SPLIT.finditer(text):
        pieces.append((last, sep.start()))
        last = sep.end()
    pieces.append((last, len(text)))
    anchor = min(cut, len(text.rstrip()))  # the date's place, before the blank it left
    index = max((i for i, (s, _) in enumerate(pieces) if s <= anchor), default=0)
    piece = " ".join(text[pieces[index][0]:pieces[index][1]].split())
    since = _SINCE_CLAUSE.search(piece)
    if since and since.end() >= len(piece.rstrip()) - 1:
        # "their first meeting since Milei took office in December": what happened then is the since-clause
        return tidy(since.group("what").split())
    relative = _patterns()["relative"].match(piece)
    if relative and index > 0:  # "Petro, who took over in August 2022": "Petro took over"
        subject = " ".join(text[pieces[index - 1][0]:pieces[index - 1][1]].split())
        if len(subject.split()) <= _NAME_RUN:
            return tidy(f"{subject} {piece[relative.end():]}".split())
    lo, hi = index, index
    while len(text[pieces[lo][0]:pieces[hi][1]].split()) < 6 and (lo > 0 or hi < len(pieces) - 1):
        if lo > 0 and not _patterns()["opener"].match(text[pieces[lo][0]:pieces[lo][1]].strip()):
            lo -= 1
        elif hi < len(pieces) - 1:
            hi += 1
        else:
            lo -= 1
    joined = " ".join(text[pieces[lo][0]:pieces[hi][1]].split())
    # "Banco Austral, raised its rate": a name set off before its verb joins it without the comma
    joined = _NAME_BEFORE_VERB.sub(r"\1 ", joined)
    return tidy(_readable(joined).split())


def _destination(ctx: ArticleContext, m: Meeting) -> str | None:
    for evidence in m.evidence:
        found = _patterns()["destination"].search(evidence.sentence)
        if found and not any(found.group("place").startswith(n.split()[-1]) for n in m.participants):
            place = found.group("place")
            # "arrived in the Ghanaian capital": the adjective names the country
            return demonyms().get(place, place)
    return None


def _describe_visit(ctx: ArticleContext, m: Meeting) -> str:
    """"X visits Y": the travellers and the destination the trip phrase names."""
    where = m.place or _destination(ctx, m)
    verb = "visits" if len(m.participants) == 1 else "visit"
    return f"{_join(m.participants)} {verb} {where}" if where else describe_meeting(m)


def is_report_date(sentence: Sentence, mention: DateMention) -> bool:
    """A date that dates a report: "said on Tuesday", "in a statement on Friday", "on Tuesday said".

    A subject between the date and the verb counts only for a day ("On Monday Petro said"): "in
    February Panama said it was leaving" dates the announcement itself, a past happening.
    """
    p = _patterns()
    after = sentence.text[mention.end:]
    if p["report_before"].search(sentence.text[:mention.start]) or p["report_next"].match(after):
        return True
    return mention.value.precision == "day" and p["report_subject"].match(after) is not None


def _is_furniture_date(sentence: Sentence, mention: DateMention) -> bool:
    """A publication stamp, a dateline's date or an embedded post's signature date."""
    line = sentence.text
    before = line[:mention.start]
    if is_stamp_line(line) or _HANDLE_BEFORE.search(before) or _patterns()["stamp"].search(before):
        return True
    dateline = match_dateline(line)
    return dateline is not None and mention.start < dateline.end


def _is_level(sentence: Sentence, mention: DateMention) -> bool:
    """A level a figure stood at when a period closed ("rose to $64 billion at the end of June")."""
    p = _patterns()
    # the lead may sit inside the date ("at" + "the end of March")
    inside = sentence.text[mention.start:mention.end].split()[:-1]
    head = sentence.text[:mention.start] + " ".join(inside)
    return p["level_lead"].search(head.rstrip() + " ") is not None and \
        p["level_verb"].search(sentence.text) is not None


def _future_in_past(ctx: ArticleContext, sentence: Sentence, mention: DateMention) -> bool:
    """"would go into effect on Tuesday" read as the Tuesday before publication: a weekday the text
    places ahead cannot lie before the article's own day, so it is not resolved."""
    published = ctx.article.published
    if published is None or mention.value.precision != "day" or not _WEEKDAY.search(mention.text):
        return False
    ahead = local_tense(sentence.text, mention.start) == "future" or \
        _patterns()["future"].search(sentence.text[:mention.start]) is not None
    return ahead and mention.value.first_day() < published


def _guessed_day(value: DateValue) -> bool:
    return value.inferred and value.precision == "day"


def _same_day(a: DateValue, b: DateValue) -> bool:
    return a.iso() == b.iso()


def _sentence_of(ctx: ArticleContext, start: int) -> Sentence | None:
    return ctx.sentence_starting_at(start)


def _dated_by_report(ctx: ArticleContext, m: Meeting) -> bool:
    """The meeting's date comes only from reporting verbs or datelines in its sentences."""
    assert m.date is not None
    found = []
    for evidence in m.evidence:
        sentence = _sentence_of(ctx, evidence.start)
        if sentence is None:
            continue
        found += [(sentence, d) for d in ctx.date_mentions(sentence) if d.value.iso() == m.date.iso()]
    return bool(found) and all(is_report_date(s, d) or _is_furniture_date(s, d) for s, d in found)


def _names_any(text: str, names: Sequence[str]) -> bool:
    return any(re.search(rf"\b{re.escape(name.split()[-1])}\b", text) for name in names if name.split())


@cache
def _signing() -> re.Pattern[str]:
    """Words of a signing ("signed", "inked"): a signing that day was part of the meeting that day."""
    return phrase_pattern(tuple(w for w in terms().status["signed"] if w.startswith(("sign", "ink"))))


def _meeting_events(ctx: ArticleContext, meetings: Sequence[Meeting]) -> list[tuple[Event, Meeting]]:
    pairs = []
    for m in meetings:
        if m.date is None or _guessed_day(m.date) or _dated_by_report(ctx, m):
            continue
        what = _describe_visit(ctx, m) if m.kind == "visit" else describe_meeting(m)
        pairs.append((Event(date=m.date, what=what, evidence=m.evidence), m))
    return pairs


@cache
def _contact_words() -> re.Pattern[str]:
    """Words that tell of a contact ("the talks", "met", "the two leaders") in the contacts lexicon."""
    lexicon = load_json("contact_triggers.json")
    words = [w for key in ("meeting", "call", "visit", "either_kind", "group_refs") for w in lexicon[key]]
    return phrase_pattern(tuple(words))


def _host(events: Sequence[Event], contacts: Sequence[Meeting], sentence: Sentence,
          date: DateValue) -> int | None:
    """The meeting event a day-dated sentence also tells: it names a participant, the contact
    ("the talks", "the two leaders") or a signing on that day."""
    if date.precision != "day":
        return None
    text = sentence.text
    for index, meeting in enumerate(contacts):
        if _same_day(events[index].date, date) and (
                _names_any(text, meeting.participants) or _signing().search(text)
                or _contact_words().search(text)):
            return index
    return None


def extract_events(ctx: ArticleContext, meetings: Sequence[Meeting], deals: Sequence[Deal]) -> list[Event]:
    pairs = _meeting_events(ctx, meetings)
    events = [event for event, _ in pairs]
    contacts = [meeting for _, meeting in pairs]
    covered: set[tuple[int, str]] = set()
    fact_dates: dict[int, list[str]] = {}
    for m in meetings:
        if m.date is not None:
            for e in m.evidence:
                fact_dates.setdefault(e.start, []).append(m.date.iso())
    for d in deals:
        if d.date is None:
            continue
        for e in d.evidence:
            fact_dates.setdefault(e.start, []).append(d.date.iso())
        if _guessed_day(d.date):
            continue
        host = next((i for i, ev in enumerate(events) if ev.date.precision == "day"
                     and ev.date.iso() == d.date.iso()), None)
        if host is not None:  # deals signed at a meeting share the meeting's event
            events[host] = _absorb(events[host], d.evidence)
            continue
        status = "planned" if d.status in ("planned", "negotiating") else "occurred"
        events.append(Event(date=d.date, what=describe_deal(d), status=status, evidence=d.evidence))
    for sentence in ctx.sentences:
        for mention in ctx.date_mentions(sentence):
            iso = mention.value.iso()
            if _guessed_day(mention.value) or (sentence.start, iso) in covered:
                continue
            if any(f.startswith(iso) or iso.startswith(f) for f in fact_dates.get(sentence.start, [])):
                continue  # the meeting or deal told in this sentence already has its event
            if inside_quotes(sentence.text, mention.start) or is_report_date(sentence, mention):
                continue
            if _is_furniture_date(sentence, mention) or _future_in_past(ctx, sentence, mention):
                continue
            when = _patterns()["until_when"].match(sentence.text[mention.end:])
            if when is None and _patterns()["period_end"].search(sentence.text[:mention.start]):
                continue  # "in the two years up to December 2023" ends a period; nothing happened then
            if _is_level(sentence, mention):
                continue  # "debt stood at $155 billion at the end of March": a statistic
            what = tidy(_readable(when.group("what")).split()) if when else _clause(sentence, mention)
            if len(what.split()) < _MIN_WORDS or what == what.title():
                continue  # a caption's name and date, a label: nothing readable happened
            covered.add((sentence.start, iso))
            tense = sentence_tense(when.group("what")) if when else \
                local_tense(sentence.text, mention.start) or ctx.tense(sentence)
            status = "planned" if tense == "future" else "occurred"
            evidence = [ctx.evidence(sentence)]
            host = _host(events, contacts, sentence, mention.value) if status == "occurred" else None
            if host is not None:  # another sentence about the same meeting: one happening, one event
                events[host] = _absorb(events[host], evidence)
                continue
            events.append(Event(date=mention.value, what=what, status=status, evidence=evidence))
    talks = [frozenset(m.participants) if m.kind != "visit" else None for m in contacts]
    return _dedupe(events, talks)


def _absorb(event: Event, evidence: Sequence[Evidence]) -> Event:
    extra = [x for x in evidence if x not in event.evidence]
    return event.model_copy(update={"evidence": event.evidence + extra})


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{3,}", text.lower())}


def _overlap(a: Event, b: Event) -> bool:
    """Two descriptions of one happening. A shared day makes a shared name enough; a shared month
    does not (a visit in August and a meeting during it are two events)."""
    wa, wb = _words(a.what), _words(b.what)
    if a.date.precision == "day":
        return len(wa & wb) >= 0.4 * max(1, min(len(wa), len(wb)))
    return len(wa & wb) >= 0.5 * max(1, len(wa | wb))


def _dedupe(events: list[Event], talks: Sequence[frozenset[str] | None] = ()) -> list[Event]:
    """One event per happening. The first events are the contacts' (`talks` holds the participants
    of meetings and calls): talks of different people the same day (X meets Y, then Z, in Lima)
    are never one event."""
    out: list[Event] = []
    who: list[frozenset[str] | None] = []  # the participants of out's talks
    for index, event in enumerate(events):
        own = talks[index] if index < len(talks) else None
        twin = next((i for i, e in enumerate(out) if _same_day(e.date, event.date) and _overlap(e, event)
                     and (own is None or who[i] is None or own == who[i])), None)
        if twin is None:
            out.append(event)
            who.append(own)
        else:
            out[twin] = _absorb(out[twin], event.evidence)
    return sorted(out, key=lambda e: (e.date.first_day(), e.what))
