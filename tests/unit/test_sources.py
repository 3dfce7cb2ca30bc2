"""read_paths: files, folders, JSON, feeds and stdin; bad input fails alone with a clear message."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from briefings.ingest.clean import clean_document
from briefings.ingest.sources import RawDocument, ReadFailure, read_paths

BODY = "The two ministers met in the capital on Monday and signed an agreement on trade."

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>The Daily Ledger</title><link>https://ledger.example/</link>
<item><title>Ports deal signed</title><link>https://ledger.example/2025/06/05/ports-deal</link>
<guid>https://ledger.example/2025/06/05/ports-deal</guid>
<pubDate>Thu, 05 Jun 2025 10:00:00 GMT</pubDate>
<description>&lt;p&gt;{BODY}&lt;/p&gt;</description></item>
<item><title>Broken entry</title><link>https://ledger.example/broken</link></item>
<item><title>Second deal</title><link>https://ledger.example/2025/06/06/second</link>
<description>Another agreement was signed on Tuesday by the two sides.</description></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire Example</title>
<entry><id>tag:wire.example,2025:1</id><title>Summit opens</title>
<link href="https://wire.example/summit-opens"/><updated>2025-04-04T08:00:00Z</updated>
<content type="html">&lt;p&gt;{BODY}&lt;/p&gt;</content></entry>
<entry><id>tag:wire.example,2025:2</id><title>Nothing here</title></entry>
</feed>"""


def read(paths: list[str], **kwargs: object) -> list[RawDocument | ReadFailure]:
    return list(read_paths(paths, **kwargs))  # type: ignore[arg-type]


def docs(items: list[RawDocument | ReadFailure]) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def failures(items: list[RawDocument | ReadFailure]) -> list[ReadFailure]:
    return [i for i in items if isinstance(i, ReadFailure)]


def test_sources_text_file(tmp_path: Path) -> None:
    path = tmp_path / "001_abc.txt"
    path.write_text(f" date 2025-01-02 {BODY}\n", encoding="utf-8")
    [doc] = read([str(path)])
    assert isinstance(doc, RawDocument)
    assert (doc.id, doc.text, doc.origin) == ("001_abc", f" date 2025-01-02 {BODY}\n", str(path))


def test_sources_html_file_with_hostile_markup(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><meta property='og:title' content='Ports &amp; Deals'>"
        "<meta name='pubdate' content='2025-06-05'><link rel='canonical' href='https://x.example/a'>"
        "<script>document.write('<p>injected</p>')</script></head><body>"
        f"<div><p onclick='alert(1)'>{BODY}<iframe src='javascript:alert(1)'>hidden</iframe></p>"
        "<p>Unclosed <b>bold <i>italic</p><svg><text>svg text</text></svg><!-- a comment -->"
        "<scr<script>ipt>alert(2)</script></div></body></html>", encoding="utf-8")
    [doc] = read([str(path)])
    assert isinstance(doc, RawDocument)
    assert (doc.id, doc.title, doc.published, doc.url) == ("page", "Ports & Deals", "2025-06-05",
                                                          "https://x.example/a")
    article = clean_document(doc)
    assert BODY in article.text
    for bad in ("injected", "alert(1)", "hidden", "svg text", "comment", "<script"):
        assert bad not in article.text


def test_sources_json_object_and_list(tmp_path: Path) -> None:
    one = tmp_path / "007.json"
    one.write_text(json.dumps({"text": BODY, "url": "https://x.example/2025/06/05/a", "title": "T",
                               "published": "2025-06-05", "outlet": "X"}), encoding="utf-8")
    many = tmp_path / "batch.json"
    many.write_text(json.dumps([{"text": BODY}, {"html": f"<p>{BODY}</p>", "id": "second"}, {"title": "x"},
                                "not an object"]), encoding="utf-8")
    items = read([str(one), str(many)])
    got = docs(items)
    assert [d.id for d in got] == ["007", "batch-1", "second"]
    assert got[0].url == "https://x.example/2025/06/05/a" and got[0].outlet == "X"
    assert got[2].html == f"<p>{BODY}</p>"
    assert len(failures(items)) == 2


def test_sources_json_wordpress_object(tmp_path: Path) -> None:
    path = tmp_path / "wp.json"
    path.write_text(json.dumps({"id": 5, "date": "2025-10-09T02:12:00", "link": "https://x.example/?p=5",
                                "title": {"rendered": "Loans converted"},
                                "content": {"rendered": f"<p>{BODY}</p>"}}), encoding="utf-8")
    [doc] = read([str(path)])
    assert isinstance(doc, RawDocument)
    assert (doc.title, doc.published, doc.url, doc.html) == ("Loans converted", "2025-10-09T02:12:00",
                                                            "https://x.example/?p=5", f"<p>{BODY}</p>")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("bad.json", b"{not json", "invalid JSON"),
    ("num.json", b"42", "object or a list"),
    ("typed.json", b'{"text": 5}', "must be a string"),
    ("empty.json", b"[]", "empty JSON list"),
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n ", "empty"),
    ("binary.txt", b"PK\x03\x04\x00\x00binary", "binary"),
    ("latin1.txt", "café au lait".encode("latin-1"), "not UTF-8"),
    # Issue 10: 6 KB of brackets crashed the whole run with a RecursionError.
    ("nested.json", b"[" * 3000 + b"]" * 3000, "nested too deeply"),
    ("nested-object.json", b'{"text": ' * 2000 + b'"x"' + b"}" * 2000, "nested too deeply"),
])
def test_sources_bad_files_fail_alone(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(BODY, encoding="utf-8")
    items = read([str(bad), str(good)])
    [failure] = failures(items)
    assert failure.origin.startswith(str(bad)) and message in failure.message
    assert "\n" not in failure.message and "Traceback" not in failure.message
    assert [d.id for d in docs(items)] == ["good"]


def test_sources_oversize_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 100, encoding="utf-8")
    [failure] = read([str(path)], max_bytes=100)
    assert isinstance(failure, ReadFailure) and "too large" in failure.message


def test_sources_missing_path() -> None:
    [failure] = read(["/no/such/file.txt"])
    assert isinstance(failure, ReadFailure) and failure.message == "no such file or folder"


def test_sources_rss_feed_with_broken_entry(tmp_path: Path) -> None:
    path = tmp_path / "news.rss"
    path.write_text(RSS, encoding="utf-8")
    items = read([str(path)])
    got = docs(items)
    assert [d.title for d in got] == ["Ports deal signed", "Second deal"]
    assert got[0].url == "https://ledger.example/2025/06/05/ports-deal"
    assert got[0].published == "Thu, 05 Jun 2025 10:00:00 GMT"
    assert got[0].outlet == "The Daily Ledger"
    assert got[0].id == "ports-deal"
    [failure] = failures(items)
    assert "entry 2" in failure.message
    article = clean_document(got[0])
    assert str(article.published) == "2025-06-05" and BODY in article.text


def test_sources_atom_feed_sniffed_from_unknown_name(tmp_path: Path) -> None:
    path = tmp_path / "wire.xml"
    path.write_text(ATOM, encoding="utf-8")
    sniffed = tmp_path / "wire-copy.txt"
    sniffed.write_text(ATOM, encoding="utf-8")
    for source in (path, sniffed):
        items = read([str(source)])
        [doc] = docs(items)
        assert (doc.title, doc.url, doc.published) == ("Summit opens", "https://wire.example/summit-opens",
                                                      "2025-04-04T08:00:00Z")
        assert len(failures(items)) == 1


def test_sources_entity_bomb_feed_refused(tmp_path: Path) -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            "<rss><channel><item><title>&lol2;</title><description>x</description></item></channel></rss>")
    path = tmp_path / "bomb.xml"
    path.write_text(bomb, encoding="utf-8")
    [failure] = read([str(path)])
    assert isinstance(failure, ReadFailure) and "DOCTYPE" in failure.message


def test_sources_folder_sorted_recursive_skips_hidden_and_unknown(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "002.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "001.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "003.html").write_text(f"<p>{BODY}</p>", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / ".git" / "x.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\x00")
    (tmp_path / "notes.md").write_text(BODY, encoding="utf-8")
    assert [d.id for d in docs(read([str(tmp_path)]))] == ["001", "003", "002"]


@pytest.mark.parametrize(("content", "expected"), [
    (BODY, "text"),
    (json.dumps({"text": BODY, "url": "https://x.example/a"}), "json"),
    (f"<html><body><p>{BODY}</p></body></html>", "html"),
])
def test_sources_stdin(content: str, expected: str) -> None:
    [doc] = read(["-"], stdin=io.StringIO(content))
    assert isinstance(doc, RawDocument) and doc.id == "stdin" and doc.origin == "stdin"
    if expected == "text":
        assert doc.text == content
    elif expected == "json":
        assert (doc.text, doc.url) == (BODY, "https://x.example/a")
    else:
        assert doc.html == content


def test_sources_stdin_feed_and_limits() -> None:
    titles = [d.title for d in docs(read(["-"], stdin=io.StringIO(RSS)))]
    assert titles == ["Ports deal signed", "Second deal"]
    [failure] = read(["-"], stdin=io.StringIO("x" * 50), max_bytes=10)
    assert isinstance(failure, ReadFailure) and "too large" in failure.message
    [empty] = read(["-"], stdin=io.StringIO(""))
    assert isinstance(empty, ReadFailure) and empty.message == "empty"


def test_sources_nested_json_on_stdin_and_in_a_wordpress_dump_is_refused_alone(tmp_path: Path) -> None:
    [failure] = read(["-"], stdin=io.StringIO("[" * 5000 + "]" * 5000))
    assert isinstance(failure, ReadFailure) and failure.message == "the JSON is nested too deeply to read"
    # A .txt that starts like a WordPress REST dump is decoded field by field, never recursed into.
    dump = tmp_path / "dump.txt"
    dump.write_text('{"id":1,"content":{"rendered":"<p>' + BODY + '</p>"},"x":' + "[" * 5000 + "]" * 5000
                    + "}", encoding="utf-8")
    [doc] = read([str(dump)])
    assert isinstance(doc, RawDocument)
    assert BODY in clean_document(doc).text


def test_sources_url_refused_scheme_is_a_failure() -> None:
    [failure] = read(["ftp://example.com/file.txt"])
    assert isinstance(failure, ReadFailure) and "http" in failure.message
