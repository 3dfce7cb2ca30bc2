"""JSON from untrusted input: nesting too deep for the parser is bad input, not a crash."""

from __future__ import annotations

import json


class JsonTooDeep(ValueError):
    """Arrays or objects nested deeper than Python's recursion limit lets `json` parse."""


def load_json(text: str) -> object:
    """`json.loads`, with a RecursionError (a few KB of "[[[[...") turned into a ValueError.

    The standard parser recurses once per level; a 6 KB file of brackets exhausts the stack.
    Catching the error here keeps it one input's failure: the other inputs of the run go on.
    """
    try:
        return json.loads(text)
    except RecursionError:
        raise JsonTooDeep("the JSON is nested too deeply to read") from None
