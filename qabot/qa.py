"""`QA`: settings plus a loaded index, answering questions; what every front end calls."""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from dataclasses import replace

from qabot.answer import EMPTY_QUESTION_REASON, Answer
from qabot.conversation import Conversation, Turn
from qabot.entities import name_spans
from qabot.errors import ArticleChanged
from qabot.followup import resolve
from qabot.index import Index, open_index
from qabot.confidence import packaged_model
from qabot.pipeline import (
    Calibrate, CheckSpans, Flow, Pipeline, Read, Respell, Retrieve, Score, Select, Shorten, SpellOut, Stage,
)
from qabot.question import Question, analyze
from qabot.reader import Reader
from qabot.scorer import packaged_scorer
from qabot.select import Selector
from qabot.semantic.model import Semantic, load_semantic
from qabot.semantic.pointer import SpanPointer
from qabot.semantic.space import SentenceSpace
from qabot.semantic.stages import Compare, HybridRetrieve
from qabot.settings import Settings
from qabot.span import packaged_span_model
from qabot.span_check import packaged_span_check
from qabot.text import terms, tokens

log = logging.getLogger(__name__)

MAX_TURN_ENTITIES = 3
REFRESHES = 3
"""Times one question may find an article changed under it (and the index updated) before
qabot gives up on it for now: articles that keep changing cannot be quoted."""
CHANGING_REASON = "The articles changed while answering; please ask again in a moment."
_POSSESSIVE = re.compile(r"['’]s$")
_INITIALISM_END = re.compile(r"\b[A-Z]\.[A-Z]\.$")


class QA:
    """Cleans a question, resolves a follow-up against its conversation, and runs the stages."""

    def __init__(self, settings: Settings, index: Index, semantic: Semantic | None = None) -> None:
        self.settings = settings
        self.semantic = semantic or Semantic(None, "off")
        self._refreshing = threading.Lock()
        self._use(index)

    def _use(self, index: Index) -> None:
        """Serve from `index`: the stages that read it are made anew."""
        settings = self.settings
        encoder = self.semantic.encoder
        space = SentenceSpace(encoder, index) if encoder is not None else None
        self.index = index
        self.retrieve: Stage = (
            HybridRetrieve(index.engine, space, settings.top_k) if space is not None and space.stored
            else Retrieve(index.engine, settings.top_k)
        )
        self.check = CheckSpans(packaged_span_check(bool(space)), packaged_span_model(for_check=True))
        self.reading: list[Stage] = [
            Read(Reader(index)), *([Compare(space)] if space else []), Score(packaged_scorer(bool(space))), self.check,
        ]
        """Reading the retrieved passages into ranked candidates (what the gold-given benchmark reuses)."""
        self.calibrate = Calibrate(packaged_model(bool(space)), index)
        self.select = Select(Selector(index.article, settings.max_quotes, settings.min_confidence))
        self.shorten = Shorten(packaged_span_model(), SpanPointer.packaged(encoder) if encoder is not None else None)
        self.pipeline = Pipeline([
            Respell(index.doc_freq), SpellOut(index.abbreviations, index.doc_freq), self.retrieve, *self.reading,
            self.calibrate, self.select, self.shorten,
        ])

    def _refresh(self, stale: Index) -> None:
        """An article changed under `stale`: update the index (once, however many threads noticed)."""
        with self._refreshing:
            if self.index is stale:
                self._use(open_index(self.settings, encoder=self.semantic.encoder)[0])

    @classmethod
    def open(cls, settings: Settings) -> QA:
        semantic = load_semantic(settings)
        if semantic.problem:
            log.warning("%s qabot answers from words alone.", semantic.problem)
        index, _ = open_index(settings, encoder=semantic.encoder)
        return cls(settings, index, semantic)

    def new_conversation(self) -> Conversation:
        return Conversation(self.settings.conversation_turns, self.settings.conversation_ttl_seconds)

    def sources(self) -> list[tuple[str, str]]:
        """(article id, title) of every article, in id order."""
        return [(doc_id, info.title) for doc_id, info in sorted(self.index.articles.items())]

    def ask(self, question: str, conversation: Conversation | None = None) -> Answer:
        answer = self.run(question, conversation).answer
        assert answer is not None, "the pipeline ends with Select"
        return answer

    def run(self, question: str, conversation: Conversation | None = None) -> Flow:
        """Answer a question, keeping the trace; in a conversation, a follow-up borrows from
        earlier turns and the question becomes a turn of its own."""
        text = clean_question(question, self.settings.max_question_chars)
        if not text:
            return Flow(analyze(text), answer=Answer(question=text, answered=False, reason=EMPTY_QUESTION_REASON))
        now = time.monotonic()
        context = resolve(text, conversation.recent(now)) if conversation is not None else None
        parsed = analyze(text, context.terms if context else ())
        asked = f"{text} ({context.about})" if context is not None else text
        flow = self._answer(parsed, asked)
        answer = flow.answer
        assert answer is not None, "the pipeline ends with Select"
        read = flow.question.text
        if read != text:
            answer = answer.model_copy(update={"question": text, "read_as": read})
        if context is not None:
            answer = answer.model_copy(update={"about": context.about, "resolved_question": f"{read} (about: {context.about})"})
        flow = replace(flow, answer=answer)
        if conversation is not None:
            conversation.add(_turn(flow.question, answer), now)
        return flow


    def _answer(self, question: Question, asked: str) -> Flow:
        """The stages' answer from articles as they are now: an article that changed since the
        index was built is indexed again first, so every quote is verbatim when it is served."""
        for _ in range(REFRESHES):
            index, pipeline = self.index, self.pipeline
            try:
                return pipeline.run(question, asked)
            except ArticleChanged as changed:
                log.info("article %s changed while answering; updating the index", changed.doc_id)
                self._refresh(index)
        return Flow(question, answer=Answer(question=question.text, answered=False, reason=CHANGING_REASON))


def _turn(parsed: Question, answer: Answer) -> Turn:
    entities = _answer_names(parsed, answer.quotes[0].text) if answer.answered and answer.quotes else []
    return Turn(parsed.text, parsed.terms, parsed.topic, tuple(entities[:MAX_TURN_ENTITIES]), answer.answered)


def _answer_names(parsed: Question, quote: str) -> list[str]:
    """Names the quote adds to the question, nearest to the question's words first: the likely
    answer ("... killed by federal agents in *Minneapolis*"), which a follow-up may refer to."""
    asked = set(parsed.terms)
    matched = [tok.start for tok in tokens(quote) if tok.term in asked]
    found: list[tuple[int, str]] = []
    for start, end in name_spans(quote):
        name = _POSSESSIVE.sub("", quote[start:end])
        if not _INITIALISM_END.search(name):
            name = name.rstrip(".")
        sentence_opener = start == 0 and " " not in name
        if sentence_opener or not set(terms(name)) - asked or name in (n for _, n in found):
            continue
        distance = min((abs(start - at) for at in matched), default=len(quote))
        found.append((distance, name))
    return [name for _, name in sorted(found)]


def clean_question(question: str, max_chars: int) -> str:
    """Printable, NFC-normalised text of at most `max_chars` characters, cut at a word boundary."""
    text = unicodedata.normalize("NFC", question)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = " ".join(text.split())
    if len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars)
        text = text[: cut if cut > 0 else max_chars]
    return text
