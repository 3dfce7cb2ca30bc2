"""The exceptions briefbot raises. Each carries a message that is safe to show a user.

    BriefbotError
     +-- InputError          bad input from a user or a file: shown as is, nothing else changes
     |    +-- ArticleError   one article could not be read or cleaned (empty, binary, too big)
     |    +-- FetchError     a URL or feed could not be fetched (refused, too big, not a feed)
     +-- StoreError          the database is unreachable, read-only or corrupt
     +-- NotFoundError       an id that is not in the store
"""

from __future__ import annotations


class BriefbotError(Exception):
    """Base class; `str(error)` is a one-line message fit for a user."""


class InputError(BriefbotError):
    """Bad input: the message says what was wrong."""


class ArticleError(InputError):
    """One article could not be read or cleaned."""


class FetchError(InputError):
    """A URL or feed could not be fetched safely."""


class StoreError(BriefbotError):
    """The store cannot be used (unreachable, read-only, corrupt)."""


class NotFoundError(BriefbotError):
    """An id that the store does not hold."""
