"""Reading articles: decoding, boilerplate removal and structure, with offsets into each file."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from qabot.boilerplate import MAX_FURNITURE_CHARS, boilerplate_reason
from qabot.errors import QabotError

log = logging.getLogger(__name__)

BlockKind = Literal["title", "heading", "paragraph", "list_item", "table_header", "table_row"]
QUOTABLE_KINDS: frozenset[str] = frozenset({"paragraph", "list_item", "table_row"})

MAX_HEADING_WORDS = 14
_LIST_MARK = re.compile(r"^(?:[-*+•▪◦]|\d{1,3}[.)])\s+")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
_TERMINAL = re.compile(r"[.!?…:;,\"'”’)\]]$")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Block:
    """One structural unit of an article: a line that is a heading, paragraph, list item or table row."""

    kind: BlockKind
    start: int
    end: int
    paragraph: int
    """1-based position among the article's body blocks; 0 for the title and headings."""
    heading: str
    """The nearest heading above, "" before the first one."""
    context: str = ""
    """Text a reader sees with this block but that is not in it (a table row's header)."""


@dataclass(frozen=True)
class ArticleInfo:
    """What a citation needs of an article: its id, file and title."""

    doc_id: str
    source: str
    title: str


@dataclass(frozen=True)
class Article:
    """A decoded article file and its structure; every offset points into `text`."""

    doc_id: str
    source: str
    text: str
    sha256: str
    title: str
    blocks: tuple[Block, ...]
    dropped: tuple[tuple[int, int, str], ...] = field(default=())
    """Spans of lines left out, with the reason (boilerplate kind or "duplicate")."""

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]


def list_article_files(corpus_dir: Path) -> list[tuple[str, os.stat_result]]:
    """Every *.txt under the corpus folder with its stat, in a stable order (by path parts, as
    `Path` sorts); an empty folder is an error. Walked with `os.scandir` and sorted as strings:
    `rglob`, `Path` objects and a second stat per file took seconds on 20,000 articles."""
    if not corpus_dir.is_dir():
        raise QabotError(f"Corpus folder {corpus_dir} does not exist.")
    found: list[tuple[tuple[str, ...], str, os.stat_result]] = []
    folders: list[tuple[tuple[str, ...], str]] = [((), str(corpus_dir))]
    while folders:
        parts, folder = folders.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except PermissionError:
            continue
        for entry in listed:
            if entry.is_dir(follow_symlinks=False):
                folders.append(((*parts, entry.name), entry.path))
            elif entry.name.endswith(".txt") and entry.is_file():
                found.append(((*parts, entry.name), entry.path, entry.stat()))
    if not found:
        raise QabotError(f"Corpus folder {corpus_dir} holds no .txt articles.")
    found.sort(key=lambda item: item[0])
    return [(path, stat) for _, path, stat in found]


def decode_article(data: bytes, name: str) -> str:
    """UTF-8 text of a file; undecodable bytes become U+FFFD with a warning instead of a crash."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        log.warning("%s: undecodable bytes were replaced", name)
        return data.decode("utf-8", errors="replace")


def parse_article(doc_id: str, source: str, text: str, sha256: str = "") -> Article:
    """Split a decoded article into blocks, leaving out boilerplate and repeated lines."""
    blocks: list[Block] = []
    dropped: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    title = ""
    heading = ""
    table_header = ""
    paragraph = 0
    for start, end in _content_lines(text):
        line = text[start:end]
        key = _duplicate_key(line)
        reason = boilerplate_reason(line)
        if reason is None and key in seen:
            reason = "duplicate"
        if reason is not None:
            dropped.append((start, end, reason))
            continue
        seen.add(key)
        if _TABLE_SEPARATOR.match(line):
            continue
        start, kind = _classify(text, start, end, has_title=bool(title))
        if kind in ("table_row", "table_header"):
            if not table_header:
                table_header, kind = text[start:end], "table_header"
        else:
            table_header = ""
        if kind == "title":
            title = text[start:end]
            blocks.append(Block("title", start, end, 0, ""))
        elif kind == "heading":
            heading = text[start:end]
            blocks.append(Block("heading", start, end, 0, heading))
        elif kind == "table_header":
            blocks.append(Block("table_header", start, end, 0, heading))
        else:
            paragraph += 1
            context = table_header if kind == "table_row" else ""
            blocks.append(Block(kind, start, end, paragraph, heading, context))
    return Article(doc_id, source, text, sha256, title or doc_id, tuple(blocks), tuple(dropped))


def _duplicate_key(line: str) -> str:
    """What two lines share when one repeats the other: their words, whatever the punctuation, for
    short lines (repeated furniture varies it); long lines repeat verbatim, and lower-casing is cheap."""
    return " ".join(_WORD.findall(line.lower())) if len(line) <= MAX_FURNITURE_CHARS else line.lower()


def _content_lines(text: str) -> list[tuple[int, int]]:
    """Spans of non-blank lines with surrounding white space trimmed."""
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        raw = match.group()
        stripped = raw.strip()
        if not stripped or not any(char.isalnum() for char in stripped):
            continue
        start = match.start() + (len(raw) - len(raw.lstrip()))
        spans.append((start, start + len(stripped)))
    return spans


def _classify(text: str, start: int, end: int, has_title: bool) -> tuple[int, BlockKind]:
    """The kind of a line, and where its content starts once list or heading marks are skipped."""
    line = text[start:end]
    if line.startswith("|") and line.endswith("|"):
        return start, "table_row"
    marked = _MD_HEADING.match(line)
    if marked:
        return start + marked.end(), "heading" if has_title else "title"
    if not has_title:
        return start, "title"
    listed = _LIST_MARK.match(line)
    if listed:
        return start + listed.end(), "list_item"
    if len(line.split()) <= MAX_HEADING_WORDS and not _TERMINAL.search(line):
        return start, "heading"
    return start, "paragraph"
