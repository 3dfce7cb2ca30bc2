"""Scores extraction against annotated gold: the corpus (`corpus/gold/*.json`) and the seed gold.

    load_corpus / load_seeds  ->  run_extraction (the real pipeline)  ->  score  ->  format_report
"""

from briefings.evaluation.gold import CATEGORIES, GoldArticle, load_corpus, parse_ranges, select_articles
from briefings.evaluation.report import error_patterns, format_report
from briefings.evaluation.runner import ExtractionRun, run_extraction
from briefings.evaluation.scoring import EvalResult, prf, score
from briefings.evaluation.seed_gold import load_seeds

__all__ = [
    "CATEGORIES",
    "EvalResult",
    "ExtractionRun",
    "GoldArticle",
    "error_patterns",
    "format_report",
    "load_corpus",
    "load_seeds",
    "parse_ranges",
    "prf",
    "run_extraction",
    "score",
    "select_articles",
]
