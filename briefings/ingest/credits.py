"""The outlet a text credits when it came without a URL: a wire agency's dateline credit
("BEIJING (Reuters) –", "Kathmandu, Dec 5 (PTI)"), a byline ("By PTI") or a credit line ("— AFP").

The agencies are a data file (`data/wire_agencies.tsv`: the credit as printed, the name shown).
"""

from __future__ import annotations

import re
from functools import cache

from briefings.data.lexicons import load_tsv
from briefings.ingest.published import head_lines

_HEAD = 8  # lines at the top where datelines and bylines stand


@cache
def _agencies() -> dict[str, str]:
    return {row[0]: row[1] for row in load_tsv("wire_agencies.tsv") if len(row) >= 2}


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    names = "|".join(re.escape(n) for n in sorted(_agencies(), key=len, reverse=True))
    agency = rf"(?:{names})"
    bracket = re.compile(rf"\((?P<a>{agency})(?:\s*/\s*(?P<b>{agency}))?\)")  # "(Reuters)", "(BSS/AFP)"
    byline = re.compile(rf"^\s*By\s+(?P<a>{agency})\s*$")  # "By PTI" (not "By Jane Doe of AFP")
    # A credit on a line of its own ("— AFP", "Reuters"); one ending a caption names the photographer's
    # agency, not the text's, so it is not read.
    closing = re.compile(rf"^[\s(—–-]*(?P<a>{agency})[\s).]*$")
    return bracket, byline, closing


def _name(match: re.Match[str]) -> str:
    agencies = _agencies()
    names = [agencies[g] for g in (match.group("a"), match.groupdict().get("b")) if g]
    return "/".join(dict.fromkeys(names))


def wire_outlet(text: str) -> str | None:
    """The agency a text credits: a bracket or byline at the top first, then a closing credit."""
    bracket, byline, closing = _patterns()
    for _start, line in head_lines(text, limit=_HEAD):
        found = bracket.search(line[:120]) or byline.match(line)
        if found:
            return _name(found)
    for line in text.splitlines():
        found = closing.match(line)
        if found:
            return _name(found)
    return None
