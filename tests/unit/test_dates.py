"""The one date parser: surface precision, relative resolution, tense, quotes, stamps."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefings.extract.dates import (
    DateContext,
    find_dates,
    parse_absolute_date,
    parse_date,
    sentence_tense,
)

SEPT14 = DateContext(published=dt.date(2025, 9, 14), reference=dt.date(2025, 9, 14))  # a Sunday
FEB12 = DateContext(published=dt.date(2025, 2, 12), reference=dt.date(2025, 9, 14))  # a Wednesday
JUL26 = DateContext(published=dt.date(2025, 7, 26), reference=dt.date(2025, 9, 14))  # a Saturday
JUN05 = DateContext(published=dt.date(2025, 6, 5), reference=dt.date(2025, 9, 14))  # a Thursday
UNDATED = DateContext(published=None, reference=dt.date(2025, 9, 14))
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def isos(text: str, ctx: DateContext) -> list[str]:
    return [m.value.iso() for m in find_dates(text, ctx)]


# --- absolute dates keep their precision ---------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("The talks were held in July 2025 in Geneva.", ["2025-07"]),
    ("The MoU was signed on September 8, 2025, at the Prime Minister's House.", ["2025-09-08"]),
    ("The forum opened on 8 September 2025 in the capital.", ["2025-09-08"]),
    ("On Wednesday, Feb. 12, 2025, the two leaders met in Bogor.", ["2025-02-12"]),
    ("The accord, dated 2025-09-14, was published online.", ["2025-09-14"]),
    ("Posted on 12/02/2025 by the ministry.", ["2025-02-12"]),
    ("Posted on 02/13/2025 by the ministry.", ["2025-02-13"]),
    ("The embassy reopened in October 2024 after repairs.", ["2024-10"]),
    ("SEOUL, JUNE 5, 2025 (UPI) -- The contract was signed.", ["2025-06-05"]),
    ("MALE, July 25, 2025: India has signed an MoU.", ["2025-07-25"]),
    ("The loan was approved on the 4th of June 2024.", ["2024-06-04"]),
    ("The summit ran from 3-4 April 2025 in Samarkand.", ["2025-04-03"]),
    ("He took office in December 2023 pledging to cut spending.", ["2023-12"]),
    ("The Sept. 8, 2025 ceremony was attended by ministers.", ["2025-09-08"]),
    ("Officials met on Friday, April 4, 2025, in the city.", ["2025-04-04"]),
    # the first end of a range takes the year of the second
    ("From January to March 2025, exports rose by a third.", ["2025-01", "2025-03"]),
    ("Exports for January-March 2025 were released.", ["2025-01", "2025-03"]),
    ("Between May 3 and June 4, 2025, talks stalled.", ["2025-05-03", "2025-06-04"]),
])
def test_dates_absolute_keeps_surface_precision(text: str, expected: list[str]) -> None:
    assert isos(text, SEPT14) == expected
    assert isos(text, UNDATED) == expected
    assert all(not m.relative and not m.value.inferred for m in find_dates(text, UNDATED))


@pytest.mark.parametrize("text", [
    "The dam was built in 2013 with foreign loans.",
    "Inflation peaked in late 2024, the bank said.",
    "The 60-year-old minister, aged 60, has served for 10 years.",
    "Officials said the deal could be finalized within days—not weeks.",
    "The two-day visit includes talks on a $500 million investment.",
    "About 1.2 million people, or 12715.42 units, were counted on the 60th anniversary.",
    "The statement was issued at 9:31 PM local time.",
    "Recently, the two sides agreed to cooperate. Soon after the meeting, trade rose.",
    "Officials said talks may resume, and investors may benefit.",
    "May officials attend the summit? Nobody knows.",
    "Theresa May addressed parliament on trade.",
    "Trade rose 4.5 percent, and 20 percent of exports went to the US.",
    "The fiscal year 2024-25 budget was approved.",
    "The plan was discussed last week and again this week.",
    "The numbers for Mar and Dec were not released.",
])
def test_dates_non_dates_give_nothing(text: str) -> None:
    assert find_dates(text, SEPT14) == []
    assert find_dates(text, UNDATED) == []


# --- relative expressions against the publication date -------------------------------------------


@pytest.mark.parametrize(("text", "ctx", "expected"), [
    ("Earlier this month, Pakistan secured a $500 million investment.", SEPT14, ["2025-09"]),
    ("The minister said last month that the money had arrived.", SEPT14, ["2025-08"]),
    ("A review is scheduled for next month.", SEPT14, ["2025-10"]),
    ("The index fell this month.", FEB12, ["2025-02"]),
    ("The ministry said on Monday that talks had resumed.", SEPT14, ["2025-09-08"]),
    ("On Monday President Trump spoke to reporters.", SEPT14, ["2025-09-08"]),
    ("Minister Erdogan Wednesday signed the accords.", FEB12, ["2025-02-12"]),
    ("The ministry said on Sunday that talks had resumed.", SEPT14, ["2025-09-14"]),
    ("The president arrived on Tuesday evening.", FEB12, ["2025-02-11"]),
    ("Leaders met in Bogor on Wednesday for talks.", FEB12, ["2025-02-12"]),
    # a weekday told in the future is resolved only when it is the publication day itself
    ("The summit will open on Thursday.", FEB12, []),
    ("The summit will open on Wednesday afternoon.", FEB12, ["2025-02-12"]),
    ("The duties would go into effect on Tuesday, officials warned.", FEB12, []),
    ("The company said it will sign the deal next Friday.", FEB12, ["2025-02-14"]),
    ("The bank cut rates last Wednesday.", FEB12, ["2025-02-05"]),
    ("The minister spoke to reporters today.", SEPT14, ["2025-09-14"]),
    ("The minister spoke to reporters yesterday.", SEPT14, ["2025-09-13"]),
    ("Parliament will vote on the bill tomorrow.", SEPT14, ["2025-09-15"]),
    ("The ceasefire took hold two days ago.", SEPT14, ["2025-09-12"]),
    ("The two leaders last met in July for talks in Ankara.", FEB12, ["2024-07"]),
    ("In May, the government signed a $7 billion power deal.", JUL26, ["2025-05"]),
    ("Last July, the Czech Republic chose the consortium.", JUN05, ["2024-07"]),
    ("Last July, the government named a preferred bidder.", SEPT14, ["2025-07"]),
    ("The contract was signed on June 4, enabling work to start.", JUN05, ["2025-06-04"]),
    ("The deal, announced on February 23, covers a new city.", SEPT14, ["2025-02-23"]),
    ("The first review is scheduled for June this year.", DateContext(
        published=dt.date(2025, 4, 13), reference=dt.date(2025, 9, 14)), ["2025-06"]),
    ("The next round of talks is expected in March.", SEPT14, ["2026-03"]),
    ("An upcoming dialogue is scheduled for August in the capital.", JUL26, ["2025-08"]),
    ("The signing was delayed in early May by a court injunction.", JUN05, ["2025-05"]),
    ("The peso came under pressure in late March.", DateContext(
        published=dt.date(2025, 4, 9), reference=dt.date(2025, 9, 14)), ["2025-03"]),
    ("He visited the UAE in January this year.", DateContext(
        published=dt.date(2025, 3, 11), reference=dt.date(2025, 9, 14)), ["2025-01"]),
    ("Ties improved after the May ceasefire between the two neighbours.", SEPT14, ["2025-05"]),
    ("The deal, signed in May, will be implemented from next year.", SEPT14, ["2025-05"]),
    ("Prices rose in mid-December and fell by the end of January.", FEB12, ["2024-12", "2025-01"]),
    ("Rebels ousted the leader in December, officials said.", JUL26, ["2024-12"]),
    ("MALE, July 25: India has signed an MoU extending a credit line.", JUL26, ["2025-07-25"]),
])
def test_dates_relative_resolved_against_publication(
        text: str, ctx: DateContext, expected: list[str]) -> None:
    mentions = find_dates(text, ctx)
    assert [m.value.iso() for m in mentions] == expected
    assert all(m.relative and not m.value.inferred for m in mentions)


@pytest.mark.parametrize(("text", "expected"), [
    # the clause of the date is past though the sentence opens with "will"
    ("The visit will deepen ties, the president said during talks with the premier on September 12.",
     ["2025-09-12"]),
    ("The plant will open in March, the minister told reporters after touring the site in August.",
     ["2026-03", "2025-08"]),
])
def test_dates_each_date_takes_the_tense_of_its_clause(text: str, expected: list[str]) -> None:
    assert isos(text, SEPT14) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The officials said the two leaders would hold talks in March.", ["2026-03"]),
    ("The ministers would sign the accord in August, the spokesman said.", ["2026-08"]),
    ("The ministers signed the accord in August, the spokesman said.", ["2025-08"]),
    ("The minister said the first tranche would be disbursed in March.", ["2026-03"]),
    ("The summit, which would be the first since 2019, was held in March.", ["2025-03"]),
    ("The forum is scheduled for September and will run three days.", ["2025-09"]),
])
def test_dates_a_month_takes_its_year_from_the_verb_tense(text: str, expected: list[str]) -> None:
    assert isos(text, SEPT14) == expected


def test_dates_a_weekday_never_places_a_yearless_day_beyond_a_year() -> None:
    # 29 May fell on a Thursday in 2025: within a year of September 2025, not of late 2026
    text = "The president arrived on Thursday, May 29."
    assert isos(text, UNDATED) == ["2025-05-29"]
    far = DateContext(published=None, reference=dt.date(2026, 11, 23))
    assert isos(text, far) == []


def test_dates_earlier_this_week_gives_its_month_when_the_week_lies_in_one() -> None:
    thursday = DateContext(published=dt.date(2025, 3, 6), reference=dt.date(2025, 9, 14))
    assert isos("The tariffs went into effect earlier this week.", thursday) == ["2025-03"]
    sunday = DateContext(published=dt.date(2025, 3, 2), reference=dt.date(2025, 9, 14))  # week of 24 Feb
    assert isos("The tariffs went into effect earlier this week.", sunday) == []
    assert isos("The tariffs went into effect earlier this week.", UNDATED) == []


def test_dates_last_week_is_too_vague() -> None:
    assert find_dates("Talks collapsed last week and resumed this week.", SEPT14) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("The minister spoke to reporters yesterday.", []),
    ("The ministry said on Monday that talks had resumed.", []),
    ("The minister spoke to reporters today.", []),
    ("Earlier this month, the firm secured a loan.", []),
    ("The money arrived last month.", []),
    ("The deal, announced on February 23, covers a new city.", []),
    ("The embassy reopened in October 2024.", ["2024-10"]),
    ("An upcoming dialogue is scheduled for August in the capital.", ["2025-08"]),
    ("Their earlier in-person meeting in July was productive.", ["2025-07"]),
    ("Ties improved after the May ceasefire.", ["2025-05"]),
    ("The plant will open in March.", ["2025-03"]),
    ("The plant will open in April.", ["2025-04"]),
    ("The plant will open in February.", ["2026-02"]),
    ("The summit is expected in December.", ["2025-12"]),
    # told as past, so never after the reference date, though the next one is nearer
    ("The talks were held in February.", ["2025-02"]),
    ("Rebels toppled the ruler in December, officials said.", ["2024-12"]),
])
def test_dates_without_publication_only_months_resolve(text: str, expected: list[str]) -> None:
    mentions = find_dates(text, UNDATED)
    assert [m.value.iso() for m in mentions] == expected
    assert all(m.value.inferred == m.relative for m in mentions)


def test_dates_nearest_month_ties_to_the_past() -> None:
    # March is six months either side of September: the past wins.
    assert isos("The accord was drafted in March.", UNDATED) == ["2025-03"]


def test_dates_weekday_fixes_the_year_without_publication() -> None:
    mentions = find_dates("On Friday, July 25, the leaders met in Male.", UNDATED)
    assert [(m.value.iso(), m.value.inferred) for m in mentions] == [("2025-07-25", True)]


# --- May, quotes, offsets ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("May 5 was chosen for the vote.", ["2025-05-05"]),
    ("The vote was held in May.", ["2025-05"]),
    ("The vote was held in mid-May.", ["2025-05"]),
    ("The conflict of May ended after mediation.", ["2025-05"]),
    ("The ministry may announce the date soon.", []),
    ("May the talks succeed, he said.", []),
    ("Since May, exports have doubled.", ["2025-05"]),
    ("The IMF's May review was positive.", ["2025-05"]),
])
def test_dates_may_is_a_month_only_with_cues(text: str, expected: list[str]) -> None:
    assert isos(text, SEPT14) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("“Today I am proud to announce this partnership,” the minister said.", []),
    ('"We met on Monday and agreed," he said.', []),
    ("“The deal signed on September 8, 2025 is historic,” she said.", ["2025-09-08"]),
    ("“We will finish it,” he said yesterday.", ["2025-09-13"]),
    # a quotation running over several sentences: only one of its marks is in this one
    ('"Today I am proud to announce a new package for the region.', []),
    ("We signed it on Monday,” the minister added.", []),
    ('They signed it on Monday," the minister added yesterday.', ["2025-09-13"]),
    ('He called the deal "historic" on Monday.', ["2025-09-08"]),
])
def test_dates_relative_words_in_quotes_give_nothing(text: str, expected: list[str]) -> None:
    assert isos(text, SEPT14) == expected


def test_dates_mention_fields() -> None:
    text = "DPM Dar, back in July, had met Rubio; on Sept. 8 they spoke again."
    mentions = find_dates(text, SEPT14)
    assert [(m.text, m.value.iso(), m.relative) for m in mentions] == [
        ("July", "2025-07", True), ("Sept. 8", "2025-09-08", True)]
    assert all(text[m.start:m.end] == m.text for m in mentions)


def test_dates_explicit_tense_overrides() -> None:
    assert isos("Talks in August.", SEPT14) == ["2025-08"]
    assert [m.value.iso() for m in find_dates("Talks in August.", SEPT14, tense="future")] == ["2026-08"]


# --- tense ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "tense"), [
    ("The two leaders will meet in Ankara.", "future"),
    ("The dialogue is scheduled for August.", "future"),
    ("The company is expected to sign the contract.", "future"),
    ("The minister plans to visit Jakarta.", "future"),
    ("They’ll hold a press conference.", "future"),
    ("An upcoming dialogue on trade.", "future"),
    ("The two leaders met in Ankara.", "past"),
    ("The ministry announced the deal.", "past"),
    ("The deal was signed two years ago.", "past"),
    ("Prices had risen sharply.", "past"),
    ("The minister is in Washington.", "present"),
    ("Prime Minister witnesses signing ceremony of MoU.", "present"),
    ("Ahmed meets the press.", "present"),
])
def test_dates_sentence_tense(sentence: str, tense: str) -> None:
    assert sentence_tense(sentence) == tense


# --- single expressions and stamps ---------------------------------------------------------------


@pytest.mark.parametrize(("text", "ctx", "expected"), [
    ("July 2025", UNDATED, "2025-07"),
    ("June 4", SEPT14, "2025-06-04"),
    ("June 4", UNDATED, None),
    ("in 2013", SEPT14, None),
    ("yesterday", SEPT14, "2025-09-13"),
    ("scheduled for August", UNDATED, "2025-08"),
])
def test_dates_parse_date_one_expression(text: str, ctx: DateContext, expected: str | None) -> None:
    value = parse_date(text, ctx)
    assert (value.iso() if value else None) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Feb 12, 2025", dt.date(2025, 2, 12)),
    ("2025-07-26", dt.date(2025, 7, 26)),
    ("12/02/2025", dt.date(2025, 2, 12)),
    ("Wednesday, Feb. 12, 2025", dt.date(2025, 2, 12)),
    ("Posted : 12 Feb, 2025 10:30 am", dt.date(2025, 2, 12)),
    ("2025-02-12T10:00:00+05:00", dt.date(2025, 2, 12)),
    ("Republished 11 March 2024", dt.date(2024, 3, 11)),
    ("Feb 2025", None),
    ("2025", None),
    ("yesterday", None),
    ("", None),
])
def test_dates_parse_absolute_date(text: str, expected: dt.date | None) -> None:
    assert parse_absolute_date(text) == expected


# --- seeds (part of the project) -----------------------------------------------------------------


@pytest.mark.parametrize(("seed", "phrase", "ctx", "expected"), [
    ("001", "Earlier this month", SEPT14, ("2025-09", False)),
    ("001", "back in July", SEPT14, ("2025-07", False)),
    ("001", "President Trump in June", SEPT14, ("2025-06", False)),
    ("001", "the US in August", SEPT14, ("2025-08", False)),
    ("001", "India in May", SEPT14, ("2025-05", False)),
    ("001", "July 25, 2025", SEPT14, ("2025-07-25", False)),
    ("001", "September 8, 2025", SEPT14, ("2025-09-08", False)),
    ("004", "scheduled for August", UNDATED, ("2025-08", True)),
    ("000", "the May ceasefire", UNDATED, ("2025-05", True)),
    ("000", "meeting in July", UNDATED, ("2025-07", True)),
])
def test_dates_seed_sentences(seed: str, phrase: str, ctx: DateContext, expected: tuple[str, bool]) -> None:
    files = sorted(SEEDS.glob(f"{seed}_*.txt"))
    if not files:
        pytest.skip(f"seed {seed} not found under {SEEDS}")
    text = files[0].read_text(encoding="utf-8")
    sentence = next(s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if phrase in s)
    mentions = [m for m in find_dates(sentence, ctx) if m.start <= sentence.index(phrase) + len(phrase)
                and m.end >= sentence.index(phrase)]
    assert [(m.value.iso(), m.value.inferred) for m in mentions] == [expected]


def test_dates_seed_fillers_are_not_dates() -> None:
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        pytest.skip(f"no seeds under {SEEDS}")
    for path in files:
        for phrase in ("within days", "Recently", "Soon after", "recent visits", "$500 million"):
            for line in path.read_text(encoding="utf-8").splitlines():
                if phrase in line:
                    window = line[line.index(phrase):line.index(phrase) + len(phrase)]
                    assert find_dates(window, UNDATED) == []


# --- properties ----------------------------------------------------------------------------------

_FRAGMENTS = [
    "the", "minister", "said", "on", "in", "May", "may", "June", "July", "Sept.", "Monday", "Tuesday",
    "evening", "today", "yesterday", "tomorrow", "last", "next", "this", "month", "week", "year", "ago",
    "early", "mid-", "late", "2025", "2024", "4", "12", "31", "30", "29", "1.2", "$500", "million", ",",
    ".", "“", "”", '"', "(", ")", "-", "—", "will", "was", "scheduled for", "Feb.", "12/02/2025",
    "2025-02-30", "2025-09-14", "of", "Earlier", "two", "days", "February", "Wed.", "aged", "60", "th",
]
_DAY_SURFACE = re.compile(
    r"\d|day|night|morning|afternoon|evening|tomorrow|\b(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.",
    re.IGNORECASE)


@st.composite
def article_text(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=6)), max_size=25))
    seps = draw(st.lists(st.sampled_from([" ", "", "\n", ", "]), min_size=len(pieces), max_size=len(pieces)))
    return "".join(p + s for p, s in zip(pieces, seps, strict=True))


_CONTEXTS = st.sampled_from([SEPT14, FEB12, UNDATED, DateContext(
    published=dt.date(2024, 2, 29), reference=dt.date(2024, 2, 29))])


@settings(max_examples=300, deadline=None)
@given(text=article_text(), ctx=_CONTEXTS, tense=st.sampled_from([None, "past", "present", "future"]))
def test_dates_find_dates_properties(text: str, ctx: DateContext, tense: None) -> None:
    mentions = find_dates(text, ctx, tense)
    previous_end = 0
    for mention in mentions:
        assert text[mention.start:mention.end] == mention.text
        assert mention.start >= previous_end
        previous_end = mention.end
        if mention.value.day is not None:
            assert _DAY_SURFACE.search(mention.text), mention
        assert mention.value.month is not None  # a bare year never gives a date
        if mention.value.inferred:
            assert ctx.published is None
        mention.value.first_day()  # a real calendar day


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_dates_never_raise_on_arbitrary_text(text: str) -> None:
    find_dates(text, SEPT14)
    find_dates(text, UNDATED)
    parse_absolute_date(text[:40])
