"""SQuAD's official answer metrics (evaluate-v1.1.py): exact match and token F1 after the same
normalisation: lower case, punctuation, the articles a/an/the and extra white space removed; the
best over the gold answers. A missing answer scores 0."""

from __future__ import annotations

import re
import string
from collections import Counter

_PUNCTUATION = set(string.punctuation)
_ARTICLES = re.compile(r"\b(a|an|the)\b")


def normalize_answer(text: str) -> str:
    text = "".join(ch for ch in text.lower() if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def exact_match(prediction: str | None, golds: list[str]) -> float:
    if prediction is None:
        return 0.0
    return float(any(normalize_answer(prediction) == normalize_answer(gold) for gold in golds))


def f1(prediction: str | None, golds: list[str]) -> float:
    if prediction is None:
        return 0.0
    return max((_f1(normalize_answer(prediction).split(), normalize_answer(gold).split()) for gold in golds), default=0.0)


def _f1(predicted: list[str], gold: list[str]) -> float:
    common = Counter(predicted) & Counter(gold)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision, recall = same / len(predicted), same / len(gold)
    return 2 * precision * recall / (precision + recall)
