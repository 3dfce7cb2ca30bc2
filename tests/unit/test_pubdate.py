"""HTML pages take their publication date from htmldate; plain text keeps the hand-written reader."""

from __future__ import annotations

import datetime as dt

from briefings.ingest.clean import clean_document
from briefings.ingest.pubdate import html_published
from briefings.ingest.raw import RawDocument

BODY = ("<p>The finance ministers of the two countries signed a loan agreement for a new railway line "
        "on the coast, officials of both governments said after the meeting in the capital.</p>")


def _page(head: str = "", body: str = BODY) -> str:
    return (f"<html><head><title>Rail loan signed</title>{head}</head>"
            f"<body><article>{body}</article></body></html>")


def test_pubdate_meta_tag_gives_the_original_date() -> None:
    head = ('<meta property="article:published_time" content="2024-05-02T10:00:00Z">'
            '<meta property="article:modified_time" content="2024-06-20T08:00:00Z">')
    assert html_published(_page(head)) == "2024-05-02"


def test_pubdate_time_element_json_ld_and_url_are_read() -> None:
    assert html_published(_page(body=f'<time datetime="2024-03-12">12 March</time>{BODY}')) == "2024-03-12"
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-02-01"}</script>'
    assert html_published(_page(ld)) == "2024-02-01"
    assert html_published(_page(), "https://news.example/2023/07/09/rail-loan.html") == "2023-07-09"


def test_pubdate_site_widget_in_the_header_is_not_taken() -> None:
    widget = f'<div class="top-bar">Saturday, March 14, 2026</div><h1>Rail loan signed</h1>{BODY}'
    assert html_published(_page(body=widget)) is None
    article = clean_document(RawDocument(id="w", html=_page(body=widget), origin="test"))
    assert article.published is None  # nor by the text reader after it


def test_pubdate_none_when_the_page_has_no_date() -> None:
    assert html_published(_page()) is None
    assert html_published("   ") is None


def test_pubdate_clean_document_uses_it_for_html_only() -> None:
    head = '<meta property="article:published_time" content="2024-05-02T10:00:00Z">'
    article = clean_document(RawDocument(id="h", html=_page(head), origin="test"))
    assert (article.published, article.published_source) == (dt.date(2024, 5, 2), "metadata")
    given = clean_document(RawDocument(id="g", html=_page(head), origin="test", published="2024-05-01"))
    assert given.published == dt.date(2024, 5, 1)  # a date the caller gives wins
