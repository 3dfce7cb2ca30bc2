"""Stories across sources: articles about one happening grouped, their facts merged (pure).

`build_stories` clusters a batch of articles and merges each cluster's facts: one meeting or deal
with every article and sentence that reported it, and the disagreements between sources kept.
The store uses the incremental pieces instead, so an ingest costs a window, not the whole store:
`profile_article` once per article, `best_story` to place a new article among the stories of its
time window, `cluster_profiles` to re-split a story after a removal, and `merge_story` to rebuild
the facts of the one story that changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from briefings.models import ArticleFacts, Story
from briefings.stories.cluster import THRESHOLD, WINDOW_DAYS, best_story, cluster_profiles, within_window
from briefings.stories.profile import ArticleProfile, anchor_date, profile_article
from briefings.stories.story import merge_story

__all__ = [
    "THRESHOLD",
    "WINDOW_DAYS",
    "ArticleProfile",
    "anchor_date",
    "best_story",
    "build_stories",
    "cluster_profiles",
    "merge_story",
    "profile_article",
    "within_window",
]


def build_stories(facts: Sequence[ArticleFacts], *, window_days: int = WINDOW_DAYS) -> list[Story]:
    """Cluster the articles into stories and merge each story's facts; oldest story first."""
    ordered = sorted(facts, key=lambda f: f.article.id)
    profiles = [profile_article(f) for f in ordered]
    taken: set[str] = set()
    stories = [merge_story([ordered[i] for i in group], taken)
               for group in cluster_profiles(profiles, window_days=window_days)]
    return sorted(stories, key=lambda s: (s.first_published is None, s.first_published or dt.date.min, s.id))
