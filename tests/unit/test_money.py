"""The amount parser on news-style strings, whole sentences, countries and round trips."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefings.extract.money import (
    find_amounts,
    format_amount,
    known_currencies,
    parse_amount,
    primary_amounts,
)
from briefings.models import Money

B = 1e9
M = 1e6

# text, value, currency, low, approximate
SINGLE = [
    ("$500 million", 500 * M, "USD", None, False),
    ("US$70 million", 70 * M, "USD", None, False),
    ("U.S.$2 billion", 2 * B, "USD", None, False),
    ("USD 1.5 Billion", 1.5 * B, "USD", None, False),
    ("USD5 billion", 5 * B, "USD", None, False),
    ("USD 565 million", 565 * M, "USD", None, False),
    ("30 to 50 billion euros", 50 * B, "EUR", 30 * B, False),
    ("$30-$50bn", 50 * B, "USD", 30 * B, False),
    ("$30–50 billion", 50 * B, "USD", 30 * B, False),
    ("between $30 billion and $50 billion", 50 * B, "USD", 30 * B, False),
    ("between 30 and 50 billion euros", 50 * B, "EUR", 30 * B, False),
    ("$500 million-$1 billion", 1 * B, "USD", 500 * M, False),
    ("£6bn", 6 * B, "GBP", None, False),
    ("$6.4B", 6.4 * B, "USD", None, False),
    ("$35bn", 35 * B, "USD", None, False),
    ("Rs 33,768.89 crore", 337_688_900_000.0, "INR", None, False),
    ("Rs 4850 crore", 48_500_000_000.0, "INR", None, False),
    ("Rs 4,850 crore", 48_500_000_000.0, "INR", None, False),
    ("Rs. 120 crore", 1_200_000_000.0, "INR", None, False),
    ("₹500 crore", 5 * B, "INR", None, False),
    ("₹4,850 crore", 48_500_000_000.0, "INR", None, False),
    ("INR 4,850 Crore", 48_500_000_000.0, "INR", None, False),
    ("Rs 50 billion", 50 * B, "INR", None, False),
    ("Rs 12 lakh", 1_200_000.0, "INR", None, False),
    ("₹1.5 lakh crore", 1.5e12, "INR", None, False),
    ("Rs 1,00,000", 100_000.0, "INR", None, False),
    ("BRL 27 billion", 27 * B, "BRL", None, False),
    ("R$3 billion", 3 * B, "BRL", None, False),
    ("around $500 million", 500 * M, "USD", None, True),
    ("about $2bn", 2 * B, "USD", None, True),
    ("nearly $2bn", 2 * B, "USD", None, True),
    ("some $2bn", 2 * B, "USD", None, True),
    ("roughly €2bn", 2 * B, "EUR", None, True),
    ("approximately $2bn", 2 * B, "USD", None, True),
    ("almost $2bn", 2 * B, "USD", None, True),
    ("up to $2bn", 2 * B, "USD", None, True),
    ("at least $2bn", 2 * B, "USD", None, True),
    ("over $2bn", 2 * B, "USD", None, True),
    ("More than $2bn", 2 * B, "USD", None, True),
    ("an estimated $2bn", 2 * B, "USD", None, True),
    ("24 billion Saudi riyals", 24 * B, "SAR", None, False),
    ("4 billion riyals", 4 * B, "SAR", None, False),
    ("SAR 15bn", 15 * B, "SAR", None, False),
    ("SAR 24 billion", 24 * B, "SAR", None, False),
    ("12 billion-euro", 12 * B, "EUR", None, False),
    ("a 12 billion-euro package", 12 * B, "EUR", None, False),
    ("EUR 12 billion", 12 * B, "EUR", None, False),
    ("€12 billion", 12 * B, "EUR", None, False),
    ("JPY46.34 billion", 46.34 * B, "JPY", None, False),
    ("46.34 billion yen", 46.34 * B, "JPY", None, False),
    ("¥300 billion", 300 * B, "JPY", None, False),
    ("PHP65 billion", 65 * B, "PHP", None, False),
    ("PHP65-B", 65 * B, "PHP", None, False),
    ("P65B", 65 * B, "PHP", None, False),
    ("₱17.67-billion", 17.67 * B, "PHP", None, False),
    ("26 trillion won", 26e12, "KRW", None, False),
    ("₩1.2 trillion", 1.2e12, "KRW", None, False),
    ("Ksh646.15 billion", 646.15 * B, "KES", None, False),
    ("KSh 1.2 billion", 1.2 * B, "KES", None, False),
    ("$1.2 trillion", 1.2e12, "USD", None, False),
    ("$800m", 800 * M, "USD", None, False),
    ("$15.5 million", 15.5 * M, "USD", None, False),
    ("€1", 1.0, "EUR", None, False),
    ("$250,000", 250_000.0, "USD", None, False),
    ("$5-billion", 5 * B, "USD", None, False),
    ("A$2.5 billion", 2.5 * B, "AUD", None, False),
    ("C$400 million", 400 * M, "CAD", None, False),
    ("NZ$1 billion", 1 * B, "NZD", None, False),
    ("HK$8bn", 8 * B, "HKD", None, False),
    ("S$300 million", 300 * M, "SGD", None, False),
    ("10 billion yuan", 10 * B, "CNY", None, False),
    ("RMB 10 billion", 10 * B, "CNY", None, False),
    ("5 billion USD", 5 * B, "USD", None, False),
    ("5 billion US dollars", 5 * B, "USD", None, False),
    ("100 million dollars", 100 * M, "USD", None, False),
    ("1.5 billion Egyptian pounds", 1.5 * B, "EGP", None, False),
    ("3 trillion rupiah", 3e12, "IDR", None, False),
    ("2 billion dirhams", 2 * B, "AED", None, False),
    ("₦500 billion", 500 * B, "NGN", None, False),
    ("400 billion naira", 400 * B, "NGN", None, False),
    ("10 billion Turkish lira", 10 * B, "TRY", None, False),
    ("50 million Swiss francs", 50 * M, "CHF", None, False),
    ("$5k", 5_000.0, "USD", None, False),
    ("$2.5 mn", 2.5 * M, "USD", None, False),
    ("$3 bln", 3 * B, "USD", None, False),
    ("US $5 billion", 5 * B, "USD", None, False),
    ("a billion dollars", 1 * B, "USD", None, False),
    ("half a billion euros", 0.5 * B, "EUR", None, False),
    ("more than a billion dollars", 1 * B, "USD", None, True),
    ("one trillion won", 1e12, "KRW", None, False),
    ("a 5 billion-dollar plan", 5 * B, "USD", None, False),
    ("€30bn-€50bn", 50 * B, "EUR", 30 * B, False),
    ("USD 30-50 billion", 50 * B, "USD", 30 * B, False),
    ("$500,000-$1 million", 1 * M, "USD", 500_000.0, False),
    ("Rs 500-crore project", 5 * B, "INR", None, False),
    ("500 €", 500.0, "EUR", None, False),
    ("£1.2bn ($1.5bn)", 1.2 * B, "GBP", None, False),
]


@pytest.mark.parametrize(("text", "value", "currency", "low", "approximate"), SINGLE)
def test_money_parses_news_amounts(
    text: str, value: float, currency: str, low: float | None, approximate: bool
) -> None:
    money = parse_amount(text)
    assert money is not None, text
    assert math.isclose(money.value, value, rel_tol=1e-12)
    assert money.currency == currency
    if low is None:
        assert money.low is None
    else:
        assert money.low is not None and math.isclose(money.low, low, rel_tol=1e-12)
    assert money.approximate is approximate


@pytest.mark.parametrize(
    "text",
    [
        "1.2 million people",
        "the 60th anniversary",
        "in 2025",
        "growth of 5%",
        "rates rose 5 percent",
        "a 5 per cent stake",
        "12,000 troops",
        "3.5 billion",
        "P500 was the score",
        "R2 unit",
        "the team has 20 won",
        "5,000 pounds of beef",
        "Mrs 5",
        "a billion-dollar deal",
        "a million people",
        "between 2020 and 2025",
    ],
)
def test_money_ignores_non_amounts(text: str) -> None:
    assert find_amounts(text) == []


def test_money_two_amounts_joined_by_and() -> None:
    found = find_amounts("Pledges of €30 billion and €50 billion were made.")
    assert [(m.value, m.currency, m.low) for m in found] == [(30 * B, "EUR", None), (50 * B, "EUR", None)]


def test_money_change_from_to_is_two_amounts() -> None:
    found = find_amounts("Trade grew from $30 billion to $50 billion.")
    assert [m.value for m in found] == [30 * B, 50 * B]


@pytest.mark.parametrize("ticker", ["$1 – 12715.42", "₽1 – 137.00", "€1 – 14190.41"])
def test_money_ticker_is_at_most_one_unit(ticker: str) -> None:
    assert [(m.value, m.low) for m in find_amounts(ticker)] in ([(1.0, None)], [])


def test_money_code_after_line_break_is_not_a_suffix() -> None:
    found = find_amounts("Rates today\n$1 – 12715.42\nUZS – -0.17%")
    assert [m.currency for m in found] in (["USD"], [])


def test_money_year_does_not_open_a_range() -> None:
    found = find_amounts("Exports should grow by 2030 to $500,000 a month.")
    assert [(m.value, m.low) for m in found] == [(500_000.0, None)]


@pytest.mark.parametrize(
    "sentence",
    [
        "The two sides signed agreements worth 24 billion Saudi riyals (around $6.4 billion) on Thursday.",
        "India extended a line of credit of Rs 4,850 crore (USD 565 million) to the island nation.",
        "The lender approved JPY46.34 billion (about PHP17.67 billion) for the bridge project.",
        "Kenya will convert Ksh646.15 billion (USD5 billion loan) into yuan, officials said.",
        "ADQ will invest $35bn, of which $24bn goes to land rights and $11bn is converted deposits.",
        "Seoul's bid, valued at 26 trillion won, beat rivals; a separate €1 fee was waived.",
    ],
)
def test_money_offsets_match_text(sentence: str) -> None:
    found = find_amounts(sentence)
    assert found
    for money in found:
        assert sentence[money.start:money.end] == money.text
    assert [m.start for m in found] == sorted(m.start for m in found)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Deals worth 24 billion Saudi riyals (around $6.4 billion) were signed.", [(24 * B, "SAR")]),
        ("A Rs 4,850 crore (USD 565 million) credit line.", [(48.5 * B, "INR")]),
        ("Loans of JPY46.34 billion (about PHP17.67 billion) and JPY45.76 billion.",
         [(46.34 * B, "JPY"), (45.76 * B, "JPY")]),
        ("It converts Ksh646.15 billion (USD5 billion loan) into yuan.", [(646.15 * B, "KES")]),
        ("It pays $5 billion. (Separately, $2 billion was repaid.)", [(5 * B, "USD"), (2 * B, "USD")]),
        ("Two deals: $5 billion and $2 billion.", [(5 * B, "USD"), (2 * B, "USD")]),
        ("The pact is worth 8 billion yuan, which is about $1.1 billion, or 1.8 trillion naira.",
         [(8 * B, "CNY")]),
        ("A grant of 300 million euros, equivalent to $330 million, was agreed.", [(0.3 * B, "EUR")]),
        ("It is valued at 9 billion yuan (about 1.2 billion U.S. dollars or 2 trillion naira).",
         [(9 * B, "CNY")]),
        ("Kenya got $2 billion and Ghana 3 billion cedis.", [(2 * B, "USD"), (3 * B, "GHS")]),
        ("A $2bn (R36bn) loan and a $700m (R12.6bn) grant.", [(2 * B, "USD"), (0.7 * B, "USD")]),
    ],
)
def test_money_primary_amounts_drop_conversions(
    sentence: str, expected: list[tuple[float, str]]
) -> None:
    primary = primary_amounts(find_amounts(sentence), sentence)
    assert [(pytest.approx(m.value), m.currency) for m in primary] == expected


def test_money_parse_amount_keeps_unbracketed_figure() -> None:
    money = parse_amount("26 trillion won (around $17 billion)")
    assert money is not None and money.currency == "KRW" and money.value == 26e12


def test_money_parse_amount_none_for_several_or_none() -> None:
    assert parse_amount("$5 billion and $2 billion") is None
    assert parse_amount("no money here") is None


@pytest.mark.parametrize(
    ("country", "currency"),
    [
        ("India", "INR"),
        ("Pakistan", "PKR"),
        ("Sri Lanka", "LKR"),
        ("Nepal", "NPR"),
        ("Maldives", "INR"),
        (None, "INR"),
    ],
)
def test_money_rs_settled_by_country(country: str | None, currency: str) -> None:
    money = parse_amount("Rs 50 billion", country=country)
    assert money is not None and money.currency == currency


@pytest.mark.parametrize(
    ("text", "country", "currency"),
    [
        ("P500 million", None, "PHP"),
        ("P500", "Philippines", "PHP"),
        ("P500", "the Philippines", "PHP"),
        ("P500", None, None),
        ("P500", "India", None),
        ("$5 billion", "Australia", "USD"),
        ("A$5 billion", "Australia", "AUD"),
        ("2 billion pesos", "Philippines", "PHP"),
        ("2 billion pesos", "Argentina", "ARS"),
        ("2 billion pesos", None, "MXN"),
        ("500 million pounds", "Egypt", "EGP"),
        ("500 million pounds", None, "GBP"),
        ("3 billion shillings", "Uganda", "UGX"),
        ("3 billion shillings", None, "KES"),
        ("100 million dinars", "Kuwait", "KWD"),
        ("100 million dinars", None, None),
        ("¥50 billion", "China", "CNY"),
        ("R5 billion", "South Africa", "ZAR"),
        ("R500", "South Africa", "ZAR"),
    ],
)
def test_money_ambiguous_tokens_follow_country(text: str, country: str | None, currency: str | None) -> None:
    found = find_amounts(text, country=country)
    assert [m.currency for m in found] == ([currency] if currency else [])


@pytest.mark.parametrize(
    ("value", "currency", "low", "approximate", "expected"),
    [
        (500 * M, "USD", None, False, "$500 million"),
        (50 * B, "EUR", 30 * B, False, "€30–50 billion"),
        (48.5 * B, "INR", None, False, "₹4,850 crore"),
        (500 * M, "USD", None, True, "about $500 million"),
        (24 * B, "SAR", None, False, "SAR 24 billion"),
        (1 * B, "USD", 500 * M, False, "$500 million–$1 billion"),
        (1.0, "EUR", None, False, "€1"),
        (1.2e12, "USD", None, False, "$1.2 trillion"),
        (250_000.0, "USD", None, False, "$250,000"),
    ],
)
def test_money_format_for_people(
    value: float, currency: str, low: float | None, approximate: bool, expected: str
) -> None:
    money = Money(value=value, currency=currency, low=low, approximate=approximate)
    assert format_amount(money) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_money_find_amounts_never_raises(text: str) -> None:
    for money in find_amounts(text):
        assert text[money.start:money.end] == money.text


_NEWSY = st.lists(
    st.sampled_from(["$", "Rs", "P", "€", "USD", "5", "30", "4,850", ".", "-", "–", " ", "to", "and",
                     "between", "billion", "bn", "crore", "B", "m", "riyals", "won", "(", ")", "around",
                     "%", "1,00,000", "12.5"]),
    max_size=25,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_NEWSY, st.sampled_from([None, "India", "Philippines", "Pakistan"]))
def test_money_find_amounts_never_raises_on_newsy_text(text: str, country: str | None) -> None:
    for money in find_amounts(text, country):
        assert text[money.start:money.end] == money.text
        assert money.value > 0 or money.value == 0
        assert money.low is None or money.low < money.value


_VALUES = st.one_of(
    st.floats(min_value=0.01, max_value=1e15, allow_nan=False, allow_infinity=False),
    st.builds(lambda n, e: n * 10.0**e, st.integers(1, 99_999), st.sampled_from([0, 3, 5, 6, 7, 9, 12])),
)


@settings(max_examples=300, deadline=None)
@given(_VALUES, st.sampled_from(known_currencies()), st.booleans())
def test_money_format_then_parse_round_trips(value: float, currency: str, approximate: bool) -> None:
    money = Money(value=value, currency=currency, approximate=approximate)
    parsed = parse_amount(format_amount(money))
    assert parsed is not None, format_amount(money)
    assert parsed.currency == currency
    assert math.isclose(parsed.value, value, rel_tol=1e-9)
    assert parsed.approximate is approximate


@settings(max_examples=200, deadline=None)
@given(_VALUES, st.floats(min_value=0.002, max_value=0.98), st.sampled_from(known_currencies()))
def test_money_format_then_parse_round_trips_ranges(value: float, share: float, currency: str) -> None:
    low = value * share
    money = Money(value=value, currency=currency, low=low)
    parsed = parse_amount(format_amount(money))
    assert parsed is not None, format_amount(money)
    assert parsed.currency == currency
    assert math.isclose(parsed.value, value, rel_tol=1e-9)
    assert parsed.low is not None and math.isclose(parsed.low, low, rel_tol=1e-9)


def test_money_long_text_finds_the_same_amounts_as_each_sentence() -> None:
    sentences = ["Ghana signed a $300 million loan.", "Peru got 24 billion Saudi riyals (around $6.4bn).",
                 "Between 30 and 50 billion euros were pledged.", "It costs Rs 4,850 crore in all."]
    alone = [m.value for s in sentences for m in find_amounts(s)]
    spacer = " " + "no figures here at all. " * 20
    assert [m.value for m in find_amounts(spacer.join(sentences))] == alone
