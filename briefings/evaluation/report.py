"""Evaluation results as text: the score table, and with `verbose` every miss, false positive and
wrong attribute per article, then a count of the most common kinds of error."""

from __future__ import annotations

from collections import Counter

from briefings.evaluation.gold import CATEGORIES
from briefings.evaluation.scoring import ArticleScore, CategoryScore, EvalResult

_DEAL_CHECKS = ("kind", "amount", "currency", "status", "date")


def _extra(category: str, s: CategoryScore) -> str:
    """The "among matched" column: how many matched pairs had each attribute right."""
    c, n = s.checks, s.matched
    days = f"(+day {c.get('+day', 0)}, -day {c.get('-day', 0)})"
    if category == "meetings":
        return f"date {c.get('date_ok', 0)}/{n} {days}  place {c.get('place_ok', 0)}/{n}"
    if category == "deals":
        return "  ".join(f"{k} {c.get(k + '_ok', 0)}/{n}" for k in _DEAL_CHECKS) + f" {days}"
    return ""


def format_table(result: EvalResult) -> str:
    """P/R/F1, counts and attribute correctness per category; stories, published date, sourced."""
    lines = [f"{'':10}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}{'pred':>7}{'match':>7}  among matched"]
    for category in CATEGORIES:
        s = result.categories[category]
        lines.append(f"{category:10}{s.p:7.3f}{s.r:7.3f}{s.f1:7.3f}{s.gold:7d}{s.pred:7d}{s.matched:7d}  "
                     + _extra(category, s))
    st = result.stories
    lines.append(f"{'stories':10}{st.p:7.3f}{st.r:7.3f}{st.f1:7.3f}{st.gold:7d}{st.pred:7d}{st.tp:7d}"
                 "  same-story article pairs")
    lines.append(f"{'published':10} acc {result.published_accuracy():.3f}  "
                 + "  ".join(f"{k} {v}" for k, v in result.published.items()))
    lines.append(f"{'sourced':10} {result.sourced_share():.3f}  "
                 + "  ".join(f"{c} {v[0]}/{v[1]}" for c, v in result.sourced.items())
                 + "  (evidence verbatim in the text)")
    right, matched = result.dates_right()
    lines.append(f"{'dates':10} {result.dates_share():.3f}  right {right}/{matched}"
                 "  (among matched meetings and deals)")
    lines.append(f"overall F1 {result.overall_f1:.3f}")
    return "\n".join(lines)


def _article_lines(row: ArticleScore) -> list[str]:
    lines: list[str] = []
    if row.published != "correct":
        lines.append(f"  published {row.published}: got {row.published_pred}, gold {row.published_gold}")
    for category in CATEGORIES:
        lines += [f"  {category} miss: {d}" for d in row.misses[category]]
        lines += [f"  {category} fp:   {d}" for d in row.false_positives[category]]
        lines += [f"  {category} wrong {d}" for d in row.wrong[category]]
    return lines


def format_details(result: EvalResult) -> str:
    """Per article: misses/false positives per category, then each miss, false positive and wrong field."""
    lines = ["per article: misses/false positives", f"{'id':6}" + "".join(f"{c:>10}" for c in CATEGORIES)
             + "  published"]
    for row in result.articles:
        counts = "".join(f"{len(row.misses[c])}/{len(row.false_positives[c])}".rjust(10) for c in CATEGORIES)
        lines.append(f"{row.id:6}{counts}  {row.published}")
        lines += _article_lines(row)
    return "\n".join(lines)


def error_patterns(result: EvalResult) -> Counter[str]:
    """How often each kind of error occurs: "deals miss", "meetings wrong date +day", ..."""
    found: Counter[str] = Counter()
    for row in result.articles:
        if row.published != "correct":
            found[f"published {row.published}"] += 1
        for category in CATEGORIES:
            found[f"{category} miss"] += len(row.misses[category])
            found[f"{category} false positive"] += len(row.false_positives[category])
            for line in row.wrong[category]:
                found[f"{category} wrong {line.split(':', 1)[0]}"] += 1
    return +found


def format_patterns(result: EvalResult, top: int = 12) -> str:
    patterns = error_patterns(result).most_common(top)
    return "most common errors:\n" + "\n".join(f"{n:5d}  {what}" for what, n in patterns)


def format_report(result: EvalResult, verbose: bool = False) -> str:
    """The whole report for one gold set (corpus or seeds)."""
    wall = f", {result.wall_s:.1f} s" if result.wall_s is not None else ""
    parts = [f"== {result.name}: {result.n_articles} articles{wall}", format_table(result)]
    if verbose:
        parts += [format_details(result), format_patterns(result)]
    return "\n".join(parts)
