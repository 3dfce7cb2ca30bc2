"""The exceptions briefbot raises. Each carries a one-line message; `for_user` says what a chat may see.

    BriefbotError
     +-- InputError          bad input from a user or a file: shown as is, nothing else changes
     |    +-- ArticleError   one article could not be read or cleaned (empty, binary, too big)
     |    +-- FetchError     a URL or feed could not be fetched (refused, too big, not a feed)
     +-- StoreError          the database is unreachable, read-only or corrupt: the message names
     |                       the database, for the operator (CLI, logs); a chat gets SERVICE_TROUBLE
     +-- NotFoundError       an id that is not in the store
"""

from __future__ import annotations

# What a chat user is told when the fault is ours, not theirs; the details go to the log.
SERVICE_TROUBLE = "The service is having trouble; the admins have been told. Please try again later."


class BriefbotError(Exception):
    """Base class; `str(error)` is one line (see `for_user` for what a chat may see)."""


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


def for_user(error: BriefbotError) -> str:
    """The message a chat user may see: the error's own, except where it names internals."""
    return SERVICE_TROUBLE if isinstance(error, StoreError) else str(error)
