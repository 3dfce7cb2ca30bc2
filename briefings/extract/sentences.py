"""Sentences of an article's non-furniture paragraphs, with offsets into `Article.text`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from spacy.tokens import Doc

from briefings.extract.nlp import blank_english
from briefings.models import Article, ParagraphKind


class Sentence(BaseModel):
    """One sentence; `text == article.text[start:end]`, stripped of surrounding white space."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    index: int
    start: int
    end: int
    text: str
    kind: ParagraphKind
    paragraph: int


def split_sentences(article: Article) -> list[Sentence]:
    """Split each fact-bearing paragraph on its own, so a sentence never spans two paragraphs."""
    nlp = blank_english()
    out: list[Sentence] = []
    for p_index, para in enumerate(article.paragraphs):
        if para.kind == "furniture":
            continue
        chunk = article.text[para.start:para.end]
        doc: Doc = nlp(chunk)
        for sent in doc.sents:
            raw = sent.text
            stripped = raw.strip()
            if not stripped:
                continue
            offset = para.start + sent.start_char + (len(raw) - len(raw.lstrip()))
            out.append(Sentence(index=len(out), start=offset, end=offset + len(stripped), text=stripped,
                                kind=para.kind, paragraph=p_index))
    return out
