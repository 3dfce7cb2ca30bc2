"""Issue 10: one bad input in a CLI run is one line on stderr, and the rest of the run goes on."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from briefings.cli import main, store_commands
from briefings.models import Article, ArticleFacts
from tests.support import seed_facts
from tests.support.loopback import serve

ROOT = Path(__file__).resolve().parents[2]
SEED = next((ROOT / "seeds").glob("001_*"))
NESTED = b"[" * 3000 + b"]" * 3000  # 6 KB: enough to exhaust the parser's recursion


class _SeedExtractor:
    """The seed's hand-made facts for any article: the CLI's flow is under test, not extraction."""

    def extract(self, article: Article, reference_date: object = None) -> ArticleFacts:
        facts: ArticleFacts = seed_facts.seed_001()
        facts.article = facts.article.model_copy(update={"id": article.id})
        return facts


@pytest.fixture
def nested(tmp_path: Path) -> Path:
    path = tmp_path / "nested.json"
    path.write_bytes(NESTED)
    return path


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(store_commands, "load_extractor", _SeedExtractor)
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


def test_cli_bad_input_nested_json_extract(nested: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["extract", str(nested), str(SEED)])
    out, err = capsys.readouterr()
    assert code == 1
    assert err == f"briefbot: {nested}: the JSON is nested too deeply to read\n"
    assert f"== {SEED.stem}" in out


def test_cli_bad_input_nested_json_ingest(nested: Path, db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ingest", str(nested), str(SEED), "--database", db])
    out, err = capsys.readouterr()
    assert code == 1 and out.strip() == "1 added, 0 replaced, 0 unchanged, 1 failed"
    assert err == f"briefbot: {nested}: the JSON is nested too deeply to read\n"
    assert main(["stories", "--database", db, "--json"]) == 0
    assert SEED.stem in capsys.readouterr().out


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = SEED.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        pass


def test_cli_bad_input_ingest_url_honours_allow_private_urls(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve(_Page) as base:
        monkeypatch.delenv("BRIEFBOT_ALLOW_PRIVATE_URLS", raising=False)
        code = main(["ingest", f"{base}/news/ports-deal", "--database", db])
        _, err = capsys.readouterr()
        assert code == 1 and err.count("\n") == 1
        assert "private or reserved address" in err and "BRIEFBOT_ALLOW_PRIVATE_URLS" in err
        monkeypatch.setenv("BRIEFBOT_ALLOW_PRIVATE_URLS", "true")
        code = main(["ingest", f"{base}/news/ports-deal", "--database", db])
        out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.strip() == "1 added, 0 replaced, 0 unchanged, 0 failed"


def test_cli_bad_input_huge_page_is_one_line(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A 20-digit page overflowed SQLite's integers (OverflowError) and PostgreSQL's (DataError)."""
    assert main(["deals", "--page", "9" * 20, "--database", db]) == 1
    assert capsys.readouterr().err == "briefbot: page numbers go up to 1,000,000 (got a 20-digit one)\n"


def test_cli_bad_input_huge_days_is_a_usage_error(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["status", "--days", "9" * 20, "--database", db])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "a number of days from 1 to 3660" in err and "Traceback" not in err
