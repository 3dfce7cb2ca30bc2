"""`briefbot extract` end to end on the seeds: what a user runs after installing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefings.cli import main
from briefings.contract import ExtractDocument

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def seeds_doc() -> ExtractDocument:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "briefings",
            "extract",
            "--json",
            "--reference-date",
            "2025-09-14",
            str(SEEDS),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    return ExtractDocument.model_validate_json(out.stdout)


def _article(doc: ExtractDocument, prefix: str) -> dict[str, object]:
    found = [a for a in doc.articles if a.id.startswith(prefix)]
    assert found, f"no article {prefix} in {[a.id for a in doc.articles]}"
    return found[0].model_dump()


def test_extract_cli_reads_every_seed(seeds_doc: ExtractDocument) -> None:
    assert sorted(a.id[:3] for a in seeds_doc.articles) == ["000", "001", "004"]
    assert _article(seeds_doc, "001")["published"] == "2025-09-14"
    assert _article(seeds_doc, "000")["published"] is None


def test_extract_cli_evidence_is_verbatim(seeds_doc: ExtractDocument) -> None:
    texts = {
        p.name.split("_")[0]: " ".join(p.read_text(encoding="utf-8").split()) for p in SEEDS.glob("*.txt")
    }
    for article in seeds_doc.articles:
        text = texts[article.id[:3]]
        items = [*article.meetings, *article.deals, *article.events]
        assert items, f"no facts in {article.id}"
        for item in items:
            assert item.evidence
            for sentence in item.evidence:
                assert " ".join(sentence.split()) in text


def test_extract_cli_finds_the_july_meeting_with_its_caption_date(seeds_doc: ExtractDocument) -> None:
    meetings = _article(seeds_doc, "001")["meetings"]
    assert isinstance(meetings, list)
    july = [
        m
        for m in meetings
        if m["kind"] == "meeting" and {"Ishaq Dar", "Marco Rubio"} <= set(m["participants"])
    ]
    assert july and july[0]["date"] == "2025-07-25"


def test_extract_cli_finds_the_500_million_deal(seeds_doc: ExtractDocument) -> None:
    deals = _article(seeds_doc, "000")["deals"]
    assert isinstance(deals, list)
    amounts = [(d["amount"], d["currency"]) for d in deals if d["amount"]]
    assert (500_000_000.0, "USD") in amounts


def test_extract_cli_never_dates_a_fact_with_a_day_it_was_not_given(seeds_doc: ExtractDocument) -> None:
    events = _article(seeds_doc, "004")["events"]
    assert isinstance(events, list)
    assert all(len(e["date"]) <= 7 for e in events), events  # 004 names months only


def test_extract_cli_text_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--reference-date", "2025-09-14", str(SEEDS / "001_149754640871358a.txt")]) == 0
    out = capsys.readouterr().out
    assert "Ishaq Dar" in out and "Marco Rubio" in out
    assert "2025-07-25" in out


def test_extract_cli_bad_inputs_are_reported_and_the_rest_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    good = tmp_path / "good.txt"
    good.write_text((SEEDS / "001_149754640871358a.txt").read_text(encoding="utf-8"), encoding="utf-8")
    code = main(["extract", "--json", str(tmp_path)])
    captured = capsys.readouterr()
    assert code == 1
    assert "empty.txt" in captured.err and "binary.txt" in captured.err
    assert "Traceback" not in captured.err
    doc = json.loads(captured.out)
    assert [a["id"] for a in doc["articles"]] == ["good"]


def test_extract_cli_bad_reference_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["extract", "--reference-date", "tomorrow", str(SEEDS)])
    assert exit_info.value.code == 2
    assert "not a date" in capsys.readouterr().err
