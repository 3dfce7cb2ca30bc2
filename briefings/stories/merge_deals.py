"""Deals of one story merged across sources by structured keys: kind, parties, amount, date.

"$500 million" and "around $500 million", "from NMC" and "from the US" (NMC being a US company)
are one deal. What the sources still disagree on (amount, sector, date, parties, kind, status) is
kept as a `Disagreement`; statuses become a history whose newest dated claim is the current status.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from briefings.extract.money import format_amount
from briefings.models import (
    DateValue,
    Deal,
    DealKind,
    DealStatus,
    Disagreement,
    Money,
    StatusClaim,
    StoryDeal,
)
from briefings.stories.assign import assign
from briefings.stories.keys import (
    FRAMEWORK_KINDS,
    amounts_compatible,
    dates_compatible,
    finer_date,
    name_key,
    short_id,
)
from briefings.stories.names import NameIndex, Party
from briefings.stories.sources import Source, claim_time, disagreement, sort_evidence

_PROGRESS: dict[str, int] = {"planned": 0, "negotiating": 1, "announced": 2, "signed": 3}


@dataclass
class _Item:
    source: Source
    deal: Deal
    parties: list[Party]
    siblings: int  # deals of this article with the same kind and parties (a total and its parts)

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(p.key for p in self.parties)


@dataclass
class _Group:
    items: list[_Item] = field(default_factory=list)

    def articles(self) -> set[str]:
        return {i.source.id for i in self.items}

    def amounts(self) -> list[Money]:
        return [i.deal.amount for i in self.items if i.deal.amount is not None]

    def parties(self) -> list[Party]:
        return _union_parties([i.parties for i in self.items])


def _equivalent(a: Party, b: Party) -> bool:
    """Same entity, or a country and an organisation of that country ("the US" and a US company)."""
    if a.key == b.key:
        return True
    if a.is_country != b.is_country:
        country, other = (a, b) if a.is_country else (b, a)
        return other.country == country.key
    return False


def _cover(a: Sequence[Party], b: Sequence[Party]) -> tuple[int, int, bool]:
    """(exact matches, loose matches, whether the lists agree).

    They agree when every party of the shorter list matches a distinct one of the other, or when
    two or more match exactly and what is left over on either side is only countries (outlets
    differ on which government they name next to the companies that signed).
    """
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    free = list(long)
    exact = loose = 0
    unmatched: list[Party] = []
    for party in sorted(short, key=lambda p: p.is_country):
        same = next((q for q in free if q.key == party.key), None)
        match = same or next((q for q in free if _equivalent(party, q)), None)
        if match is None:
            unmatched.append(party)
            continue
        free.remove(match)
        if same is not None:
            exact += 1
        else:
            loose += 1
    covered = not unmatched and bool(short)
    only_countries = all(p.is_country for p in [*unmatched, *free])
    return exact, loose, covered or (exact >= 2 and only_countries)


def _union_parties(lists: Sequence[Sequence[Party]]) -> list[Party]:
    """Every party named, the most specific list's order first; a country stands down for an
    organisation of that country ("the US" is the US company that signed)."""
    ordered = sorted(lists, key=lambda ps: (-sum(not p.is_country for p in ps), -len(ps)))
    seen: dict[str, Party] = {}
    for parties in ordered:
        for party in parties:
            seen.setdefault(party.key, party)
    named = list(seen.values())
    covered = {q.country for q in named if not q.is_country and q.country}
    return [p for p in named if not (p.is_country and p.key in covered)]


def _largest(groups: Sequence[_Group], item: _Item) -> _Group | None:
    """The group holding the biggest figure among deals of the same kind and parties (the total)."""
    same = [g for g in groups if g.amounts() and any(i.deal.kind == item.deal.kind and i.keys == item.keys
                                                    for i in g.items)]
    return max(same, key=lambda g: max(m.value for m in g.amounts()), default=None)


def _other_countries(a: Sequence[Party], b: Sequence[Party]) -> bool:
    """Each side names a country the other does not: Ghana-Norway against Ghana-Sweden."""
    def unmatched(xs: Sequence[Party], ys: Sequence[Party]) -> list[Party]:
        return [x for x in xs if x.is_country and not any(_equivalent(x, y) for y in ys)]
    return bool(unmatched(a, b)) and bool(unmatched(b, a))


def _other_signing_day(item: _Item, group: _Group) -> bool:
    """Signed on days more than one apart: two signings. (One day apart is the signing and the
    report of it, "signed June 4" against "announced Thursday that it had signed".)"""
    mine = item.deal.date
    if item.deal.status != "signed" or mine is None or mine.day is None or mine.inferred:
        return False
    for other in group.items:
        theirs = other.deal.date
        if other.deal.status != "signed" or theirs is None or theirs.day is None or theirs.inferred:
            continue
        if abs((_as_date(mine) - _as_date(theirs)).days) > 1:
            return True
    return False


def _as_date(value: DateValue) -> dt.date:
    return dt.date(value.year, value.month or 1, value.day or 1)


def _matcher(groups: Sequence[_Group]) -> Callable[[_Group, _Item], float | None]:
    # Groups do not change while one article's deals are matched: compute their parties once.
    parties = {id(g): g.parties() for g in groups}

    def match(group: _Group, item: _Item) -> float | None:
        if item.source.id in group.articles():
            return None
        kinds = {i.deal.kind for i in group.items}
        same_kind = item.deal.kind in kinds
        if not same_kind and not (item.deal.kind in FRAMEWORK_KINDS and kinds <= FRAMEWORK_KINDS):
            return None
        exact, loose, covered = _cover(item.parties, parties[id(group)])
        amounts = group.amounts()
        mine = item.deal.amount
        agree = mine is not None and bool(amounts) and all(amounts_compatible(mine, m) for m in amounts)
        conflict = mine is not None and bool(amounts) and not agree
        renamed = agree and exact >= 1 and not _other_countries(item.parties, parties[id(group)])
        if not covered and not renamed:
            # Different parties make another deal, never one disputed deal; only the same figure
            # with a shared party, named otherwise on the other side by a company, is one deal
            # ("Fomento Vasco" in one outlet, "Basque companies" in another).
            return None
        if _other_signing_day(item, group):
            return None
        same_parties = item.keys == frozenset(p.key for p in parties[id(group)])
        if not same_kind and not agree and not (exact >= 2 and same_parties):
            return None
        if conflict:
            # A lone figure differing from the others is the same deal only as the story's total.
            lone = item.siblings == 1 and all(i.siblings == 1 for i in group.items)
            if not (same_kind and exact == len(item.keys) and (lone or _largest(groups, item) is group)):
                return None
        score = 2.0 * exact + loose + (2.0 if same_kind else 0.0)
        score += 3.0 if agree else (-2.0 if conflict else 0.0)
        dates = [i.deal.date for i in group.items if i.deal.date is not None]
        if item.deal.date is not None and dates and all(dates_compatible(item.deal.date, d) for d in dates):
            score += 0.5
        return score
    return match


def _amount(items: Sequence[_Item]) -> tuple[Money | None, Disagreement | None]:
    stated = [(i.deal.amount, i.source) for i in items if i.deal.amount is not None]
    if not stated:
        return None, None
    clusters: list[list[tuple[Money, Source]]] = []
    for money, source in stated:
        home = next((c for c in clusters if all(amounts_compatible(money, m) for m, _ in c)), None)
        if home is None:
            clusters.append([(money, source)])
        else:
            home.append((money, source))
    best = max(clusters, key=lambda c: (len(c), max(claim_time(s) for _, s in c), -min(s.rank for _, s in c)))
    exact = [m for m, _ in best if not m.approximate]
    chosen = (exact or [m for m, _ in best])[0]
    dispute = disagreement("amount", [(format_amount(m.model_copy(update={"approximate": False})), s)
                                      for c in clusters for m, s in c]) if len(clusters) > 1 else None
    return chosen.model_copy(update={"approximate": not exact}), dispute


def _sector(items: Sequence[_Item]) -> tuple[str | None, Disagreement | None]:
    stated = [(i.deal.sector, i.source) for i in items if i.deal.sector]
    if not stated:
        return None, None
    counts = Counter(name_key(s) for s, _ in stated)
    best = max(stated, key=lambda ss: (counts[name_key(ss[0])], claim_time(ss[1]), -ss[1].rank))[0]
    by_key = {name_key(s): s for s, _ in reversed(stated)}
    return best, disagreement("sector", [(by_key[name_key(s)], src) for s, src in stated])


def _status(items: Sequence[_Item]) -> tuple[list[StatusClaim], Disagreement | None]:
    ordered = sorted(items, key=lambda i: (claim_time(i.source), _PROGRESS[i.deal.status], i.source.rank))
    history = [StatusClaim(status=i.deal.status, article_id=i.source.id,
                           published=i.source.facts.article.published, date=i.deal.date) for i in ordered]
    return history, disagreement("status", [(i.deal.status, i.source) for i in ordered])


def _kind(items: Sequence[_Item]) -> tuple[DealKind, Disagreement | None]:
    counts = Counter(i.deal.kind for i in items)
    kind = min(counts, key=lambda k: (-counts[k], min(i.source.rank for i in items if i.deal.kind == k)))
    return kind, disagreement("kind", [(i.deal.kind, i.source) for i in items])


def _merge(group: _Group, ranks: dict[str, int]) -> StoryDeal:
    items = sorted(group.items, key=lambda i: i.source.rank)
    first = items[0]
    kind, kind_dispute = _kind(items)
    amount, amount_dispute = _amount(items)
    sector, sector_dispute = _sector(items)
    history, status_dispute = _status(items)
    status: DealStatus = history[-1].status
    current = [i.deal.date for i in items if i.deal.status == status and i.deal.date is not None]
    date = history[-1].date or finer_date(current) or finer_date([i.deal.date for i in items if i.deal.date])
    same_status = [(i.deal.date, i.source) for i in items
                   if i.deal.date is not None and i.deal.status == status]
    date_dispute = None
    if not all(dates_compatible(a, b) for a, _ in same_status for b, _ in same_status):
        date_dispute = disagreement("date", [(d.iso(), s) for d, s in same_status])
    parties_dispute = None
    if len({i.keys for i in items}) > 1:
        parties_dispute = disagreement("parties",
                                       [(", ".join(p.name for p in i.parties), i.source) for i in items])
    found = (kind_dispute, amount_dispute, sector_dispute, status_dispute, date_dispute, parties_dispute)
    evidence = sort_evidence([e for i in items for e in i.source.evidence(i.deal.evidence)], ranks)
    anchor = first.deal.evidence[0].start if first.deal.evidence else 0
    return StoryDeal(id=short_id("d", first.source.id, str(anchor), first.deal.kind), kind=kind,
                     parties=[p.name for p in group.parties()], amount=amount, sector=sector, status=status,
                     status_history=history, date=date, sources=evidence,
                     disagreements=[d for d in found if d is not None])


def merge_deals(sources: Sequence[Source], names: NameIndex) -> list[StoryDeal]:
    """One `StoryDeal` per distinct deal, in the order the story first reports them."""
    groups: list[_Group] = []
    for source in sources:
        deals = source.facts.deals
        resolved = [names.parties(d.parties) for d in deals]
        shapes = [(d.kind, frozenset(p.key for p in ps)) for d, ps in zip(deals, resolved, strict=True)]
        counts = Counter(shapes)
        items = [_Item(source, d, ps, counts[shape])
                 for d, ps, shape in zip(deals, resolved, shapes, strict=True)]
        for item, group in assign(items, groups, _matcher(groups)):
            if group is None:
                groups.append(_Group([item]))
            else:
                group.items.append(item)
    ranks = {s.id: s.rank for s in sources}
    return [_merge(g, ranks) for g in groups]
