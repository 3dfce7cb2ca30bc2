"""Given names, from a maintained data package: Faker's person providers, every locale.

Faker (MIT, released monthly) ships curated given-name lists for about 80 locales (South and East
Asian, Arabic, African, Central Asian, European and Latin American ones among them). We only read
those lists: a capitalised pair that opens with a known given name ("Omar Haddad said", "Enrico
Mattei (founder of ...)") names a person even without a title or a speech verb.

Given names that are also everyday capitalised words ("Will", "Grace", "Royal") are dropped by
`not_first_names.txt`, and so is every word the other lexicons already claim (titles, honorifics,
organisation suffixes, places, words that are never names).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
from collections.abc import Iterable
from functools import cache, lru_cache

from briefings.data.lexicons import load_lines
from briefings.extract.places import fold, lookup_geo

_PROVIDERS = "faker.providers.person"
_ATTRIBUTES = ("first_names", "first_names_male", "first_names_female")
# Latin letters only (with accents): the articles are English, other scripts never match anyway.
_LATIN_NAME = re.compile(r"[A-Za-zÀ-ɏ]+(?:[-'’][A-Za-zÀ-ɏ]+)*")


def _provider_names() -> set[str]:
    """Every given name of every locale's person provider (modules dropped again once read)."""
    package = importlib.import_module(_PROVIDERS)
    before = set(sys.modules)
    names: set[str] = set()
    for module in pkgutil.iter_modules(package.__path__):
        provider = importlib.import_module(f"{_PROVIDERS}.{module.name}").Provider
        for klass in provider.__mro__:
            for attribute in _ATTRIBUTES:
                value = klass.__dict__.get(attribute)
                if isinstance(value, dict | list | tuple):
                    names.update(str(v) for v in value)
    # The locale modules also hold surnames and prefixes we never use: let them go.
    for loaded in set(sys.modules) - before:
        del sys.modules[loaded]
    return names


def usable(names: Iterable[str], excluded: frozenset[str]) -> frozenset[str]:
    """Folded given names, less other scripts and excluded words (places are checked on use)."""
    out: set[str] = set()
    for name in names:
        if not _LATIN_NAME.fullmatch(name) or len(name) < 2:
            continue
        key = fold(name)
        if key not in excluded:
            out.add(key)
    return frozenset(out)


@cache
def first_names() -> frozenset[str]:
    """Folded given names that may open a person's name."""
    from briefings.extract.names import honorifics, not_names, org_suffixes, particles, titles

    excluded = frozenset(fold(w) for w in load_lines("not_first_names.txt"))
    excluded |= not_names() | titles() | honorifics() | org_suffixes() | particles()
    return usable(_provider_names(), excluded)


@lru_cache(maxsize=1 << 14)
def is_first_name(word: str) -> bool:
    """A given name, and not a place ("Jordan", "Georgia"): places are looked up per word asked."""
    return fold(word) in first_names() and lookup_geo(word) is None
