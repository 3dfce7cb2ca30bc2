"""Delegation-level talks: "The Japanese delegation was led by A. B headed the Philippine delegation."

News of a joint committee or delegation-level meeting often names the meeting in one sentence
and its principals in another, each as the head of a side. Each head is found by the words that
name the role ("led by", "headed the ... delegation", "alongside his co-chair"); two or more heads
and a meeting sentence that names nobody make one meeting (in `contacts`).
"""

from __future__ import annotations

from functools import cache

from briefings.data.lexicons import load_json
from briefings.extract.context import ArticleContext
from briefings.extract.entities import Mention
from briefings.extract.sentences import Sentence
from briefings.extract.triggers import find_phrases, phrase_pattern

_NEAR = 90  # characters between a cue and the name it introduces (titles can be long)


@cache
def _cues() -> dict[str, list[str]]:
    data: dict[str, list[str]] = load_json("contact_triggers.json")["delegation_heads"]
    return data


def _after(sentence: Sentence, people: list[Mention], end: int) -> str | None:
    """The first person named just after a cue ("led by Dr. A", "his co-chair, Secretary B")."""
    later = [m for m in people if 0 <= m.start - sentence.start - end <= _NEAR]
    return later[0].key if later else None


def _before(sentence: Sentence, people: list[Mention], start: int) -> str | None:
    """The subject just before a cue ("Secretary B headed the Philippine delegation")."""
    earlier = [m for m in people if 0 <= start - (m.end - sentence.start) <= _NEAR]
    return earlier[-1].key if earlier else None


def delegation_heads(ctx: ArticleContext, sentence: Sentence) -> list[str]:
    """The people a sentence names as heads (or co-chairs) of a delegation, in order."""
    text = sentence.text
    cues = _cues()
    if not phrase_pattern(tuple(cues["led_by"] + cues["heads"])).search(text):
        return []
    people = ctx.people_in(sentence)
    heads: list[str | None] = []
    heads += [_after(sentence, people, m.end()) for m in find_phrases(text, cues["led_by"])]
    heads += [_before(sentence, people, m.start()) for m in find_phrases(text, cues["heads"])]
    heads += [_after(sentence, people, m.end()) for m in find_phrases(text, cues["co_chairs"])]
    found = [h for h in heads if h is not None]
    order = {m.key: m.start for m in people}
    return sorted(dict.fromkeys(found), key=lambda k: order.get(k, 0))
