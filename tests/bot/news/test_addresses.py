"""Which addresses may be fetched, URL canonical forms and slugs (plain values, no network)."""

from __future__ import annotations

import pytest

from bot.news.addresses import PrivateAddressError, PublicOnlyResolver, is_ip_literal, is_public
from bot.news.errors import NewsError
from bot.news.urls import canonical_url, parse_web_url, same_site, slugify, url_key


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",  # loopback dressed as IPv6
        "224.0.0.1",
        "not-an-address",
    ],
)
def test_private_loopback_link_local_and_odd_addresses_are_not_public(address: str) -> None:
    assert not is_public(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111"])
def test_global_addresses_are_public(address: str) -> None:
    assert is_public(address)


def test_ip_literals_are_told_from_names() -> None:
    assert is_ip_literal("127.0.0.1") and is_ip_literal("[::1]")
    assert not is_ip_literal("localhost") and not is_ip_literal("example.org")


async def test_the_resolver_refuses_a_name_that_resolves_to_loopback() -> None:
    resolver = PublicOnlyResolver()
    try:
        with pytest.raises(PrivateAddressError, match=r"localhost \((127\.0\.0\.1|::1)\)"):
            await resolver.resolve("localhost", 80)
    finally:
        await resolver.close()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "not file://"),
        ("ftp://example.org/x", "not ftp://"),
        ("javascript:alert(1)", "not javascript://"),
        ("example.org/news", "has no scheme"),
        ("http:///nohost", "names no host"),
    ],
)
def test_only_http_and_https_urls_with_a_host_pass(url: str, reason: str) -> None:
    with pytest.raises(NewsError, match=reason):
        parse_web_url(url)


def test_canonical_urls_drop_fragments_and_tracking_but_keep_real_queries() -> None:
    assert canonical_url("HTTPS://News.Example:443/a?utm_source=x&id=7#top") == (
        "https://news.example/a?id=7"
    )
    assert canonical_url("http://news.example") == "http://news.example/"
    assert url_key(canonical_url("http://a.example/x#y")) == url_key("http://a.example/x")


def test_same_site_ignores_www_only() -> None:
    assert same_site("https://www.paper.example/a", "https://paper.example/b")
    assert not same_site("https://paper.example/a", "https://evil.example/a")


def test_slugs_are_readable_ascii_and_bounded() -> None:
    assert (
        slugify("Élections: Mali's new “transition” plan!")
        == "elections-mali-s-new-transition-plan"
    )
    assert slugify("???") == "article"
    long = slugify("word " * 40)
    assert len(long) <= 60 and not long.endswith("-")
