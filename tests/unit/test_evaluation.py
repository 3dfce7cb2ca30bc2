"""The evaluation's matcher on tiny invented gold/prediction pairs."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefings.cli import main
from briefings.contract import ArticleOut, DealOut, EventOut, ExtractDocument, MeetingOut, PersonOut, StoryOut
from briefings.evaluation.gold import GoldArticle, GoldDeal, GoldEvent, GoldFacts, GoldMeeting, GoldPerson
from briefings.evaluation.normalise import date_verdict, normalise, normalise_party, party_jaccard
from briefings.evaluation.report import error_patterns, format_report
from briefings.evaluation.scoring import EvalResult, prf, score
from briefings.evaluation.seed_gold import sentence_around, shown_precision

TEXT = ("Freedonian President Rufus Firefly met Sylvanian Ambassador Trentino in Fredonia City on "
        "March 3, 2025. The two countries signed a $200 million loan agreement. "
        "Firefly will visit Sylvania in May.")
FIRST = ("Freedonian President Rufus Firefly met Sylvanian Ambassador Trentino in Fredonia City on "
         "March 3, 2025.")
SECOND = "The two countries signed a $200 million loan agreement."


def _gold(**facts: list[GoldPerson] | list[GoldMeeting] | list[GoldDeal] | list[GoldEvent]) -> GoldArticle:
    return GoldArticle(id="a1", path=Path("a1.txt"), text=TEXT, published="2025-03-04", story="s1",
                       gold=GoldFacts.model_validate(facts))


def _meeting_gold(date: str | None = "2025-03-03") -> GoldMeeting:
    return GoldMeeting(kind="meeting", participants=["Rufus Firefly", "Ambassador Trentino"], date=date,
                       place="Fredonia City", date_ok=[date], place_ok=["Fredonia City"])


def _deal_gold(kind: str = "loan", amount: float | None = 200e6) -> GoldDeal:
    return GoldDeal(kind=kind, kind_ok=[kind], parties=["Freedonia", "Sylvania"], amount=amount,
                    currency="USD" if amount else None, status="signed", date="2025-03", date_ok=["2025-03"])


def _people_gold() -> list[GoldPerson]:
    return [GoldPerson(name="Rufus Firefly", aliases=["Firefly"]),
            GoldPerson(name="Ambassador Trentino", aliases=["Trentino"])]


def _full_gold() -> GoldArticle:
    return _gold(people=_people_gold(), meetings=[_meeting_gold()], deals=[_deal_gold()],
                 events=[GoldEvent(date="2025-03-03", what="Firefly meets Trentino", date_ok=["2025-03-03"])])


def _doc(*articles: ArticleOut, stories: list[StoryOut] | None = None) -> ExtractDocument:
    return ExtractDocument(articles=list(articles), stories=stories or [])


def _meeting(participants: list[str], date: str | None = "2025-03-03", kind: str = "meeting",
             place: str | None = "Fredonia City") -> MeetingOut:
    return MeetingOut.model_validate({"kind": kind, "participants": participants, "date": date,
                                      "place": place, "evidence": [FIRST]})


def _deal(kind: str = "loan", parties: tuple[str, ...] = ("Freedonia", "Sylvania"),
          amount: float | None = 200e6, status: str = "signed", date: str | None = "2025-03") -> DealOut:
    return DealOut.model_validate({"kind": kind, "parties": list(parties), "amount": amount,
                                   "currency": "USD" if amount else None, "status": status, "date": date,
                                   "evidence": [SECOND]})


def _perfect() -> ArticleOut:
    return ArticleOut(
        id="a1", published="2025-03-04",
        people=[PersonOut(name="Rufus Firefly", aliases=["Firefly"]), PersonOut(name="Trentino")],
        meetings=[_meeting(["Rufus Firefly", "Trentino"])], deals=[_deal()],
        events=[EventOut(date="2025-03-03", what="Firefly met Trentino", evidence=[FIRST])])


def _score(pred: ArticleOut, gold: GoldArticle | None = None) -> EvalResult:
    return score("test", [gold or _full_gold()], _doc(pred))


def test_evaluation_perfect_prediction_scores_one() -> None:
    result = _score(_perfect())
    for category in ("people", "meetings", "deals", "events"):
        assert result.categories[category].f1 == 1.0, category
    assert result.overall_f1 == 1.0
    assert result.published == {"correct": 1, "wrong": 0, "missing": 0, "invented": 0, "absent": 0}
    assert result.sourced_share() == 1.0


def test_evaluation_empty_prediction_has_zero_recall() -> None:
    result = _score(ArticleOut(id="a1"))
    for category in ("people", "meetings", "deals", "events"):
        s = result.categories[category]
        assert (s.r, s.f1, s.pred, s.matched) == (0.0, 0.0, 0, 0), category
    assert result.published["missing"] == 1
    assert len(result.articles[0].misses["deals"]) == 1


def test_evaluation_absent_article_counts_as_absent() -> None:
    result = score("test", [_full_gold()], _doc())
    assert result.published["absent"] == 1
    assert result.categories["people"].gold == 2


@pytest.mark.parametrize(("predicted", "gold", "verdict"), [
    ("2025-03-03", "2025-03-03", "ok"),
    ("2025-03-04", "2025-03-03", "wrong"),
    ("2025-03-14", "2025-03", "+day"),
    ("2025-03", "2025-03-14", "-day"),
    ("2024-03", "2025-03-14", "wrong"),
    (None, None, "ok"),
    (None, "2025-03", "wrong"),
    ("2025-03", None, "wrong"),
])
def test_evaluation_date_verdicts(predicted: str | None, gold: str | None, verdict: str) -> None:
    assert date_verdict(predicted, [gold]) == verdict


def test_evaluation_wrong_meeting_date_still_matches_but_is_counted() -> None:
    pred = _perfect().model_copy(update={"meetings": [_meeting(["Rufus Firefly", "Trentino"], "2025-03-05")]})
    s = _score(pred).categories["meetings"]
    assert (s.f1, s.checks["date_ok"], s.checks["+day"]) == (1.0, 0, 0)


def test_evaluation_day_for_month_only_gold_is_plus_day() -> None:
    gold = _gold(people=_people_gold(), meetings=[_meeting_gold("2025-03")])
    pred = ArticleOut(id="a1", meetings=[_meeting(["Firefly", "Trentino"], "2025-03-03")])
    result = _score(pred, gold)
    s = result.categories["meetings"]
    assert (s.matched, s.checks["date_ok"], s.checks["+day"], s.checks["-day"]) == (1, 0, 1, 0)
    assert error_patterns(result)["meetings wrong date +day"] == 1


def test_evaluation_participants_resolve_through_aliases_and_allow_one_extra() -> None:
    one_extra = ArticleOut(id="a1", meetings=[_meeting(["Firefly", "Trentino", "Groucho Marx"])])
    two_extra = ArticleOut(id="a1", meetings=[
        _meeting(["Firefly", "Trentino", "Groucho Marx", "Chico Marx"])])
    wrong_kind = ArticleOut(id="a1", meetings=[_meeting(["Firefly", "Trentino"], kind="call")])
    assert _score(one_extra).categories["meetings"].matched == 1
    assert _score(two_extra).categories["meetings"].matched == 0
    assert _score(wrong_kind).categories["meetings"].matched == 0


@pytest.mark.parametrize(("name", "aliases", "matches"), [
    ("Rufus Firefly", [], True),
    ("Rufus T. Firefly", [], True),  # token overlap on full names
    ("Rufus Firefy", [], True),  # a typo
    ("President Firefly", ["Firefly"], True),  # an alias in common
    ("Firefly", [], True),  # the gold alias
    ("Rufus", [], False),
    ("Groucho Marx", [], False),
])
def test_evaluation_people_match_by_name_alias_or_typo(name: str, aliases: list[str], matches: bool) -> None:
    gold = _gold(people=[GoldPerson(name="Rufus Firefly", aliases=["Firefly"])])
    result = _score(ArticleOut(id="a1", people=[PersonOut(name=name, aliases=aliases)]), gold)
    assert result.categories["people"].matched == int(matches)


@pytest.mark.parametrize(("deal", "tp", "checks"), [
    (_deal(), 1.0, {"kind_ok": 1, "amount_ok": 1, "status_ok": 1, "date_ok": 1}),
    (_deal(amount=201e6), 1.0, {"amount_ok": 1}),  # within 1%
    (_deal(amount=205e6), 0.0, {}),  # 2.5% off: no match
    (_deal(amount=None), 1.0, {"amount_ok": 0, "currency_ok": 0}),  # missing amount still matches
    (_deal(status="announced"), 1.0, {"status_ok": 0}),
    (_deal(date="2025-03-03"), 1.0, {"date_ok": 0, "+day": 1}),
    (_deal(parties=("the Government of Freedonia", "Sylvanian government")), 1.0, {}),
    (_deal(parties=("Freedonia", "Groucho Inc", "Chico Ltd")), 0.0, {}),  # Jaccard 1/4
    (_deal(parties=("Freedonia",)), 1.0, {}),  # Jaccard 1/2
])
def test_evaluation_deal_matching(deal: DealOut, tp: float, checks: dict[str, int]) -> None:
    s = _score(ArticleOut(id="a1", deals=[deal])).categories["deals"]
    assert s.tp == tp
    for key, value in checks.items():
        assert s.checks[key] == value, key


@pytest.mark.parametrize(("gold_kind", "pred_kind", "tp"), [
    ("mou", "agreement", 0.5), ("trade_agreement", "agreement", 0.5), ("investment", "mou", 0.5),
    ("loan", "mou", 0.0), ("loan", "investment", 0.0), ("mou", "mou", 1.0)])
def test_evaluation_deal_kinds_get_partial_credit(gold_kind: str, pred_kind: str, tp: float) -> None:
    gold = _gold(deals=[_deal_gold(kind=gold_kind)])
    s = _score(ArticleOut(id="a1", deals=[_deal(kind=pred_kind)]), gold).categories["deals"]
    assert s.tp == tp
    assert s.p == tp


def test_evaluation_events_match_on_date_and_words() -> None:
    gold = _gold(events=[GoldEvent(date="2025-03-03", what="Firefly meets Trentino in Fredonia City",
                                   date_ok=["2025-03-03"]),
                         GoldEvent(date="2025-03-03", what="Loan agreement signed", date_ok=["2025-03-03"])])
    words = EventOut(date="2025-03-03", what="Trentino and Firefly meeting", evidence=[FIRST])
    wrong_day = EventOut(date="2025-03-04", what="Firefly meets Trentino in Fredonia City", evidence=[FIRST])
    unrelated = EventOut(date="2025-03-03", what="A parade", evidence=[FIRST])
    s = _score(ArticleOut(id="a1", events=[words, wrong_day, unrelated]), gold).categories["events"]
    assert (s.matched, s.pred, s.gold) == (1, 3, 2)


def test_evaluation_event_alone_on_its_date_matches_whatever_its_words() -> None:
    gold = _gold(events=[GoldEvent(date="2025-05", what="Firefly visits Sylvania", date_ok=["2025-05"])])
    s = _score(ArticleOut(id="a1", events=[EventOut(date="2025-05", what="A trip abroad", evidence=[TEXT])]),
               gold).categories["events"]
    assert s.matched == 1


def test_evaluation_optional_events_count_neither_way() -> None:
    gold = _gold(events=[GoldEvent(date="2025-05", what="Firefly visits Sylvania", optional=True,
                                   date_ok=["2025-05"])])
    found = _score(ArticleOut(id="a1", events=[EventOut(date="2025-05", what="Firefly visits Sylvania",
                                                        evidence=[TEXT])]), gold).categories["events"]
    missed = _score(ArticleOut(id="a1"), gold).categories["events"]
    assert (found.tp, found.pred, found.gold) == (0, 0, 0)
    assert (missed.gold, missed.f1) == (0, 1.0)


def test_evaluation_sourced_needs_verbatim_evidence() -> None:
    pred = _perfect().model_copy(update={"events": [
        EventOut(date="2025-03-03", what="Firefly met Trentino", evidence=["Firefly   met\nSylvanian"]),
        EventOut(date="2025-05", what="visit", evidence=["Not in the text."]),
        EventOut(date="2025-05", what="visit", evidence=[])]})
    assert _score(pred).sourced["events"] == (1, 3)


def test_evaluation_stories_are_scored_pairwise() -> None:
    golds = [GoldArticle(id=i, path=Path(f"{i}.txt"), text=TEXT, story=s, gold=GoldFacts())
             for i, s in [("1", "x"), ("2", "x"), ("3", "y")]]
    together = _doc(*(ArticleOut(id=g.id) for g in golds),
                    stories=[StoryOut(id="s", articles=["1", "2", "3"])])
    apart = _doc(*(ArticleOut(id=g.id) for g in golds),
                 stories=[StoryOut(id=g.id, articles=[g.id]) for g in golds])
    assert score("t", golds, together).stories.model_dump() == {
        "p": pytest.approx(1 / 3), "r": 1.0, "f1": pytest.approx(0.5), "tp": 1, "pred": 3, "gold": 1}
    assert score("t", golds, apart).stories.r == 0.0


@pytest.mark.parametrize(("text", "expected"), [
    ("U.S.", "us"), ("António Costa", "antonio costa"), ("Erdoğan", "erdogan"), ("Al-Falih", "al falih"),
    ("S. Jaishankar", "s jaishankar"), ("  ", ""), (None, "")])
def test_evaluation_normalise(text: str | None, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(("party", "expected"), [
    ("U.S.", "united states"), ("the United States of America", "united states"), ("EU", "european union"),
    ("Government of Freedonia", "freedonia"), ("Freedonia government", "freedonia"),
    ("FCB", "freedonia central bank")])
def test_evaluation_normalise_party(party: str, expected: str) -> None:
    assert normalise_party(party, {"fcb": "freedonia central bank"}) == expected


def test_evaluation_party_jaccard_pairs_each_party_once() -> None:
    assert party_jaccard(["a", "a"], ["a"]) == 0.5
    assert party_jaccard([], []) == 0.0


@pytest.mark.parametrize(("tp", "n_pred", "n_gold", "expected"), [
    (0, 0, 0, (1.0, 1.0, 1.0)), (0, 0, 4, (0.0, 0.0, 0.0)), (0, 2, 0, (0.0, 1.0, 0.0)),
    (1.5, 2, 3, (0.75, 0.5, 0.6))])
def test_evaluation_prf(tp: float, n_pred: int, n_gold: int, expected: tuple[float, float, float]) -> None:
    assert prf(tp, n_pred, n_gold) == pytest.approx(expected)


def test_evaluation_seed_split_helpers() -> None:
    assert sentence_around(TEXT, "signed a $200") == SECOND
    assert sentence_around(TEXT, "not there") == "not there"
    assert shown_precision(FIRST, "2025-03-03") == "day"
    assert shown_precision("He came back in March.", "2025-03-03") == "month"
    assert shown_precision("He came back on Monday.", "2025-03-03") == "day"
    assert shown_precision("Earlier this month, they met.", "2025-03") == "month"
    assert shown_precision("They met.", "2025-03") is None


def test_evaluation_report_lists_misses_and_false_positives() -> None:
    pred = ArticleOut(id="a1", deals=[_deal(kind="investment", parties=("Groucho Inc", "Chico Ltd"))])
    text = format_report(_score(pred), verbose=True)
    assert "deals miss: loan: Freedonia / Sylvania 200,000,000 USD signed @ 2025-03" in text
    assert "deals fp:   investment: Groucho Inc / Chico Ltd" in text
    assert "published missing: got None, gold 2025-03-04" in text
    assert "most common errors:" in text


def test_evaluation_cli_says_what_is_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["eval", "--corpus", str(tmp_path / "nowhere")])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert err.count("\n") == 0 and "gold corpus not found" in err and "--corpus" in err


def test_evaluation_miss_names_the_nearest_prediction_and_why() -> None:
    wrong_amount = _deal(amount=900e6)
    wrong_parties = _deal(kind="mou", parties=("Freedonia", "Groucho Inc", "Chico Ltd"))
    result = _score(ArticleOut(id="a1", deals=[wrong_amount, wrong_parties]))
    (miss,) = result.articles[0].misses["deals"]
    assert "[nearest: loan Freedonia / Sylvania: amount 900,000,000 USD vs 200,000,000 USD]" in miss


def test_evaluation_meeting_miss_says_who_is_lacking() -> None:
    pred = ArticleOut(id="a1", meetings=[_meeting(["Firefly", "Groucho Marx"], kind="call")])
    (miss,) = _score(pred).articles[0].misses["meetings"]
    assert "[nearest: call Firefly + Groucho Marx: kind call; lacks ambassador trentino]" in miss
