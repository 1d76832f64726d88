"""The answering pipeline: one typed object flows through small stages, and is the trace.

    question ─► Respell ─► SpellOut ─► Retrieve (or GivenPassages) ─► Read ─► Score ─► CheckSpans ─► Calibrate
             ─► Select ─► Shorten ─► answer

With the sentence encoder (`qabot.semantic`), retrieval fuses words and meaning (HybridRetrieve)
and a Compare stage after Read adds each candidate's similarity to the question. Every front end,
`qabot eval` and the benchmarks run the same stages (see `QA`); a benchmark can swap a stage, as
`GivenPassages` does for the gold-paragraph figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Protocol, Sequence

import numpy as np

from qabot.abbreviations import Abbreviations
from qabot.answer import Answer, ShortAnswer
from qabot.answerability import Frequencies, Signals, signals
from qabot.compounds import compounds
from qabot.confidence import ConfidenceModel
from qabot.engines import Hit
from qabot.question import Question, analyze
from qabot.reader import Candidate, Reader, best_first
from qabot.rerank import rerank
from qabot.scorer import SentenceScorer
from qabot.select import Selector
from qabot.span import Pointer, SpanModel, best_span
from qabot.span_check import SpanCheck
from qabot.spelling import respelt
from qabot.variants import variants


@dataclass(frozen=True)
class Flow:
    """A question on its way through the stages; what each stage adds stays, for tracing."""

    question: Question
    asked: str = ""
    """The question as understood, a follow-up with what it borrowed: what meaning is compared on."""
    question_vector: np.ndarray | None = None
    """The question's unit vector, once the sentence encoder has made it."""
    hits: list[Hit] = field(default_factory=list)
    """Retrieved passages, best first by BM25."""
    candidates: list[Candidate] = field(default_factory=list)
    """Sentences of those passages, scored, best first."""
    signals: Signals | None = None
    """What is known of the best candidate as an answer."""
    confidence: float = 0.0
    """The probability that the best candidate answers the question."""
    answer: Answer | None = None

    @property
    def read(self) -> list[Hit]:
        """The passages in the order reading ends with: by their best sentence, then the rest."""
        return rerank(self.hits, self.candidates)


class Stage(Protocol):
    def __call__(self, flow: Flow) -> Flow: ...


class Searcher(Protocol):
    def search(self, query_terms: list[str], k: int) -> list[Hit]: ...

    def score(self, query_terms: list[str], passages: list[int]) -> list[Hit]: ...


@dataclass(frozen=True)
class Respell:
    """Slips of typing read as the words meant (`qabot.spelling`): the question, and what meaning
    is compared on, analysed again as corrected, with the terms a follow-up borrowed kept. What
    meaning is compared on starts with the question (a follow-up adds what it is about), so the
    question's corrections are made once."""

    indexed: Callable[[str], int]

    def __call__(self, flow: Flow) -> Flow:
        question = flow.question
        text = respelt(question.text, self.indexed)
        if text == question.text:
            return flow
        said = flow.asked
        asked = text + said[len(question.text) :] if said.startswith(question.text) else respelt(said, self.indexed)
        return replace(flow, question=analyze(text, question.borrowed), asked=asked)


@dataclass(frozen=True)
class SpellOut:
    """The other forms of the question's words that the articles use: the abbreviations they define
    ("DHS"); the titles news style abbreviates, a role's words for anyone, a woman or a man, and
    the verbs that report speech ("Gov.", "spokeswoman", "according to": `qabot.variants`); and
    phrasal verbs written closed or open ("push back", "pushback"), so that reading matches a
    sentence that writes them the other way. Retrieval keeps the question's own terms:
    the passage scores are evidence, and a long form's three terms would outweigh the one word the
    question says."""

    abbreviations: Abbreviations
    indexed: Callable[[str], int]
    """How many passages hold a term: whether a joined word is one the articles use."""

    def __call__(self, flow: Flow) -> Flow:
        question = flow.question
        found = (
            self.abbreviations.relevant(question.terms)
            + variants(question.terms, self.indexed)
            + compounds(question.text, self.indexed)
        )
        return replace(flow, question=replace(question, equivalences=found)) if found else flow


RELATIVE_FLOOR = 0.6
"""A passage scoring under this share of the best passage's BM25 score is not read: reading is
most of an answer's time, and a passage far behind the best rarely holds the answer. Over 1,500
SQuAD questions asked of 11,116 passages, 2 first candidates came from one, and the passages read
per question fell from 5.3 to 4.3 (against 0.5). By words alone, SQuAD v1.1's accuracy rose from
0.672 to 0.673 on the tuning half and from 0.693 to 0.695 on the test half, short-answer F1 held,
SQuAD 2.0's overall fell from 0.509 to 0.507 and from 0.572 to 0.570, and the news sets held. At
0.65 an unanswerable news question was answered; refitting the confidence model to the passages
read then (at 0.65 or 0.7) cost the short answer's F1 end to end 0.002."""


@dataclass(frozen=True)
class Retrieve:
    """The top `top_k` passages by BM25, without those far behind the best (`RELATIVE_FLOOR`).

    A follow-up keeps all of them: its passages are scored with the terms it borrows too, at full
    weight, so the best may owe its lead to the earlier turn's topic ("What did state officials
    there file?" after a question about Minneapolis). So does a question whose words the articles
    also write another way (`SpellOut`): BM25 scores the question's own terms only, so a passage
    that writes "pushback" for "push back" scores low though reading matches it."""

    engine: Searcher
    top_k: int

    def __call__(self, flow: Flow) -> Flow:
        hits = self.engine.search(list(flow.question.terms), self.top_k)
        if not hits or flow.question.borrowed or flow.question.equivalences:
            return replace(flow, hits=hits)
        floor = RELATIVE_FLOOR * hits[0].score
        return replace(flow, hits=[hit for hit in hits if hit.score >= floor])


@dataclass(frozen=True)
class GivenPassages:
    """Known passages instead of retrieved ones (a benchmark's gold paragraph), by BM25 score."""

    engine: Searcher
    passages: list[int]

    def __call__(self, flow: Flow) -> Flow:
        scored = self.engine.score(list(flow.question.terms), self.passages)
        return replace(flow, hits=sorted(scored, key=lambda h: -h.score))


@dataclass(frozen=True)
class Read:
    """Every sentence of the hit passages, with its evidence."""

    reader: Reader

    def __call__(self, flow: Flow) -> Flow:
        return replace(flow, candidates=self.reader.read(flow.question, flow.hits))


@dataclass(frozen=True)
class Score:
    """The candidates scored and ranked, best first."""

    scorer: SentenceScorer

    def __call__(self, flow: Flow) -> Flow:
        scores = self.scorer.score([c.evidence for c in flow.candidates])
        scored = [c.scored(float(s)) for c, s in zip(flow.candidates, scores)]
        return replace(flow, candidates=best_first(scored))


@dataclass(frozen=True)
class CheckSpans:
    """The leading candidates ranked again by what their spans show (`qabot.span_check`)."""

    check: SpanCheck
    model: SpanModel

    def __call__(self, flow: Flow) -> Flow:
        return replace(flow, candidates=self.check.rerank(flow.candidates, flow.question, self.model))


@dataclass(frozen=True)
class Calibrate:
    """The probability that the best candidate answers, from its answerability signals."""

    model: ConfidenceModel
    frequencies: Frequencies

    def __call__(self, flow: Flow) -> Flow:
        found = signals(flow.question, flow.candidates, flow.hits, self.frequencies)
        return replace(flow, signals=found, confidence=self.model.probability(found) if flow.candidates else 0.0)


@dataclass(frozen=True)
class Select:
    """The answer: quotes, or an abstention."""

    selector: Selector

    def __call__(self, flow: Flow) -> Flow:
        return replace(flow, answer=self.selector.select(flow.question, flow.candidates, flow.confidence))


@dataclass(frozen=True)
class Shorten:
    """The short answer: the span of the first quote that answers what was asked, if any."""

    model: SpanModel
    pointer: Pointer | None = None
    """The sentence encoder's second opinion of each span, where there is one."""

    def __call__(self, flow: Flow) -> Flow:
        answer = flow.answer
        if answer is None or not answer.quotes:
            return flow
        quote = answer.quotes[0]
        span = best_span(quote.text, flow.question, self.model, self.pointer)
        if span is None:
            return flow
        start, end, _ = span
        short = ShortAnswer(text=quote.text[start:end], doc_id=quote.doc_id, start=quote.start + start, end=quote.start + end)
        return replace(flow, answer=answer.model_copy(update={"short_answer": short}))


class Pipeline:
    def __init__(self, stages: Sequence[Stage]) -> None:
        self.stages = tuple(stages)

    def run(self, question: Question, asked: str = "") -> Flow:
        flow = Flow(question, asked=asked or question.text)
        for stage in self.stages:
            flow = stage(flow)
        return flow
