"""Choosing what to quote from the scored candidates, or abstaining."""

from __future__ import annotations

import math
from typing import Callable

from qabot.answer import NOT_FOUND_REASON, Answer, Quote
from qabot.corpus import ArticleInfo
from qabot.question import Question
from qabot.reader import Candidate

SECOND_QUOTE_MARGIN = math.log(2)
"""A second quote is added when the model finds it at least half as likely as the first."""


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _overlaps(cand: Candidate, quotes: list[Quote]) -> bool:
    s = cand.sentence
    return any(q.doc_id == cand.doc_id and q.start < s.end and s.start < q.end for q in quotes)


class Selector:
    """Quotes the best candidate, and others nearly as good that say something else; abstains
    when the probability that the best one answers is below `min_confidence`."""

    def __init__(self, article: Callable[[str], ArticleInfo], max_quotes: int, min_confidence: float) -> None:
        self.article = article
        self.max_quotes = max_quotes
        self.min_confidence = min_confidence

    def select(self, question: Question, candidates: list[Candidate], probability: float) -> Answer:
        """Quotes from the scored candidates (best first), or an abstention; `probability` is
        the chance that the best one answers."""
        if not candidates:
            return Answer(question=question.text, answered=False, reason=NOT_FOUND_REASON)
        best = candidates[0]
        confidence = round(probability, 3)
        if probability < self.min_confidence:
            return Answer(question=question.text, answered=False, reason=NOT_FOUND_REASON, confidence=confidence)
        quotes = [self.quote(best)]
        seen_text = {_norm(best.text)}
        for cand in candidates[1:]:
            if len(quotes) >= self.max_quotes or cand.score < best.score - SECOND_QUOTE_MARGIN:
                break
            if _norm(cand.text) in seen_text or _overlaps(cand, quotes):
                continue
            seen_text.add(_norm(cand.text))
            quotes.append(self.quote(cand))
        return Answer(question=question.text, answered=True, confidence=confidence, quotes=quotes)

    def quote(self, cand: Candidate) -> Quote:
        article = self.article(cand.doc_id)
        s = cand.sentence
        return Quote(
            text=cand.text, doc_id=cand.doc_id, title=article.title, source=article.source,
            paragraph=s.paragraph, start=s.start, end=s.end, score=round(cand.score, 3),
        )
