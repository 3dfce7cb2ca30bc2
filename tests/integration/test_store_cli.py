"""The store commands end to end in-process (`briefbot ...`), with hand-built facts for the seeds.

The extractor is replaced by one returning the hand-built seed facts, so these tests check the
CLI and the store, not extraction quality.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefings.cli import main, store_commands
from briefings.models import Article, ArticleFacts
from tests.support import seed_facts

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"






class _SeedExtractor:
    def extract(self, article: Article, reference_date: object = None) -> ArticleFacts:
        facts: ArticleFacts = getattr(seed_facts, f"seed_{article.id[:3]}")()
        facts.article = facts.article.model_copy(update={"id": article.id})
        return facts


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(store_commands, "load_extractor", _SeedExtractor)
    return f"sqlite:///{tmp_path / 'cli' / 'briefbot.sqlite3'}"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_store_cli_ingest_twice_then_query(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        _run(capsys, "ingest", str(SEEDS), "--database", db)[1].strip()
        == "3 added, 0 replaced, 0 unchanged, 0 failed"
    )
    assert "3 unchanged" in _run(capsys, "ingest", str(SEEDS), "--database", db)[1]
    code, out, _ = _run(capsys, "deals", "--database", db, "--party", "NLC")
    assert code == 0
    assert "2025-09-08  MoU  National Logistics Corporation / Mota-Engil Group" in out
    assert "2 sources" in out and "disputed sector: " in out
    code, out, _ = _run(capsys, "deals", "--database", db, "--kind", "trade_agreement")
    assert "status history: negotiating (" in out and "-> announced (2025-09-14)" in out
    assert "004_" not in out and "001_" not in out  # outlets, never file names
    code, out, _ = _run(capsys, "stories", "--database", db)
    assert out.startswith("s-") and "3 article(s)" in out


def test_store_cli_json_pages(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "ingest", str(SEEDS), "--database", db)
    code, out, _ = _run(capsys, "deals", "--database", db, "--json", "--page-size", "3", "--page", "2")
    page = json.loads(out)
    assert code == 0 and (page["total"], page["page"], len(page["items"])) == (4, 2, 1)
    code, out, _ = _run(capsys, "meetings", "--database", db, "--page-size", "1")
    assert "-- page 1 of 2 (2 results); --page 2 for more" in out


def test_store_cli_people_search_timeline_sources_remove(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "ingest", str(SEEDS), "--database", db)
    code, out, _ = _run(capsys, "who", "DPM", "Dar", "--database", db)
    assert code == 0 and out.startswith("Ishaq Dar\n") and "meetings:" in out
    code, out, _ = _run(capsys, "search", "Mota-Engil", "--database", db)
    assert "deal  d-" in out and "“" in out
    code, out, _ = _run(capsys, "timeline", "--entity", "Rubio", "--from", "2025-07-01", "--database", db)
    assert out.splitlines()[0].startswith("2025-07-25  ")
    deal_id = json.loads(_run(capsys, "deals", "--database", db, "--json", "--party", "USSM")[1])["items"][0][
        "id"
    ]
    code, out, _ = _run(capsys, "sources", deal_id, "--database", db)
    assert code == 0 and out.count("“") == 2 and "Outlet A" in out and "disputed parties" in out
    code, out, _ = _run(capsys, "remove", next(SEEDS.glob("004_*")).stem, "--database", db)
    assert out.startswith("removed 004_")
    assert "negotiating" not in _run(capsys, "deals", "--database", db)[1]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["deals", "--from", "2025-09-01", "--to", "2025-08-01"], "the date range is backwards"),
        (["timeline", "--from", "2025-09-01", "--to", "2025-08-01"], "the date range is backwards"),
        (["deals", "--min-amount", "10", "--max-amount", "1"], "the amount range is backwards"),
        (["sources", "d-00000000"], "no meeting, deal or event with id"),
        (["remove", "nope"], "no article with id"),
        (["who", "Nobody", "Here"], "no one called"),
        (["search", "?"], "search text must have at least two"),
        (["ingest"], "nothing to ingest"),
    ],
)
def test_store_cli_bad_input_is_one_line(
    db: str, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = _run(capsys, *argv, "--database", db)
    assert code == 1 and out == ""
    assert err.startswith(f"briefbot: {message}") and err.count("\n") == 1


def test_store_cli_backwards_range_writes_nothing(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "deals", "--from", "2025-09-01", "--to", "2025-08-01", "--database", db)
    assert not Path(db.removeprefix("sqlite:///")).exists()


def test_store_cli_unreachable_database(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "stories", "--database", "postgresql+psycopg://postgres@127.0.0.1:1/test")
    assert code == 1 and err.startswith("briefbot: the database ") and "does not answer" in err


def test_store_cli_bad_file_is_reported_and_others_land(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(
        capsys, "ingest", str(next(SEEDS.glob("001_*"))), str(tmp_path / "missing.txt"), "--database", db
    )
    assert code == 1 and out.strip() == "1 added, 0 replaced, 0 unchanged, 1 failed"
    assert "missing.txt: no such file or folder" in err


@pytest.fixture
def html_server() -> Iterator[str]:
    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<html><head><title>A page</title></head><body><p>Not a feed at all.</p></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/news"
    finally:
        server.shutdown()
        server.server_close()


def test_store_cli_feed_url_that_is_not_a_feed(
    db: str, html_server: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRIEFBOT_ALLOW_PRIVATE_URLS", "1")
    code, out, err = _run(capsys, "ingest", "--feed", html_server, "--database", db)
    assert code == 1 and out == "" and "not a feed" in err and err.count("\n") == 1
    assert not Path(db.removeprefix("sqlite:///")).exists()
