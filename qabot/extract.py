"""Choosing the sentences that answer a question from retrieved passages, and when to abstain."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from qabot.answer import NOT_FOUND_REASON, Answer, Quote
from qabot.entities import type_evidence
from qabot.index import Index
from qabot.passages import Passage, Sentence
from qabot.question import AnswerType, Question
from qabot.retrieve import Hit
from qabot.scorer import SentenceScorer
from qabot.text import term_sequence, terms, words

FUZZY_MIN_PREFIX = 6
FUZZY_CREDIT = 0.8
SECOND_QUOTE_MARGIN = math.log(2)
"""A second quote is added when the model finds it at least half as likely as the first."""
STRICT_TYPES = frozenset({AnswerType.TIME, AnswerType.NUMBER, AnswerType.DURATION})
"""Kinds of answer a sentence plainly lacks when it has no date or number."""
STRICT_FLOOR = 0.3
"""The share of its confidence such a sentence keeps: below the default threshold (0.35) even when
it holds every word of the question."""
ESSENTIAL_WEIGHT = 1.2
"""Question terms weighing this much (names, nouns) say what the question is about."""
CONTEXT_CREDIT = 0.5
AROUND_DISCOUNT = 0.3
"""How much a question term found in the title or heading counts towards `focused`: every sentence
of the article shares it, so it says little about which sentence answers."""
SLOT_REACH = 3

FEATURES = (
    "sentence", "previous", "next", "type", "passage", "slot", "phrase", "missing", "confidence",
    "held", "length", "novelty", "wording", "wording3", "local", "focused", "exclusive",
)
"""The evidence a sentence is scored on (see `Extractor._evidence` and `local_evidence`), in the
order `SentenceScorer` reads it."""


@dataclass(frozen=True)
class Candidate:
    doc_id: str
    passage: int
    """The highest-ranked retrieved passage the sentence stands in."""
    sentence: Sentence
    text: str
    score: float
    coverage: float
    """The share of the question's weight that the sentence and its surroundings hold: the confidence."""


class _Matcher:
    """Matches a question's terms in sets of sentence terms: 1 for the same stem, partial credit for
    a longer shared prefix ("prosecut" ~ "prosecutor").

    Which words share a prefix with a question term is worked out once per distinct word met
    (`learn`), not again for every set the word stands in."""

    def __init__(self, question_terms: tuple[str, ...]) -> None:
        self._partners: dict[str, set[str]] = {t: set() for t in question_terms if len(t) >= FUZZY_MIN_PREFIX}
        self._seen: set[str] = set()

    def learn(self, found: set[str]) -> None:
        for other in found - self._seen:
            if len(other) >= FUZZY_MIN_PREFIX:
                for term, partners in self._partners.items():
                    if other != term and (other.startswith(term) or term.startswith(other)):
                        partners.add(other)
        self._seen |= found

    def related(self, term: str, word: str) -> bool:
        """Whether a learned word matches a question term at all."""
        return word == term or word in self._partners.get(term, ())

    def match(self, term: str, available: set[str]) -> float:
        """1 when the term is in the set, FUZZY_CREDIT when a learned partner is, else 0."""
        if term in available:
            return 1.0
        partners = self._partners.get(term)
        return FUZZY_CREDIT if partners and not partners.isdisjoint(available) else 0.0


@dataclass(frozen=True)
class _PassageView:
    """A retrieved passage with its sentences' texts, term sequences and term sets, read once."""

    pid: int
    passage: Passage
    texts: list[str]
    lowered: list[list[str]]
    """Each sentence's words, lower-cased."""
    sequences: list[list[str]]
    """Each sentence's words as terms, in order, "" for stopwords."""
    terms: list[set[str]]
    around: set[str]
    """Terms of the article title, the heading and any table header."""
    context: set[str]
    """Terms of the table header, which every table row is read with."""


@dataclass(frozen=True)
class _Asked:
    """What every sentence of one question is read against, worked out once per question."""

    question: Question
    weights: dict[str, float]
    """Ranking weight of each term: damped idf times the question's own weight."""
    roles: dict[str, float]
    """Confidence weight of each term: damped idf times its rough part of speech."""
    terms: frozenset[str]
    matcher: _Matcher


@dataclass(frozen=True)
class _Reading:
    """A candidate sentence before scoring: its own evidence, and the term sets that the evidence
    relative to the other candidates is computed from."""

    candidate: Candidate
    features: list[float]
    own: set[str]
    around: set[str]
    """Terms of the article title, the heading and any table header."""


def local_evidence(weights: dict[str, float], readings: list[_Reading]) -> np.ndarray:
    """The readings' features followed by three relative to the other candidates: the share of
    the question's weight held with each term weighed by how few candidates hold it (local idf),
    with terms the title or heading already holds discounted, and held by this sentence alone.
    Terms every sentence of an article shares cannot tell the answer apart."""
    if not readings:
        return np.zeros((0, len(FEATURES)))
    held_by: dict[str, int] = {}
    for reading in readings:
        for term in reading.own:
            if term in weights:
                held_by[term] = held_by.get(term, 0) + 1
    count = len(readings)
    local = {t: w * math.log(1 + count / (held_by.get(t, 0) + 0.5)) for t, w in weights.items()}
    local_total = sum(local.values()) or 1.0
    total = sum(weights.values()) or 1.0
    rows = []
    for reading in readings:
        own = reading.own
        focus = {t: w * (AROUND_DISCOUNT if t in reading.around else 1.0) for t, w in weights.items()}
        rows.append(reading.features + [
            sum(v for t, v in local.items() if t in own) / local_total,
            sum(v for t, v in focus.items() if t in own) / (sum(focus.values()) or 1.0),
            sum(w for t, w in weights.items() if t in own and held_by.get(t) == 1) / total,
        ])
    return np.array(rows, dtype=float)


def _share(weights: dict[str, float], matched: dict[str, float]) -> float:
    """The weighted share of the question's terms that are matched."""
    total = sum(weights.values()) or 1.0
    return sum(weight * matched[term] for term, weight in weights.items()) / total


class Extractor:
    """Scores every sentence of the retrieved passages; quotes the best, or abstains."""

    def __init__(self, index: Index, max_quotes: int, min_confidence: float, scorer: SentenceScorer) -> None:
        self.index = index
        self.scorer = scorer
        self.max_quotes = max_quotes
        self.min_confidence = min_confidence

    def answer(self, question: Question, candidates: list[Candidate]) -> Answer:
        """Quotes from the scored candidates (best first), or an abstention when the best one holds
        too little of the question."""
        if not candidates:
            return Answer(question=question.text, answered=False, reason=NOT_FOUND_REASON)
        best = candidates[0]
        confidence = best.coverage
        if confidence < self.min_confidence:
            return Answer(
                question=question.text, answered=False, reason=NOT_FOUND_REASON, confidence=round(confidence, 3)
            )
        quotes = [self._quote(best)]
        seen_text = {self._norm(quotes[0].text)}
        for cand in candidates[1:]:
            if len(quotes) >= self.max_quotes or cand.score < best.score - SECOND_QUOTE_MARGIN:
                break
            quote = self._quote(cand)
            if self._norm(quote.text) in seen_text or self._overlaps(cand, quotes):
                continue
            seen_text.add(self._norm(quote.text))
            quotes.append(quote)
        return Answer(question=question.text, answered=True, confidence=round(confidence, 3), quotes=quotes)

    def candidates(self, question: Question, hits: list[Hit]) -> list[Candidate]:
        """Every sentence of the hit passages, scored, best first; one entry per sentence."""
        found, features = self.evidence(question, hits)
        scores = self.scorer.score(features)
        scored = [replace(c, score=float(score)) for c, score in zip(found, scores)]
        return sorted(scored, key=lambda c: (-c.score, c.doc_id, c.sentence.start))

    def evidence(self, question: Question, hits: list[Hit]) -> tuple[list[Candidate], np.ndarray]:
        """Every sentence of the hit passages (unscored) and its features, in FEATURES order.
        A sentence in two passages keeps the reading from the higher-ranked one."""
        if not hits or not question.terms:
            return [], np.zeros((0, len(FEATURES)))
        doc_freq = {t: self.index.doc_freq(t) for t in question.terms}
        asked = _Asked(
            question,
            self._term_weights(question, question.weights, doc_freq),
            self._term_weights(question, question.roles, doc_freq),
            frozenset(question.terms),
            _Matcher(tuple(dict.fromkeys(question.terms + question.slot_terms))),
        )
        top_score = hits[0].score or 1.0
        seen: dict[tuple[str, int], _Reading] = {}
        for hit in hits:
            view = self._read(hit.passage)
            for found in (*view.terms, view.around):
                asked.matcher.learn(found)
            for i, sentence in enumerate(view.passage.sentences):
                key = (view.passage.doc_id, sentence.start)
                if key not in seen:
                    seen[key] = self._evidence(asked, view, i, hit.score / top_score)
        readings = list(seen.values())
        return [r.candidate for r in readings], local_evidence(asked.weights, readings)

    def _term_weights(
        self, question: Question, relative: dict[str, float], doc_freq: dict[str, int]
    ) -> dict[str, float]:
        """Damped idf (its square root, so one rare word cannot outweigh the rest) times the
        question's own weight; a word the corpus never uses weighs like an average one.

        Such a word cannot be matched anyway, and it is as often a paraphrase ("change") as a sign
        that the corpus lacks the topic ("weather"), so it should neither dominate nor vanish.
        """
        idf = {t: math.sqrt(self.index.idf(doc_freq[t])) for t in question.terms}
        known = {t for t in question.terms if doc_freq[t]}
        seen = [idf[t] for t in known]
        typical = sum(seen) / len(seen) if seen else 1.0
        return {
            t: relative.get(t, 1.0) * (idf[t] if t in known else typical)
            for t in question.terms
        }

    def _read(self, pid: int) -> _PassageView:
        """Each sentence read and tokenised once, however many times it is a neighbour."""
        passage = self.index.passage(pid)
        texts = self.index.sentence_texts(pid, passage)
        found = [words(text) for text in texts]
        sequences = [term_sequence(sentence_words) for sentence_words in found]
        lowered = [[word.lower() for word in sentence_words] for sentence_words in found]
        context = set(terms(passage.context))
        article = self.index.articles[passage.doc_id]
        around = set(terms(article.title)) | set(terms(passage.heading)) | context
        return _PassageView(pid, passage, texts, lowered, sequences, [set(seq) - {""} for seq in sequences], around, context)

    def _evidence(self, asked: _Asked, view: _PassageView, i: int, passage_rel: float) -> _Reading:
        """One sentence's own evidence (all features but the last three)."""
        question, weights, roles, question_terms = asked.question, asked.weights, asked.roles, asked.terms
        match = asked.matcher.match
        passage = view.passage
        sentence = passage.sentences[i]
        text, sequence = view.texts[i], view.sequences[i]
        own = view.terms[i] | view.context if sentence.kind == "table_row" else view.terms[i]
        before = view.terms[i - 1] if i > 0 else set()
        after = view.terms[i + 1] if i + 1 < len(passage.sentences) else set()
        neighbours = view.around | before | after
        in_sentence = {t: match(t, own) for t in question.terms}
        in_context = {t: max(in_sentence[t], CONTEXT_CREDIT * match(t, neighbours)) for t in question.terms}
        fit = type_evidence(text, question.answer_type, question_terms)
        missing = tuple(t for t in question.terms if question.roles.get(t, 1.0) >= ESSENTIAL_WEIGHT and not in_context[t])
        type_factor = 0.75 + 0.25 * fit if question.answer_type not in STRICT_TYPES else STRICT_FLOOR + (1 - STRICT_FLOOR) * fit
        held = _share(roles, in_sentence)
        held_around = 0.75 * held + 0.25 * _share(roles, in_context)
        missing_share = sum(roles[t] for t in missing) / (sum(roles.values()) or 1.0)
        coverage = held_around * type_factor * (1.0 - missing_share)
        content = [term for term in sequence if term]
        features = [
            _share(weights, in_sentence),
            _share(weights, {t: match(t, before) for t in question.terms}),
            _share(weights, {t: match(t, after) for t in question.terms}),
            fit if question.answer_type is not AnswerType.OTHER else 0.0,
            passage_rel,
            self._slot_filled(sequence, question, asked.matcher),
            self._phrases(sequence, question),
            float(len(missing)),
            coverage,
            held,
            math.log(1 + len(sequence)),
            sum(1 for term in content if term not in question_terms) / max(len(content), 1),
            *self._wording(view.lowered[i], question),
        ]
        candidate = Candidate(passage.doc_id, view.pid, sentence, text, 0.0, coverage)
        return _Reading(candidate, features, own, view.around)

    @staticmethod
    def _wording(lowered: list[str], question: Question) -> tuple[float, float]:
        """The shares of the question's word pairs and triples that the sentence has too."""
        pairs, triples = question.wording
        return (
            len(pairs & set(zip(lowered, lowered[1:]))) / max(len(pairs), 1),
            len(triples & set(zip(lowered, lowered[1:], lowered[2:]))) / max(len(triples), 1),
        )

    @staticmethod
    def _phrases(sequence: list[str], question: Question) -> float:
        if not question.pairs:
            return 0.0
        content = [term for term in sequence if term]
        found = set(zip(content, content[1:])) & question.pairs
        return len(found) / len(question.pairs)

    @staticmethod
    def _slot_filled(sequence: list[str], question: Question, matcher: _Matcher) -> float:
        """1 when a content word the question lacks closely follows one of the question's slot terms."""
        if not question.slot_terms:
            return 0.0
        known = set(question.terms)
        for i, term in enumerate(sequence):
            if term and any(matcher.related(anchor, term) for anchor in question.slot_terms):
                if any(t and t not in known for t in sequence[i + 1 : i + 1 + SLOT_REACH]):
                    return 1.0
        return 0.0

    def _quote(self, cand: Candidate) -> Quote:
        article = self.index.articles[cand.doc_id]
        s = cand.sentence
        return Quote(
            text=cand.text,
            doc_id=cand.doc_id,
            title=article.title,
            source=article.source,
            paragraph=s.paragraph,
            start=s.start,
            end=s.end,
            score=round(cand.score, 3),
        )

    @staticmethod
    def _norm(text: str) -> str:
        return " ".join(text.lower().split())

    @staticmethod
    def _overlaps(cand: Candidate, quotes: list[Quote]) -> bool:
        s = cand.sentence
        return any(q.doc_id == cand.doc_id and q.start < s.end and s.start < q.end for q in quotes)
