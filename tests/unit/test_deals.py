"""Deals from invented news sentences: kind, parties, amount, status, date."""

from __future__ import annotations

import pytest

from briefings.models import Deal
from tests.support.facts import facts_of


def _deals(text: str, published: str | None = "2025-03-14") -> list[Deal]:
    return facts_of(text, published).deals


def test_deals_loan_with_amount_and_parties() -> None:
    [deal] = _deals("Japan signed a $2.5 billion loan with Vietnam on Monday to build a new metro line.")
    assert deal.kind == "loan"
    assert set(deal.parties) == {"Japan", "Vietnam"}
    assert deal.amount is not None and deal.amount.value == 2_500_000_000 and deal.amount.currency == "USD"
    assert deal.status == "signed"
    assert deal.date is not None and deal.date.iso() == "2025-03-10"


def test_deals_line_of_credit_formalised_by_an_mou_is_a_loan() -> None:
    [deal] = _deals(
        "India signed a memorandum of understanding to extend a Rs 1,200 crore line of credit to Sri Lanka."
    )
    assert deal.kind == "loan"
    assert deal.amount is not None and deal.amount.value == 12_000_000_000 and deal.amount.currency == "INR"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Brazil and Chile signed a trade agreement in Santiago.", "signed"),
        ("Brazil and Chile announced a trade agreement on Friday.", "announced"),
        ("Brazil and Chile are negotiating a trade agreement.", "negotiating"),
        ("Brazil and Chile are expected to sign a trade agreement next month.", "planned"),
    ],
)
def test_deals_status_follows_the_verb(text: str, status: str) -> None:
    deals = _deals(text)
    assert [(d.kind, d.status) for d in deals] == [("trade_agreement", status)]


@pytest.mark.parametrize(
    "text",
    [
        "Bilateral trade between Brazil and Chile reached $12 billion last year.",
        "Chile owes Brazil $3 billion in outstanding debt, the ministry said.",
        "Brazil's reserves rose to $300 billion, the central bank said.",
        "Under the agreement, tariffs between Brazil and Chile will fall.",
    ],
)
def test_deals_other_figures_and_passing_references_are_not_deals(text: str) -> None:
    assert _deals(text) == []


def test_deals_a_bracketed_conversion_is_not_a_second_deal() -> None:
    [deal] = _deals(
        "Norway agreed to invest 50 billion kroner (around $4.7 billion) in Kenya's energy sector."
    )
    assert deal.amount is not None and deal.amount.currency == "NOK"
    assert deal.amount_equivalent is not None and deal.amount_equivalent.currency == "USD"


def test_deals_totals_and_parts_are_separate() -> None:
    text = (
        "Qatar signed investment deals worth $10 billion with Egypt on Tuesday. The package includes "
        "$6 billion for a new port and $4 billion for housing."
    )
    amounts = sorted(d.amount.value for d in _deals(text) if d.amount)
    assert amounts == [4e9, 6e9, 10e9]


def test_deals_amount_and_signatories_in_neighbouring_sentences_are_one_deal() -> None:
    text = (
        "Ghana secured a $300 million investment in its gold sector from Northern Metals Corporation (NMC). "
        "The Ghana Mining Authority (GMA) signed an MoU with NMC, officials said."
    )
    deals = _deals(text)
    assert len(deals) == 1
    assert {"Northern Metals Corporation", "Ghana Mining Authority"} <= set(deals[0].parties)
    assert deals[0].amount is not None and deals[0].amount.value == 3e8


def test_deals_headline_figure_loses_to_the_body() -> None:
    text = (
        "Egypt lands $150 billion deal\n\n"
        "Egypt signed a $35 billion investment agreement with Kuwait on Friday, which officials say could "
        "bring $150 billion in revenue over two decades."
    )
    amounts = [d.amount.value for d in _deals(text) if d.amount]
    assert amounts == [35e9]


def test_deals_signatories_named_beside_the_deal_verb() -> None:
    [deal] = _deals(
        "Separately, Northwind Solar Holdings signed a memorandum of understanding with the Government of "
        "Kerala to invest Rs 5,000 crore in renewable energy projects."
    )
    assert set(deal.parties) == {"Northwind Solar Holdings", "Government of Kerala"}
    assert deal.amount is not None and deal.amount.currency == "INR"


def test_deals_a_restatement_without_a_figure_adds_no_party() -> None:
    text = (
        "The International Monetary Fund approved a $3 billion loan for Ghana on Wednesday. "
        "Ghana had reached a staff-level agreement with the IMF in December after talks with creditors "
        "including Brazil."
    )
    [deal] = _deals(text)
    assert "Brazil" not in deal.parties
    assert deal.kind == "loan" and deal.status == "announced"


@pytest.mark.parametrize("text", [
    "Brazil on Friday rejected a $4 billion loan offer from China, the finance ministry said.",
    "Chile cancelled the $2 billion port agreement with Peru after months of delays.",
])
def test_deals_rejected_or_cancelled_deals_are_not_deals(text: str) -> None:
    assert _deals(text) == []
