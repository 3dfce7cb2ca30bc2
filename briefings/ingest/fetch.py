"""Fetch a page or a feed over http(s), refusing what could hurt us.

Every hop, the first and each redirect, is checked the same way: http or https only, and a host
whose every address is public (no private, loopback, link-local, reserved or multicast address)
unless the policy allows private ones. Redirects are followed by hand, bodies are streamed and cut
off past the size limit, and the whole fetch has one deadline: httpx's timeouts bound each read,
so a server that sends a header line every few seconds would never trip them; a watchdog shuts
the connection down when the fetch's time is up, whatever it is waiting for.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import socket
import threading
import time
from typing import Any

import httpx
from pydantic import BaseModel

from briefings.errors import FetchError
from briefings.ingest.feeds import looks_like_feed, parse_feed
from briefings.ingest.htmltext import html_metadata
from briefings.ingest.raw import RawDocument, ReadFailure, url_slug

logger = logging.getLogger(__name__)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_USER_AGENT = "briefbot/0.1 (news briefing reader)"
_FEED_TYPES = ("rss", "atom", "xml", "rdf")


class FetchPolicy(BaseModel):
    """Limits for one fetch."""

    timeout_s: float = 10
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    allow_private: bool = False


class Download(BaseModel):
    url: str
    content_type: str
    charset: str | None
    body: bytes


def _refused(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast
            or ip.is_unspecified or not ip.is_global)


class Target(BaseModel):
    """A URL cleared for fetching and the address it was cleared for (None: private allowed)."""

    url: str
    address: str | None


def check_url(url: str, policy: FetchPolicy) -> Target:
    """The URL and its checked address if it may be fetched under `policy`; FetchError otherwise."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as error:
        raise FetchError(f"{url}: not a valid URL ({error})") from None
    if parsed.scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs can be fetched")
    if not parsed.host:
        raise FetchError(f"{url}: the URL has no host")
    if policy.allow_private:
        return Target(url=str(parsed), address=None)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parsed.host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"{url}: cannot resolve the host ({error})") from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses or any(_refused(a) for a in addresses):
        raise FetchError(f"{url}: refused: the host resolves to a private or reserved address "
                         "(set BRIEFBOT_ALLOW_PRIVATE_URLS=true to allow such hosts)")
    return Target(url=str(parsed), address=addresses[0])


def _request(target: Target) -> tuple[httpx.URL, dict[str, str], dict[str, str]]:
    """URL, headers and extensions that connect to the checked address, not to a second lookup.

    Pinning the address defeats DNS rebinding (a host that resolves to a public address for the
    check and to a private one for the connection). TLS still verifies the certificate for the
    host name, sent as SNI.
    """
    url = httpx.URL(target.url)
    headers = {"User-Agent": _USER_AGENT}
    if target.address is None:
        return url, headers, {}
    headers["Host"] = url.netloc.decode("ascii")
    extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
    return url.copy_with(host=target.address.split("%", 1)[0]), headers, extensions


class _Deadline:
    """Shuts down every socket the fetch opened once `seconds` have passed.

    The sockets are learnt from httpcore's `trace` extension as each connection is made; a
    shutdown wakes a thread blocked in `recv`, so the fetch fails at once (closing would not).
    """

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._timer.cancel()

    def left(self) -> float:
        return max(0.001, self.at - time.monotonic())

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event != "connection.connect_tcp.complete":
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if isinstance(sock, socket.socket):
            with self._lock:
                self._sockets.append(sock)
                if self.expired:
                    _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _read_body(response: httpx.Response, policy: FetchPolicy, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchError(f"too large ({declared} bytes; the limit is {policy.max_bytes})")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > policy.max_bytes:
            raise FetchError(f"too large (over {policy.max_bytes} bytes)")
        if time.monotonic() > deadline:
            raise FetchError(f"timed out after {policy.timeout_s:g} s")
        chunks.append(chunk)
    return b"".join(chunks)


def download(url: str, policy: FetchPolicy, client: httpx.Client | None = None) -> Download:
    """The body of `url` after checked, hand-followed redirects, all within `policy.timeout_s`."""
    owned = client is None
    session = client or httpx.Client(trust_env=False)
    deadline = _Deadline(policy.timeout_s)
    try:
        with deadline:
            return _follow(session, url, policy, deadline)
    except httpx.TimeoutException:
        raise FetchError(f"{url}: timed out after {policy.timeout_s:g} s") from None
    except httpx.HTTPError as error:
        if deadline.expired:  # the watchdog cut the connection: a timeout, whatever httpx saw
            raise FetchError(f"{url}: timed out after {policy.timeout_s:g} s") from None
        raise FetchError(f"{url}: the fetch failed ({type(error).__name__})") from None
    finally:
        if owned:
            session.close()


def _follow(session: httpx.Client, url: str, policy: FetchPolicy, deadline: _Deadline) -> Download:
    current = url
    for _hop in range(policy.max_redirects + 1):
        target = check_url(current, policy)
        request_url, headers, extensions = _request(target)
        with session.stream("GET", request_url, follow_redirects=False, timeout=deadline.left(),
                            headers=headers, extensions={**extensions, "trace": deadline.trace}) as response:
            location = response.headers.get("location")
            if response.status_code in _REDIRECTS and location:
                current = str(httpx.URL(target.url).join(location))
                continue
            if response.status_code >= 400:
                raise FetchError(f"{current}: the server answered HTTP {response.status_code}")
            try:
                body = _read_body(response, policy, deadline.at)
            except FetchError as error:
                raise FetchError(f"{current}: {error}") from None
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            return Download(url=target.url, content_type=content_type,
                            charset=response.charset_encoding, body=body)
    raise FetchError(f"{url}: more than {policy.max_redirects} redirects")


def _decode(body: bytes, charset: str | None) -> str:
    try:
        return body.decode(charset or "utf-8", errors="replace")
    except LookupError:  # an unknown charset name
        return body.decode("utf-8", errors="replace")


def fetch_documents(url: str, policy: FetchPolicy, client: httpx.Client | None = None) -> list[RawDocument]:
    """One RawDocument for a page, or one per entry for a feed; raises FetchError."""
    got = download(url, policy, client)
    if not got.body.strip():
        raise FetchError(f"{url}: the server sent an empty body")
    is_html = "html" in got.content_type
    if looks_like_feed(got.body) or (not is_html and any(t in got.content_type for t in _FEED_TYPES)):
        results = parse_feed(got.body, got.url)
        documents = [r for r in results if isinstance(r, RawDocument)]
        if not documents:
            failures = [r.message for r in results if isinstance(r, ReadFailure)]
            reason = failures[0] if failures else "no entries"
            raise FetchError(f"{url}: not a usable feed: {reason}")
        return documents
    if b"\x00" in got.body:
        raise FetchError(f"{url}: binary content, not a page")
    text = _decode(got.body, got.charset)
    ident = url_slug(got.url)
    if is_html:
        meta = html_metadata(text)
        return [RawDocument(id=ident, html=text, title=meta.title, url=got.url, published=meta.published,
                            outlet=meta.outlet, origin=url)]
    if got.content_type.startswith("text/") or got.content_type in ("", "application/json"):
        return [RawDocument(id=ident, text=text, url=got.url, origin=url)]
    raise FetchError(f"{url}: unsupported content type {got.content_type!r}")


def fetch_url(url: str, policy: FetchPolicy, client: httpx.Client | None = None) -> RawDocument:
    """A single page; raises FetchError (also when the URL is a feed: use `fetch_documents`)."""
    documents = fetch_documents(url, policy, client)
    if len(documents) != 1 or documents[0].origin != url:
        raise FetchError(f"{url}: this is a feed of {len(documents)} entries; read it with fetch_documents")
    return documents[0]
