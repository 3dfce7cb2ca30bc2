"""What an admin's URL may resolve to: every address checked, every redirect checked, no rebinding.

Name resolution is faked (`socket.getaddrinfo` returns chosen addresses) and requests go to mock
transports, so nothing leaves the machine.
"""

from __future__ import annotations

import ipaddress
import socket

import httpx
import pytest

from briefings.errors import FetchError
from briefings.ingest import fetch as fetch_module
from briefings.ingest.fetch import FetchPolicy, check_url, fetch_url

PUBLIC = "93.184.216.34"


def _resolving(monkeypatch: pytest.MonkeyPatch, *addresses: str) -> None:
    """Host names resolve to `addresses`; an address literal resolves to itself, as for real."""

    def resolve(host: str, port: object, *args: object, **kwargs: object) -> object:
        try:
            found = [str(ipaddress.ip_address(host.strip("[]")))]
        except ValueError:
            found = list(addresses)
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, 80))
                for a in found]

    monkeypatch.setattr(fetch_module.socket, "getaddrinfo", resolve)


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.5", "192.168.1.1", "169.254.169.254",  # cloud metadata
    "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "fe80::1", "fc00::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::", "2001:db8::1",
])
def test_fetch_refusals_private_and_special_addresses(monkeypatch: pytest.MonkeyPatch, address: str) -> None:
    _resolving(monkeypatch, address)
    with pytest.raises(FetchError, match="private or reserved"):
        check_url("https://news.example/a", FetchPolicy())


def test_fetch_refusals_one_private_address_among_public_ones_is_enough(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _resolving(monkeypatch, PUBLIC, "10.0.0.7")
    with pytest.raises(FetchError, match="private"):
        check_url("https://news.example/a", FetchPolicy())
    _resolving(monkeypatch, PUBLIC, "2606:2800:220:1:248:1893:25c8:1946")
    assert check_url("https://news.example/a", FetchPolicy()).address == PUBLIC


def test_fetch_refusals_settings_may_allow_private_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    _resolving(monkeypatch, "127.0.0.1")
    assert check_url("http://localhost:8080/a", FetchPolicy(allow_private=True)).address is None


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://news.example/a", "gopher://x/",
                                      "http://10.0.0.1/admin", "http://[::1]:8080/"])
def test_fetch_refusals_redirects_are_checked_like_the_first_hop(monkeypatch: pytest.MonkeyPatch,
                                                                 location: str) -> None:
    _resolving(monkeypatch, PUBLIC)
    hosts: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        return httpx.Response(302, headers={"Location": location})

    with httpx.Client(transport=httpx.MockTransport(answer)) as client, pytest.raises(FetchError):
        fetch_url("http://news.example/start", FetchPolicy(), client)
    assert hosts == [PUBLIC]  # the redirect target was never requested
