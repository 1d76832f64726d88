"""The signals that say whether the best sentence answers the question at all, by name.

The sentence scorer compares the candidates of one question; these signals judge the winner on
its own: how much of the question it holds, how clearly it won, and what is missing from it: a
name or noun, the thing asked for ("who is the *mayor* of"), a date or number asked for, a
negation or an opposite the question has and the sentence lacks ("the *least* EU law" against
"most EU law"), a number the question names. `qabot.confidence` turns them into a probability.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Protocol, Sequence

import numpy as np

from qabot.abbreviations import spell_out
from qabot.engines import Hit
from qabot.evidence import FEATURES, Evidence
from qabot.question import PERSON_NOUNS, PLACE_NOUNS, QUANTITY_NOUNS, TIME_NOUNS, AnswerType, Question
from qabot.reader import STRICT_TYPES, Candidate
from qabot.text import NUMBER_WORDS, terms

_NO = r"not|no|never|none|nobody|nothing|neither|nor|without|cannot"
"""The words that negate in so many words, in a question or a sentence."""
NEGATION = re.compile(rf"\b(?:{_NO})\b|n['’]t\b", re.IGNORECASE)
"""A question that asks about what did not happen."""
NEGATIVE = re.compile(
    rf"\b(?:{_NO}|unable|fail\w*|refus\w*|declin\w*|"
    r"den(?:y|ied|ies)|reject\w*|bar(?:s|red)?|ban(?:s|ned)?|block\w*|prohibit\w*|forb[ia]d\w*|prevent\w*|"
    r"stop\w*|lack\w*|exclud\w*|against|instead)\b|n['’]t\b",
    re.IGNORECASE,
)
"""A sentence that says something did not or may not happen, in so many words or by a verb
that denies ("were *barred* from", "*refused* to")."""
_OPPOSITES = """
    most/least more/less more/fewer largest/smallest larger/smaller highest/lowest higher/lower
    first/last before/after increase/decrease increased/decreased increasing/decreasing
    maximum/minimum best/worst better/worse early/late earlier/later earliest/latest long/short
    longer/shorter longest/shortest major/minor inside/outside start/end began/ended open/closed
    opened/closed win/lose won/lost allowed/forbidden accept/reject accepted/rejected rise/fall
    rose/fell north/south east/west northern/southern eastern/western old/new older/newer
    oldest/newest strong/weak stronger/weaker fixed/flexible same/different include/exclude
    included/excluded always/never many/few public/private legal/illegal success/failure
    successful/unsuccessful possible/impossible upper/lower top/bottom majority/minority
    simple/complex simplicity/complexity hard/soft hot/cold warm/cool past/future positive/negative
    internal/external inner/outer import/export imports/exports domestic/foreign heavy/light
    ancient/modern male/female wet/dry rich/poor direct/indirect directly/indirectly
    legally/illegally necessary/unnecessary common/rare increase/reduce gain/loss above/below
"""
OPPOSITES: dict[str, frozenset[str]] = {}
"""Common English opposites, both ways: general knowledge of the language, not of any corpus."""
for _pair in _OPPOSITES.split():
    _a, _b = _pair.split("/")
    OPPOSITES[_a] = OPPOSITES.get(_a, frozenset()) | {_b}
    OPPOSITES[_b] = OPPOSITES.get(_b, frozenset()) | {_a}
_NUMBER = re.compile(r"\b\d[\d,.]*(?:st|nd|rd|th|s)?\b")
"""Numbers as written, ordinals and decades too: SQuAD 2.0's unanswerable questions often change
one ("the 20th century" for the 19th)."""
_WORD = re.compile(r"[A-Za-z]+")
TYPE_NOUNS = TIME_NOUNS | PLACE_NOUNS | QUANTITY_NOUNS
"""Focus nouns the answer stands for ("what *year*" is answered by "1995", not "the year")."""


class Frequencies(Protocol):
    def doc_freq(self, term: str) -> int: ...

    def idf(self, doc_freq: int) -> float: ...


@dataclass(slots=True)
class Signals(Evidence):
    """What is known of the best candidate as an answer; the confidence model reads it by name.
    Its own evidence (the `Evidence` fields it extends), then how it won and what it lacks. Not
    frozen, as `Evidence` is not."""

    score: float = 0.0
    """The scorer's score of the best candidate."""
    margin: float = 0.0
    """How far ahead of the second it is."""
    top_share: float = 0.0
    """Its share of the softmax over all candidates' scores: how clearly it won."""
    bm25: float = 0.0
    """log(1 + the best retrieved passage's BM25 score)."""
    terms: float = 0.0
    """The question's terms."""
    one_term: float = 0.0
    """1 for a question of one term or none ("x"): too little to answer."""
    inverse_terms: float = 0.0
    unknown: float = 0.0
    """Share of the question's idf held by terms the corpus never uses, nor any other form of them
    it spells out (`Question.equivalences`: "spokesperson" is known where "spokeswoman" is)."""
    unmatched: float = 0.0
    """Share of the question's idf that neither the sentence nor its surroundings hold."""
    unmatched_terms: float = 0.0
    unmatched_rarest: float = 0.0
    """The idf of the rarest term left unmatched, relative to the question's rarest."""
    negated: float = 0.0
    """1 when the question is negated and the sentence says nothing negative."""
    sentence_negative: float = 0.0
    """1 when the sentence is negative and the question is not."""
    opposite: float = 0.0
    """1 when the sentence holds the opposite of a question word instead of the word."""
    number_missing: float = 0.0
    """1 when a number the question names is not in the sentence."""
    strict_missing: float = 0.0
    """1 when a date, number or duration is asked for and the sentence holds none."""
    focus_missing_type: float = 0.0
    """1 when the question's focus is a kind of answer ("what *year*") the sentence does not name."""
    focus_missing_person: float = 0.0
    """1 when the focus is a person's role ("the *mayor* of") the sentence does not name."""
    focus_missing_other: float = 0.0
    kind_person: float = 0.0
    kind_time: float = 0.0
    kind_place: float = 0.0
    kind_number: float = 0.0
    kind_duration: float = 0.0
    kind_name: float = 0.0
    kind_reason: float = 0.0
    similarity_gap: float = 0.0
    """How much more similar the most similar of the top candidates is."""


SIMILARITY_REACH = 5
"""How many of the best candidates `similarity_gap` looks at."""
SIGNALS: tuple[str, ...] = tuple(f.name for f in fields(Signals))
SEMANTIC_SIGNALS = ("similarity", "similarity_gap")
"""Signals only the sentence encoder gives: a model reading any of them needs it, and the
words-alone model reads none. (`similarity_z` ranks candidates in the scorer and is no signal: as
one, its fitted weight pointed against its sign.)"""
_EVIDENCE = attrgetter(*FEATURES)


def as_matrix(signals: Sequence[Signals], names: Sequence[str]) -> np.ndarray:
    """The one place signals become numbers: a row each, a column per name."""
    values = attrgetter(*names)
    return np.array([values(s) for s in signals], dtype=float).reshape(len(signals), len(names))


def _numbers(sentence: str) -> set[str]:
    """A sentence's numbers, those written out as their digits too ("three" holds the question's "3")."""
    written = {NUMBER_WORDS[w.lower()] for w in _WORD.findall(sentence) if w.lower() in NUMBER_WORDS}
    return set(_NUMBER.findall(sentence)) | written


def _negated(text: str) -> bool:
    return bool(NEGATION.search(text))


def _opposite(question: str, sentence: str) -> bool:
    asked = {w.lower() for w in _WORD.findall(question)}
    said = {w.lower() for w in _WORD.findall(sentence)}
    return any(word not in said and not OPPOSITES[word].isdisjoint(said) for word in asked if word in OPPOSITES)


def signals(question: Question, candidates: list[Candidate], hits: list[Hit], frequencies: Frequencies) -> Signals:
    """The signals for the best (first) candidate."""
    count = len(question.terms)
    base = {
        "terms": float(count), "one_term": float(count <= 1), "inverse_terms": 1.0 / max(count, 1),
        "bm25": math.log1p(hits[0].score) if hits else 0.0,
        **{f"kind_{kind.value}": float(question.answer_type is kind) for kind in AnswerType if kind is not AnswerType.OTHER},
    }
    if not candidates:
        return Signals(**base)
    best = candidates[0]
    doc_freq = {t: frequencies.doc_freq(t) for t in question.terms}
    idf = {t: frequencies.idf(doc_freq[t]) for t in question.terms}
    total = sum(idf.values()) or 1.0
    scores = np.array([c.score for c in candidates])
    shares = np.exp(scores - scores.max())
    unmatched = best.unmatched
    held = spell_out(set(terms(best.text)), question.equivalences)
    focus = question.focus
    focus_missing = bool(focus) and focus not in held
    numbers = set(_NUMBER.findall(question.text))
    spelt_otherwise = {t for short, long in question.equivalences for t in (short, *long)}
    sentence_negative = bool(NEGATIVE.search(best.text))
    return Signals(
        **dict(zip(FEATURES, _EVIDENCE(best.evidence))),
        **base,
        score=best.score,
        margin=best.score - candidates[1].score if len(candidates) > 1 else 0.0,
        top_share=float(shares[0] / shares.sum()),
        unknown=sum(idf[t] for t in question.terms if not doc_freq[t] and t not in spelt_otherwise) / total,
        unmatched=sum(idf[t] for t in unmatched) / total,
        unmatched_terms=float(len(unmatched)),
        unmatched_rarest=max((idf[t] for t in unmatched), default=0.0) / max(idf.values(), default=1.0),
        negated=float(_negated(question.text) and not sentence_negative),
        sentence_negative=float(sentence_negative and not NEGATIVE.search(question.text)),
        opposite=float(_opposite(question.text, best.text)),
        number_missing=float(bool(numbers - _numbers(best.text))),
        strict_missing=float(question.answer_type in STRICT_TYPES and best.evidence.type == 0.0),
        focus_missing_type=float(focus_missing and focus in TYPE_NOUNS),
        focus_missing_person=float(focus_missing and focus in PERSON_NOUNS),
        focus_missing_other=float(focus_missing and focus not in TYPE_NOUNS | PERSON_NOUNS),
        similarity_gap=max(c.evidence.similarity for c in candidates[:SIMILARITY_REACH]) - best.evidence.similarity,
    )
