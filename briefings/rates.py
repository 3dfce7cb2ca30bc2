"""The dated reference rates (`data/rates.json`) that put deal amounts in one currency for filters.

Only filters convert: an amount is always shown in the currency its source wrote.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from pydantic import BaseModel, Field, field_validator

from briefings.data.lexicons import load_json


class RateTable(BaseModel):
    """`rates[code]` is how many `base` units one unit of `code` was worth on `date`."""

    base: str
    date: dt.date
    rates: dict[str, float] = Field(min_length=1)

    @field_validator("rates")
    @classmethod
    def _positive(cls, rates: dict[str, float]) -> dict[str, float]:
        bad = [code for code, rate in rates.items() if not rate > 0 or len(code) != 3]
        if bad:
            raise ValueError(f"rates must be positive, by three-letter code: {bad}")
        return rates

    def convert(self, amount: float, currency: str) -> float | None:
        """`amount` of `currency` in the base currency; None when the table has no rate for it."""
        rate = self.rates.get(currency.upper())
        return None if rate is None else amount * rate


@cache
def rate_table() -> RateTable:
    return RateTable.model_validate(load_json("rates.json"))
