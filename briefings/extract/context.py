"""What the fact extractors share about one article: sentences, entities and dates, computed once."""

from __future__ import annotations

from dataclasses import dataclass, field

from briefings.extract.dates import DateContext, DateMention, Tense, find_dates, sentence_tense
from briefings.extract.entities import Entities, Mention
from briefings.extract.sentences import Sentence
from briefings.models import Article, DateValue, Evidence


@dataclass
class ArticleContext:
    article: Article
    sentences: list[Sentence]
    entities: Entities
    dates: DateContext
    _tenses: dict[int, Tense] = field(default_factory=dict)
    _mentions: dict[int, list[DateMention]] = field(default_factory=dict)
    _by_start: dict[int, Sentence] | None = None

    def tense(self, sentence: Sentence) -> Tense:
        """Captions narrate past events in the present tense ("X meets Y"): they count as past."""
        if sentence.index not in self._tenses:
            self._tenses[sentence.index] = (
                "past" if sentence.kind == "caption" else sentence_tense(sentence.text))
        return self._tenses[sentence.index]

    def date_mentions(self, sentence: Sentence) -> list[DateMention]:
        if sentence.index not in self._mentions:
            # each date takes the tense of its own clause ("will deepen ties, X said during talks
            # on May 30"); captions are past throughout
            tense: Tense | None = "past" if sentence.kind == "caption" else None
            self._mentions[sentence.index] = find_dates(sentence.text, self.dates, tense)
        return self._mentions[sentence.index]

    def sentence_starting_at(self, start: int) -> Sentence | None:
        """The (first) sentence that starts at `start`: a lookup, not a scan per fact (long articles)."""
        if self._by_start is None:
            self._by_start = {}
            for sentence in self.sentences:
                self._by_start.setdefault(sentence.start, sentence)
        return self._by_start.get(start)

    def people_in(self, sentence: Sentence) -> list[Mention]:
        return [m for m in self.entities.mentions_in(sentence.index) if m.kind == "person"]

    def evidence(self, sentence: Sentence) -> Evidence:
        return Evidence(article_id=self.article.id, sentence=sentence.text, start=sentence.start,
                        end=sentence.end, outlet=self.article.outlet, url=self.article.url)


def best_date(mentions: list[DateMention], near: int | None = None) -> DateValue | None:
    """The date of a sentence nearest to `near` (a character offset), the most precise on ties."""
    if not mentions:
        return None
    rank = {"day": 2, "month": 1, "year": 0}

    def key(m: DateMention) -> tuple[int, int]:
        distance = abs(m.start - near) if near is not None else 0
        return (distance, -rank[m.value.precision])

    return sorted(mentions, key=key)[0].value


def finer_date(a: DateValue | None, b: DateValue | None) -> DateValue | None:
    """Of two dates told for one fact, the more precise (a day over its month); either if one is None."""
    if a is None or b is None:
        return a or b
    return a if len(a.iso()) >= len(b.iso()) else b
