"""The evidence a candidate sentence is scored on, by name, and the pure functions that compute
the parts of it that need no index."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from functools import lru_cache
from operator import attrgetter
from typing import Sequence

import numpy as np

from qabot.question import Question

SLOT_REACH = 3
AROUND_DISCOUNT = 0.3
"""How much a question term found in the title or heading counts towards `focused`: every sentence
of the article shares it, so it says little about which sentence answers."""


@dataclass(slots=True)
class Evidence:
    """What is known of one candidate sentence; the sentence scorer reads it by these names.

    Not frozen: a frozen dataclass sets each of its fields through `object.__setattr__`, which made
    this record, built for every sentence read, four times as slow to build. Nothing changes it."""

    sentence: float = 0.0
    """Share of the question's ranking weight the sentence holds."""
    previous: float = 0.0
    """The same share held by the sentence before it."""
    next: float = 0.0
    """And by the sentence after it."""
    type: float = 0.0
    """How well it holds the kind of thing asked for (0 when the question asks for no kind)."""
    passage: float = 0.0
    """Its passage's BM25 score relative to the best retrieved passage's."""
    slot: float = 0.0
    """1 when new words follow the question's last term or its verb, where a declarative answer puts them."""
    phrase: float = 0.0
    """Share of the question's neighbouring content-term pairs it holds intact."""
    missing: float = 0.0
    """Names and nouns of the question that neither it nor its surroundings hold."""
    missing_predicates: float = 0.0
    """Terms of the question that are neither names nor nouns (the event asked about: "born",
    "build") and that neither it nor its surroundings hold."""
    confidence: float = 0.0
    """Coverage: the share of the question it and its surroundings hold, by part of speech, with
    missing names and nouns and a missing date or number taken off."""
    held: float = 0.0
    """Share of the question's part-of-speech weight it holds itself."""
    length: float = 0.0
    """log(1 + its words)."""
    novelty: float = 0.0
    """Share of its content words the question does not say."""
    wording: float = 0.0
    """Share of the question's word pairs (function words kept) it repeats."""
    wording3: float = 0.0
    """And of its word triples."""
    local: float = 0.0
    """Share of the question's weight held, terms weighed by how few candidates hold them."""
    focused: float = 0.0
    """Share held, terms the title or heading already holds counting less."""
    exclusive: float = 0.0
    """Share held by this sentence alone among the candidates."""
    similarity: float = 0.0
    """Cosine of the question and the sentence, by the sentence encoder (0 without it)."""
    similarity_z: float = 0.0
    """That cosine against the other candidates': how many standard deviations above their mean.
    A cosine's scale differs from question to question, its standing does not (0 without the
    encoder)."""


FEATURES: tuple[str, ...] = tuple(f.name for f in fields(Evidence))
SEMANTIC_FEATURES: tuple[str, ...] = ("similarity", "similarity_z")
"""The evidence only the sentence encoder gives: the lexical models read none of it."""


def as_matrix(evidence: Sequence[Evidence], names: Sequence[str] = FEATURES) -> np.ndarray:
    """The one place evidence becomes numbers: a row per candidate, a column per name."""
    if not evidence:
        return np.zeros((0, len(names)))
    values = attrgetter(*names)
    return np.array([values(e) for e in evidence], dtype=float).reshape(len(evidence), len(names))


@dataclass(frozen=True)
class Holding:
    """The terms a candidate holds itself, and those its title or heading hold."""

    own: set[str]
    around: set[str]


def relative_evidence(weights: dict[str, float], holding: list[Holding]) -> list[dict[str, float]]:
    """The three features of each candidate relative to the other candidates: the share of the
    question's weight held with each term weighed by how few candidates hold it (local idf), with
    terms the title or heading already holds discounted, and held by this sentence alone. Terms
    every sentence of an article shares cannot tell the answer apart."""
    held_by: dict[str, int] = {}
    for held in holding:
        for term in held.own:
            if term in weights:
                held_by[term] = held_by.get(term, 0) + 1
    count = len(holding)
    names = list(weights)
    values = list(weights.values())
    local = [w * math.log(1 + count / (held_by.get(t, 0) + 0.5)) for t, w in weights.items()]
    local_total = sum(local) or 1.0
    total = sum(values) or 1.0
    alone = [held_by.get(t) == 1 for t in names]
    focusing: dict[int, tuple[list[float], float]] = {}
    """The focus weights and their total, by the surroundings' term set (shared by a passage's sentences)."""
    result = []
    for held in holding:
        own, around = held.own, held.around
        holds = [t in own for t in names]
        focus, focus_total = focusing.get(id(around)) or focusing.setdefault(id(around), _focus(names, values, around))
        result.append({
            "local": sum(v for v, h in zip(local, holds) if h) / local_total,
            "focused": sum(v for v, h in zip(focus, holds) if h) / focus_total,
            "exclusive": sum(w for w, h, a in zip(values, holds, alone) if h and a) / total,
        })
    return result


def _focus(names: list[str], values: list[float], around: set[str]) -> tuple[list[float], float]:
    """The weights with terms the title or heading holds discounted, and their total (1 if none)."""
    focus = [w * (AROUND_DISCOUNT if t in around else 1.0) for t, w in zip(names, values)]
    return focus, sum(focus) or 1.0


def wording(lowered: list[str], question: Question) -> tuple[float, float]:
    """The shares of the question's word pairs and triples that the sentence has too.

    Only the sentence's words that start a question pair are looked from (every triple starts
    with a pair): building every pair and triple of every sentence read cost twice as much."""
    pairs, triples = question.wording
    firsts = _firsts(pairs)
    if firsts.isdisjoint(lowered):
        return 0.0, 0.0
    at = [k for k, word in enumerate(lowered) if word in firsts]
    held_pairs = {(lowered[k], lowered[k + 1]) for k in at if k + 1 < len(lowered)} & pairs
    held_triples = {(lowered[k], lowered[k + 1], lowered[k + 2]) for k in at if k + 2 < len(lowered)} & triples
    return len(held_pairs) / max(len(pairs), 1), len(held_triples) / max(len(triples), 1)


@lru_cache(maxsize=64)
def _firsts(pairs: frozenset[tuple[str, ...]]) -> frozenset[str]:
    """The words question pairs start with (the same question's pairs meet every sentence read)."""
    return frozenset(pair[0] for pair in pairs)


def phrases(content: list[str], question: Question) -> float:
    """The share of the question's neighbouring content-term pairs the sentence (its content terms,
    in order) holds intact."""
    if not question.pairs:
        return 0.0
    found = set(zip(content, content[1:])) & question.pairs
    return len(found) / len(question.pairs)


def novelty(content: list[str], question_terms: frozenset[str]) -> float:
    """The share of the sentence's content terms the question does not hold."""
    return (len(content) - sum(map(question_terms.__contains__, content))) / max(len(content), 1)
