"""The one amount-and-currency parser: "$500 million", "Rs 4,850 crore", "30 to 50 billion euros".

Written by hand on purpose: no library reads news-style amounts (crore and lakh, "PHP65-B",
"12 billion-euro", ranges, bracketed conversions, `Rs` or `P` settled by the article's country).
The regexes are built lazily from `data/currencies.json`; the arithmetic is done in `Decimal`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from pydantic import BaseModel, Field, model_validator

from briefings.data.lexicons import load_json
from briefings.models import Money

_LEXICON = "currencies.json"
# Ranges whose ends differ more than this are two figures or a ticker ("$1 – 12715.42").
_MAX_RANGE_RATIO = Decimal(1000)
_DISPLAY_SCALES = ((12, "trillion"), (9, "billion"), (6, "million"))
_CRORE = 7


class _Currency(BaseModel):
    code: str = Field(pattern=r"^[A-Z]{3}$")
    display: str | None = None
    symbols: list[str] = Field(default_factory=list)
    names: list[str] = Field(default_factory=list)


class _Ambiguous(BaseModel):
    symbols: list[str] = Field(default_factory=list)
    names: list[str] = Field(default_factory=list)
    default: str | None
    strict: bool = False
    countries: dict[str, str] = Field(default_factory=dict)


class _CurrencyLexicon(BaseModel):
    scales: dict[str, int]
    letter_scales: dict[str, int]
    approximate: list[str]
    number_words: dict[str, Decimal]
    names_needing_scale: list[str]
    currencies: list[_Currency]
    ambiguous: list[_Ambiguous]

    @model_validator(mode="after")
    def _check(self) -> _CurrencyLexicon:
        codes = {c.code for c in self.currencies}
        for entry in self.ambiguous:
            unknown = set(entry.countries.values()) - codes
            if entry.default is not None and entry.default not in codes:
                unknown.add(entry.default)
            if unknown:
                raise ValueError(f"ambiguous entry settles to unknown codes {sorted(unknown)}")
        tokens = [t for c in self.currencies for t in (c.code, *c.symbols)]
        tokens += [t for a in self.ambiguous for t in a.symbols]
        names = [_key(n) for c in self.currencies for n in c.names]
        names += [_key(n) for a in self.ambiguous for n in a.names]
        for kind, items in (("token", tokens), ("name", names)):
            repeated = {t for t in items if items.count(t) > 1}
            if repeated:
                raise ValueError(f"{kind}s listed twice: {sorted(repeated)}")
        return self


@dataclass(frozen=True)
class _Meaning:
    """What a currency token stands for: a fixed code, or an ambiguity the country settles."""

    code: str | None = None
    ambiguous: _Ambiguous | None = None


@dataclass(frozen=True)
class _Grammar:
    pattern: re.Pattern[str]
    tokens: dict[str, _Meaning]  # symbols and codes, exact case
    names: dict[str, _Meaning]  # currency names, by `_key`
    number_words: dict[str, Decimal]  # by `_key`
    scales: dict[str, int]  # by `_key`
    letter_scales: dict[str, int]
    needing_scale: frozenset[str]
    displays: dict[str, str]
    codes: tuple[str, ...]


@dataclass(frozen=True)
class _Atom:
    """One figure as matched, before ranges are joined; `currency` None means a bare number."""

    start: int  # includes a qualifier ("around")
    lead: int | None  # where "between" starts, if it precedes the figure
    end: int
    number: Decimal
    scale: int | None
    currency: str | None
    approximate: bool


def _key(text: str) -> str:
    return " ".join(text.split()).lower()


def _country_key(country: str | None) -> str | None:
    if country is None:
        return None
    key = _key(country)
    return key[4:] if key.startswith("the ") else key


def _alternation(items: list[str]) -> str:
    """Longest first, so "lakh crore" wins over "lakh"; inner spaces match any white space."""
    return "|".join(r"\s+".join(re.escape(w) for w in item.split())
                    for item in sorted(set(items), key=len, reverse=True))


def _bounded(token: str) -> str:
    """A token that starts with a letter must not continue a word ("Mrs 5", "DRs")."""
    return (r"(?<![A-Za-z0-9])" if token[:1].isalpha() else "") + re.escape(token)


def _build_pattern(lex: _CurrencyLexicon) -> str:
    strict = {s for a in lex.ambiguous if a.strict for s in a.symbols}
    prefixes = [c.code for c in lex.currencies] + [s for c in lex.currencies for s in c.symbols]
    prefixes += [s for a in lex.ambiguous for s in a.symbols]
    loose = sorted(set(prefixes) - strict, key=len, reverse=True)
    spaced = [_bounded(t) + r"[ \u00a0\u202f]?" for t in loose]
    # "Tk 5,000 crore", "Sh 150 billion": a strict symbol may stand apart too; without a scale word
    # or a country that uses it, it still makes no amount (see _currency)
    tight = [_bounded(t) + r"[ \u00a0\u202f]?" for t in sorted(strict, key=len, reverse=True)]
    names = [n for c in lex.currencies for n in c.names] + [n for a in lex.ambiguous for n in a.names]
    # A code or symbol after a figure belongs to the next figure when one follows it ("2024 USD 5bn").
    suffix_tokens = [c.code for c in lex.currencies]
    suffix_tokens += [s for c in lex.currencies for s in c.symbols if not s.isascii()]
    quals = [r"\s+".join(re.escape(w) for w in q.split()) + (r"\s+" if q[-1].isalpha() else r"\s*")
             for q in sorted(lex.approximate, key=len, reverse=True)]
    number = r"[0-9]{1,2}(?:,[0-9]{2})+,[0-9]{3}|[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+"
    scales = _alternation(list(lex.scales))
    return (
        r"(?:(?<![A-Za-z])(?P<lead>(?ai:between))\s+)?"
        rf"(?:(?<![A-Za-z])(?P<approx>(?ai:{'|'.join(quals)})))?"
        rf"(?:(?:(?P<prefix>{'|'.join(spaced + tight)})|(?<![\w.,]))"
        rf"(?P<num>(?:{number})(?:\.[0-9]+)?|\.[0-9]+)(?![0-9])"
        r"(?!\s*(?:%|(?ai:per\s?cent)))"
        # "a billion dollars", "half a billion euros": a number word counts only before a scale word
        rf"|(?<![A-Za-z])(?P<wnum>(?ai:{_alternation(list(lex.number_words))}))(?=\s+(?ai:{scales})\b))"
        r"(?:(?:\s*|-)(?P<scale>(?ai:" + scales + r"))(?![A-Za-z])"
        r"|-?(?P<lscale>" + _alternation(list(lex.letter_scales)) + r")(?![A-Za-z0-9]))?"
        r"(?:(?:\s+|-)(?P<name>(?ai:" + _alternation(names) + r"))(?![A-Za-z])"
        # a code after a line break heads a ticker or table row, not this figure
        r"|(?:[ \t\u00a0\u202f]+|-)(?P<code>"
        + "|".join(_bounded(t) for t in sorted(suffix_tokens, key=len, reverse=True))
        + r")(?![A-Za-z0-9])(?!\s?[0-9]))?"
    )


@cache
def _grammar() -> _Grammar:
    lex = _CurrencyLexicon.model_validate(load_json(_LEXICON))
    tokens: dict[str, _Meaning] = {}
    names: dict[str, _Meaning] = {}
    for cur in lex.currencies:
        fixed = _Meaning(code=cur.code)
        tokens.update({t: fixed for t in (cur.code, *cur.symbols)})
        names.update({_key(n): fixed for n in cur.names})
    for amb in lex.ambiguous:
        settle = _Meaning(ambiguous=amb.model_copy(
            update={"countries": {_country_key(k) or k: v for k, v in amb.countries.items()}}))
        tokens.update({t: settle for t in amb.symbols})
        names.update({_key(n): settle for n in amb.names})
    return _Grammar(
        pattern=re.compile(_build_pattern(lex)),
        tokens=tokens,
        names=names,
        number_words={_key(k): v for k, v in lex.number_words.items()},
        scales={_key(k): v for k, v in lex.scales.items()},
        letter_scales=dict(lex.letter_scales),
        needing_scale=frozenset(_key(n) for n in lex.names_needing_scale),
        displays={c.code: c.display for c in lex.currencies if c.display},
        codes=tuple(c.code for c in lex.currencies),
    )


def _settle(meaning: _Meaning | None, *, symbol: bool, scaled: bool, country: str | None) -> str | None:
    """The ISO code a token means in this article, or None when it is not money here."""
    if meaning is None:
        return None
    if meaning.ambiguous is None:
        return meaning.code
    amb = meaning.ambiguous
    by_country = amb.countries.get(country) if country else None
    if by_country:
        return by_country
    if symbol and amb.strict and not scaled:
        return None
    return amb.default


def _atom(match: re.Match[str], grammar: _Grammar, country: str | None) -> _Atom | None:
    if match["wnum"]:
        number = grammar.number_words.get(_key(match["wnum"]), Decimal(0))
    else:
        number = Decimal(match["num"].replace(",", ""))
    scale: int | None = None
    if match["scale"]:
        scale = grammar.scales.get(_key(match["scale"]))
    elif match["lscale"]:
        scale = grammar.letter_scales.get(match["lscale"])
    scaled = scale is not None
    meaning: _Meaning | None = None
    token = match["prefix"] or match["code"]
    if token:
        meaning = grammar.tokens.get(token.rstrip(" \u00a0\u202f"))
    elif match["name"] and (scaled or _key(match["name"]) not in grammar.needing_scale):
        meaning = grammar.names.get(_key(match["name"]))
    currency = _settle(meaning, symbol=bool(token), scaled=scaled, country=country)
    hyphenated = bool(match["name"]) and match.string[match.start("name") - 1] == "-"
    if match["wnum"] and (currency is None or hyphenated):
        return None  # "a million people"; "a billion-dollar deal" is a manner of speaking, not a figure
    end = match.end()
    if currency is None:  # a bare figure ends at its number or scale; a stray suffix is not part of it
        end = max(match.end("num"), match.end("scale"), match.end("lscale"))
    return _Atom(
        start=min(match.start(g) for g in ("approx", "prefix", "num", "wnum") if match[g]),
        lead=match.start("lead") if match["lead"] else None,
        end=end,
        number=number,
        scale=scale,
        currency=currency,
        approximate=bool(match["approx"]),
    )


_RANGE_GAP = re.compile(r"\s*(?:-|–|—|(?ai:to))\s*")
_BETWEEN_GAP = re.compile(r"\s+(?ai:and)\s+")
_FROM_BEFORE = re.compile(r"(?ai:\bfrom)\s+$")


def _amount(atom: _Atom) -> Decimal:
    return atom.number.scaleb(atom.scale or 0)


def _looks_like_year(number: Decimal) -> bool:
    return number == number.to_integral_value() and 1900 <= number <= 2100


def _join_range(low: _Atom, high: _Atom, text: str) -> _Atom | None:
    """`low` and `high` as one range ("$30-$50bn", "between 30 and 50 billion euros"), or None."""
    gap = text[low.end:high.start]
    joined = _RANGE_GAP.fullmatch(gap) or (low.lead is not None and _BETWEEN_GAP.fullmatch(gap))
    if high.approximate or not joined:
        return None
    if _FROM_BEFORE.search(text[max(0, low.start - 10):low.start]):
        return None  # "from $30bn to $50bn" is a change, not a range
    if low.currency and high.currency and low.currency != high.currency:
        return None
    if low.currency is None and low.scale is None and _looks_like_year(low.number):
        return None  # "by 2030 to $500,000"
    if high.currency is None and high.scale is None and gap.strip() != gap:
        return None  # "$1 – 137.00" is a rate in a ticker; a plain range is written tight ("$30–50")
    currency = high.currency or low.currency
    if currency is None:
        return None
    high_value = _amount(high)
    # A low end without a scale borrows the high end's ("$30-50bn"), unless it is whole ("$500,000-$1m").
    scales = [low.scale] if low.scale is not None else [high.scale, None]
    candidates = [low.number.scaleb(s or 0) for s in scales]
    fitting = [v for v in candidates if 0 < v < high_value <= v * _MAX_RANGE_RATIO]
    if not fitting:
        return None
    low_value = fitting[0]
    return _Atom(start=low.lead if low.lead is not None else low.start, lead=None, end=high.end,
                 number=low_value, scale=None, currency=currency, approximate=low.approximate)


# An amount starts at most this far before its first digit or scale word ("between approximately
# US$ 5") and ends at most this far after its last one ("5.2 trillion South Korean won").
_REACH_BEFORE = 48
_REACH_AFTER = 64


@cache
def _anchor_pattern() -> re.Pattern[str]:
    scales = _alternation(list(_grammar().scales))
    return re.compile(rf"[0-9]+(?:[.,][0-9]+)*|(?<![A-Za-z])(?ai:{scales})(?![A-Za-z])")


def _windows(text: str) -> list[tuple[int, int]]:
    """Stretches of `text` around digits and scale words: the full grammar runs only there, which
    keeps long texts fast (the grammar is costly at every position)."""
    out: list[tuple[int, int]] = []
    for m in _anchor_pattern().finditer(text):
        lo, hi = max(0, m.start() - _REACH_BEFORE), min(len(text), m.end() + _REACH_AFTER)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def find_amounts(text: str, country: str | None = None) -> list[Money]:
    """Every money amount in `text`, in order; `start`/`end` index `text`.

    `country` is the article's country (English short name); it settles `Rs`, `P`, "pesos" and the
    like. A range keeps `low` and gives its upper bound as `value`; a qualifier ("around", "over")
    sets `approximate` and is part of `text`.
    """
    grammar = _grammar()
    key = _country_key(country)
    atoms = [a for lo, hi in _windows(text) for m in grammar.pattern.finditer(text, lo, hi)
             if (a := _atom(m, grammar, key)) is not None]
    out: list[Money] = []
    i = 0
    while i < len(atoms):
        atom, low = atoms[i], None
        if i + 1 < len(atoms) and (joined := _join_range(atom, atoms[i + 1], text)) is not None:
            low, atom = joined.number, atoms[i + 1]
            start, approximate = joined.start, joined.approximate
            currency = joined.currency
            i += 2
        else:
            start, approximate, currency = atom.start, atom.approximate, atom.currency
            i += 1
        if currency is None:
            continue
        value = float(_amount(atom))
        if not math.isfinite(value):
            continue
        out.append(Money(value=value, currency=currency, low=float(low) if low is not None else None,
                         approximate=approximate, text=text[start:atom.end], start=start, end=atom.end))
    return out


# A bracket opened right after an amount, with at most a few words before the next amount:
# "30 billion Saudi riyals (around $8 billion)", "Ksh200 billion (USD1.5 billion loan)".
_CONVERSION_GAP = re.compile(r"\s*[(\[]\s*(?:[A-Za-z.]+\s+){0,3}")
_CONVERSION_CLOSE = re.compile(r"[^()\[\]]{0,60}[)\]]")


# Unbracketed conversions into another currency: "15 billion yuan which is about $2.09 billion",
# "€12 billion, or about $13 billion", "R27bn, equivalent to $1.5bn".
_CONVERSION_SAID = re.compile(r"\s*,?\s*(?:which\s+is|that\s+is|i\.e\.,?|or|equivalent\s+to|equal\s+to)"
                              r"(?:\s+(?:equivalent|equal)\s+to)?\s*", re.IGNORECASE)
# A further conversion chained after one: "(about $1.4 billion or 2.1 trillion cedis)".
_CONVERSION_CHAIN = re.compile(r"\s*(?:,\s*|\s+)(?:or|and)?\s*", re.IGNORECASE)


def _is_conversion(primary: Money, money: Money, text: str) -> bool:
    gap = text[primary.end:money.start]
    if _CONVERSION_GAP.fullmatch(gap) and _CONVERSION_CLOSE.match(text, money.end):
        return True
    if money.currency == primary.currency:
        return False
    # "a EUR 500m loan from the European Investment Bank (about $540m)": a bracket holding only
    # a figure in another currency, a few words after the amount in the same clause.
    late = _CONVERSION_LATE.fullmatch(gap)
    if late is not None and _BRACKET_CLOSE.match(text, money.end):
        return True
    return _CONVERSION_SAID.fullmatch(gap) is not None


_BRACKET_CLOSE = re.compile(r"\s*\)")
_CONVERSION_LATE = re.compile(r"[^()\[\];:.,]{1,70}\(\s*(?:(?:about|around|approximately|approx\.|roughly|"
                              r"some|nearly|almost|or|equivalent\s+to|equal\s+to)\s+)?", re.IGNORECASE)


def primary_amounts(amounts: list[Money], text: str) -> list[Money]:
    """`amounts` without the conversions right after another amount (bracketed, or said so)."""
    kept: list[Money] = []
    previous: Money | None = None
    converted: list[Money] = []  # the conversions of `previous` so far
    for money in sorted(amounts, key=lambda m: m.start):
        if previous is not None and previous.end <= money.start:
            last = converted[-1] if converted else None
            chained = (last is not None and money.currency not in {previous.currency, last.currency}
                       and _CONVERSION_CHAIN.fullmatch(text[last.end:money.start]) is not None)
            if chained or (not converted and _is_conversion(previous, money, text)):
                converted.append(money)
                continue
        kept.append(money)
        previous, converted = money, []
    return kept


def parse_amount(text: str, country: str | None = None) -> Money | None:
    """The one amount `text` states (a bracketed conversion aside), or None for none or several."""
    amounts = primary_amounts(find_amounts(text, country), text)
    return amounts[0] if len(amounts) == 1 else None


def _decimal(value: float) -> Decimal:
    # repr is the shortest string that reads back as the same float, so formatting stays exact.
    return Decimal(repr(value))


def _scale_for(currency: str, value: Decimal) -> tuple[int, str]:
    if currency == "INR" and value >= Decimal(10) ** _CRORE and value % Decimal(10) ** _CRORE == 0:
        return _CRORE, "crore"
    for exponent, word in _DISPLAY_SCALES:
        if value >= Decimal(10) ** exponent:
            return exponent, word
    return 0, ""


def _figure(value: Decimal, exponent: int) -> str:
    return format(value.scaleb(-exponent).normalize(), ",f")


def _prefix(currency: str) -> str:
    return _grammar().displays.get(currency) or f"{currency} "


def _phrase(currency: str, value: Decimal) -> str:
    exponent, word = _scale_for(currency, value)
    return f"{_prefix(currency)}{_figure(value, exponent)}{' ' + word if word else ''}"


def format_amount(money: Money) -> str:
    """For people: "$500 million", "€30–50 billion", "₹4,850 crore", "about SAR 24 billion"."""
    value = _decimal(money.value)
    lead = "about " if money.approximate else ""
    if money.low is None or not 0 < money.low < money.value:
        return lead + _phrase(money.currency, value)
    low = _decimal(money.low)
    exponent, word = _scale_for(money.currency, value)
    if low >= Decimal(10) ** exponent:
        tail = f" {word}" if word else ""
        return f"{lead}{_prefix(money.currency)}{_figure(low, exponent)}–{_figure(value, exponent)}{tail}"
    return f"{lead}{_phrase(money.currency, low)}–{_phrase(money.currency, value)}"


def known_currencies() -> tuple[str, ...]:
    """The ISO codes the lexicon knows, in its order."""
    return _grammar().codes
