"""Reading the retrieved passages: every sentence becomes a candidate with its evidence.

Reading asks the index only for what `PassageSource` names, so it can be tested with a fake.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from operator import mul
from typing import Iterable, Protocol

from qabot.abbreviations import spell_out
from qabot.anaphora import borrowed_terms
from qabot.corpus import ArticleInfo
from qabot.engines import Hit
from qabot.entities import type_evidence
from qabot.evidence import SLOT_REACH, Evidence, Holding, novelty, phrases, relative_evidence, wording
from qabot.passages import Passage, Sentence
from qabot.question import AnswerType, Question
from qabot.text import term_sequence, terms, words

FUZZY_MIN_PREFIX = 6
FUZZY_CREDIT = 0.8
STRICT_TYPES = frozenset({AnswerType.TIME, AnswerType.NUMBER, AnswerType.DURATION})
"""Kinds of answer a sentence plainly lacks when it has no date or number."""
STRICT_FLOOR = 0.3
"""The share of its coverage such a sentence keeps: below the default threshold (0.35) even when
it holds every word of the question."""
TYPE_FLOOR = 0.75
"""The share of its coverage a sentence keeps when it lacks another kind of answer asked for."""
OWN_SHARE = 0.75
"""Coverage counts what the sentence holds itself this much, and what it and its neighbours,
title and heading hold together the rest: context helps, the sentence decides."""
ESSENTIAL_WEIGHT = 1.2
"""Question terms weighing this much (names, nouns) say what the question is about."""
CONTEXT_CREDIT = 0.5


class PassageSource(Protocol):
    """What reading needs from an index."""

    def passage(self, pid: int) -> Passage: ...

    def sentence_texts(self, pid: int, passage: Passage) -> list[str]: ...

    def article(self, doc_id: str) -> ArticleInfo: ...

    def doc_freq(self, term: str) -> int: ...

    def idf(self, doc_freq: int) -> float: ...


@dataclass(slots=True)
class Candidate:
    """A sentence that may answer, with its evidence and (once scored) its score. Not frozen, like
    `Evidence`, for the cost of building one for every sentence read; nothing changes it."""

    doc_id: str
    passage: int
    """The highest-ranked retrieved passage the sentence stands in."""
    sentence: Sentence
    text: str
    evidence: Evidence
    score: float = 0.0
    unmatched: tuple[str, ...] = ()
    """Question terms that neither the sentence nor its neighbours, title or heading hold."""

    @property
    def coverage(self) -> float:
        return self.evidence.confidence

    def scored(self, score: float) -> Candidate:
        """This candidate with its score (`dataclasses.replace` costs more, for every sentence read)."""
        return Candidate(self.doc_id, self.passage, self.sentence, self.text, self.evidence, score, self.unmatched)


def best_first(candidates: Iterable[Candidate]) -> list[Candidate]:
    """By score; ties by article and place in it, so that the order never depends on reading order."""
    return sorted(candidates, key=lambda c: (-c.score, c.doc_id, c.sentence.start))


class _Matcher:
    """Matches a question's terms in sets of sentence terms: 1 for the same stem, partial credit for
    a longer shared prefix ("prosecut" ~ "prosecutor").

    Which words share a prefix with a question term is worked out once per distinct word met
    (`learn`), not again for every set the word stands in."""

    def __init__(self, question_terms: tuple[str, ...]) -> None:
        self._partners: dict[str, set[str]] = {t: set() for t in question_terms if len(t) >= FUZZY_MIN_PREFIX}
        self._seen: set[str] = set()

    def learn(self, found: set[str]) -> None:
        if not self._partners:
            return
        for other in found - self._seen:
            if len(other) >= FUZZY_MIN_PREFIX:
                for term, partners in self._partners.items():
                    if other != term and (other.startswith(term) or term.startswith(other)):
                        partners.add(other)
        self._seen |= found

    def related_words(self, question_terms: tuple[str, ...]) -> set[str]:
        """The terms and every learned word that matches one of them at all."""
        found = set(question_terms)
        for term in question_terms:
            found |= self._partners.get(term, set())
        return found

    def matches(self, terms: tuple[str, ...], available: set[str]) -> list[float]:
        """Each term's match, in order: 1 when the set holds it, FUZZY_CREDIT when it holds a
        learned partner of it, else 0."""
        partners = self._partners
        return [
            1.0 if term in available else FUZZY_CREDIT if (found := partners.get(term)) and not found.isdisjoint(available) else 0.0
            for term in terms
        ]


@dataclass(frozen=True)
class _PassageView:
    """A retrieved passage with its sentences' texts, term sequences and term sets, read once, and
    how each of those sets matches each question term."""

    pid: int
    passage: Passage
    texts: list[str]
    lowered: list[list[str]]
    """Each sentence's words, lower-cased."""
    sequences: list[list[str]]
    """Each sentence's words as terms, in order, "" for stopwords."""
    content: list[list[str]]
    """Each sentence's terms, in order, stopwords left out."""
    terms: list[set[str]]
    around: set[str]
    """Terms of the article title, the heading and any table header."""
    context: set[str]
    """Terms of the table header, which every table row is read with."""
    matched: list[list[float]]
    """`_Matcher.matches` of the question's terms in each sentence's terms."""
    shares: list[float]
    """The share of the question's ranking weight each sentence holds (`_share` of `matched`)."""
    matched_around: list[float]
    matched_context: list[float]
    slot_anchors: set[str]
    """The question's slot terms and the words matching them, once this passage's are learned."""


@dataclass(frozen=True)
class _Asked:
    """What every sentence of one question is read against, worked out once per question."""

    question: Question
    weights: dict[str, float]
    """Ranking weight of each term: damped idf times the question's own weight."""
    roles: dict[str, float]
    """Coverage weight of each term: damped idf times its rough part of speech."""
    terms: frozenset[str]
    matcher: _Matcher

    @cached_property
    def weight_list(self) -> list[float]:
        """`weights` in the order of the question's terms, as the match lists are."""
        return [self.weights[t] for t in self.question.terms]

    @cached_property
    def role_list(self) -> list[float]:
        return [self.roles[t] for t in self.question.terms]

    @cached_property
    def weight_total(self) -> float:
        return sum(self.weights.values()) or 1.0

    @cached_property
    def role_total(self) -> float:
        return sum(self.roles.values()) or 1.0

    @cached_property
    def no_match(self) -> list[float]:
        """The match list of a sentence that is not there (before the first, after the last)."""
        return [0.0] * len(self.question.terms)

    @cached_property
    def essential(self) -> list[bool]:
        """Which question terms say what the question is about."""
        return [self.question.roles.get(t, 1.0) >= ESSENTIAL_WEIGHT for t in self.question.terms]

    @cached_property
    def predicates(self) -> list[bool]:
        """Which question terms say what happened: neither names nor nouns, but weighed as much
        as a verb."""
        question = self.question
        return [question.roles.get(t, 1.0) <= 1.0 and question.weights.get(t, 1.0) >= 1.0 for t in question.terms]


@dataclass(frozen=True)
class _Read:
    """A sentence read: where it stands, its own evidence, and the terms it holds (for the evidence
    relative to the other sentences read)."""

    view: _PassageView
    index: int
    own: dict[str, float]
    unmatched: tuple[str, ...]
    """Question terms that neither the sentence nor its neighbours, title or heading hold."""
    holding: Holding


def _share(weights: list[float], total: float, matched: list[float]) -> float:
    """The weighted share of the question's terms that are matched, over lists in the question's
    term order."""
    return sum(map(mul, weights, matched)) / total


def slot_filled(sequence: list[str], anchors: set[str], known: frozenset[str]) -> float:
    """1 when a content word the question lacks (not in `known`) closely follows one of the
    question's slot terms or a word matching one (`anchors`)."""
    if not anchors or anchors.isdisjoint(sequence):
        return 0.0
    for i, term in enumerate(sequence):
        if term in anchors:
            if any(t and t not in known for t in sequence[i + 1 : i + 1 + SLOT_REACH]):
                return 1.0
    return 0.0


class Reader:
    """Reads every sentence of the retrieved passages and gathers its evidence."""

    def __init__(self, source: PassageSource) -> None:
        self.source = source

    def read(self, question: Question, hits: list[Hit]) -> list[Candidate]:
        """Every sentence of the hit passages, unscored, in reading order; a sentence in two
        passages keeps the reading from the higher-ranked one."""
        if not hits or not question.terms:
            return []
        doc_freq = {t: self.source.doc_freq(t) for t in question.terms}
        asked = _Asked(
            question,
            self._term_weights(question, question.weights, doc_freq),
            self._term_weights(question, question.roles, doc_freq),
            frozenset(question.terms),
            _Matcher(tuple(dict.fromkeys(question.terms + question.slot_terms))),
        )
        top_score = max(hit.score for hit in hits) or 1.0
        seen: dict[tuple[str, int], _Read] = {}
        for hit in hits:
            view = self._view(hit.passage, asked)
            for i, sentence in enumerate(view.passage.sentences):
                key = (view.passage.doc_id, sentence.start)
                if key not in seen:
                    seen[key] = self._sentence(asked, view, i, hit.score / top_score)
        read = list(seen.values())
        relative = relative_evidence(asked.weights, [r.holding for r in read])
        return [
            Candidate(r.view.passage.doc_id, r.view.pid, r.view.passage.sentences[r.index], r.view.texts[r.index],
                      Evidence(**r.own, **others), unmatched=r.unmatched)
            for r, others in zip(read, relative)
        ]

    def _term_weights(
        self, question: Question, relative: dict[str, float], doc_freq: dict[str, int]
    ) -> dict[str, float]:
        """Damped idf (its square root, so one rare word cannot outweigh the rest) times the
        question's own weight; a word the corpus never uses weighs like an average one.

        Such a word cannot be matched anyway, and it is as often a paraphrase ("change") as a sign
        that the corpus lacks the topic ("weather"), so it should neither dominate nor vanish.
        """
        idf = {t: math.sqrt(self.source.idf(doc_freq[t])) for t in question.terms}
        known = {t for t in question.terms if doc_freq[t]}
        seen = [idf[t] for t in known]
        typical = sum(seen) / len(seen) if seen else 1.0
        return {t: relative.get(t, 1.0) * (idf[t] if t in known else typical) for t in question.terms}

    def _view(self, pid: int, asked: _Asked) -> _PassageView:
        """Each sentence read and tokenised once, however many times it is a neighbour."""
        matcher, question_terms = asked.matcher, asked.question.terms
        passage = self.source.passage(pid)
        texts = self.source.sentence_texts(pid, passage)
        found = [words(text) for text in texts]
        sequences = [term_sequence(sentence_words) for sentence_words in found]
        lowered = [list(map(str.lower, sentence_words)) for sentence_words in found]
        equivalences = asked.question.equivalences
        context = spell_out(set(terms(passage.context)), equivalences)
        title = self.source.article(passage.doc_id).title
        around = spell_out(set(terms(title)) | set(terms(passage.heading)), equivalences) | context
        content = [list(filter(None, sequence)) for sequence in sequences]
        sets = [spell_out(set(held) | more, equivalences) for held, more in zip(content, borrowed_terms(lowered, sequences))]
        for held in (*sets, around):
            matcher.learn(held)
        matched = [matcher.matches(question_terms, held) for held in sets]
        weights, total = asked.weight_list, asked.weight_total
        return _PassageView(
            pid, passage, texts, lowered, sequences, content, sets, around, context, matched,
            [_share(weights, total, m) for m in matched],
            matcher.matches(question_terms, around),
            matcher.matches(question_terms, context),
            matcher.related_words(asked.question.slot_terms),
        )

    def _sentence(self, asked: _Asked, view: _PassageView, i: int, passage_rel: float) -> _Read:
        """One sentence's own evidence (all but the features relative to the other candidates).

        A term matches a union of term sets as well as it matches the best of them, so the match
        lists of the sentence, its neighbours and its surroundings are combined, not matched again."""
        question = asked.question
        roles, role_total = asked.role_list, asked.role_total
        passage = view.passage
        sentence = passage.sentences[i]
        text, sequence = view.texts[i], view.sequences[i]
        last = len(passage.sentences) - 1
        if sentence.kind == "table_row":
            own = view.terms[i] | view.context
            in_sentence = [max(m, c) for m, c in zip(view.matched[i], view.matched_context)]
            share = _share(asked.weight_list, asked.weight_total, in_sentence)
        else:
            own = view.terms[i]
            in_sentence = view.matched[i]
            share = view.shares[i]
        before = view.matched[i - 1] if i > 0 else asked.no_match
        after = view.matched[i + 1] if i < last else asked.no_match
        in_context = [
            max(s, CONTEXT_CREDIT * max(a, b, n))
            for s, a, b, n in zip(in_sentence, view.matched_around, before, after)
        ]
        fit = type_evidence(text, question.answer_type, asked.terms, question.focus if question.focus in own else "")
        missing = [k for k, essential in enumerate(asked.essential) if essential and not in_context[k]]
        floor = STRICT_FLOOR if question.answer_type in STRICT_TYPES else TYPE_FLOOR
        held = _share(roles, role_total, in_sentence)
        held_around = OWN_SHARE * held + (1 - OWN_SHARE) * _share(roles, role_total, in_context)
        missing_share = sum(roles[k] for k in missing) / role_total
        pairs, triples = wording(view.lowered[i], question)
        own_evidence = dict(
            sentence=share,
            previous=view.shares[i - 1] if i > 0 else 0.0,
            next=view.shares[i + 1] if i < last else 0.0,
            type=fit if question.answer_type is not AnswerType.OTHER else 0.0,
            passage=passage_rel,
            slot=slot_filled(sequence, view.slot_anchors, asked.terms),
            phrase=phrases(view.content[i], question),
            missing=float(len(missing)),
            missing_predicates=float(sum(1 for p, m in zip(asked.predicates, in_context) if p and not m)),
            confidence=held_around * (floor + (1 - floor) * fit) * (1.0 - missing_share),
            held=held,
            length=math.log(1 + len(sequence)),
            novelty=novelty(view.content[i], asked.terms),
            wording=pairs,
            wording3=triples,
        )
        unmatched = tuple(t for t, m in zip(question.terms, in_context) if not m)
        return _Read(view, i, own_evidence, unmatched, Holding(own, view.around))
