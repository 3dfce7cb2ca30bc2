"""The publication date of an HTML page, by htmldate (meta tags, JSON-LD, `<time>`, the URL).

htmldate is a well-kept library built for exactly this, and it reads a page's markup better than
the hand-written reader in `ingest/published.py`, which stays for plain text (date lines, stamps,
datelines). htmldate's extensive search of the visible text is left off: it takes a site's
"today" widget in the header ("Saturday, March 14, 2026", the day the page was copied) for the
publication date, a trap the text reader knows. Imported only when an HTML page is read.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def html_published(markup: str, url: str | None = None) -> str | None:
    """`YYYY-MM-DD` of the page's original publication, or None when htmldate finds none."""
    if not markup.strip():
        return None
    from htmldate import find_date  # heavy (lxml, date parsers): only for HTML input

    try:
        found = find_date(markup, extensive_search=False, original_date=True, outputformat="%Y-%m-%d",
                          url=url)
    except (ValueError, TypeError) as error:  # a page htmldate cannot parse: fall back to our reader
        logger.debug("htmldate failed: %s", error)
        return None
    return found if isinstance(found, str) and found else None
