"""Non-English articles are refused with a clear message; English ones pass."""

from __future__ import annotations

import pytest

from briefings.errors import ArticleError
from briefings.ingest.clean import clean_document
from briefings.ingest.raw import RawDocument


@pytest.mark.parametrize("text", [
    "Le président de la République a rencontré le chancelier allemand à Paris mardi pour discuter de la "
    "coopération économique entre les deux pays.",
    "El presidente del Gobierno se reunió el martes con el canciller alemán en Madrid para hablar de la "
    "cooperación económica entre los dos países.",
    "Der Bundeskanzler traf am Dienstag den französischen Präsidenten in Berlin, um über die "
    "wirtschaftliche Zusammenarbeit der beiden Länder zu sprechen.",
])
def test_clean_language_non_english_is_refused(text: str) -> None:
    with pytest.raises(ArticleError, match="English"):
        clean_document(RawDocument(id="x", text=text, origin="x"))


def test_clean_language_short_english_passes() -> None:
    text = "The president met the German chancellor in Paris on Tuesday to discuss economic cooperation."
    assert clean_document(RawDocument(id="x", text=text, origin="x")).text == text
