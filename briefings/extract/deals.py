"""Deals: MoUs, agreements, investments, loans and trade agreements with parties, amount and status.

A deal needs a trigger ("loan", "MoU", "agreement", "will lend", "agreed to pause tariffs" ...).
One with an amount is one deal per amount (totals and their parts are separate deals; a conversion
in brackets or "which is about ..." is the same figure); one without needs a status verb near it,
and a passing reference ("under the agreement") or an older deal ("a stalled 2019 agreement")
makes nothing. Amounts near words such as "trade", "reserves" or "tranche", running totals
("has invested $7 billion since 2005"), budgets and projections are other figures. Once an article
has shown what kind of deals it is about, a sentence that only says "Japan is providing ₱13 billion
for X" is one more of them. The kind follows the substance (a loan conversion is an agreement, an
MoU carrying an investment an investment); the status is the verb that governs the deal; the date
is that of the status (a planned deal has none yet). "The deal" / "the renewed agreement" joins
the deal it points back to. A headline figure is the body's deal of that figure, and counts on its
own only when the body gives no figure for such a deal. Parties come from `deal_parties`.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import pairwise

from briefings.extract.context import ArticleContext, best_date, finer_date
from briefings.extract.deal_parties import PartyFinder
from briefings.extract.deal_terms import (
    deal_triggers,
    funds,
    is_anaphoric,
    is_background,
    is_distractor,
    is_passing,
    is_rejected,
    is_statistic,
    is_stock,
    is_truce,
    near_money_word,
    operates_on_loans,
    sector_of,
    status_near,
    terms,
)
from briefings.extract.money import find_amounts, primary_amounts
from briefings.extract.organisations import known_acronyms
from briefings.extract.places import country_of
from briefings.extract.sentences import Sentence
from briefings.extract.triggers import phrase_pattern
from briefings.models import DateValue, Deal, DealKind, DealStatus, Meeting, Money

_MIN_AMOUNT = 100_000.0
_COORDINATED = re.compile(r"\b(?:and|or|&)\s+$")
_Trigger = tuple[DealKind, re.Match[str]]


def _amounts(ctx: ArticleContext, sentence: Sentence,
             triggers: list[_Trigger]) -> list[tuple[Money, Money | None]]:
    """Deal-sized amounts of a sentence, each with the conversion bracketed after it, if any."""
    text = sentence.text
    found = find_amounts(text, ctx.entities.main_country)
    primary = primary_amounts(found, text)
    out: list[tuple[Money, Money | None]] = []
    kept = {id(a) for a in primary}
    others = sorted((c for c in found if id(c) not in kept), key=lambda c: c.start)
    starts = [c.start for c in others]
    for amount in primary:
        if amount.value < _MIN_AMOUNT:
            continue
        matches = [m for _, m in triggers]
        if is_distractor(text, amount, matches) or is_stock(text, amount):
            continue
        if is_statistic(text, amount, matches):
            continue
        # the first non-primary figure starting within 25 characters after it, behind a bracket
        near = others[bisect_left(starts, amount.end):bisect_right(starts, amount.end + 25)]
        conversion = next((c for c in near if "(" in text[amount.end:c.start]), None)
        out.append((amount, conversion))
    return out


def _segments(text: str, amounts: Sequence[Money]) -> list[tuple[int, int]]:
    """The stretch of the sentence each amount belongs to, cut where a coordinated clause starts
    between two amounts ("... with China, and a $500m grant with Japan"; ", while X approved $3m");
    the whole sentence for each when there is no such cut."""
    cuts = []
    for left, right in pairwise(amounts):
        found = list(_COORDINATION.finditer(text, left.end, right.start))
        if not found:
            return [(0, len(text))] * len(amounts)
        cuts.append(found[-1].start())
    bounds = [0, *cuts, len(text)]
    return [(bounds[i], bounds[i + 1]) for i in range(len(amounts))]


_COORDINATION = re.compile(r",?\s+(?:while|whereas|but|and)\s+|;\s*")


def _distance(amount: Money, m: re.Match[str]) -> int:
    if m.start() >= amount.end:
        return m.start() - amount.end
    if m.end() <= amount.start:
        return amount.start - m.end()
    return 0


def _kind_for_amount(triggers: list[_Trigger], amount: Money, text: str) -> DealKind:
    """A loan word anywhere in the sentence wins (substance over form); else the nearest trigger."""
    kinds = {k for k, _ in triggers}
    if "loan" in kinds or any(k == "agreement" and funds(text, m) for k, m in triggers):
        return "agreement" if operates_on_loans(text) else "loan"
    if "trade_agreement" in kinds:
        return "trade_agreement"
    # "trade and investment deals": a package of several kinds, an agreement
    triggers = [("agreement" if k == "investment" and _COORDINATED.search(text, 0, m.start()) else k, m)
                for k, m in triggers]
    if any(k == "investment" and len(m.group(0).split()) > 1 for k, m in triggers):
        return "investment"  # "its largest foreign investment deal, a $3.7 billion agreement"
    if {"mou", "agreement"} <= {k for k, _ in triggers}:
        return "agreement"  # "agreements and memoranda of understanding": a mixed package
    return min(triggers, key=lambda t: _distance(amount, t[1]))[0]


def _loan_if_lender(kind: DealKind, parties: Sequence[str], trigger_text: str) -> DealKind:
    """A package or investment from a bank or fund is a loan."""
    lender = phrase_pattern(tuple(terms().lender_words))
    packaged = kind != "loan" and trigger_text.lower() in ("package", "financing", "support")
    return "loan" if packaged and any(lender.search(p) for p in parties) else kind


def _deal(ctx: ArticleContext, sentence: Sentence, kind: DealKind, parties: list[str], status: DealStatus,
          at: int, amount: Money | None = None, conversion: Money | None = None) -> Deal:
    parties = _giver_first(kind, parties, sentence.text)
    sector = "trade" if kind == "trade_agreement" else sector_of(sentence.text)
    # A deal's date is that of its status; a planned deal has none yet (the day it is expected to be
    # signed is a scheduled event, not the deal's date).
    date = None if status == "planned" else best_date(ctx.date_mentions(sentence), near=at)
    return Deal(kind=kind, parties=parties, amount=amount, amount_equivalent=conversion,
                sector=sector, status=status, date=date, evidence=[ctx.evidence(sentence)])


def _giver_first(kind: DealKind, parties: list[str], text: str) -> list[str]:
    """The lender first for a loan, the investor first for an investment (README order): the
    party written as the source ("a loan from X", "the German bank X") first, the one written as
    the receiver ("to X", "in X") last; otherwise a bank or fund before a borrower, a company
    before the country it invests in."""
    if kind not in ("loan", "investment"):
        return parties
    lender = phrase_pattern(tuple(terms().lender_words))

    def rank(party: str) -> tuple[int, int]:
        role = _role(text, party)
        if kind == "loan":  # an international body ("the European Union") lends to a country
            return role, lender.search(party) is None and party not in known_acronyms().values()
        return role, country_of(party) == party

    return sorted(parties, key=rank)


_GIVER_BEFORE = re.compile(r"\b(?:from|by|bank|lender|financier|fund|investor)\s+(?:the\s+)?$", re.IGNORECASE)
_TAKER_BEFORE = re.compile(r"\b(?:to|for|in|into)\s+(?:the\s+)?$")


def _role(text: str, party: str) -> int:
    """0 for a party the sentence writes as the giver, 2 as the receiver, 1 when it does not say."""
    at = text.find(party)
    if at < 0:
        return 1
    before = text[max(0, at - 25):at]
    return 0 if _GIVER_BEFORE.search(before) else 2 if _TAKER_BEFORE.search(before) else 1


def _default_status(ctx: ArticleContext, sentence: Sentence) -> DealStatus:
    return "signed" if sentence.kind == "caption" and ctx.tense(sentence) == "past" else "announced"


def _sentence_deals(ctx: ArticleContext, finder: PartyFinder, sentence: Sentence,
                    previous: Sequence[Deal] = (), links: dict[int, Deal] | None = None) -> list[Deal]:
    """The deals a sentence tells; `links` records which told deal an anaphoric one restates."""
    links = {} if links is None else links
    text = sentence.text
    # "received $8 billion under its loan programme": a passing reference names no deal of its own
    triggers = [t for t in deal_triggers(text) if not is_rejected(text, t[1]) and not is_passing(text, t[1])]
    if not triggers:
        return []
    parties = finder.parties(sentence)
    if not parties and not (previous and any(is_anaphoric(text, m) for _, m in triggers)):
        return []
    deals: list[Deal] = []
    amounts = _amounts(ctx, sentence, triggers)
    segments = _segments(text, [a for a, _ in amounts])
    for (amount, conversion), (lo, hi) in zip(amounts, segments, strict=True):
        local = [t for t in triggers if lo <= t[1].start() < hi] or triggers
        kind = _kind_for_amount(local, amount, text)
        nearest = min(triggers, key=lambda t: _distance(amount, t[1]))[1]
        status = (status_near(text, amount.start) or status_near(text, len(text) // 2, len(text))
                  or _default_status(ctx, sentence))
        if _UNDER_SIGNED.search(text):
            status = "signed"  # "Japan will provide a loan of ..., under an agreement signed on Tuesday"
        scoped = (finder.within(sentence, lo, hi, amounts[0][0].start, amounts[-1][0].end)
                  if len(amounts) > 1 else None)
        own = finder.around_amount(sentence, amount.start, amount.end) or scoped or parties
        referent = _referent(previous, kind) if is_anaphoric(text, nearest) and previous else None
        if referent is not None:
            # "Valued at 26 trillion won, the deal is ...": the deal told before, with its parties.
            own, kind = referent.parties, referent.kind
        if not own:
            continue
        deals.append(_deal(ctx, sentence, _loan_if_lender(kind, own, nearest.group(0)), own, status,
                           amount.start, amount, conversion))
        if referent is not None:
            links[id(deals[-1])] = referent
    if amounts:
        return deals
    seen: set[DealKind] = set()
    for kind, m in triggers:
        if kind == "investment" or kind in seen or is_background(text, m):
            continue  # an investment is only a deal with an amount; an earlier deal without one is history
        if m.start() > triggers[0][1].start() and _COMPONENT.search(text, 0, m.start()):
            continue  # "12 cooperation documents, including an MoU on ...": a part of the package told
        # a deal told by its verb ("has agreed to put planned tariffs on hold") is agreed, announced
        found_status = "announced" if is_truce(m) else status_near(text, m.start())
        if found_status is None:
            continue
        if kind == "loan" and operates_on_loans(text):
            kind = "agreement"  # "completed converting three loans into yuan"
        same_kind_told = any(d.kind == kind for d in previous)
        if is_anaphoric(text, m) and (kind == "agreement" or same_kind_told):
            if previous:  # "The agreement, signed June 4, ...": more about the deal told before
                earlier = _referent(previous, kind)
                named = finder.own_parties(sentence)
                guessed = finder.guessed_in(earlier) & set(earlier.parties)
                told = named if len(named) >= 2 and guessed else earlier.parties
                deals.append(_deal(ctx, sentence, earlier.kind, told, found_status, m.start()))
                links[id(deals[-1])] = earlier
            continue
        seen.add(kind)
        if not parties:
            continue
        deals.append(_deal(ctx, sentence, _loan_if_lender(kind, parties, m.group(0)), parties, found_status,
                           m.start()))
    return deals


_UNDER_SIGNED = re.compile(r"\bunder\s+(?:an?|the)\s+(?:[\w-]+\s+)?(?:agreement|deal|accord|contract)\s+"
                           r"(?:signed|inked|sealed|concluded)\b")
_COMPONENT = re.compile(r"\b(?:including|among\s+them|such\s+as)\s+(?:an?\s+|the\s+|one\s+|two\s+|three\s+)?"
                        r"(?:[\w-]+\s+){0,2}$")


def _referent(previous: Sequence[Deal], kind: DealKind) -> Deal:
    """The deal "the agreement" points back to: the latest of its kind, else the latest deal."""
    return next((d for d in reversed(previous) if d.kind == kind), previous[-1])


def _amount_only_deals(ctx: ArticleContext, finder: PartyFinder, sentence: Sentence,
                       model: Deal) -> list[Deal]:
    """"Japan is providing ₱13.35 billion for X" in an article about loans is one more loan."""
    deals = []
    for amount, conversion in _amounts(ctx, sentence, []):
        if not near_money_word(sentence.text, amount):
            continue
        # the counterparty these deals share is a country, whichever side the model lists first
        parties = finder.parties(sentence, sorted(model.parties, key=lambda p: country_of(p) != p))
        status = status_near(sentence.text, amount.start) or model.status
        deals.append(_deal(ctx, sentence, model.kind, parties, status, amount.start, amount, conversion))
    return deals


def _same_amount(a: Deal, b: Deal) -> bool:
    if a.amount is None or b.amount is None:
        return True

    def close(x: Money | None, y: Money | None) -> bool:
        return (x is not None and y is not None and x.currency == y.currency
                and abs(x.value - y.value) <= 0.002 * max(x.value, y.value))

    return (close(a.amount, b.amount) or close(a.amount_equivalent, b.amount)
            or close(a.amount, b.amount_equivalent))


def _sentence_no(deal: Deal, order: dict[int, int]) -> int:
    """The index of the sentence a deal was first told in (`order`: sentence start -> index)."""
    return order.get(deal.evidence[0].start, 0) if deal.evidence else 0


def _signed_on_other_days(a: Deal, b: Deal) -> bool:
    days = [d.date for d in (a, b) if d.status == "signed" and d.date is not None and d.date.day is not None]
    return len(days) == 2 and days[0] != days[1]


def _mergeable(a: Deal, b: Deal, orgs: set[str], order: dict[int, int]) -> bool:
    if not _same_amount(a, b) or _signed_on_other_days(a, b):
        return False
    shared = set(a.parties) & set(b.parties)
    if a.kind == b.kind:
        # Deals between companies are told apart by the companies, not by the country they share.
        with_orgs = bool(orgs & set(a.parties)) and bool(orgs & set(b.parties))
        return bool(shared & orgs) if with_orgs else bool(shared)
    if "loan" in (a.kind, b.kind) or (a.amount is None) == (b.amount is None):
        return False
    family = {"mou", "agreement", "investment"}
    if {a.kind, b.kind} <= family and a.status == b.status and set(a.parties) == set(b.parties):
        return True  # "agreements worth 9 billion riyals" and "the signing of MoUs" by the same sides
    # An amount in one sentence and its signatories in a neighbouring one, joined through a shared
    # organisation (a shared country is not enough).
    near = abs(_sentence_no(a, order) - _sentence_no(b, order)) <= 3
    return near and bool(shared & orgs)


def _stronger(a: DealStatus, b: DealStatus) -> DealStatus:
    rank = {"signed": 3, "announced": 2, "negotiating": 1, "planned": 0}
    return a if rank[a] >= rank[b] else b


def _no_guess(deal: Deal) -> frozenset[str]:
    return frozenset()


def _combine(target: Deal, item: Deal, guessed: Callable[[Deal], frozenset[str]] = _no_guess) -> Deal:
    keep_target_amount = target.amount is not None and (item.amount_equivalent is None or item.amount is None)
    amount_from = target if keep_target_amount or item.amount is None else item
    kind = target.kind
    kinds = {target.kind, item.kind}
    if target.kind != item.kind:  # the substance wins: an MoU or agreement that carries an investment
        kind = "investment" if "investment" in kinds else "agreement" if kinds == {"mou", "agreement"} \
            else amount_from.kind
    return target.model_copy(update={
        "kind": kind, "parties": _combined_parties(target, item, guessed)[:5],
        "amount": amount_from.amount, "amount_equivalent": amount_from.amount_equivalent,
        "sector": target.sector or item.sector, "status": _stronger(target.status, item.status),
        "date": _status_date(target, item),
        "evidence": target.evidence + [e for e in item.evidence if e not in target.evidence],
    })


def _status_date(target: Deal, item: Deal) -> DateValue | None:
    """The date of the current status: "approved on April 11 ... signed on June 23" is June 23."""
    rank = {"signed": 3, "announced": 2, "negotiating": 1, "planned": 0}
    if rank[item.status] > rank[target.status] and item.date is not None:
        return item.date
    if rank[target.status] > rank[item.status] and target.date is not None:
        return target.date
    return finer_date(target.date, item.date)


def _combined_parties(target: Deal, item: Deal, guessed: Callable[[Deal], frozenset[str]]) -> list[str]:
    """Parties named in either telling; parties guessed from the article only fill up to two."""
    guessed_target, guessed_item = guessed(target), guessed(item)
    named = [p for p in target.parties if p not in guessed_target]
    item_named = [p for p in item.parties if p not in guessed_item]
    # A restatement without a figure adds no signatory, unless it names both sides where the
    # first telling had to guess one ("The agreements, signed between X and Y, ...").
    restated = target.kind == item.kind and target.amount is not None and item.amount is None
    if restated and not (guessed_target & set(target.parties) and len(item_named) >= 2):
        return list(target.parties)
    parties = named + [p for p in item_named if p not in named]
    for party in [*target.parties, *item.parties]:
        if len(parties) >= 2:
            break
        if party not in parties:
            parties.append(party)
    return parties


def merge_deals(items: Sequence[Deal], ctx: ArticleContext,
                guessed: Callable[[Deal], frozenset[str]] = _no_guess,
                links: dict[int, Deal] | None = None) -> list[Deal]:
    """One item per deal: a deal restated in the article is one deal with all its sentences.
    An item `links` ties to an earlier one ("the deal", "the agreement") joins wherever that went."""
    merged: list[Deal] = []
    home: dict[int, int] = {}  # id of an item -> index of the merged deal holding it
    order = {s.start: s.index for s in ctx.sentences}
    orgs = {o.name for o in ctx.entities.organisations}
    index_of = _DealIndex()
    for item in items:
        referent = (links or {}).get(id(item))
        index = home.get(id(referent)) if referent is not None else None
        if index is not None and not _same_amount(merged[index], item):
            index = None  # "the package includes $6 billion for ...": a part, not the total again
        if index is None:
            index = next((i for i in index_of.candidates(item)
                          if _mergeable(merged[i], item, orgs, order)), None)
        if index is None:
            merged.append(item.model_copy(deep=True))
            index = len(merged) - 1
        else:
            merged[index] = _combine(merged[index], item, guessed)
        index_of.add(index, merged[index])
        home[id(item)] = index
    return merged


class _DealIndex:
    """Merged deals by party and by amount, so that each new item is compared only with the deals
    it could merge with (every mergeable pair shares a party, or has no parties, and an amount
    within 0.2% or none): merging stays linear in the article rather than quadratic."""

    def __init__(self) -> None:
        self.by_party: dict[str, set[int]] = {}
        self.by_amount: dict[tuple[str, int], set[int]] = {}
        self.without_parties: set[int] = set()
        self.without_amount: set[int] = set()

    def add(self, index: int, deal: Deal) -> None:
        for party in deal.parties:
            self.by_party.setdefault(party, set()).add(index)
        if not deal.parties:
            self.without_parties.add(index)
        for money in (deal.amount, deal.amount_equivalent):
            if money is not None:
                self.by_amount.setdefault(_bucket(money), set()).add(index)
        if deal.amount is None:
            self.without_amount.add(index)

    def candidates(self, item: Deal) -> list[int]:
        found = set(self.without_parties)
        for party in item.parties:
            found |= self.by_party.get(party, set())
        if not item.parties:
            found = {i for group in self.by_party.values() for i in group} | found
        if item.amount is not None:
            near = set(self.without_amount)
            for money in (item.amount, item.amount_equivalent):
                if money is not None:
                    currency, step = _bucket(money)
                    for k in (step - 1, step, step + 1):
                        near |= self.by_amount.get((currency, k), set())
            found &= near
        return sorted(found)


def _bucket(money: Money) -> tuple[str, int]:
    """Amounts within 0.2% of each other fall in the same or a neighbouring bucket."""
    return money.currency, math.floor(math.log(max(money.value, 1.0)) / math.log(1.002))


def _family(kind: DealKind) -> str:
    return "loan" if kind == "loan" else "other"


def _model_deal(deals: Sequence[Deal]) -> Deal | None:
    """The kind of deal the article is about: the most common kind among deals with amounts."""
    with_amount = [d for d in deals if d.amount is not None]
    if not with_amount:
        return None
    kind = Counter(d.kind for d in with_amount).most_common(1)[0][0]
    return next(d for d in with_amount if d.kind == kind)


def _dated_by_talks(ctx: ArticleContext, deals: list[Deal], meetings: Sequence[Meeting]) -> list[Deal]:
    """"Following the talks, the parties signed ...": an undated deal signed at the article's one
    dated meeting or call takes its day."""
    dated = {m.date for m in meetings if m.kind in ("meeting", "call") and m.date is not None}
    if len(dated) != 1:
        return deals
    day = next(iter(dated))
    order = {s.start: s.index for s in ctx.sentences}
    by_index = {s.index: s for s in ctx.sentences}
    out = []
    for deal in deals:
        index = _sentence_no(deal, order)
        nearby = [by_index[i].text for i in (index - 1, index) if i in by_index]
        if deal.date is None and deal.status == "signed" and any(_AT_TALKS.search(t) for t in nearby):
            deal = deal.model_copy(update={"date": day})
        out.append(deal)
    return out


_AT_TALKS = re.compile(r"\b(?:following|after|during|at)\s+(?:the|their|these)\s+(?:\w+[\s-]+){0,2}?"
                       r"(?:talks|meeting|call|conversation)\b", re.IGNORECASE)


def extract_deals(ctx: ArticleContext, meetings: Sequence[Meeting] = ()) -> list[Deal]:
    """The deals of an article; `meetings` (its contacts) date deals signed at them."""
    return _dated_by_talks(ctx, _extract_deals(ctx), meetings)


def _extract_deals(ctx: ArticleContext) -> list[Deal]:
    finder = PartyFinder(ctx)
    body = [s for s in ctx.sentences if s.kind != "heading"]
    told: list[Deal] = []
    links: dict[int, Deal] = {}
    for sentence in body:
        told.extend(_sentence_deals(ctx, finder, sentence, told, links))
    heads = [d for s in ctx.sentences if s.kind == "heading" for d in _sentence_deals(ctx, finder, s)]
    model = _model_deal(told + heads)
    if model is not None:
        told += [d for s in body if not deal_triggers(s.text)
                 for d in _amount_only_deals(ctx, finder, s, model)]
    found = merge_deals(told, ctx, finder.guessed_in, links)
    body_amounts = [d for d in found if d.amount is not None]
    for deal in heads:
        if deal.amount is not None:
            # A headline figure is the body's deal of that figure, whatever word it uses for it.
            same = next((i for i, d in enumerate(found) if d.amount is not None and _same_amount(deal, d)
                         and (d.kind == deal.kind or "loan" not in {d.kind, deal.kind})), None)
            if same is not None:
                in_body = found[same]
                found[same] = _combine(in_body, deal, finder.guessed_in)
                if len([p for p in in_body.parties if p not in finder.guessed_in(in_body)]) >= 2:
                    # a headline sums a deal up by country ("X, Y sign $2bn deal"); the body's
                    # signatories (two companies) stand
                    found[same] = found[same].model_copy(update={"parties": in_body.parties})
                continue
            if any(_family(d.kind) == _family(deal.kind) for d in body_amounts):
                continue  # the body gives other figures for such a deal: the headline's contradicts them
        found = merge_deals([*found, deal], ctx, finder.guessed_in)
    return found
