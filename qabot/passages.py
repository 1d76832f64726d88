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
    """Passages of at most `size` words that follow the article's own units.

    Whole paragraphs of a section are packed together while they fit (news paragraphs are short);
    a paragraph longer than `size` becomes windows of its sentences sharing `overlap` sentences
    (a sentence longer than `size` stands alone). A passage never crosses a heading.
    """
    passages: list[Passage] = []
    paragraphs: list[list[tuple[Block, Sentence]]] = []
    for item in article_sentences(article, splitter):
        if paragraphs and paragraphs[-1][-1][1].paragraph == item[1].paragraph:
            paragraphs[-1].append(item)
        else:
            paragraphs.append([item])
    group: list[tuple[Block, Sentence]] = []
    group_words = 0
    for paragraph in paragraphs:
        words = sum(_words(article, s) for _, s in paragraph)
        same_section = group and _section(group[-1][0]) == _section(paragraph[0][0])
        if same_section and group_words + words <= size:
            group += paragraph
            group_words += words
            continue
        if group:
            passages.append(_passage(article, group))
        group, group_words = [], 0
        if words <= size:
            group, group_words = list(paragraph), words
        else:
            passages.extend(_passage(article, window) for window in _windows(article, paragraph, size, overlap))
    if group:
        passages.append(_passage(article, group))
    return passages


def _section(block: Block) -> tuple[str, str]:
    return block.heading, block.context


def _words(article: Article, sentence: Sentence) -> int:
    return word_count(article.text[sentence.start : sentence.end])


def _passage(article: Article, items: list[tuple[Block, Sentence]]) -> Passage:
    block = items[0][0]
    return Passage(article.doc_id, block.heading, block.context, tuple(s for _, s in items))


def _windows(
    article: Article, sentences: list[tuple[Block, Sentence]], size: int, overlap: int
) -> list[list[tuple[Block, Sentence]]]:
    words = [_words(article, s) for _, s in sentences]
    windows = []
    i, n = 0, len(sentences)
    while i < n:
        j, total = i + 1, words[i]
        while j < n and total + words[j] <= size:
            total += words[j]
            j += 1
        windows.append(sentences[i:j])
        if j >= n:
            break
        i = max(j - overlap, i + 1)
    return windows


def passage_terms(passage: Passage, article: Article, title_terms: list[str] | None = None) -> list[str]:
    """What BM25 indexes for a passage: its sentences, plus its article title, heading and context.
    `title_terms` saves tokenising the title again for every passage of a long article."""
    body = article.text[passage.start : passage.end]
    title = terms(article.title) if title_terms is None else title_terms
    return title + terms(passage.heading) + terms(passage.context) + terms(body)
