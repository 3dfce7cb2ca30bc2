"""Which articles tell the same story: entities plus TF-IDF cosine, inside a rolling time window.

Two articles are compared only when their anchor days are at most `WINDOW_DAYS` apart (an article
without any date is compared with all). Their score mixes text similarity (TF-IDF over the hashed
term counts of the articles being compared) with the overlap of the people, organisations and
countries they name, plus a bonus when they report the same fact and a penalty for the classic
trap: the same kind of contact with one participant in common and a different one on each side
(two leaders phoning the same callee on the same day). Groups are formed by average linkage, so a
story is joined only by an article close to the story as a whole, not to one of its members.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from briefings.ingest.published import make_date
from briefings.stories.keys import dates_compatible, kinds_compatible
from briefings.stories.profile import ArticleProfile, ContactSignature, DealSignature

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

WINDOW_DAYS = 14
NEAR_DAYS = 2  # "Wednesday" in one outlet, "Thursday" in another: one meeting told twice
THRESHOLD = 0.30  # between the weakest same-story pair and the strongest other pair on the corpus

_W_TEXT = 0.45
_W_PEOPLE = 0.30
_W_ORGS = 0.12
_W_COUNTRIES = 0.13
_SAME_FACT_BONUS = 0.2
_CONFLICT_PENALTY = 0.35
_OTHER_OCCASION_PENALTY = 1.0  # another city or day for the same people's contact: never one story
_APART = 10.0  # distance for pairs outside the window: never linked


def within_window(a: ArticleProfile, b: ArticleProfile, days: int = WINDOW_DAYS) -> bool:
    if a.anchor is None or b.anchor is None:
        return True
    return abs((a.anchor - b.anchor).days) <= days


def _tfidf(profiles: Sequence[ArticleProfile]) -> csr_matrix:
    from scipy.sparse import csr_matrix  # only where clustering runs: importing scipy costs time

    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for row, profile in enumerate(profiles):
        rows.extend([row] * len(profile.term_ids))
        cols.extend(profile.term_ids)
        vals.extend(profile.term_weights)
    # Only the hashed terms these articles use, renumbered: nothing is N_FEATURES wide.
    used, compact = np.unique(np.asarray(cols, dtype=np.int64), return_inverse=True)
    counts = csr_matrix((vals, (rows, compact)), shape=(len(profiles), max(len(used), 1)))
    # IDF over these articles, as scikit-learn's TfidfTransformer(smooth_idf=True) computes it,
    # done by hand: the transformer's input checks cost more than the arithmetic at this size.
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((1.0 + len(profiles)) / (1.0 + df)) + 1.0
    weighted = counts.multiply(idf.reshape(1, -1)).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return csr_matrix(weighted.multiply((1.0 / norms).reshape(-1, 1)))


def text_similarity(profiles: Sequence[ArticleProfile]) -> NDArray[np.float64]:
    """Cosine of TF-IDF vectors, IDF taken over exactly these articles (N x N)."""
    tfidf = _tfidf(profiles)
    return np.asarray((tfidf @ tfidf.T).toarray(), dtype=np.float64)


def _persons_match(a: Sequence[str], b: Sequence[str]) -> bool:
    return bool(set(a) & set(b))


def _overlap(a: Sequence[Sequence[str]], b: Sequence[Sequence[str]]) -> float:
    """Share of the smaller list of people that the other article also names."""
    if not a or not b:
        return 0.0
    hits_a = sum(1 for x in a if any(_persons_match(x, y) for y in b))
    hits_b = sum(1 for y in b if any(_persons_match(x, y) for x in a))
    return min(hits_a, hits_b) / min(len(a), len(b))


def _set_overlap(a: Sequence[str], b: Sequence[str]) -> float:
    if not a or not b:
        return 0.0
    return len(set(a) & set(b)) / min(len(set(a)), len(set(b)))


def _all_match(a: ContactSignature, b: ContactSignature) -> bool:
    return all(any(_persons_match(x, y) for y in b.people) for x in a.people) and \
        all(any(_persons_match(y, x) for x in a.people) for y in b.people)


def _same_contact(a: ContactSignature, b: ContactSignature) -> bool:
    return a.kind == b.kind and len(a.people) > 1 and _all_match(a, b) and dates_compatible(a.date, b.date)


def _occasion_day(c: ContactSignature, profile: ArticleProfile) -> dt.date | None:
    """The contact's day; an undated one in a dated article is news, so about the article's day."""
    if c.date is not None:
        return c.date.first_day() if c.date.precision == "day" and not c.date.inferred else None
    return profile.anchor


def _day_of_year_apart(month_day: Sequence[int], day: dt.date) -> int:
    """Days between a month-day of unknown year and a date, the nearest year taken."""
    distances = []
    for year in (day.year - 1, day.year, day.year + 1):
        candidate = make_date(year, month_day[0], month_day[1])
        if candidate is not None:
            distances.append(abs((candidate - day).days))
    return min(distances, default=0)


def _other_occasion(a: ContactSignature, pa: ArticleProfile, b: ContactSignature, pb: ArticleProfile) -> bool:
    """The same people's contact of the same kind, but plainly another occasion: another city, or
    days that cannot be one ("On October 2" against a meeting reported on 6 September)."""
    if a.kind != b.kind or len(a.people) < 2 or not _all_match(a, b):
        return False
    if a.place and b.place and a.place != b.place:
        return True
    day_a, day_b = _occasion_day(a, pa), _occasion_day(b, pb)
    if a.date is not None and b.date is not None and day_a and day_b and \
            abs((day_a - day_b).days) > NEAR_DAYS:
        return True
    for x, other_day in ((a, day_b), (b, day_a)):
        if x.month_day and other_day and _day_of_year_apart(x.month_day, other_day) > WINDOW_DAYS:
            return True
    return False


def _contact_conflict(a: ArticleProfile, b: ArticleProfile) -> bool:
    """Same kind of contact, a participant shared, and another participant different on each side."""
    conflict = False
    for ca in a.contacts:
        for cb in b.contacts:
            if ca.kind != cb.kind or not ca.people or not cb.people:
                continue
            if _all_match(ca, cb):
                return False
            shared = any(_persons_match(x, y) for x in ca.people for y in cb.people)
            if shared and len(ca.people) > 1 and len(cb.people) > 1:
                conflict = True
    return conflict


def _same_party(a: str, b: str) -> bool:
    """One party under two names: equal keys, or one's words inside the other's ("eni", "eni s p a")."""
    if a == b:
        return True
    wa, wb = set(a.split()), set(b.split())
    return bool(wa and wb) and (wa <= wb or wb <= wa)


def _parties_within(small: Sequence[str], big: Sequence[str]) -> bool:
    return all(any(_same_party(x, y) for y in big) for x in small)


def _deals_agree(da: DealSignature, db: DealSignature) -> bool:
    """One party list contains the other, or both state one amount."""
    pa, pb = da.parties, db.parties
    same_amount = da.amount is not None and db.amount is not None and da.currency == db.currency and \
        abs(da.amount - db.amount) <= 0.05 * max(da.amount, db.amount)
    return bool(pa and pb and (_parties_within(pa, pb) or _parties_within(pb, pa))) or same_amount


def _deal_conflict(a: ArticleProfile, b: ArticleProfile) -> bool:
    """Same kind of deal, a party shared and another different on each side (India-Chile, India-Peru)."""
    conflict = False
    for da in a.deals:
        for db in b.deals:
            if not kinds_compatible(da.kind, db.kind):
                continue
            if _deals_agree(da, db):
                return False
            if set(da.parties) & set(db.parties):
                conflict = True
    return conflict


def _same_deal(a: ArticleProfile, b: ArticleProfile) -> bool:
    for da in a.deals:
        for db in b.deals:
            if da.kind != db.kind or da.amount is None or db.amount is None or da.currency != db.currency:
                continue
            high = max(da.amount, db.amount)
            if high > 0 and abs(da.amount - db.amount) / high <= 0.05 and set(da.parties) & set(db.parties):
                return True
    return False


def pair_score(a: ArticleProfile, b: ArticleProfile, cosine: float) -> float:
    """How strongly two articles look like one story (about 0 to 1; above `THRESHOLD` links)."""
    score = _W_TEXT * cosine + _W_PEOPLE * _overlap(a.people, b.people)
    score += _W_ORGS * _set_overlap(a.organisations, b.organisations)
    score += _W_COUNTRIES * _set_overlap(a.countries, b.countries)
    # A background mention ("they last met in Ankara in July") must not split two reports of one
    # meeting: another occasion counts only when no contact of the two articles is the same one.
    pairs = [(ca, cb) for ca in a.contacts for cb in b.contacts]
    same = any(_same_contact(ca, cb) and not _other_occasion(ca, a, cb, b) for ca, cb in pairs)
    other = not same and any(_other_occasion(ca, a, cb, b) for ca, cb in pairs)
    if same or _same_deal(a, b):
        score += _SAME_FACT_BONUS
    if _contact_conflict(a, b) or _deal_conflict(a, b):
        score -= _CONFLICT_PENALTY
    if other:  # told apart by the text itself: near-identical wording must not join them
        score -= _OTHER_OCCASION_PENALTY
    return score


def score_matrix(profiles: Sequence[ArticleProfile], window_days: int = WINDOW_DAYS) -> NDArray[np.float64]:
    """Pairwise scores; pairs outside the window get -inf-like `-_APART`."""
    n = len(profiles)
    cosine = text_similarity(profiles)
    scores = np.full((n, n), -_APART, dtype=np.float64)
    for i in range(n):
        scores[i, i] = 1.0
        for j in range(i + 1, n):
            if within_window(profiles[i], profiles[j], window_days):
                scores[i, j] = scores[j, i] = pair_score(profiles[i], profiles[j], float(cosine[i, j]))
    return scores


def cluster_profiles(profiles: Sequence[ArticleProfile], *, window_days: int = WINDOW_DAYS,
                     threshold: float = THRESHOLD) -> list[list[int]]:
    """Groups of indices into `profiles`, each sorted, ordered by their first index (deterministic)."""
    n = len(profiles)
    if n < 2:
        return [[i] for i in range(n)]
    distance = np.clip(1.0 - score_matrix(profiles, window_days), 0.0, None)
    np.fill_diagonal(distance, 0.0)
    groups = average_linkage(distance, 1.0 - threshold)
    return sorted(groups, key=lambda g: g[0])


def average_linkage(distance: NDArray[np.float64], threshold: float) -> list[list[int]]:
    """Agglomerative clustering with average linkage: merge the two closest groups while their mean
    pairwise distance is below `threshold` (scikit-learn's `distance_threshold`). Each group sorted.

    The group distances are updated by the Lance-Williams formula, so each merge costs O(n) and
    the whole run O(n^2) per merge at worst, plenty for the articles of one window.
    """
    n = len(distance)
    dist = np.array(distance, dtype=np.float64, copy=True)
    np.fill_diagonal(dist, np.inf)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    while len(members) > 1:
        # A merged-away group's row and column are set to inf (and stay inf: any average with
        # them is inf), so the closest pair is found on `dist` itself, with no masked copy made
        # per merge (that copy made 1,000 articles cost minutes).
        flat = int(np.argmin(dist))
        i, j = divmod(flat, n)
        if not dist[i, j] < threshold:
            break
        i, j = min(i, j), max(i, j)
        size_i, size_j = len(members[i]), len(members[j])
        merged = (size_i * dist[i] + size_j * dist[j]) / (size_i + size_j)
        dist[i, :] = merged
        dist[:, i] = merged
        dist[i, i] = np.inf
        dist[j, :] = np.inf
        dist[:, j] = np.inf
        members[i] = sorted(members[i] + members.pop(j))
    return list(members.values())


def best_story(new: ArticleProfile, stories: Mapping[str, Sequence[ArticleProfile]], *,
               window_days: int = WINDOW_DAYS, threshold: float = THRESHOLD) -> str | None:
    """The story the new article joins (average score over its members in the window), or None.

    Cost is linear in the number of candidate articles: one TF-IDF row against the window.
    """
    order = sorted(stories)
    members = [(sid, p) for sid in order for p in stories[sid] if within_window(new, p, window_days)]
    if not members:
        return None
    tfidf = _tfidf([new, *(p for _, p in members)])
    cosine = np.asarray((tfidf[0] @ tfidf[1:].T).toarray(), dtype=np.float64).ravel()
    totals: dict[str, list[float]] = {}
    for (sid, profile), cos in zip(members, cosine, strict=True):
        totals.setdefault(sid, []).append(pair_score(new, profile, float(cos)))
    best = max(order, key=lambda sid: (float(np.mean(totals[sid])) if sid in totals else -_APART, sid))
    if best not in totals or float(np.mean(totals[best])) < threshold:
        return None
    return best

