"""The published JSON Schema matches the contract models, and dates keep their precision."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefings.contract import schema_json
from briefings.models import DateValue

SCHEMA = Path(__file__).resolve().parents[2] / "briefings" / "schema" / "extract.schema.json"


def test_contract_schema_file_is_current() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == schema_json(), (
        "regenerate with: python -c \"from briefings.contract import schema_json; "
        "open('briefings/schema/extract.schema.json','w').write(schema_json())\"")


@pytest.mark.parametrize(("value", "iso", "precision"), [
    (DateValue(year=2025), "2025", "year"),
    (DateValue(year=2025, month=7), "2025-07", "month"),
    (DateValue(year=2025, month=7, day=25), "2025-07-25", "day"),
])
def test_contract_dates_are_truncated_to_their_precision(value: DateValue, iso: str, precision: str) -> None:
    assert value.iso() == iso
    assert value.precision == precision
    assert DateValue.parse_iso(iso) == value


@pytest.mark.parametrize("text", ["2025-13", "2025-02-30", "July", "2025-07-25-01"])
def test_contract_parse_iso_rejects_bad_dates(text: str) -> None:
    with pytest.raises(ValueError):
        DateValue.parse_iso(text)
