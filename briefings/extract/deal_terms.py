"""Deal vocabulary from `data/deal_terms.json` and `data/sectors.txt`, and the matchers built on it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache

from pydantic import BaseModel

from briefings.data.lexicons import load_json, load_lines
from briefings.extract.entities import country_of
from briefings.extract.triggers import clause_start, find_phrases, phrase_pattern, same_clause
from briefings.models import DealKind, DealStatus, Money, Organisation

KIND_ORDER: tuple[DealKind, ...] = ("loan", "trade_agreement", "mou", "investment", "agreement")
STATUS_ORDER: tuple[DealStatus, ...] = ("negotiating", "planned", "signed", "announced")
_STATUS_WINDOW = 90  # characters around a trigger searched for its status verb
_DISTRACTOR_BEFORE = 40
_STATISTIC_REACH = 30  # characters before a figure where a change verb makes it a statistic
_DISTRACTOR_AFTER = 30
_MONEY_WORD_WINDOW = 45
_ACRONYM = re.compile(r"\b([A-Z][A-Za-z&]{0,1}[A-Z&]{1,5})(?=’s\b|'s\b|\s+(?:will|has|have|had|is|was|signed|"
                      r"agreed|commits?|committed|invests?|invested|plans|pledged|announced)\b)")
_UNDER = re.compile(r"\b(?:under|within)\s+(?:the|its|their|this|that|an?)\s+(?:[\w’'-]+\s+){0,3}$",
                    re.IGNORECASE)
_PAUSE = re.compile(r"[,;:—–()]")
_NEGATED = re.compile(r"\b(?:no|without|non)[\s-]+$", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(?:that|which)\s+(?:are|is|was|were|will|would|could|should|has|have)\b",
                       re.IGNORECASE)
_SIGNED_LATER = re.compile(r"\s+(?:\w+\s+){0,2}?(?:be|been)\s+"
                           r"(?:signed|inked|finalised|finalized|concluded|sealed)", re.IGNORECASE)
_MORE_THAN = re.compile(r"\bmore\s+than\b")  # a quantity ("more than 20 agreements"), not "more loans"
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
_OF_INVESTMENT = re.compile(r"\s+(?:of|in)\s+(?:new\s+|public\s+|private\s+)?investments?\b", re.IGNORECASE)
_CLAUSE_BREAK_AFTER = re.compile(r"[—–;:()]|\s-\s|,\s+(?:with|while|and|but|which)\b")
_IN_SECTOR = re.compile(r"\b(?:in|for|on)\s+(?:its\s+|the\s+)?([a-z][a-z ,-]{2,40}?)\s+"
                        r"(?:sector|industry|industries)\b")


class DealTerms(BaseModel):
    kinds: dict[DealKind, list[str]]
    status: dict[DealStatus, list[str]]
    distractors: list[str]
    lender_words: list[str]
    money_words: list[str]
    not_org_acronyms: list[str]
    background: list[str]
    anaphora: list[str]
    not_party_words: list[str]
    rejected: list[str]
    stock_verbs: list[str]
    stock_spans: list[str]
    company_nouns: list[str]
    reporting_verbs: list[str]
    government_bodies: list[str]
    legal_forms: list[str]
    loan_operations: list[str]
    truce_verbs: list[str]
    funding_phrases: list[str]
    statistic_verbs: list[str]
    truce_objects: list[str]
    institution_words: list[str]


@cache
def terms() -> DealTerms:
    return DealTerms.model_validate(load_json("deal_terms.json"))


@cache
def _kind_patterns() -> tuple[re.Pattern[str], tuple[tuple[DealKind, re.Pattern[str]], ...]]:
    """One pattern for any trigger (most sentences have none) and one per kind, in priority order."""
    every = tuple(p for kind in KIND_ORDER for p in terms().kinds[kind])
    return phrase_pattern(every), tuple((k, phrase_pattern(tuple(terms().kinds[k]))) for k in KIND_ORDER)


def deal_triggers(text: str) -> list[tuple[DealKind, re.Match[str]]]:
    """Trigger nouns by kind; a longer phrase ("trade agreement") hides the shorter one inside it."""
    return list(_deal_triggers(text))


@lru_cache(maxsize=4096)
def _deal_triggers(text: str) -> tuple[tuple[DealKind, re.Match[str]], ...]:
    found: list[tuple[DealKind, re.Match[str]]] = []
    taken: list[tuple[int, int]] = []
    anything, by_kind = _kind_patterns()
    if anything.search(text) is None and "agree" not in text.lower():
        return ()
    for kind, pattern in by_kind:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            if _NEGATED.search(text, max(0, m.start() - 10), m.start()):
                continue  # "a No Loan Pact", "without investment": not a deal of that kind
            taken.append((m.start(), m.end()))
            found.append((kind, m))
    found += [("agreement", m) for m in _truce_pattern().finditer(text)
              if not any(m.start() < end and start < m.end() for start, end in taken)]
    return tuple(sorted(found, key=lambda t: t[1].start()))


def is_truce(trigger: re.Match[str]) -> bool:
    return trigger.re is _truce_pattern()


@cache
def _truce_pattern() -> re.Pattern[str]:
    """"has agreed to put planned tariffs on hold", "agreed to suspend duties": a deal told by its verb."""
    verbs = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in terms().truce_verbs)
    objects = "|".join(re.escape(o) for o in terms().truce_objects)
    return re.compile(rf"\bagree[sd]?\s+to\s+(?:{verbs})\b[^.;:—]{{0,40}}?\b(?:{objects})\b", re.IGNORECASE)


def status_near(text: str, around: int, reach: int = _STATUS_WINDOW) -> DealStatus | None:
    """The status verb within `reach` characters of `around`, by priority (negotiating first)."""
    window = text[max(0, around - reach):around + reach]
    relative = _RELATIVE.search(text, around, around + reach)
    if relative is not None and not _SIGNED_LATER.match(text, relative.end()):
        # "protocols that are expected to create 700 jobs": the clause tells the deal's effects
        window = text[max(0, around - reach):relative.start()]
    lo = max(0, around - reach)
    found: list[tuple[int, int, DealStatus]] = []
    for rank, status in enumerate(STATUS_ORDER):
        for m in phrase_pattern(tuple(terms().status[status])).finditer(window):
            start, end = lo + m.start(), lo + m.end()
            governs = end <= around and not _PAUSE.search(text, end, around)
            if status in ("negotiating", "planned") and governs:
                return status  # "is expected to set out ... the signing of MoUs": it governs the deal
            found.append((max(0, start - around, around - end), rank, status))
    # Otherwise the nearest status phrase tells; on a tie the priority order decides.
    return min(found)[2] if found else None


def _gap(amount: Money, m: re.Match[str]) -> int:
    if m.start() >= amount.end:
        return m.start() - amount.end
    return max(0, amount.start - m.end())


def is_distractor(text: str, amount: Money, triggers: Sequence[re.Match[str]]) -> bool:
    """Trade volumes, debts, reserves, tranches ...: a distractor word nearer than any deal word."""
    pattern = phrase_pattern(tuple(terms().distractors))
    # "the outstanding loans stood at $3.5 billion": a trigger a distractor qualifies is no deal word
    triggers = [m for m in triggers if not _qualified_by(pattern, text, m)]
    lo = max(0, amount.start - _DISTRACTOR_BEFORE)
    gaps = [_gap(amount, m) for m in pattern.finditer(text, lo, amount.end + _DISTRACTOR_AFTER)
            if m.end() <= amount.start or m.start() >= amount.end]
    if not gaps:
        return False
    if _quantity_of_investment(text, amount, pattern, lo):
        return True
    return min(gaps) < min((_gap(amount, m) for m in triggers), default=10_000)


def _qualified_by(distractor: re.Pattern[str], text: str, trigger: re.Match[str]) -> bool:
    """Is the word right before the trigger a distractor ("outstanding loans", "existing debt")?"""
    before = re.search(r"([\w’'-]+)\s+$", text[max(0, trigger.start() - 30):trigger.start()])
    return before is not None and distractor.fullmatch(before.group(1)) is not None


def _quantity_of_investment(text: str, amount: Money, distractor: re.Pattern[str], lo: int) -> bool:
    """"the budget contained R1 trillion of investment": a figure of spending, told by the
    distractor before it, not a deal, even though the investment word is nearer."""
    if _OF_INVESTMENT.match(text, amount.end) is None:
        return False
    start = clause_start(text, amount.start)
    return any(m.end() <= amount.start for m in distractor.finditer(text, max(lo, start), amount.start))


def funds(text: str, trigger: re.Match[str]) -> bool:
    """"an agreement with China to fund and construct the railway": a financing deal, a loan."""
    pattern = phrase_pattern(tuple(terms().funding_phrases))
    return pattern.search(text, trigger.end(), trigger.end() + 30) is not None


def operates_on_loans(text: str) -> bool:
    """"converting three loans into yuan": an agreement about loans already made."""
    return phrase_pattern(tuple(terms().loan_operations)).search(text) is not None


def is_statistic(text: str, amount: Money, triggers: Sequence[re.Match[str]]) -> bool:
    """"Chinese investment in Kenya rose 20% to $1 billion last year": a figure that changed, told
    by a change verb between the deal word and the figure (not "reached an agreement worth ...")."""
    verbs = phrase_pattern(tuple(terms().statistic_verbs))
    lo = max(0, amount.start - _STATISTIC_REACH)
    found = list(verbs.finditer(text, lo, amount.start))
    # "loans to X total $17 billion": "total" right before the figure is the verb (the noun
    # comes with "a", "the" or "of": "with a total value of ...")
    found += [m for m in _TOTAL_VERB.finditer(text, lo, amount.start + 1) if m.end() == amount.start]
    for verb in found:
        between = [m for m in triggers if verb.end() <= m.start() < amount.start]
        subject = [m for m in triggers if m.end() <= verb.start()]
        if subject and not between and same_clause(text, subject[-1].end(), verb.start()):
            return True
    return False


_TOTAL_VERB = re.compile(r"(?<!\b[Aa] )(?<!\b[Tt]he )(?<!\bof )\btotals?\s+(?=\S)")


def is_stock(text: str, amount: Money) -> bool:
    """"Since 2005, investments have reached $6.7 billion": a running total over years, not a deal.
    Needs both a perfect-tense total verb and a span of time in the amount's clause."""
    lo, hi = clause_start(text, amount.start), len(text)
    after = _CLAUSE_BREAK_AFTER.search(text, amount.end)
    if after is not None:
        hi = after.start()
    clause = text[lo:hi]
    return (phrase_pattern(tuple(terms().stock_verbs)).search(clause) is not None
            and phrase_pattern(tuple(terms().stock_spans)).search(clause) is not None)


def near_money_word(text: str, amount: Money) -> bool:
    pattern = phrase_pattern(tuple(terms().money_words))
    lo = max(0, amount.start - _MONEY_WORD_WINDOW)
    return pattern.search(text, lo, amount.end + _MONEY_WORD_WINDOW) is not None


_PORTFOLIO_AFTER = re.compile(r"\s+(?:ministry|ministries|minister|ministers|department|secretary)\b",
                              re.IGNORECASE)
_PORTFOLIO_BEFORE = re.compile(r"\b(?:ministry|minister|department|secretary)\s+(?:of|for)\s+(?:the\s+)?$",
                               re.IGNORECASE)


def sector_of(text: str) -> str | None:
    m = _IN_SECTOR.search(text)
    if m:
        return m.group(1).strip()
    # "the finance ministry", "Minister of Energy": a portfolio names who speaks, not the deal's sector
    found = [m for m in find_phrases(text, load_lines("sectors.txt"))
             if not _PORTFOLIO_AFTER.match(text, m.end())
             and not _PORTFOLIO_BEFORE.search(text, 0, m.start())]
    if not found:
        return None
    return max(found, key=lambda x: len(x.group(0))).group(0).lower()


def acronym_parties(text: str, organisations: Sequence[Organisation]) -> list[str]:
    """An acronym acting as a subject ("XYZ will invest", "XYZ’s $5bn") is a party."""
    known = {o.acronym: o.name for o in organisations if o.acronym}
    blocked = {a.upper() for a in terms().not_org_acronyms}
    out = []
    for m in _ACRONYM.finditer(text):
        token = m.group(1)
        if token.upper() in blocked or country_of(token) is not None:
            continue
        out.append(known.get(token, token))
    return out


def is_passing(text: str, trigger: re.Match[str]) -> bool:
    """"goods under the Japan-Korea Agreement", "projects under the framework": a reference, no deal."""
    return _UNDER.search(text, max(0, trigger.start() - 60), trigger.start()) is not None


def is_background(text: str, trigger: re.Match[str]) -> bool:
    """"The country's previous loan": a deal from before, not the one reported."""
    before = _MORE_THAN.sub(" ", text[max(0, trigger.start() - 40):trigger.start()].lower())
    words = re.findall(r"[\w’']+", before)[-3:]
    # "a stalled 2019 agreement", "its 2009 contract": a year before the noun dates an older deal
    return any(w in terms().background or _YEAR.fullmatch(w) for w in words)


def is_anaphoric(text: str, trigger: re.Match[str]) -> bool:
    """"the deal", "these agreements": a determiner before the trigger points back to a deal told."""
    words = re.findall(r"[\w’'$€£¥₹-]+", text[max(0, trigger.start() - 30):trigger.start()])[-3:]
    if not words:
        return False
    if words[-1].lower() in terms().anaphora:
        return True
    # "the renewed deal", "this landmark agreement": a determiner and one or two lower-case modifiers
    for i in (2, 3):
        if len(words) >= i and words[-i].lower() in terms().anaphora and \
                all(w.isalpha() and w.islower() for w in words[-i + 1:]):
            return True
    return False


_NAME = r"[A-Z][\w&’'.-]*(?:\s+(?:of|for|and|&)\s+[A-Z][\w&’'.-]*|\s+[A-Z][\w&’'.-]*)+"
_AS_SUBJECT = re.compile(rf"(?:^|[,;]\s+|\b(?:and)\s+)(?:[Tt]he\s+)?({_NAME})\s+"
                         r"(?:has\s+|have\s+|had\s+|will\s+|also\s+)?"
                         r"(?:signed|inked|agreed|committed|pledged|announced|secured|sealed|approved|"
                         r"granted|extended|provided|awarded)\b")
_AS_OBJECT = re.compile(rf"\b(?:with|between|from)\s+(?:the\s+)?({_NAME})")
# "Shopwise will spend $6 billion", "Toyota plans to invest": a one-word company as the subject of
# an investing verb at the start of a sentence or clause.
_ONE_WORD_SUBJECT = re.compile(r"(?:^|[,;]\s+|\b(?:and|while)\s+)([A-Z][\w&.-]+)\s+"
                               r"(?:will\s+|would\s+|also\s+|plans\s+to\s+|is\s+to\s+|has\s+|have\s+)?"
                               r"(?:invest|invests|invested|spend|spends|lend|lends|lent|commit|commits|committed)\b")


QUALIFIER = re.compile(r"[A-Z][\w’'.]*-(?:backed|owned|based|led|run|controlled|listed|funded)\s+")
_OWNER_PREFIX = re.compile(r".+?['’]s\s+(?=[A-Z])")


def named_parties(text: str, taken: Sequence[tuple[int, int]]) -> list[str]:
    """Capitalised names acting as a signatory ("Acme Power signed", "with the Government of X")
    that the entity layer did not already resolve (`taken`: spans of its mentions in `text`)."""
    blocked = set(terms().not_party_words)
    out = []
    for pattern in (_AS_SUBJECT, _AS_OBJECT, _ONE_WORD_SUBJECT):
        for m in pattern.finditer(text):
            name = m.group(1).removesuffix("’s").removesuffix("'s").rstrip(".")
            start, end = m.start(1), m.start(1) + len(name)
            owner = _OWNER_PREFIX.match(name)
            if owner is not None:  # "Bavaria's Acme Werke signed": the owned company signs
                name, start = name[owner.end():], start + owner.end()
            qualifier = QUALIFIER.match(name)
            if qualifier is not None:  # "Acme-backed Xyz Refining secured": Xyz Refining
                name, start = name[qualifier.end():], start + qualifier.end()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            if name.split()[0] in blocked and not name.startswith("Government of"):
                continue
            if country_of(name) is not None:
                continue
            out.append(name)
    return out


def is_rejected(text: str, trigger: re.Match[str]) -> bool:
    """"rejected a $4 billion loan offer": a deal that is not one."""
    pattern = phrase_pattern(tuple(terms().rejected))
    return pattern.search(text, max(0, trigger.start() - 60), trigger.start()) is not None
