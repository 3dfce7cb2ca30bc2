"""Hashed term counts of a text, the features stories are compared by.

Terms are lower-cased words of two or more characters without English stop words, each hashed
with 32-bit MurmurHash3 (seed 0) into one of `N_FEATURES` columns. This is exactly what
scikit-learn's `HashingVectorizer(n_features=2**20, alternate_sign=False, stop_words="english")`
computed before, so profiles stored by earlier versions keep their meaning; written out here it
costs a few lines instead of importing scikit-learn (over a second) at every start.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache, lru_cache

from briefings.data.lexicons import load_lines

N_FEATURES = 2**20
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_MASK = 0xFFFFFFFF


@cache
def english_stop_words() -> frozenset[str]:
    """Words too common to tell texts apart (`data/stop_words.txt`); search leaves them out too."""
    return frozenset(load_lines("stop_words.txt"))


def _rotl(value: int, shift: int) -> int:
    return ((value << shift) | (value >> (32 - shift))) & _MASK


def murmurhash3_32(data: bytes, seed: int = 0) -> int:
    """MurmurHash3 x86 32-bit, as a signed int (the reference algorithm by Austin Appleby)."""
    c1, c2 = 0xCC9E2D51, 0x1B873593
    h = seed & _MASK
    blocks = len(data) // 4
    for i in range(blocks):
        k = int.from_bytes(data[4 * i:4 * i + 4], "little")
        k = (_rotl((k * c1) & _MASK, 15) * c2) & _MASK
        h = (_rotl(h ^ k, 13) * 5 + 0xE6546B64) & _MASK
    tail = data[4 * blocks:]
    if tail:
        k = int.from_bytes(tail, "little")
        h ^= (_rotl((k * c1) & _MASK, 15) * c2) & _MASK
    h ^= len(data)
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _MASK
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _MASK
    h ^= h >> 16
    return h - (1 << 32) if h & 0x80000000 else h


@lru_cache(maxsize=65536)  # words recur across articles: each is hashed once
def term_id(token: str) -> int:
    return abs(murmurhash3_32(token.encode("utf-8"))) % N_FEATURES


def term_counts(text: str) -> Counter[int]:
    """How often each hashed term occurs in `text`."""
    stop = english_stop_words()
    return Counter(term_id(t) for t in _TOKEN.findall(text.lower()) if t not in stop)
