"""Split an article's text into blocks and give each a kind, using the lines around it.

The text is never rewritten: every block is a slice of it. Kinds: `heading` (the title and
sub-headings), `caption`, `furniture` (dropped later) and `body`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel

from briefings.ingest.furniture import (
    ends_sentence,
    fold,
    is_caption_line,
    is_furniture_line,
    looks_like_heading,
    looks_like_headline,
)
from briefings.ingest.published import DATE_TOKEN_RE, is_stamp_line, match_dateline
from briefings.models import Paragraph, ParagraphKind

# Lines are split on every line break `str.splitlines` knows, so a block never spans one.
_LINE_RE = re.compile(r"[^\r\n\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e]+")
_PHOTO_LABELS = frozenset({"photo", "photos", "image", "images", "picture", "file photo", "credit"})
# How far down a title, a date token or a dateline may stand.
_TITLE_WINDOW = 6
_DATELINE_WINDOW = 8
# A prefix this short before a copy of the headline is a label or a stamp ("World 11/03/2024 …").
_TITLE_PREFIX_CHARS = 40


@dataclass
class Block:
    start: int
    end: int
    text: str
    kind: ParagraphKind | None = None


class Layout(BaseModel):
    """The classified paragraphs of a text, its title and its dateline place."""

    paragraphs: list[Paragraph]
    title: str | None
    dateline: str | None


def split_blocks(text: str) -> list[Block]:
    """Non-blank lines, stripped, with offsets into `text`."""
    blocks = []
    for match in _LINE_RE.finditer(text):
        line = match.group()
        stripped = line.strip()
        if not stripped:
            continue
        start = match.start() + (len(line) - len(line.lstrip()))
        blocks.append(Block(start=start, end=start + len(stripped), text=stripped))
    return blocks


def _sub_block(block: Block, offset: int, end: int | None = None) -> Block | None:
    """The part of `block` from `offset` (relative) to `end`, stripped; None when blank."""
    piece = block.text[offset:end]
    stripped = piece.strip()
    if not stripped:
        return None
    start = block.start + offset + (len(piece) - len(piece.lstrip()))
    return Block(start=start, end=start + len(stripped), text=stripped)


def _split_date_tokens(blocks: list[Block]) -> list[Block]:
    """Cut the scraped ` date YYYY-MM-DD` token off the line it is fused onto; it is furniture."""
    out: list[Block] = []
    for index, block in enumerate(blocks):
        current: Block | None = block
        while index < _TITLE_WINDOW and current is not None:
            match = DATE_TOKEN_RE.match(current.text)
            if match is None:
                break
            token = _sub_block(current, 0, match.end())
            if token is not None:
                token.kind = "furniture"
                out.append(token)
            current = _sub_block(current, match.end())
        if current is not None:
            out.append(current)
    return out


def _mark_single_lines(blocks: list[Block]) -> None:
    for block in blocks:
        if is_furniture_line(block.text) or is_stamp_line(block.text):
            block.kind = "furniture"
        elif is_caption_line(block.text):
            block.kind = "caption"


def _mark_photo_labels(blocks: list[Block]) -> None:
    """'Photo' on its own line: the line before is a caption, a short line after is its credit."""
    for index, block in enumerate(blocks):
        if fold(block.text) not in _PHOTO_LABELS:
            continue
        block.kind = "furniture"
        after = blocks[index + 1] if index + 1 < len(blocks) else None
        if after is not None and after.kind is None and len(after.text.split()) <= 6 \
                and not ends_sentence(after.text):
            after.kind = "furniture"
        before = blocks[index - 1] if index > 0 else None
        if before is not None and before.kind is None and len(before.text.split()) >= 4 \
                and match_dateline(before.text) is None:  # a lead with a dateline is no caption
            before.kind = "caption"


def _next_content(blocks: list[Block], index: int, skip: str) -> list[Block]:
    """The blocks after `index` that are not furniture nor copies of `skip`."""
    return [b for b in blocks[index + 1:] if b.kind != "furniture" and fold(b.text) != skip]


def _find_title(blocks: list[Block], hint: str | None) -> str | None:
    """The metadata title, else a first line that reads as a headline (see `looks_like_headline`)."""
    if hint and hint.strip():
        return " ".join(hint.split())
    for index, block in enumerate(blocks[:_TITLE_WINDOW]):
        if block.kind == "furniture":
            continue
        if block.kind == "caption" or match_dateline(block.text) is not None:
            return None
        key = fold(block.text)
        repeated = any(fold(b.text) == key for b in blocks[index + 1:])
        if not looks_like_headline(block.text, repeated):
            return None
        body_follows = any(b.kind == "caption" or ends_sentence(b.text) or len(b.text.split()) > 20
                           for b in _next_content(blocks, index, key)[:3])
        return block.text if repeated or body_follows else None
    return None


def _mark_title_copies(blocks: list[Block], title: str) -> None:
    """The first copy of the title is the heading; later copies (maybe after a label) are furniture."""
    key = fold(title)
    seen = False
    for block in blocks:
        if block.kind == "furniture":
            continue
        folded = fold(block.text)
        if folded == key:
            block.kind = "furniture" if seen else "heading"
            seen = True
        elif seen and folded.endswith(key) and len(folded) - len(key) <= _TITLE_PREFIX_CHARS:
            block.kind = "furniture"


def _mark_duplicates(blocks: list[Block]) -> None:
    """A block repeating an earlier one (or the start of one) is a page artefact."""
    seen: list[str] = []
    for block in blocks:
        folded = fold(block.text)
        if block.kind != "furniture" and any(
                folded == s or (len(folded) >= 60 and s.startswith(folded)) for s in seen):
            block.kind = "furniture"
        seen.append(folded)


def _dateline_index(candidates: list[Block]) -> int | None:
    """The candidate opening with a dateline, looking no further than the first full sentence."""
    for index, block in enumerate(candidates[:_DATELINE_WINDOW]):
        if match_dateline(block.text) is not None:
            return index
        if ends_sentence(block.text) and len(block.text.split()) > 8:
            return None
    return None


def _repeats(block: Block, earlier: list[Block]) -> bool:
    folded = fold(block.text)
    return any(fold(b.text) == folded or (len(folded) >= 60 and fold(b.text).startswith(folded))
               for b in earlier)


def _split_dateline(blocks: list[Block]) -> tuple[list[Block], str | None]:
    """Find the dateline opening the lead; it becomes a furniture block and its place is returned.

    When the text after it would show a second dateline, neither is taken: cleaning the kept text
    again must find the same thing.
    """
    candidates = [b for b in blocks if b.kind is None]
    index = _dateline_index(candidates)
    if index is None:
        return blocks, None
    block = candidates[index]
    found = match_dateline(block.text)
    if found is None:
        return blocks, None
    position = blocks.index(block)
    if found.end >= len(block.text):  # a place alone on its line, the lead follows
        # a caption may follow too: the line is a dateline whatever the lead turned out to be
        after = [c for c in blocks[position + 1:]
                 if c.kind in (None, "caption") and fold(c.text) != fold(block.text)]
        if not after or match_dateline(after[0].text) is not None or _dateline_index(after) is not None:
            return blocks, None
        block.kind = "furniture"
        return blocks, found.place
    rest = _sub_block(block, found.end)
    if rest is None:
        return blocks, None
    _mark_single_lines([rest])
    after = candidates[index + 1:]
    if rest.kind is None and not _repeats(rest, blocks[:position]):
        after = [rest, *after]
    if match_dateline(rest.text) is not None or _dateline_index(after) is not None:
        return blocks, None
    head = _sub_block(block, 0, found.end)
    if head is not None:
        head.kind = "furniture"
    return blocks[:position] + [b for b in (head, rest) if b is not None] + blocks[position + 1:], found.place


def _mark_rest(blocks: list[Block]) -> None:
    last_content = max((i for i, b in enumerate(blocks) if b.kind != "furniture"), default=-1)
    for index, block in enumerate(blocks):
        if block.kind is not None:
            continue
        block.kind = "heading" if index < last_content and looks_like_heading(block.text) else "body"


def classify(text: str, title_hint: str | None = None) -> Layout:
    """Blocks of `text` with their kinds, the title (hint first) and the dateline place."""
    blocks = _split_date_tokens(split_blocks(text))
    _mark_single_lines(blocks)
    _mark_photo_labels(blocks)
    title = _find_title(blocks, title_hint)
    if title is not None:
        _mark_title_copies(blocks, title)
    _mark_duplicates(blocks)
    blocks, dateline = _split_dateline(blocks)
    _mark_duplicates(blocks)  # again: a lead without its dateline may repeat an earlier line
    _mark_rest(blocks)
    paragraphs = [Paragraph(kind=b.kind or "body", start=b.start, end=b.end, text=b.text) for b in blocks]
    return Layout(paragraphs=paragraphs, title=title, dateline=dateline)
