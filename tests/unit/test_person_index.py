"""Linear person matching: the span index and the person index give the answers a full scan gives."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from briefings.extract.aliases import PersonIndex, best_person, group_people
from briefings.extract.people import NameHit
from briefings.extract.spans import SpanIndex


def hit(text: str, start: int) -> NameHit:
    return NameHit(start=start, end=start + len(text), text=text, words=text.split(), sentence=0,
                   evidence="title")


spans = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)).map(lambda t: (t[0], t[0] + t[1])),
                 max_size=12)


@given(spans, st.integers(0, 80), st.integers(1, 10))
def test_span_index_answers_as_a_scan(items: list[tuple[int, int]], start: int, size: int) -> None:
    index = SpanIndex(items)
    end = start + size
    assert index.overlaps(start, end) == any(a < end and start < b for a, b in items)
    assert index.covers(start) == any(a <= start < b for a, b in items)


def test_surname_and_full_name_find_their_person() -> None:
    index = group_people([hit("Lena Okafor", 0), hit("Tomas Berger", 20), hit("Okafor", 40)])
    assert [p.canonical() for p in index.people] == ["Lena Okafor", "Tomas Berger"]
    assert len(index.people[0].hits) == 2
    berger = best_person(("berger",), index)
    assert berger is not None and berger.canonical() == "Tomas Berger"
    assert best_person(("novak",), index) is None


def test_shared_first_name_names_nobody_but_a_shared_surname_prefers_the_first() -> None:
    index = group_people([hit("Lena Okafor", 0), hit("Lena Berger", 20)])
    assert best_person(("lena",), index) is None
    index.new_person(hit("Tomas Okafor", 60))
    found = best_person(("okafor",), index)
    assert found is not None and found.canonical() == "Lena Okafor"


def test_spelling_variant_is_found_through_a_token_prefix() -> None:
    # No token in common: only the prefix buckets lead from the misspelt form to the person.
    index = group_people([hit("Tomas Lindqvist", 0)])
    found = best_person(("tommas", "lindqvistt"), index)
    assert found is index.people[0]


def test_a_new_person_refreshes_remembered_answers() -> None:
    index = PersonIndex()
    index.new_person(hit("Lena Okafor", 0))
    assert best_person(("berger",), index) is None
    index.new_person(hit("Tomas Berger", 20))
    assert best_person(("berger",), index) is index.people[1]
    assert index.people[0].keys == [("lena", "okafor")]
