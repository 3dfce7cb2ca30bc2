"""One article's predictions against its gold, per category: greedy one-to-one matching.

Candidate pairs get a score; the best-scoring pair is taken first and each side is used at most
once. A `Tally` keeps the counts (micro-averaged later), the misses, the false positives, and the
matched pairs whose date, amount, status or kind is wrong, each as one readable line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from briefings.contract import DealOut, EventOut, MeetingOut, PersonOut
from briefings.evaluation.gold import GoldDeal, GoldEvent, GoldMeeting, GoldPerson
from briefings.evaluation.hints import deal_hint, event_hint, meeting_hint, quote
from briefings.evaluation.normalise import (
    clean_date,
    content_words,
    date_verdict,
    deal_kind,
    full_forms,
    jaccard,
    kind_credit,
    name_similarity,
    normalise,
    normalise_party,
    party_jaccard,
    place_matches,
    positive_amount,
    same_amount,
)

Candidate = tuple[float, int, int]  # (score, prediction index, gold index)
Match = tuple[int, int, float]  # (prediction index, gold index, score)
Resolver = Callable[[str], str]


@dataclass
class Tally:
    """Counts for one category; `checks` counts correct attributes among matched pairs."""

    tp: float = 0.0
    matched: int = 0
    pred: int = 0
    gold: int = 0
    checks: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.matched += other.matched
        self.pred += other.pred
        self.gold += other.gold
        self.checks.update(other.checks)


def greedy(candidates: Iterable[Candidate]) -> list[Match]:
    """One-to-one matching, best score first (ties: lower prediction, then gold index)."""
    used_p: set[int] = set()
    used_g: set[int] = set()
    out: list[Match] = []
    for score, i, j in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j, score))
    return out


def _count(tally: Tally, n_pred: int, n_gold: int, matches: Sequence[Match],
           optional: frozenset[int] = frozenset(),
           credit: Mapping[tuple[int, int], float] | None = None) -> None:
    """Counts from a matching; a matched optional gold item counts neither way."""
    hits = [(i, j) for i, j, _ in matches if j not in optional]
    tally.tp += sum(credit[h] for h in hits) if credit is not None else len(hits)
    tally.matched += len(hits)
    tally.pred += n_pred - (len(matches) - len(hits))
    tally.gold += n_gold - len(optional)


def _leftovers(tally: Tally, matches: Sequence[Match], preds: Sequence[str], golds: Sequence[str],
               optional: frozenset[int] = frozenset(),
               hint: Callable[[int, list[int]], str] | None = None) -> None:
    """Record unmatched gold items (with a hint on the nearest free prediction) and predictions."""
    matched_p = {i for i, _, _ in matches}
    matched_g = {j for _, j, _ in matches}
    free = [i for i in range(len(preds)) if i not in matched_p]
    tally.misses += [g + (hint(j, free) if hint else "") for j, g in enumerate(golds)
                     if j not in matched_g and j not in optional]
    tally.false_positives += [preds[i] for i in free]


def _date_label(verdict: str) -> str:
    return "date" if verdict == "wrong" else f"date {verdict}"


# --- descriptions (for the -v report) --------------------------------------------------------


def describe_meeting(kind: str, participants: Sequence[str], date: str | None, place: str | None) -> str:
    where = f" in {place}" if place else ""
    return f"{kind}: {' + '.join(participants)} @ {date}{where}"


def describe_deal(kind: str, parties: Sequence[str], amount: float | None, currency: str | None,
                  status: str, date: str | None) -> str:
    money = f" {amount:,.0f} {currency}" if amount is not None else ""
    return f"{kind}: {' / '.join(parties)}{money} {status} @ {date}"


def describe_event(date: str | None, what: str) -> str:
    return f"{date} {what[:80]}"


# --- people ----------------------------------------------------------------------------------


def _forms(name: str, aliases: Sequence[str]) -> set[str]:
    return {normalise(x) for x in [name, *aliases]} - {""}


def _person_score(pred: PersonOut, gold: GoldPerson, gold_forms: set[str]) -> float:
    pname = normalise(pred.name)
    if pname and pname == normalise(gold.name):
        return 3.0
    pforms = _forms(pred.name, pred.aliases)
    if pforms & gold_forms:
        return 2.0
    return max((name_similarity(a, b) for a in full_forms(pforms, pname)
                for b in full_forms(gold_forms, normalise(gold.name))), default=0.0)


def match_people(preds: Sequence[PersonOut], golds: Sequence[GoldPerson], tally: Tally) -> Resolver:
    """Match people; return a resolver from a predicted participant name to a gold canonical name."""
    gold_forms = [_forms(g.name, g.aliases) for g in golds]
    candidates = [(s, i, j) for i, p in enumerate(preds) for j, g in enumerate(golds)
                  if (s := _person_score(p, g, gold_forms[j])) > 0]
    matches = greedy(candidates)
    _count(tally, len(preds), len(golds), matches)
    _leftovers(tally, matches, [p.name for p in preds], [g.name for g in golds])
    table = {f: normalise(g.name) for j, g in enumerate(golds) for f in gold_forms[j]}
    for i, j, _ in matches:
        for form in [preds[i].name, *preds[i].aliases]:
            table.setdefault(normalise(form), normalise(golds[j].name))

    def resolve(name: str) -> str:
        n = normalise(name)
        if n in table:
            return table[n]
        best = max(((name_similarity(n, f), normalise(g.name)) for j, g in enumerate(golds)
                    for f in full_forms(gold_forms[j], normalise(g.name))), default=(0.0, n))
        return best[1] if best[0] > 0 else n
    return resolve


# --- meetings --------------------------------------------------------------------------------


def match_meetings(preds: Sequence[MeetingOut], golds: Sequence[GoldMeeting], resolve: Resolver,
                   tally: Tally) -> None:
    """Same kind, and the resolved participants equal the gold set or hold it with <= 1 extra."""
    gold_sets = [frozenset(map(normalise, g.participants)) for g in golds]
    candidates: list[Candidate] = []
    for i, p in enumerate(preds):
        people = frozenset(map(resolve, p.participants))
        for j, g in enumerate(golds):
            s = 2.0 if people == gold_sets[j] else (
                1.0 if people >= gold_sets[j] and len(people - gold_sets[j]) <= 1 else 0.0)
            if s and deal_kind(p.kind) == g.kind:
                s += (0.2 * (date_verdict(p.date, g.date_ok) == "ok")
                      + 0.1 * place_matches(p.place, g.place_ok))
                candidates.append((s, i, j))
    matches = greedy(candidates)
    for i, j, _ in matches:
        p, g = preds[i], golds[j]
        verdict = date_verdict(p.date, g.date_ok)
        place_ok = place_matches(p.place, g.place_ok)
        tally.checks.update({"date_ok": verdict == "ok", "+day": verdict == "+day",
                             "-day": verdict == "-day", "place_ok": place_ok})
        if verdict != "ok":
            label = describe_meeting(g.kind, g.participants, g.date, g.place)
            tally.wrong.append(f"{_date_label(verdict)}: got {p.date}, gold {g.date} ({label})")
        if not place_ok:
            who = " + ".join(g.participants)
            tally.wrong.append(f"place: got {p.place}, gold {g.place} ({g.kind}: {who})")
    _count(tally, len(preds), len(golds), matches)
    _leftovers(tally, matches,
               [describe_meeting(p.kind, p.participants, p.date, p.place) + quote(p.evidence) for p in preds],
               [describe_meeting(g.kind, g.participants, g.date, g.place) for g in golds],
               hint=lambda j, free: meeting_hint(golds[j], preds, free, resolve))


# --- deals -----------------------------------------------------------------------------------


def _deal_candidate(p: DealOut, parties: Sequence[str], g: GoldDeal, gold_parties: Sequence[str]
                    ) -> tuple[float, float] | None:
    """(score, kind credit) when the pair may match: related kinds, parties Jaccard >= 0.5, amounts agree."""
    credit = kind_credit(deal_kind(p.kind), g.kind_ok)
    overlap = party_jaccard(parties, gold_parties)
    pam, gam = positive_amount(p.amount), positive_amount(g.amount)
    amount_eq = same_amount(pam, gam) and normalise(p.currency) == normalise(g.currency)
    if not credit or overlap < 0.5 or not (amount_eq or pam is None or gam is None):
        return None
    amount_score = 1.0 if amount_eq else 0.5 if pam is None and gam is None else 0.0
    score = (credit + overlap + amount_score + 0.5 * (date_verdict(p.date, g.date_ok) == "ok")
             + 0.25 * (normalise(p.status) == g.status))
    return score, credit


def _deal_checks(p: DealOut, g: GoldDeal, credit: float, tally: Tally) -> None:
    pam, gam = positive_amount(p.amount), positive_amount(g.amount)
    verdict = date_verdict(p.date, g.date_ok)
    checks = {"kind_ok": credit == 1.0, "amount_ok": (pam is None and gam is None) or same_amount(pam, gam),
              "currency_ok": normalise(p.currency) == normalise(g.currency),
              "status_ok": normalise(p.status) == g.status, "date_ok": verdict == "ok"}
    tally.checks.update({**checks, "+day": verdict == "+day", "-day": verdict == "-day"})
    label = describe_deal(g.kind, g.parties, g.amount, g.currency, g.status, g.date)
    shown = {"kind_ok": (p.kind, g.kind), "amount_ok": (p.amount, g.amount),
             "currency_ok": (p.currency, g.currency), "status_ok": (p.status, g.status),
             "date_ok": (p.date, g.date)}
    for key, ok in checks.items():
        if not ok:
            name = _date_label(verdict) if key == "date_ok" else key.removesuffix("_ok")
            got, want = shown[key]
            tally.wrong.append(f"{name}: got {got}, gold {want} ({label})")


def match_deals(preds: Sequence[DealOut], golds: Sequence[GoldDeal], acronyms: Mapping[str, str],
                tally: Tally) -> None:
    """Kinds related, parties overlapping, amounts within 1% where both exist; TP is the kind credit."""
    gold_parties = [[normalise_party(x, acronyms) for x in g.parties] for g in golds]
    pred_parties = [[normalise_party(x, acronyms) for x in p.parties] for p in preds]
    candidates: list[Candidate] = []
    credit: dict[tuple[int, int], float] = {}
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            found = _deal_candidate(p, pred_parties[i], g, gold_parties[j])
            if found is not None:
                candidates.append((found[0], i, j))
                credit[(i, j)] = found[1]
    matches = greedy(candidates)
    for i, j, _ in matches:
        _deal_checks(preds[i], golds[j], credit[(i, j)], tally)
    _count(tally, len(preds), len(golds), matches, credit=credit)
    _leftovers(tally, matches,
               [describe_deal(p.kind, p.parties, p.amount, p.currency, p.status, p.date) + quote(p.evidence)
                for p in preds],
               [describe_deal(g.kind, g.parties, g.amount, g.currency, g.status, g.date) for g in golds],
               hint=lambda j, free: deal_hint(golds[j], gold_parties[j], preds, pred_parties, free))


# --- events ----------------------------------------------------------------------------------


def match_events(preds: Sequence[EventOut], golds: Sequence[GoldEvent], tally: Tally) -> None:
    """Same date and `what` content-word Jaccard >= 0.2, or the only gold and prediction that date."""
    dates = [clean_date(e.date) for e in preds]
    candidates: list[Candidate] = []
    for i, p in enumerate(preds):
        words = content_words(p.what)
        day = dates[i]
        for j, g in enumerate(golds):
            if day is None or day not in g.date_ok:
                continue
            overlap = jaccard(words, content_words(g.what))
            unique = dates.count(day) == 1 and sum(day in x.date_ok for x in golds) == 1
            if overlap >= 0.2 or unique:
                candidates.append((overlap + 0.01 * unique, i, j))
    optional = frozenset(j for j, g in enumerate(golds) if g.optional)
    matches = greedy(candidates)
    _count(tally, len(preds), len(golds), matches, optional=optional)
    _leftovers(tally, matches, [describe_event(p.date, p.what) + quote(p.evidence) for p in preds],
               [describe_event(g.date, g.what) for g in golds], optional=optional,
               hint=lambda j, free: event_hint(golds[j], preds, free))
