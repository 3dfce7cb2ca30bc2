"""Why a gold item was missed: the nearest unmatched prediction and what kept it from matching.

Only for the verbose report: it tells whoever improves the extractor whether a miss is a wrong
kind, a wrong party, a wrong amount or a wrong date, rather than a fact never found.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from briefings.contract import DealOut, EventOut, MeetingOut
from briefings.evaluation.gold import GoldDeal, GoldEvent, GoldMeeting
from briefings.evaluation.normalise import (
    clean_date,
    content_words,
    deal_kind,
    jaccard,
    kind_credit,
    normalise,
    party_jaccard,
    positive_amount,
    same_amount,
)

_EVIDENCE_CHARS = 110


def quote(evidence: Sequence[str]) -> str:
    """The first evidence sentence, shortened, for a false-positive line."""
    if not evidence:
        return "  (no evidence)"
    text = " ".join(evidence[0].split())
    return f'  <- "{text[:_EVIDENCE_CHARS]}{"..." if len(text) > _EVIDENCE_CHARS else ""}"'


def meeting_hint(gold: GoldMeeting, preds: Sequence[MeetingOut], free: Sequence[int],
                 resolve: Callable[[str], str]) -> str:
    """The free prediction sharing most participants with `gold`, and what differs."""
    wanted = frozenset(map(normalise, gold.participants))
    scored = [(len(wanted & frozenset(map(resolve, preds[i].participants))), i) for i in free]
    best = max(scored, default=(0, -1))
    if best[0] == 0:
        return ""
    p = preds[best[1]]
    got = frozenset(map(resolve, p.participants))
    reasons = []
    if deal_kind(p.kind) != gold.kind:
        reasons.append(f"kind {p.kind}")
    if wanted - got:
        reasons.append("lacks " + ", ".join(sorted(wanted - got)))
    if len(got - wanted) > 1:
        reasons.append("extra " + ", ".join(sorted(got - wanted)))
    return f"  [nearest: {p.kind} {' + '.join(p.participants)}: {'; '.join(reasons) or 'taken by another'}]"


def deal_hint(gold: GoldDeal, gold_parties: Sequence[str], preds: Sequence[DealOut],
              pred_parties: Sequence[Sequence[str]], free: Sequence[int]) -> str:
    """The free prediction with the most similar parties (then amount), and what kept it out."""
    gam = positive_amount(gold.amount)

    def closeness(i: int) -> tuple[float, bool]:
        amount = positive_amount(preds[i].amount)
        return party_jaccard(pred_parties[i], gold_parties), same_amount(amount, gam)

    ranked = sorted(free, key=lambda i: closeness(i), reverse=True)
    if not ranked or closeness(ranked[0]) == (0.0, False):
        return ""
    p = preds[ranked[0]]
    overlap = closeness(ranked[0])[0]
    pam = positive_amount(p.amount)
    reasons = []
    if not kind_credit(deal_kind(p.kind), gold.kind_ok):
        reasons.append(f"kind {p.kind} vs {gold.kind}")
    if overlap < 0.5:
        reasons.append(f"parties {' / '.join(pred_parties[ranked[0]])} (Jaccard {overlap:.2f})")
    amount_eq = same_amount(pam, gam) and normalise(p.currency) == normalise(gold.currency)
    if pam is not None and gam is not None and not amount_eq:
        reasons.append(f"amount {pam:,.0f} {p.currency} vs {gam:,.0f} {gold.currency}")
    return f"  [nearest: {p.kind} {' / '.join(p.parties)}: {'; '.join(reasons) or 'taken by another'}]"


def event_hint(gold: GoldEvent, preds: Sequence[EventOut], free: Sequence[int]) -> str:
    """A free prediction on an accepted date (words too far apart) or with the words on another date."""
    words = content_words(gold.what)
    same_day = [i for i in free if clean_date(preds[i].date) in gold.date_ok]
    if same_day:
        return f"  [same date, other words: {preds[same_day[0]].what[:60]}]"
    similar = max(((jaccard(words, content_words(preds[i].what)), i) for i in free), default=(0.0, -1))
    if similar[0] >= 0.2:
        p = preds[similar[1]]
        return f"  [similar words dated {p.date}: {p.what[:60]}]"
    return ""
