"""Passages: sentence-aware windows over an article's sections, the unit BM25 ranks."""

from __future__ import annotations

from dataclasses import dataclass

from qabot.corpus import QUOTABLE_KINDS, Article, Block
from qabot.text import SentenceSplitter, terms, terms_of_words, words


@dataclass(frozen=True, slots=True)
class Sentence:
    """A quotable sentence: its span in the article text and the paragraph it stands in."""

    start: int
    end: int
    paragraph: int
    kind: str


@dataclass(frozen=True, slots=True)
class Passage:
    """A window of consecutive sentences from one section of one article."""

    doc_id: str
    heading: str
    context: str
    sentences: tuple[Sentence, ...]

    @property
    def start(self) -> int:
        return self.sentences[0].start

    @property
    def end(self) -> int:
        return self.sentences[-1].end

    @property
    def paragraph(self) -> int:
        return self.sentences[0].paragraph


@dataclass(frozen=True, slots=True)
class _Unit:
    """A stretch of one block while passages are cut: a whole paragraph or one of its sentences,
    with its word count and index terms from one pass of the tokenizer."""

    block: Block
    sentences: tuple[Sentence, ...]
    words: int
    terms: list[str]


def _unit(article: Article, block: Block, sentences: tuple[Sentence, ...]) -> _Unit:
    found = words(article.text[sentences[0].start : sentences[-1].end])
    return _Unit(block, sentences, len(found), terms_of_words(found))


def _paragraphs(article: Article, splitter: SentenceSplitter) -> list[_Unit]:
    """Every quotable block of an article as a unit of its sentences, in reading order."""
    found = []
    for block in article.blocks:
        if block.kind not in QUOTABLE_KINDS:
            continue
        if block.kind == "table_row":
            spans = [(0, block.end - block.start)]
        else:
            spans = splitter.spans(article.block_text(block))
        if spans:
            sentences = tuple(Sentence(block.start + a, block.start + b, block.paragraph, block.kind) for a, b in spans)
            found.append(_unit(article, block, sentences))
    return found


def indexed_passages(
    article: Article, splitter: SentenceSplitter, size: int, overlap: int
) -> list[tuple[Passage, list[str]]]:
    """Passages of at most `size` words that follow the article's own units, each with what BM25
    indexes for it: its sentences' terms plus its article's title, heading and context.

    Whole paragraphs of a section are packed together while they fit (news paragraphs are short);
    a paragraph longer than `size` becomes windows of its sentences sharing `overlap` sentences
    (a sentence longer than `size` stands alone). A passage never crosses a heading.
    A paragraph is tokenised once as a whole, sentence by sentence only when it must be cut.
    """
    groups: list[list[_Unit]] = []
    group: list[_Unit] = []
    group_words = 0
    for paragraph in _paragraphs(article, splitter):
        same_section = group and _section(group[-1].block) == _section(paragraph.block)
        if same_section and group_words + paragraph.words <= size:
            group.append(paragraph)
            group_words += paragraph.words
            continue
        if group:
            groups.append(group)
        group, group_words = [], 0
        if paragraph.words <= size:
            group, group_words = [paragraph], paragraph.words
        else:
            units = [_unit(article, paragraph.block, (sentence,)) for sentence in paragraph.sentences]
            groups.extend(_windows(units, size, overlap))
    if group:
        groups.append(group)
    title = terms(article.title)
    around: dict[tuple[str, str], list[str]] = {}
    for group in groups:
        section = _section(group[0].block)
        if section not in around:
            around[section] = title + terms(section[0]) + terms(section[1])
    return [_passage(article, group, around[_section(group[0].block)]) for group in groups]


def _section(block: Block) -> tuple[str, str]:
    return block.heading, block.context


def _passage(article: Article, units: list[_Unit], around: list[str]) -> tuple[Passage, list[str]]:
    """A passage, and its terms after `around` (its title's, heading's and context's)."""
    block = units[0].block
    passage = Passage(article.doc_id, block.heading, block.context, tuple(s for unit in units for s in unit.sentences))
    indexed = list(around)
    for unit in units:
        indexed += unit.terms
    return passage, indexed


def _windows(units: list[_Unit], size: int, overlap: int) -> list[list[_Unit]]:
    windows = []
    i, n = 0, len(units)
    while i < n:
        j, total = i + 1, units[i].words
        while j < n and total + units[j].words <= size:
            total += units[j].words
            j += 1
        windows.append(units[i:j])
        if j >= n:
            break
        i = max(j - overlap, i + 1)
    return windows
