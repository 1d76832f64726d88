"""Parts of speech for a sentence's words, from TextBlob's English tagger (the Brill-style lexicon
and context rules of CLiPS Pattern, shipped inside the package: nothing is downloaded).

The short-answer model asks whether a span is a noun phrase, starts after a verb, ends on an
adjective; word endings (`qabot.span.SHAPES`) guess at that, a tagger knows most words outright.
Tags are coarse classes, the few distinctions the span model can learn from SQuAD's tuning half."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Sequence

from qabot.text import Token

_CLASS_OF = {
    "NN": "noun", "NNS": "noun", "NNP": "proper", "NNPS": "proper", "VB": "verb", "VBP": "verb", "VBZ": "verb",
    "VBD": "verb", "MD": "verb", "VBN": "participle", "VBG": "gerund", "JJ": "adjective", "JJR": "adjective",
    "JJS": "adjective", "RB": "adverb", "RBR": "adverb", "RBS": "adverb", "CD": "number", "IN": "preposition",
    "TO": "preposition", "DT": "determiner", "PDT": "determiner", "PRP$": "determiner", "WDT": "determiner",
    "PRP": "pronoun", "EX": "pronoun", "WP": "pronoun", "CC": "conjunction",
}
"""Penn Treebank tags, as the tagger gives them, by the coarse class the span model reads."""
TAG_CLASSES: tuple[str, ...] = tuple(dict.fromkeys(_CLASS_OF.values()))
_TAGGING = threading.Lock()
"""The tagger reads its lexicon on first use, into a dictionary another thread may read half-filled."""
TAG_MEMO_SENTENCES = 20_000
"""Sentences whose tags are remembered: a serving process quotes the same sentences again and again."""


def word_classes(text: str, words: Sequence[Token]) -> list[str | None]:
    """The coarse class of each of the text's words (None for a tag outside `TAG_CLASSES`). Words
    joined by a hyphen alone are tagged as the one word they are ("anti-communist": an adjective),
    and each part gets its class."""
    groups: list[list[int]] = []
    for k, word in enumerate(words):
        if groups and text[words[k - 1].end : word.start] == "-":
            groups[-1].append(k)
        else:
            groups.append([k])
    tagged = _classes(tuple(text[words[g[0]].start : words[g[-1]].end] for g in groups))
    return [found for group, found in zip(groups, tagged) for _ in group]


@lru_cache(maxsize=TAG_MEMO_SENTENCES)
def _classes(surfaces: tuple[str, ...]) -> tuple[str | None, ...]:
    """Tags for words that hold no white space: the tagger, told not to tokenise, splits at spaces."""
    if not surfaces:
        return ()
    from textblob.en import tag  # imports NLTK (about 0.17 s): only a process that tags pays for it

    with _TAGGING:
        tagged = tag(" ".join(surfaces), tokenize=False)
    return tuple(_CLASS_OF.get(t) for _, t in tagged)
