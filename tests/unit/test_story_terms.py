"""Hashed terms and average linkage: the clustering features, without scikit-learn."""

from __future__ import annotations

import numpy as np

from briefings.stories.cluster import average_linkage
from briefings.stories.terms import murmurhash3_32, term_counts, term_id


def test_terms_murmurhash_matches_the_reference_values() -> None:
    assert murmurhash3_32(b"") == 0
    assert murmurhash3_32(b"hello") == 613153351  # 0x248bfa47
    assert murmurhash3_32(b"The quick brown fox jumps over the lazy dog") == 776992547  # 0x2e4ff723


def test_terms_ids_are_those_stored_profiles_hold() -> None:
    # The columns scikit-learn's HashingVectorizer(n_features=2**20, alternate_sign=False) gave
    # these words: profiles stored before it was dropped keep comparing with new ones.
    assert (term_id("pipeline"), term_id("erdoğan")) == (151664, 821569)


def test_terms_counts_skip_stop_words_and_one_letter_words() -> None:
    counts = term_counts("The pipeline, the PIPELINE and a pipeline: X signed it.")
    assert counts == {term_id("pipeline"): 3, term_id("signed"): 1}


def test_average_linkage_merges_below_the_threshold_only() -> None:
    d = np.array([[0.0, 0.1, 0.9, 0.8],
                  [0.1, 0.0, 0.7, 0.9],
                  [0.9, 0.7, 0.0, 0.2],
                  [0.8, 0.9, 0.2, 0.0]])
    assert sorted(average_linkage(d, 0.5)) == [[0, 1], [2, 3]]
    assert sorted(average_linkage(d, 0.15)) == [[0, 1], [2], [3]]
    assert sorted(average_linkage(d, 0.9)) == [[0, 1, 2, 3]]  # mean distance 0.825 < 0.9


def test_average_linkage_uses_the_mean_not_the_nearest_member() -> None:
    # 2 is close to 0 but far from 1: the mean to {0, 1} is 0.55, above the threshold.
    d = np.array([[0.0, 0.1, 0.3],
                  [0.1, 0.0, 0.8],
                  [0.3, 0.8, 0.0]])
    assert sorted(average_linkage(d, 0.5)) == [[0, 1], [2]]
