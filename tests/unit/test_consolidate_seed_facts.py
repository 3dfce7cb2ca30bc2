"""The hand-built seed facts point at verbatim sentences of the seeds."""

from __future__ import annotations

from tests.support.seed_facts import seeds


def test_consolidate_seed_facts_evidence_is_verbatim() -> None:
    for facts in seeds():
        text = facts.article.text
        for fact in [*facts.meetings, *facts.deals, *facts.events]:
            assert all(text[e.start : e.end] == e.sentence for e in fact.evidence)
