"""Questions that share fewer words with their answer: SQuAD's questions were written looking at
the paragraph, people's are not, so the fit scripts can (`--augment`) also learn from copies of
the training questions with some of their content words dropped (word dropout), where only
meaning is left to find the answer by."""

from __future__ import annotations

import random
import re

from qabot.question import WH_WORDS
from qabot.text import STOPWORDS

DROPOUT = 0.4
"""The share of a question's content words each degraded copy loses."""
SEED = 11
_WORD = re.compile(r"\S+")


def degraded(question: str, rng: random.Random, share: float = DROPOUT) -> str:
    """The question with `share` of its content words (not wh-words, not stopwords) left out, at
    least one kept; the same words for the same generator state."""
    words = _WORD.findall(question)
    content = [i for i, w in enumerate(words) if w.lower().strip("?,.") not in STOPWORDS | WH_WORDS]
    dropped = set(rng.sample(content, min(len(content) - 1, round(share * len(content))))) if len(content) > 1 else set()
    return " ".join(w for i, w in enumerate(words) if i not in dropped)


def with_degraded_copies(questions: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """The questions followed by a degraded copy of each (same gold answers), from a fixed seed."""
    rng = random.Random(SEED)
    return questions + [(degraded(text, rng), golds) for text, golds in questions]
