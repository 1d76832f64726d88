"""Choosing the sentences that answer a question from retrieved passages, and when to abstain."""

from __future__ import annotations

import math
from dataclasses import dataclass

from qabot.answer import NOT_FOUND_REASON, Answer, Quote
from qabot.entities import type_evidence
from qabot.index import Index
from qabot.passages import Passage, Sentence
from qabot.question import AnswerType, Question
from qabot.retrieve import Hit
from qabot.text import term_sequence, terms

FUZZY_MIN_PREFIX = 6
FUZZY_CREDIT = 0.8
SECOND_QUOTE_RATIO = 0.8
STRICT_TYPES = frozenset({AnswerType.TIME, AnswerType.NUMBER, AnswerType.DURATION})
"""Kinds of answer a sentence plainly lacks when it has no date or number: confidence drops to 35%."""
ESSENTIAL_WEIGHT = 1.2
"""Question terms weighing this much (names, nouns) say what the question is about."""
MISSING_PENALTY = 0.6
"""Ranking factor for each such term that neither the sentence nor its surroundings hold; confidence
also loses that term's share of the question's weight a second time."""

# How much each piece of evidence counts towards a sentence's score (they add up to 1).
W_SENTENCE = 0.40
W_CONTEXT = 0.12
W_PROXIMITY = 0.10
W_TYPE = 0.20
W_PASSAGE = 0.18
W_SLOT = 0.08
"""Extra credit when new words follow one of the question's slot terms, where a declarative answer puts them."""
SLOT_REACH = 3
W_PHRASE = 0.08
"""Extra credit for the question's two-word phrases found intact, as a share of them."""
CONTEXT_CREDIT = 0.5


@dataclass(frozen=True)
class Candidate:
    doc_id: str
    sentence: Sentence
    text: str
    score: float
    coverage: float
    """The share of the question's weight that the sentence and its surroundings hold: the confidence."""


def _match(term: str, available: set[str]) -> float:
    """1 for the same stem, partial credit for a longer shared prefix ("prosecut" ~ "prosecutor")."""
    if term in available:
        return 1.0
    if len(term) >= FUZZY_MIN_PREFIX:
        for other in available:
            if len(other) >= FUZZY_MIN_PREFIX and (other.startswith(term) or term.startswith(other)):
                return FUZZY_CREDIT
    return 0.0


@dataclass(frozen=True)
class _PassageView:
    """A retrieved passage with its sentences' texts, term sequences and term sets, read once."""

    passage: Passage
    texts: list[str]
    sequences: list[list[str]]
    """Each sentence's words as terms, in order, "" for stopwords."""
    terms: list[set[str]]
    around: set[str]
    """Terms of the article title, the heading and any table header."""
    context: set[str]
    """Terms of the table header, which every table row is read with."""


def _share(weights: dict[str, float], matched: dict[str, float]) -> float:
    """The weighted share of the question's terms that are matched."""
    total = sum(weights.values()) or 1.0
    return sum(weight * matched[term] for term, weight in weights.items()) / total


class Extractor:
    """Scores every sentence of the retrieved passages; quotes the best, or abstains."""

    def __init__(self, index: Index, max_quotes: int, min_confidence: float) -> None:
        self.index = index
        self.max_quotes = max_quotes
        self.min_confidence = min_confidence

    def answer(self, question: Question, hits: list[Hit]) -> Answer:
        candidates = self.candidates(question, hits)
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
            if len(quotes) >= self.max_quotes or cand.score < SECOND_QUOTE_RATIO * best.score:
                break
            quote = self._quote(cand)
            if self._norm(quote.text) in seen_text or self._overlaps(cand, quotes):
                continue
            seen_text.add(self._norm(quote.text))
            quotes.append(quote)
        return Answer(question=question.text, answered=True, confidence=round(confidence, 3), quotes=quotes)

    def candidates(self, question: Question, hits: list[Hit]) -> list[Candidate]:
        """Every sentence of the hit passages, scored, best first; one entry per sentence."""
        if not hits or not question.terms:
            return []
        doc_freq = {t: self.index.doc_freq(t) for t in question.terms}
        weights = self._term_weights(question, question.weights, doc_freq)
        roles = self._term_weights(question, question.roles, doc_freq)
        top_score = hits[0].score or 1.0
        question_terms = frozenset(question.terms)
        best: dict[tuple[str, int], Candidate] = {}
        for hit in hits:
            view = self._read(hit.passage)
            for i, sentence in enumerate(view.passage.sentences):
                key = (view.passage.doc_id, sentence.start)
                cand = self._score(question, weights, roles, question_terms, view, i, hit.score / top_score)
                if key not in best or cand.score > best[key].score:
                    best[key] = cand
        return sorted(best.values(), key=lambda c: (-c.score, c.doc_id, c.sentence.start))

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
        sequences = [term_sequence(text) for text in texts]
        context = set(terms(passage.context))
        article = self.index.articles[passage.doc_id]
        around = set(terms(article.title)) | set(terms(passage.heading)) | context
        return _PassageView(passage, texts, sequences, [set(seq) - {""} for seq in sequences], around, context)

    def _score(
        self,
        question: Question,
        weights: dict[str, float],
        roles: dict[str, float],
        question_terms: frozenset[str],
        view: _PassageView,
        i: int,
        passage_rel: float,
    ) -> Candidate:
        passage = view.passage
        sentence = passage.sentences[i]
        text, sequence = view.texts[i], view.sequences[i]
        own = view.terms[i] | view.context if sentence.kind == "table_row" else view.terms[i]
        neighbours = set(view.around)
        for j in (i - 1, i + 1):
            if 0 <= j < len(passage.sentences):
                neighbours |= view.terms[j]
        in_sentence = {t: _match(t, own) for t in question.terms}
        in_context = {t: max(in_sentence[t], CONTEXT_CREDIT * _match(t, neighbours)) for t in question.terms}
        cov_s = _share(weights, in_sentence)
        cov_c = _share(weights, in_context)
        proximity = self._proximity(sequence, {t for t, v in in_sentence.items() if v > 0})
        fit = type_evidence(text, question.answer_type, question_terms)
        score = (
            W_SENTENCE * cov_s
            + W_CONTEXT * cov_c
            + W_PROXIMITY * proximity
            + W_TYPE * fit
            + W_PASSAGE * passage_rel
            + W_SLOT * self._slot_filled(sequence, question)
            + W_PHRASE * self._phrases(sequence, question)
        )
        missing = tuple(t for t in question.terms if question.roles.get(t, 1.0) >= ESSENTIAL_WEIGHT and not in_context[t])
        penalty = MISSING_PENALTY ** len(missing)
        type_factor = 0.75 + 0.25 * fit if question.answer_type not in STRICT_TYPES else 0.35 + 0.65 * fit
        held = 0.75 * _share(roles, in_sentence) + 0.25 * _share(roles, in_context)
        missing_share = sum(roles[t] for t in missing) / (sum(roles.values()) or 1.0)
        coverage = held * type_factor * (1.0 - missing_share)
        return Candidate(passage.doc_id, sentence, text, score * penalty, coverage)

    @staticmethod
    def _phrases(sequence: list[str], question: Question) -> float:
        if not question.pairs:
            return 0.0
        content = [term for term in sequence if term]
        found = set(zip(content, content[1:])) & question.pairs
        return len(found) / len(question.pairs)

    @staticmethod
    def _slot_filled(sequence: list[str], question: Question) -> float:
        """1 when a content word the question lacks closely follows one of the question's slot terms."""
        if not question.slot_terms:
            return 0.0
        known = set(question.terms)
        for i, term in enumerate(sequence):
            if term and any(_match(anchor, {term}) for anchor in question.slot_terms):
                if any(t and t not in known for t in sequence[i + 1 : i + 1 + SLOT_REACH]):
                    return 1.0
        return 0.0

    @staticmethod
    def _proximity(sequence: list[str], matched: set[str]) -> float:
        """Matched terms per word of the shortest stretch holding all of them (1 when adjacent)."""
        positions = [(i, term) for i, term in enumerate(sequence) if term in matched]
        if len(matched) < 2:
            return 0.5 if matched else 0.0
        need = len(matched)
        best = len(sequence)
        counts: dict[str, int] = {}
        left = 0
        for pos, term in positions:
            counts[term] = counts.get(term, 0) + 1
            while len(counts) == need:
                span = pos - positions[left][0] + 1
                best = min(best, span)
                lterm = positions[left][1]
                counts[lterm] -= 1
                if counts[lterm] == 0:
                    del counts[lterm]
                left += 1
        return min(1.0, need / best) if best else 0.0

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
            score=round(cand.score * 100, 2),
        )

    @staticmethod
    def _norm(text: str) -> str:
        return " ".join(text.lower().split())

    @staticmethod
    def _overlaps(cand: Candidate, quotes: list[Quote]) -> bool:
        s = cand.sentence
        return any(q.doc_id == cand.doc_id and q.start < s.end and s.start < q.end for q in quotes)
