"""Answers shaped as Discord messages within Discord's limits; pure functions, unit-tested."""

from __future__ import annotations

import re
from typing import Iterable

from qabot.answer import Answer, Quote
from qabot.asking import Reply
from qabot.render import NOT_FOUND_TEXT, prefaces, short_span

MESSAGE_LIMIT = 2000
"""Most characters in one message's content (Discord's limit for bots)."""
BLOCK_QUOTE = "> "
BOLD = "**"
"""Discord's bold marker; quoted text escapes its own asterisks, so only ours stay markers."""
PARAGRAPH_BREAK = "\n\n"

_MARKDOWN = re.compile(r"([\\*_~`|>#\[\]])")
_MENTIONS = re.compile(r"<@[!&]?\d+>|<#\d+>|@(?:everyone|here)\b")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…][\"'”’)])\s+|(?<=[.!?…])\s+")



def question_text(content: str) -> str:
    """A message's question without Discord's mentions (users, roles, channels, @everyone): they
    address people, they do not ask anything, and their ids read like numbers."""
    return " ".join(_MENTIONS.sub(" ", content).split())


def escape_markdown(text: str) -> str:
    """Show quoted text exactly as written, not as Discord formatting."""
    return _MARKDOWN.sub(r"\\\1", text)


def citation_line(quote: Quote) -> str:
    return f"\u2014 **{escape_markdown(quote.title)}** (`{quote.doc_id}`, paragraph {quote.paragraph})"


def reply_messages(reply: Reply, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The messages for a reply: its note (a pause, an empty question, an apology) or its answer."""
    return pack([reply.note], limit) if reply.note else answer_messages(reply.answer, limit)


def answer_messages(answer: Answer, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The quotes as block quotes (the short answer in bold inside the first), each followed by its
    citation, packed into messages of at most `limit` characters; or the not-found sentence. A
    question read with a slip corrected says first how it was read, a follow-up what it was taken
    to be about."""
    blocks = [f"_({label}: {escape_markdown(said)})_" for label, said in prefaces(answer)]
    if not answer.answered:
        return pack(blocks + [NOT_FOUND_TEXT], limit)
    blocks += [_quote_block(quote, limit, short_span(answer) if n == 0 else None) for n, quote in enumerate(answer.quotes)]
    return pack(blocks, limit)


def shown_quote(text: str, span: tuple[int, int] | None) -> str:
    """A quote on one line, escaped, with the short answer's span in bold."""
    if span is None:
        return escape_markdown(" ".join(text.split()))
    start, end = span
    before, inside, after = text[:start], " ".join(text[start:end].split()), text[end:]
    head = escape_markdown(" ".join(before.split())) + (" " if before[-1:].isspace() and before.strip() else "")
    tail = (" " if after[:1].isspace() and after.strip() else "") + escape_markdown(" ".join(after.split()))
    return f"{head}{BOLD}{escape_markdown(inside)}{BOLD}{tail}"


def _quote_block(quote: Quote, limit: int, span: tuple[int, int] | None = None) -> str:
    cite = citation_line(quote)
    room = limit - len(cite) - len(BLOCK_QUOTE) - 1 - (2 * len(BOLD) if span else 0)
    pieces = _balanced(split_text(shown_quote(quote.text, span), max(room, 40)))
    return "\n".join(BLOCK_QUOTE + piece for piece in pieces) + "\n" + cite


def _balanced(pieces: list[str]) -> list[str]:
    """Pieces of one quote with bold closed at the end of a piece it is open in, and opened again
    at the start of the next, so that a cut inside the span keeps it bold."""
    balanced, open_ = [], False
    for piece in pieces:
        text = (BOLD if open_ else "") + piece
        open_ = text.count(BOLD) % 2 == 1
        balanced.append(text + (BOLD if open_ else ""))
    return balanced


def pack(blocks: list[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Blocks joined by blank lines, a new message whenever the next would not fit; a block longer
    than the limit is split at line, sentence or word boundaries."""
    return _join_within((piece for block in blocks for piece in _fit(block, limit)), PARAGRAPH_BREAK, limit)


def _fit(block: str, limit: int) -> list[str]:
    if len(block) <= limit:
        return [block]
    return _join_within((part for line in block.split("\n") for part in split_text(line, limit)), "\n", limit)


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut after sentences where possible, else between words;
    only a single word longer than the limit is ever cut inside."""
    if len(text) <= limit:
        return [text]
    return _join_within(_units(text, limit), " ", limit)


def _join_within(parts: Iterable[str], separator: str, limit: int) -> list[str]:
    """Parts (each at most `limit` long) joined by `separator` into as few strings within `limit`
    as their order allows."""
    joined: list[str] = []
    current = ""
    for part in parts:
        candidate = current + separator + part if current else part
        if len(candidate) <= limit:
            current = candidate
        else:
            if current:
                joined.append(current)
            current = part
    if current:
        joined.append(current)
    return joined


def _units(text: str, limit: int) -> list[str]:
    """Sentences, or the words of a sentence too long for one piece."""
    units: list[str] = []
    for sentence in _SENTENCE_BREAK.split(text):
        if len(sentence) <= limit:
            units.append(sentence)
            continue
        for word in sentence.split():
            units.extend(word[i : i + limit] for i in range(0, len(word), limit))
    return [unit for unit in units if unit]


def sources_messages(sources: list[tuple[str, str]], limit: int = MESSAGE_LIMIT) -> list[str]:
    lines = [f"**{len(sources)} articles:**"] + [
        f"\u2022 `{doc_id}` {escape_markdown(title)}" for doc_id, title in sources
    ]
    return pack(["\n".join(lines)], limit)


def help_text(prefix: str | None) -> str:
    ways = ["\u2022 `/ask question:<your question>`", "\u2022 mention me: `@qabot who signed the order?`"]
    if prefix:
        ways.append(f"\u2022 `{prefix}ask <your question>`")
    return (
        "I answer questions about the news articles I have, with exact quotes and where they stand.\n"
        "Ask me:\n" + "\n".join(ways) + "\n`/sources` lists the articles. "
        "When the articles do not say, I tell you so."
    )
