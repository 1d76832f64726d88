"""An Answer as text for a terminal and as JSON; pure functions, no I/O."""

from __future__ import annotations

import os
from typing import TextIO

from qabot.answer import Answer, Quote

NOT_FOUND_TEXT = "I could not find the answer in the articles."
BOLD, PLAIN = "\x1b[1m", "\x1b[0m"
"""ANSI bold on and off, for a terminal only."""


def citation(quote: Quote) -> str:
    return f"{quote.title} [{quote.doc_id}, paragraph {quote.paragraph}]"


def wants_bold(stream: TextIO) -> bool:
    """Bold only on a terminal, and not when the user set NO_COLOR (no-color.org)."""
    return stream.isatty() and "NO_COLOR" not in os.environ


def prefaces(answer: Answer) -> list[tuple[str, str]]:
    """What the asker is told before the answer, (label, text): how a question with slips of
    typing was read, what a follow-up was taken to be about."""
    return [(label, said) for label, said in (("read as", answer.read_as), ("about", answer.about)) if said]


def short_span(answer: Answer) -> tuple[int, int] | None:
    """The short answer's offsets inside the first quote's text, if it has one."""
    short = answer.short_answer
    if short is None or not answer.quotes:
        return None
    quote = answer.quotes[0]
    if short.doc_id != quote.doc_id or not quote.start <= short.start < short.end <= quote.end:
        return None
    return short.start - quote.start, short.end - quote.start


def render_text(answer: Answer, bold: bool = False) -> str:
    """The short answer first, then each quote in quotation marks with its citation below (the
    short answer in ANSI bold inside the first when `bold`, for a terminal); or the not-found
    sentence and why."""
    preface = "".join(f"({label}: {said})\n" for label, said in prefaces(answer))
    if not answer.answered:
        reason = f" ({answer.reason})" if answer.reason else ""
        return f"{preface}{NOT_FOUND_TEXT}{reason}"
    texts = [quote.text for quote in answer.quotes]
    span = short_span(answer)
    head = ""
    if span is not None and answer.short_answer is not None:
        head = f"{answer.short_answer.text}\n"
        if bold:
            start, end = span
            texts[0] = f"{texts[0][:start]}{BOLD}{texts[0][start:end]}{PLAIN}{texts[0][end:]}"
    blocks = [f"\u201c{text}\u201d\n    \u2014 {citation(quote)}" for text, quote in zip(texts, answer.quotes)]
    return preface + head + "\n\n".join(blocks)


def render_json(answer: Answer) -> str:
    return answer.model_dump_json()
