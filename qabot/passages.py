"""Passages: sentence-aware windows over an article's sections, the unit BM25 ranks."""

from __future__ import annotations

from dataclasses import dataclass

from qabot.corpus import QUOTABLE_KINDS, Article, Block
from qabot.text import SentenceSplitter, terms, word_count


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


def article_sentences(article: Article, splitter: SentenceSplitter) -> list[tuple[Block, Sentence]]:
    """Every quotable sentence of an article with the block it comes from, in reading order."""
    found = []
    for block in article.blocks:
        if block.kind not in QUOTABLE_KINDS:
            continue
        if block.kind == "table_row":
            found.append((block, Sentence(block.start, block.end, block.paragraph, block.kind)))
            continue
        for start, end in splitter.spans(article.block_text(block)):
            sentence = Sentence(block.start + start, block.start + end, block.paragraph, block.kind)
            found.append((block, sentence))
    return found


def split_passages(
    article: Article, splitter: SentenceSplitter, size: int, overlap: int
) -> list[Passage]:
    """Windows of at most `size` words (a longer sentence stands alone), sharing `overlap` sentences.

    A window never crosses a heading, and ends at a paragraph break when one falls in its second half,
    so that passages follow the article's own units where they can.
    """
    passages: list[Passage] = []
    sentences = article_sentences(article, splitter)
    section: list[tuple[Block, Sentence]] = []
    for item in sentences:
        if section and (item[0].heading != section[-1][0].heading or item[0].context != section[-1][0].context):
            passages.extend(_windows(article, section, size, overlap))
            section = []
        section.append(item)
    if section:
        passages.extend(_windows(article, section, size, overlap))
    return passages


def _windows(
    article: Article, section: list[tuple[Block, Sentence]], size: int, overlap: int
) -> list[Passage]:
    words = [word_count(article.text[s.start : s.end]) for _, s in section]
    heading, context = section[0][0].heading, section[0][0].context
    windows = []
    i, n = 0, len(section)
    while i < n:
        j, total = i + 1, words[i]
        while j < n and total + words[j] <= size:
            total += words[j]
            j += 1
        if j < n:
            running = 0
            cut = j
            for b in range(i + 1, j):
                running += words[b - 1]
                if section[b][1].paragraph != section[b - 1][1].paragraph and running * 2 >= size:
                    cut = b
            j = cut
        windows.append(Passage(article.doc_id, heading, context, tuple(s for _, s in section[i:j])))
        if j >= n:
            break
        i = max(j - overlap, i + 1)
    return windows


def passage_terms(passage: Passage, article: Article) -> list[str]:
    """What BM25 indexes for a passage: its sentences, plus its article title, heading and context."""
    body = article.text[passage.start : passage.end]
    return terms(article.title) + terms(passage.heading) + terms(passage.context) + terms(body)
