"""Deals: MoUs, agreements, investments, loans and trade agreements with parties, amount and status.

A deal needs a trigger noun ("loan", "MoU", "agreement" ...). One with an amount is one deal per
amount (totals and their parts are separate deals); one without needs a status verb in its clause
so that passing references ("under the agreement") make nothing. Amounts near words such as
"trade", "reserves" or "tranche" are other figures, not a deal's value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from briefings.data.lexicons import load_json, load_lines
from briefings.extract.context import ArticleContext, best_date
from briefings.extract.money import find_amounts, primary_amounts
from briefings.extract.sentences import Sentence
from briefings.extract.triggers import find_phrases, inside_quotes, phrase_pattern
from briefings.models import DateValue, Deal, DealKind, DealStatus, Money

_KIND_ORDER: tuple[DealKind, ...] = ("loan", "trade_agreement", "mou", "investment", "agreement")
_STATUS_ORDER: tuple[DealStatus, ...] = ("negotiating", "planned", "signed", "announced")
_STATUS_WINDOW = 90  # characters around a trigger searched for its status verb
_DISTRACTOR_BEFORE = 40
_DISTRACTOR_AFTER = 30
_MIN_AMOUNT = 100_000.0
_ANAPHORIC = re.compile(r"\b(?:the|this|that|these|those|under|of the)\s+$", re.IGNORECASE)
_IN_SECTOR = re.compile(r"\b(?:in|for|on)\s+(?:its\s+|the\s+)?([a-z][a-z ,-]{2,40}?)\s+(?:sector|industry|industries)\b")


@cache
def _terms() -> dict[str, dict[str, list[str]] | list[str]]:
    data: dict[str, dict[str, list[str]] | list[str]] = load_json("deal_terms.json")
    return data


def _kinds() -> dict[str, list[str]]:
    kinds = _terms()["kinds"]
    assert isinstance(kinds, dict)
    return kinds


def _statuses() -> dict[str, list[str]]:
    status = _terms()["status"]
    assert isinstance(status, dict)
    return status


def _word_list(name: str) -> list[str]:
    words = _terms()[name]
    assert isinstance(words, list)
    return words


def _triggers(text: str) -> list[tuple[DealKind, re.Match[str]]]:
    found: list[tuple[DealKind, re.Match[str]]] = []
    taken: list[tuple[int, int]] = []
    for kind in _KIND_ORDER:
        for m in find_phrases(text, _kinds()[kind]):
            if inside_quotes(text, m.start()) and kind != "loan":
                continue
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue  # "trade agreement" is not also an "agreement"
            taken.append((m.start(), m.end()))
            found.append((kind, m))
    return sorted(found, key=lambda t: t[1].start())


def _status(text: str, around: int) -> DealStatus | None:
    lo, hi = max(0, around - _STATUS_WINDOW), around + _STATUS_WINDOW
    window = text[lo:hi]
    for status in _STATUS_ORDER:
        if phrase_pattern(tuple(_statuses()[status])).search(window):
            return status
    return None


def _is_distractor(text: str, amount: Money, triggers: list[tuple[DealKind, re.Match[str]]]) -> bool:
    before = text[max(0, amount.start - _DISTRACTOR_BEFORE):amount.start]
    after = text[amount.end:amount.end + _DISTRACTOR_AFTER]
    pattern = phrase_pattern(tuple(_word_list("distractors")))
    hits = [amount.start - (max(0, amount.start - _DISTRACTOR_BEFORE) + m.end()) for m in pattern.finditer(before)]
    hits += [m.start() for m in pattern.finditer(after)]
    if not hits:
        return False
    nearest_distractor = min(hits)
    nearest_trigger = min((_distance(amount, m) for _, m in triggers), default=10_000)
    return nearest_distractor < nearest_trigger


def _distance(amount: Money, m: re.Match[str]) -> int:
    if m.start() >= amount.end:
        return m.start() - amount.end
    if m.end() <= amount.start:
        return amount.start - m.end()
    return 0


def _kind_for_amount(triggers: list[tuple[DealKind, re.Match[str]]], amount: Money,
                     clause: str) -> DealKind | None:
    """A loan word anywhere in the clause wins (substance over form); else the nearest trigger."""
    if not triggers:
        return None
    if any(k == "loan" for k, _ in triggers) and find_phrases(clause, _kinds()["loan"]):
        return "loan"
    if any(k == "trade_agreement" for k, _ in triggers):
        return "trade_agreement"
    return min(triggers, key=lambda t: _distance(amount, t[1]))[0]


def _parties(ctx: ArticleContext, sentence: Sentence) -> list[str]:
    keys = [m.key for m in ctx.entities.mentions_in(sentence.index) if m.kind in ("country", "organisation")]
    return list(dict.fromkeys(keys))[:4]


def _main_countries(ctx: ArticleContext) -> list[str]:
    counts: dict[str, int] = {}
    for m in ctx.entities.mentions:
        if m.kind == "country":
            counts[m.key] = counts.get(m.key, 0) + 1
    return [k for k, _ in sorted(counts.items(), key=lambda kv: -kv[1])[:2]]


def _sector(text: str) -> str | None:
    m = _IN_SECTOR.search(text)
    if m:
        return m.group(1).strip()
    found = find_phrases(text, load_lines("sectors.txt"))
    if not found:
        return None
    return max(found, key=lambda x: len(x.group(0))).group(0).lower()


def _as_loan_if_lender(kind: DealKind, parties: list[str]) -> DealKind:
    if kind not in ("investment", "agreement"):
        return kind
    lender = phrase_pattern(tuple(_word_list("lender_words")))
    return "loan" if any(lender.search(p) for p in parties) and kind == "investment" else kind


def _sentence_deals(ctx: ArticleContext, sentence: Sentence) -> list[Deal]:
    text = sentence.text
    triggers = _triggers(text)
    if not triggers:
        return []
    country = ctx.entities.main_country
    amounts = [a for a in primary_amounts(find_amounts(text, country), text)
               if a.value >= _MIN_AMOUNT and not inside_quotes(text, a.start)
               and not _is_distractor(text, a, triggers)]
    parties = _parties(ctx, sentence) or _main_countries(ctx)
    if not parties:
        return []
    dates = ctx.date_mentions(sentence)
    past = ctx.tense(sentence) == "past"
    deals: list[Deal] = []
    if amounts:
        for amount in amounts:
            kind = _kind_for_amount(triggers, amount, text)
            if kind is None:
                continue
            status = _status(text, amount.start) or ("signed" if past and sentence.kind == "caption" else "announced")
            deals.append(Deal(kind=_as_loan_if_lender(kind, parties), parties=parties, amount=amount,
                              sector=_sector(text), status=status,
                              date=best_date(dates, near=amount.start), evidence=[ctx.evidence(sentence)]))
        return deals
    seen: set[DealKind] = set()
    for kind, m in triggers:
        if kind == "investment" or kind in seen:
            continue  # an investment is only a deal with an amount; "cooperation in investment" is not
        if _ANAPHORIC.search(text[:m.start()]) and kind == "agreement":
            continue  # "under the agreement" refers back to a deal already told
        status = _status(text, m.start())
        if status is None:
            continue
        seen.add(kind)
        deals.append(Deal(kind=kind, parties=parties, amount=None, sector=_sector(text), status=status,
                          date=best_date(dates, near=m.start()), evidence=[ctx.evidence(sentence)]))
    return deals


def _same_amount(a: Money | None, b: Money | None) -> bool:
    if a is None or b is None:
        return True
    return a.currency == b.currency and abs(a.value - b.value) <= 0.02 * max(a.value, b.value)


def _organisations(deal: Deal, ctx: ArticleContext) -> set[str]:
    orgs = {o.name for o in ctx.entities.organisations}
    return {p for p in deal.parties if p in orgs}


def _sentence_no(deal: Deal, ctx: ArticleContext) -> int:
    start = deal.evidence[0].start
    return next((s.index for s in ctx.sentences if s.start == start), 0)


def _mergeable(a: Deal, b: Deal, ctx: ArticleContext) -> bool:
    if not _same_amount(a.amount, b.amount):
        return False
    shared = set(a.parties) & set(b.parties)
    if a.kind == b.kind:
        return bool(shared)
    if "loan" in (a.kind, b.kind) or (a.amount is None) == (b.amount is None):
        return False
    # An amount in one sentence and its signatories in a neighbouring one: joined through a shared
    # organisation (not merely a shared country).
    near = abs(_sentence_no(a, ctx) - _sentence_no(b, ctx)) <= 3
    return near and bool(shared & (_organisations(a, ctx) | _organisations(b, ctx)))


def merge_deals(items: Sequence[Deal], ctx: ArticleContext) -> list[Deal]:
    merged: list[Deal] = []
    for item in items:
        target = next((d for d in merged if _mergeable(d, item, ctx)), None)
        if target is None:
            merged.append(item.model_copy(deep=True))
            continue
        kind = target.kind if target.amount is not None or item.amount is None else item.kind
        if target.kind != item.kind and "mou" in (target.kind, item.kind) and item.amount is None:
            kind = "mou" if target.kind == "investment" else kind
        parties = target.parties + [p for p in item.parties if p not in target.parties]
        merged[merged.index(target)] = target.model_copy(update={
            "kind": kind,
            "parties": parties[:5],
            "amount": target.amount or item.amount,
            "sector": target.sector or item.sector,
            "status": _stronger(target.status, item.status),
            "date": _finer_date(target, item),
            "evidence": target.evidence + [e for e in item.evidence if e not in target.evidence],
        })
    return merged


def _stronger(a: DealStatus, b: DealStatus) -> DealStatus:
    rank = {"signed": 3, "announced": 2, "negotiating": 1, "planned": 0}
    return a if rank[a] >= rank[b] else b


def _finer_date(a: Deal, b: Deal) -> DateValue | None:
    da, db = a.date, b.date
    if da is None or db is None:
        return da or db
    return da if len(da.iso()) >= len(db.iso()) else db


def extract_deals(ctx: ArticleContext) -> list[Deal]:
    found: list[Deal] = []
    for sentence in ctx.sentences:
        found.extend(_sentence_deals(ctx, sentence))
    return merge_deals(found, ctx)
