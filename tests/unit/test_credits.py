"""A wire credit names the outlet of a text that came without a URL."""

from __future__ import annotations

import pytest

from briefings.ingest.clean import clean_document
from briefings.ingest.credits import wire_outlet
from briefings.ingest.raw import RawDocument

BODY = "The two ministers signed a loan agreement for the coastal railway on Monday, officials said."


@pytest.mark.parametrize(("text", "outlet"), [
    (f"LIMA (Reuters) – {BODY}", "Reuters"),
    (f"Quito, May 5 (PTI) {BODY}", "PTI"),
    (f"DHAKA, May 5, 2025 (BSS/AFP) - {BODY}", "BSS/AFP"),
    (f"By PTI\n\n{BODY}", "PTI"),
    (f"{BODY}\n\n— AFP", "AFP"),
    (f"{BODY}\n\nReuters\n", "Reuters"),
])
def test_credits_wire_agency_is_found(text: str, outlet: str) -> None:
    assert wire_outlet(text) == outlet


@pytest.mark.parametrize("text", [
    BODY,
    f"By Jane Roe\n\n{BODY}",
    f"{BODY}\nThe minister with his counterpart in the capital on Monday. — Reuters",  # a photo credit
    f"{BODY} Reuters reported the talks earlier in the week.",
])
def test_credits_none_without_a_credit(text: str) -> None:
    assert wire_outlet(text) is None


def test_credits_url_wins_and_credit_fills_the_gap() -> None:
    text = f"LIMA (Reuters) – {BODY} The loan runs for twenty years and carries a fixed rate."
    without = clean_document(RawDocument(id="a", text=text, origin="test"))
    assert without.outlet == "Reuters"
    with_url = clean_document(RawDocument(id="b", text=text, origin="test", url="https://www.example.pe/x"))
    assert with_url.outlet == "example.pe"
