"""Splitting long messages: every part fits, plain text joins back, HTML tags are never cut."""

from __future__ import annotations

import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefings.render import pack, split_message, telegram_length
from tests.support.telegram_html import telegram_html_errors

_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=600)


@settings(max_examples=150, deadline=None)
@given(text=_text, limit=st.integers(min_value=8, max_value=200))
def test_render_split_text_parts_join_back_and_fit(text: str, limit: int) -> None:
    parts = split_message(text, "text", limit)
    assert "".join(parts) == text
    assert all(telegram_length(p) <= limit for p in parts)


@st.composite
def telegram_html(draw: st.DrawFn) -> str:
    """Escaped text with nested allowed tags and links, as the templates produce."""
    def fragment(depth: int) -> str:
        kind = draw(st.sampled_from(["text", "text", "tag", "link", "newline"] if depth < 3 else ["text"]))
        if kind == "text":
            return html.escape(draw(_text.map(lambda t: t[:80])), quote=False)
        if kind == "newline":
            return "\n"
        inner = "".join(fragment(depth + 1) for _ in range(draw(st.integers(1, 3))))
        if kind == "link":
            return f'<a href="https://example.org/?q=1&amp;r=2">{inner}</a>'
        tag = draw(st.sampled_from(["b", "i", "u", "s", "code", "blockquote", "tg-spoiler"]))
        return f"<{tag}>{inner}</{tag}>"

    return "".join(fragment(0) for _ in range(draw(st.integers(1, 8)))) + "end"


@settings(max_examples=150, deadline=None)
@given(text=telegram_html(), limit=st.integers(min_value=300, max_value=600))
def test_render_split_html_parts_are_valid_and_fit(text: str, limit: int) -> None:
    for part in split_message(text, "html", limit):
        errors = [e for e in telegram_html_errors(part, limit) if e != "empty message"]
        assert not errors, (errors, part)


def test_render_split_prefers_line_breaks() -> None:
    text = "first line is here\nsecond line is here\nthird"
    assert split_message(text, "text", 24) == ["first line is here\n", "second line is here\n", "third"]


def test_render_split_reopens_tags_across_parts() -> None:
    text = "<b>" + " ".join(["word"] * 40) + "</b>"
    parts = split_message(text, "html", 60)
    assert len(parts) > 1
    assert all(p.startswith("<b>") and p.endswith("</b>") for p in parts)


def test_render_split_never_cuts_an_entity() -> None:
    text = "&amp;" * 50
    parts = split_message(text, "html", 23)
    assert all(p.count("&") == p.count("&amp;") for p in parts)
    assert "".join(parts) == text


@pytest.mark.parametrize("word", ["x" * 10_000, "é" * 5000, "😀" * 3000])
def test_render_split_cuts_a_word_longer_than_a_message(word: str) -> None:
    parts = split_message(word, "text", 4096)
    assert "".join(parts) == word
    assert all(telegram_length(p) <= 4096 for p in parts)


def test_render_pack_keeps_blocks_whole_when_they_fit() -> None:
    blocks = [f"block {i} " + "y" * 1000 for i in range(10)]
    messages = pack(blocks, "text")
    assert all(telegram_length(m) <= 4096 for m in messages)
    assert sum(m.count("block ") for m in messages) == 10
    assert all(m.startswith("block ") for m in messages)


def test_render_pack_drops_empty_blocks() -> None:
    assert pack(["", "  ", "<b> </b>", "hello"], "html") == ["hello"]


def test_render_split_plain_text_starting_with_an_ampersand_is_cut_like_any_text() -> None:
    # Found by hypothesis: in plain text "&..." is not an entity and must be cut to fit.
    parts = split_message("&0000𐀀𐀀", "text", 8)
    assert "".join(parts) == "&0000𐀀𐀀"
    assert all(telegram_length(p) <= 8 for p in parts)
