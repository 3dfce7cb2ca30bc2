"""Deal parties in canonical form: a country for its name, demonym or government; full org names."""

from __future__ import annotations

import re

from briefings.extract.organisations import known_acronyms
from briefings.extract.places import country_of, strip_phrase

_GOVERNMENT = re.compile(
    r"^(?:the\s+)?(?:government|governments|state|authorities|administration|people|side)\s+of\s+(?:the\s+)?(.+)$"
    r"|^(?:the\s+)?(.+?)(?:['’]s?)?\s+(?:government|administration|authorities|side|state|delegation)$",
    re.IGNORECASE)


def canonical_party(text: str) -> str:
    """Countries and their governments -> the country's short name ("the Kenyan government" -> "Kenya");
    well-known acronyms ("IMF") -> the body's full name; other organisations as written."""
    cleaned = strip_phrase(text)
    country = country_of(cleaned)
    if country:
        return country
    expansion = known_acronyms().get(cleaned)
    if expansion:
        return expansion
    match = _GOVERNMENT.match(cleaned)
    if match:
        country = country_of(match.group(1) or match.group(2) or "")
        if country:
            return country
    return cleaned
