"""fetch_url / fetch_documents against a loopback server: pages, feeds, redirects, limits, refusals."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import httpx
import pytest

from briefings.errors import FetchError
from briefings.ingest import fetch as fetch_module
from briefings.ingest.fetch import FetchPolicy, fetch_documents, fetch_url

BODY = "The two ministers met in the capital on Monday and signed an agreement on trade."
PAGE = (f"<html><head><meta property='og:title' content='Ports Deal'>"
        f"<meta property='article:published_time' content='2025-06-05'></head>"
        f"<body><h1>Ports Deal</h1><p>{BODY}</p></body></html>").encode()
FEED = (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Ledger</title>"
        f"<item><title>One</title><link>http://x.example/one</link><description>{BODY}</description></item>"
        f"<item><title>Two</title><link>http://x.example/two</link><description>{BODY}</description></item>"
        f"</channel></rss>").encode()
BOMB = (b"<?xml version='1.0'?><!DOCTYPE r [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;'>]>"
        b"<rss><channel><item><title>&b;</title><description>x</description></item></channel></rss>")
RELEASE = threading.Event()
HUNG_UP = threading.Event()


class Handler(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None,
              length: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        Handler.requests.append(self.path)
        routes = {
            "/page": lambda: self._send(200, PAGE, "text/html; charset=utf-8"),
            "/feed": lambda: self._send(200, FEED, "application/rss+xml"),
            "/bomb": lambda: self._send(200, BOMB, "application/xml"),
            "/text": lambda: self._send(200, BODY.encode(), "text/plain"),
            "/image": lambda: self._send(200, b"\x89PNG\r\n\x1a\nrest", "image/png"),
            "/redirect": lambda: self._send(302, b"", "text/plain", {"Location": "/page"}),
            "/loop": lambda: self._send(302, b"", "text/plain", {"Location": "/loop"}),
            "/big": lambda: self._send(200, b"x" * 5000, "text/plain"),
            "/big-unsized": lambda: self._send(200, b"<p>" + b"x" * 5000 + b"</p>", "text/html",
                                               length=False),
            "/slow": self._slow,
            "/trickle-headers": self._trickle_headers,
            "/trickle-body": self._trickle_body,
        }
        route = routes.get(self.path)
        if route is None:
            self._send(404, b"not found", "text/plain")
        else:
            route()

    def _trickle_headers(self) -> None:
        """A header line every 50 ms: each read returns well within any per-read timeout."""
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for number in range(400):  # 20 s at most; the fetch must give up long before
            if RELEASE.wait(timeout=0.05):
                return
            try:
                self.wfile.write(f"X-Padding-{number}: x\r\n".encode())
                self.wfile.flush()
            except OSError:  # the client hung up: what the test wants
                HUNG_UP.set()
                return

    def _trickle_body(self) -> None:
        self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n")
        for _ in range(400):
            if RELEASE.wait(timeout=0.05):
                return
            try:
                self.wfile.write(b"x")
                self.wfile.flush()
            except OSError:
                HUNG_UP.set()
                return

    def _slow(self) -> None:
        RELEASE.wait(timeout=10)  # held until the test lets go; never sleeps
        self._send(200, PAGE, "text/html")


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    RELEASE.clear()
    HUNG_UP.clear()
    Handler.requests = []
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        RELEASE.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


LOCAL = FetchPolicy(allow_private=True, timeout_s=5)


def test_fetch_html_page(server: str) -> None:
    doc = fetch_url(f"{server}/page", LOCAL)
    assert doc.html is not None and BODY in doc.html
    assert (doc.title, doc.published, doc.id) == ("Ports Deal", "2025-06-05", "page")
    assert doc.url == f"{server}/page"


def test_fetch_plain_text(server: str) -> None:
    assert fetch_url(f"{server}/text", LOCAL).text == BODY


def test_fetch_feed_gives_one_document_per_entry(server: str) -> None:
    documents = fetch_documents(f"{server}/feed", LOCAL)
    assert [d.title for d in documents] == ["One", "Two"]
    assert [d.url for d in documents] == ["http://x.example/one", "http://x.example/two"]
    with pytest.raises(FetchError, match="feed"):
        fetch_url(f"{server}/feed", LOCAL)


def test_fetch_entity_bomb_feed_refused(server: str) -> None:
    with pytest.raises(FetchError, match="DOCTYPE"):
        fetch_documents(f"{server}/bomb", LOCAL)


def test_fetch_refuses_loopback_unless_allowed(server: str) -> None:
    with pytest.raises(FetchError, match="private"):
        fetch_url(f"{server}/page", FetchPolicy())
    assert Handler.requests == []


def test_fetch_follows_redirects_by_hand(server: str) -> None:
    assert fetch_url(f"{server}/redirect", LOCAL).url == f"{server}/page"
    assert Handler.requests == ["/redirect", "/page"]
    with pytest.raises(FetchError, match="redirects"):
        fetch_url(f"{server}/loop", LOCAL.model_copy(update={"max_redirects": 3}))
    assert len(Handler.requests) == 2 + 4


@pytest.fixture()
def public_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend `public.example` has a public address; nothing is sent there (mock transports only)."""
    real = socket.getaddrinfo

    def resolve(host: str, port: object, *args: object, **kwargs: object) -> object:
        if host == "public.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 80))]
        return real(host, port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fetch_module.socket, "getaddrinfo", resolve)


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_fetch_connects_to_the_checked_address(public_dns: None, scheme: str) -> None:
    """No second DNS lookup between the check and the connection (DNS rebinding)."""
    requests: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, text=BODY, headers={"Content-Type": "text/plain"})

    with httpx.Client(transport=httpx.MockTransport(answer)) as client:
        doc = fetch_url(f"{scheme}://public.example/a", FetchPolicy(), client)
    [request] = requests
    assert request.url.host == "93.184.216.34"
    assert request.headers["host"] == "public.example"
    assert request.extensions.get("sni_hostname") == ("public.example" if scheme == "https" else None)
    assert doc.url == f"{scheme}://public.example/a" and doc.text == BODY


def test_fetch_redirect_to_private_address_refused(public_dns: None) -> None:
    """A public page redirecting to loopback: the second hop is checked like the first."""
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("host", request.url.host))
        if request.headers.get("host") == "public.example":
            return httpx.Response(302, headers={"Location": "http://127.0.0.1:9/secret"})
        return httpx.Response(200, text="secret", headers={"Content-Type": "text/plain"})

    with httpx.Client(transport=httpx.MockTransport(answer)) as client:
        with pytest.raises(FetchError, match="private"):
            fetch_url("http://public.example/start", FetchPolicy(), client)
        assert seen == ["public.example"]
        assert fetch_url("http://public.example/start", LOCAL, client).text == "secret"


@pytest.mark.parametrize("path", ["/big", "/big-unsized"])
def test_fetch_too_big_body(server: str, path: str) -> None:
    with pytest.raises(FetchError, match="too large"):
        fetch_url(f"{server}{path}", LOCAL.model_copy(update={"max_bytes": 1000}))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "javascript:alert(1)",
                                 "gopher://example.com/", "http://", "not a url"])
def test_fetch_non_http_scheme_refused(url: str) -> None:
    with pytest.raises(FetchError):
        fetch_url(url, FetchPolicy())


def test_fetch_timeout(server: str) -> None:
    with pytest.raises(FetchError, match="timed out"):
        fetch_url(f"{server}/slow", LOCAL.model_copy(update={"timeout_s": 0.3}))


@pytest.mark.parametrize("path", ["/trickle-headers", "/trickle-body"])
def test_fetch_deadline_covers_the_whole_request(server: str, path: str) -> None:
    """Issue 10: a server trickling its headers held a fetch for 150 s; the deadline is for it all."""
    with pytest.raises(FetchError, match=r"timed out after 0\.5 s"):
        fetch_url(f"{server}{path}", LOCAL.model_copy(update={"timeout_s": 0.5}))
    assert HUNG_UP.wait(timeout=10)  # the connection was cut while the server still trickled


@pytest.mark.parametrize(("path", "message"), [("/missing", "HTTP 404"), ("/image", "content type")])
def test_fetch_errors_are_fetch_errors(server: str, path: str, message: str) -> None:
    with pytest.raises(FetchError, match=message):
        fetch_url(f"{server}{path}", LOCAL)
