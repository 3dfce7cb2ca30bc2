"""Dated events for the timeline: every dated meeting and deal, and other dated happenings.

A date attached to a reporting verb ("the ministry said on Tuesday") dates the report, not an
event, so such a sentence makes no event of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefings.extract.context import ArticleContext
from briefings.extract.dates import DateMention
from briefings.extract.money import format_amount
from briefings.extract.sentences import Sentence
from briefings.extract.triggers import inside_quotes
from briefings.models import DateValue, Deal, Event, Meeting

_REPORTING = re.compile(r"\b(?:said|says|told|added|stated|reported|noted|according to|wrote|posted|"
                        r"tweeted|confirmed|quoted|press conference|news conference|press briefing)\b"
                        r"[^,.;]{0,16}$", re.IGNORECASE)
_CLAUSE_SPLIT = re.compile(r"\s*(?:[,;:]|\s[—–-]\s|—)\s*")
_LEADING = re.compile(r"^[\s,;:.—–-]*(?:(?:and|but|while|which|who|where|as|when)\s+)?", re.IGNORECASE)
_PERIOD_END = re.compile(r"\b(?:up to|until|till|through|as of|since|by the end of|to the end of)\s*$",
                         re.IGNORECASE)
_MAX_WORDS = 16
_DATE_LEAD = re.compile(r"(?:\b(?:back|early|late|mid|earlier|later)\s+)?\b(?:in|on|of|since|from|by|during|"
                        r"for|until|this|last|next)?\s*$", re.IGNORECASE)
_DEAL_NAMES = {"mou": "MoU", "agreement": "agreement", "investment": "investment", "loan": "loan",
               "trade_agreement": "trade agreement"}


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
    verb = {"signed": "signed", "announced": "announced", "negotiating": "under negotiation",
            "planned": "planned"}[d.status]
    sector = f" on {d.sector}" if d.sector else ""
    amount = f" of {format_amount(d.amount)}" if d.amount else ""
    return f"{_join(d.parties)} {_DEAL_NAMES[d.kind]}{amount}{sector} {verb}"


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
    lo, hi = index, index
    while len(text[pieces[lo][0]:pieces[hi][1]].split()) < 6 and (lo > 0 or hi < len(pieces) - 1):
        if lo > 0:
            lo -= 1
        if hi < len(pieces) - 1:
            hi += 1
    words = _LEADING.sub("", " ".join(text[pieces[lo][0]:pieces[hi][1]].split())).split()
    clause = " ".join(words[:_MAX_WORDS]).rstrip(".,;:")
    return clause[:1].upper() + clause[1:]


def _visit_clause(ctx: ArticleContext, m: Meeting) -> str:
    first = m.evidence[0]
    sentence = next((s for s in ctx.sentences if s.start == first.start), None)
    mention = next((d for d in ctx.date_mentions(sentence) if m.date and d.value.iso() == m.date.iso()),
                   None) if sentence else None
    if sentence is None or mention is None:
        return describe_meeting(m)
    return _clause(sentence, mention)


def _is_report_date(sentence: Sentence, mention: DateMention) -> bool:
    return _REPORTING.search(sentence.text[:mention.start]) is not None


def _same_day(a: DateValue, b: DateValue) -> bool:
    return a.iso() == b.iso()


def extract_events(ctx: ArticleContext, meetings: Sequence[Meeting], deals: Sequence[Deal]) -> list[Event]:
    events: list[Event] = []
    covered: set[tuple[int, str]] = set()
    fact_dates: dict[int, list[str]] = {}
    for m in meetings:
        if m.date is not None:
            what = describe_meeting(m)
            if m.kind == "visit":  # the trip's purpose and destination are in its sentence
                what = f"{_join(m.participants)}: {_visit_clause(ctx, m)}"
            events.append(Event(date=m.date, what=what, evidence=m.evidence))
            for e in m.evidence:
                fact_dates.setdefault(e.start, []).append(m.date.iso())
    for d in deals:
        if d.date is not None:
            for e in d.evidence:
                fact_dates.setdefault(e.start, []).append(d.date.iso())
            host = next((i for i, ev in enumerate(events) if ev.date.precision == "day"
                         and ev.date.iso() == d.date.iso()), None)
            if host is not None:  # deals signed at a meeting share the meeting's event
                events[host] = events[host].model_copy(
                    update={"evidence": events[host].evidence + [x for x in d.evidence
                                                                 if x not in events[host].evidence]})
                continue
            status = "planned" if d.status in ("planned", "negotiating") else "occurred"
            events.append(Event(date=d.date, what=describe_deal(d), status=status, evidence=d.evidence))
    for sentence in ctx.sentences:
        for mention in ctx.date_mentions(sentence):
            iso = mention.value.iso()
            if any(f.startswith(iso) or iso.startswith(f) for f in fact_dates.get(sentence.start, [])):
                continue  # the meeting or deal told in this sentence already has its event
            if (sentence.start, iso) in covered:
                continue
            if inside_quotes(sentence.text, mention.start) or _is_report_date(sentence, mention):
                continue
            if _PERIOD_END.search(sentence.text[:mention.start]):
                continue  # "in the two years up to December 2023" ends a period; nothing happened then
            status = "planned" if ctx.tense(sentence) == "future" else "occurred"
            events.append(Event(date=mention.value, what=_clause(sentence, mention), status=status,
                                evidence=[ctx.evidence(sentence)]))
            covered.add((sentence.start, mention.value.iso()))
    return _dedupe(events)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{3,}", text.lower())}


def _overlap(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    return len(wa & wb) >= 0.4 * max(1, min(len(wa), len(wb)))


def _dedupe(events: list[Event]) -> list[Event]:
    out: list[Event] = []
    for event in events:
        twin = next((e for e in out if _same_day(e.date, event.date) and _overlap(e.what, event.what)), None)
        if twin is None:
            out.append(event)
        else:
            out[out.index(twin)] = twin.model_copy(
                update={"evidence": twin.evidence + [x for x in event.evidence if x not in twin.evidence]})
    return sorted(out, key=lambda e: (e.date.first_day(), e.what))
