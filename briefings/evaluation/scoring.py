"""Scores a whole extraction (`ExtractDocument`) against gold articles: P/R/F1 per category and more.

Precision, recall and F1 are micro-averaged over articles. Also scored: the published date
(correct, wrong, missing, invented, absent), "sourced" (every evidence sentence occurs verbatim,
whitespace-normalised, in the article) and stories (pairwise over article pairs).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePath
from typing import Literal

from pydantic import BaseModel, Field

from briefings.contract import ArticleOut, ExtractDocument, StoryOut
from briefings.evaluation.gold import CATEGORIES, GoldArticle
from briefings.evaluation.matching import Tally, match_deals, match_events, match_meetings, match_people
from briefings.evaluation.normalise import clean_date, collapse_spaces, normalise

PublishedVerdict = Literal["correct", "wrong", "missing", "invented", "absent"]
_VERDICTS: tuple[PublishedVerdict, ...] = ("correct", "wrong", "missing", "invented", "absent")
_SOURCED = ("meetings", "deals", "events")


class CategoryScore(BaseModel):
    """`checks`: among matched pairs, how many had a correct date, amount, status, kind, place..."""

    p: float
    r: float
    f1: float
    tp: float
    pred: int
    gold: int
    matched: int
    checks: dict[str, int] = Field(default_factory=dict)


class PairScore(BaseModel):
    p: float
    r: float
    f1: float
    tp: int
    pred: int
    gold: int


class ArticleScore(BaseModel):
    """One article's misses, false positives and wrong attributes per category (lines for -v)."""

    id: str
    published: PublishedVerdict
    published_pred: str | None = None
    published_gold: str | None = None
    misses: dict[str, list[str]]
    false_positives: dict[str, list[str]]
    wrong: dict[str, list[str]]


class EvalResult(BaseModel):
    name: str
    n_articles: int
    overall_f1: float
    categories: dict[str, CategoryScore]
    stories: PairScore
    published: dict[str, int]
    sourced: dict[str, tuple[int, int]]  # category -> (items with verbatim evidence, items)
    articles: list[ArticleScore]
    wall_s: float | None = None

    def sourced_share(self) -> float:
        done = sum(v[0] for v in self.sourced.values())
        return done / max(1, sum(v[1] for v in self.sourced.values()))

    def dates_right(self) -> tuple[int, int]:
        """Among matched meetings and deals: how many have the right date, out of how many."""
        pairs = [self.categories[c] for c in ("meetings", "deals")]
        return sum(s.checks.get("date_ok", 0) for s in pairs), sum(s.matched for s in pairs)

    def dates_share(self) -> float:
        right, matched = self.dates_right()
        return right / matched if matched else 1.0

    def published_accuracy(self) -> float:
        return self.published.get("correct", 0) / max(1, sum(self.published.values()))


def prf(tp: float, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall, F1; nothing predicted and nothing to find is perfect precision."""
    p = tp / n_pred if n_pred else (1.0 if n_gold == 0 else 0.0)
    r = tp / n_gold if n_gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def published_verdict(predicted: str | None, gold: str | None) -> PublishedVerdict:
    p = clean_date(predicted)
    if p == gold:
        return "correct"
    if p and gold:
        return "wrong"
    return "missing" if gold else "invented"


def _article_ids(story: StoryOut) -> set[str]:
    return {PurePath(x).stem for x in story.articles}


def score_stories(articles: Sequence[GoldArticle], stories: Sequence[StoryOut]) -> PairScore:
    """Pairwise: a pair of articles is positive when they share a story."""
    ids = [a.id for a in articles]
    gold = {a.id: a.story for a in articles}
    clusters = [_article_ids(s) for s in stories]
    pairs = [(x, y) for k, x in enumerate(ids) for y in ids[k + 1:]]
    gold_pairs = {q for q in pairs if gold[q[0]] == gold[q[1]]}
    pred_pairs = {q for q in pairs if any(q[0] in c and q[1] in c for c in clusters)}
    tp = len(gold_pairs & pred_pairs)
    p, r, f = prf(tp, len(pred_pairs), len(gold_pairs))
    return PairScore(p=p, r=r, f1=f, tp=tp, pred=len(pred_pairs), gold=len(gold_pairs))


def _acronyms(gold: GoldArticle, pred: ArticleOut) -> dict[str, str]:
    table = dict(gold.acronyms)
    table.update({normalise(o.acronym): normalise(o.name) for o in pred.organisations
                  if normalise(o.acronym) and normalise(o.name)})
    return table


def score_article(gold: GoldArticle, pred: ArticleOut) -> dict[str, Tally]:
    """One article's tallies per category."""
    tallies = {c: Tally() for c in CATEGORIES}
    resolve = match_people(pred.people, gold.gold.people, tallies["people"])
    match_meetings(pred.meetings, gold.gold.meetings, resolve, tallies["meetings"])
    match_deals(pred.deals, gold.gold.deals, _acronyms(gold, pred), tallies["deals"])
    match_events(pred.events, gold.gold.events, tallies["events"])
    return tallies


def _evidence_counts(text: str, pred: ArticleOut) -> dict[str, tuple[int, int]]:
    flat = collapse_spaces(text)
    items: Mapping[str, Iterable[list[str]]] = {
        "meetings": (m.evidence for m in pred.meetings), "deals": (d.evidence for d in pred.deals),
        "events": (e.evidence for e in pred.events)}
    out: dict[str, tuple[int, int]] = {}
    for category, evidences in items.items():
        verdicts = [bool(ev) and all(collapse_spaces(s) and collapse_spaces(s) in flat for s in ev)
                    for ev in evidences]
        out[category] = (sum(verdicts), len(verdicts))
    return out


def _category_score(tally: Tally) -> CategoryScore:
    p, r, f = prf(tally.tp, tally.pred, tally.gold)
    return CategoryScore(p=p, r=r, f1=f, tp=tally.tp, pred=tally.pred, gold=tally.gold,
                         matched=tally.matched, checks=dict(tally.checks))


def score(name: str, articles: Sequence[GoldArticle], document: ExtractDocument) -> EvalResult:
    """Score the predicted document against every gold article (an article absent scores as empty)."""
    by_id = {PurePath(a.id).stem: a for a in document.articles}
    totals = {c: Tally() for c in CATEGORIES}
    published = dict.fromkeys(_VERDICTS, 0)
    sourced = dict.fromkeys(_SOURCED, (0, 0))
    rows: list[ArticleScore] = []
    for gold in articles:
        pred = by_id.get(gold.id)
        verdict: PublishedVerdict = (
            "absent" if pred is None else published_verdict(pred.published, gold.published))
        pred = pred or ArticleOut(id=gold.id)
        published[verdict] += 1
        tallies = score_article(gold, pred)
        for category, (done, n) in _evidence_counts(gold.text, pred).items():
            sourced[category] = (sourced[category][0] + done, sourced[category][1] + n)
        for category in CATEGORIES:
            totals[category].add(tallies[category])
        rows.append(ArticleScore(
            id=gold.id, published=verdict, published_pred=pred.published, published_gold=gold.published,
            misses={c: t.misses for c, t in tallies.items()},
            false_positives={c: t.false_positives for c, t in tallies.items()},
            wrong={c: t.wrong for c, t in tallies.items()}))
    categories = {c: _category_score(totals[c]) for c in CATEGORIES}
    return EvalResult(name=name, n_articles=len(articles),
                      overall_f1=sum(s.f1 for s in categories.values()) / len(categories),
                      categories=categories, stories=score_stories(articles, document.stories),
                      published=published, sourced=sourced, articles=rows)
