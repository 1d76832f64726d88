"""The one object every front end holds: settings plus a loaded index, answering questions."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from qabot.answer import EMPTY_QUESTION_REASON, Answer
from qabot.extract import Extractor
from qabot.index import Index, open_index
from qabot.question import analyze
from qabot.retrieve import BM25Retriever, Hit
from qabot.settings import Settings


@dataclass
class Trace:
    """What retrieval found for a question, for evaluation and debugging."""

    hits: list[Hit]


class QA:
    def __init__(self, settings: Settings, index: Index) -> None:
        self.settings = settings
        self.index = index
        self.retriever = BM25Retriever(index.passage_terms)
        self.extractor = Extractor(index, settings.max_quotes, settings.min_confidence)

    @classmethod
    def open(cls, settings: Settings) -> QA:
        index, _ = open_index(settings)
        return cls(settings, index)

    def sources(self) -> list[tuple[str, str]]:
        """(article id, title) of every article, in id order."""
        return [(doc_id, info.title) for doc_id, info in sorted(self.index.articles.items())]

    def ask(self, question: str) -> Answer:
        return self.ask_traced(question)[0]

    def ask_traced(self, question: str) -> tuple[Answer, Trace]:
        text = clean_question(question, self.settings.max_question_chars)
        if not text:
            return Answer(question=text, answered=False, reason=EMPTY_QUESTION_REASON), Trace([])
        parsed = analyze(text)
        hits = self.retriever.search(list(parsed.terms), self.settings.top_k)
        return self.extractor.answer(parsed, hits), Trace(hits)


def clean_question(question: str, max_chars: int) -> str:
    """Printable, NFC-normalised text of at most `max_chars` characters, cut at a word boundary."""
    text = unicodedata.normalize("NFC", question)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = " ".join(text.split())
    if len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars)
        text = text[: cut if cut > 0 else max_chars]
    return text
