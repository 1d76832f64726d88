"""Choosing quotes from scored candidates: the best, a second only when nearly as good, never the
same words twice and never overlapping; an abstention when the probability that the best answers
is below the threshold."""

from qabot.answer import Answer
from qabot.corpus import ArticleInfo
from qabot.evidence import Evidence
from qabot.passages import Sentence
from qabot.question import analyze
from qabot.reader import Candidate
from qabot.select import SECOND_QUOTE_MARGIN, Selector

QUESTION = analyze("Who signed the order?")


def _article(doc_id: str) -> ArticleInfo:
    return ArticleInfo(doc_id, f"seeds/{doc_id}.txt", f"Title of {doc_id}")


def _candidate(doc: str, start: int, text: str, score: float) -> Candidate:
    return Candidate(doc, 0, Sentence(start, start + len(text), 2, "paragraph"), text, Evidence(), score)


def _select(candidates: list[Candidate], max_quotes: int = 2, probability: float = 0.9) -> Answer:
    return Selector(_article, max_quotes, 0.3).select(QUESTION, candidates, probability)


def test_the_best_candidate_is_quoted_with_its_citation() -> None:
    answer = _select([_candidate("a", 10, "The mayor signed it.", 3.0)], probability=0.8)
    assert answer.answered and answer.confidence == 0.8
    [quote] = answer.quotes
    assert (quote.doc_id, quote.start, quote.end, quote.paragraph) == ("a", 10, 30, 2)
    assert quote.title == "Title of a" and quote.source == "seeds/a.txt" and quote.score == 3.0


def test_a_second_quote_needs_to_be_nearly_as_likely() -> None:
    close = [_candidate("a", 0, "One.", 3.0), _candidate("b", 0, "Two.", 3.0 - SECOND_QUOTE_MARGIN + 0.01)]
    far = [_candidate("a", 0, "One.", 3.0), _candidate("b", 0, "Two.", 3.0 - SECOND_QUOTE_MARGIN - 0.01)]
    assert [q.text for q in _select(close).quotes] == ["One.", "Two."]
    assert [q.text for q in _select(far).quotes] == ["One."]
    assert len(_select(close, max_quotes=1).quotes) == 1


def test_the_same_words_or_an_overlapping_span_are_not_quoted_twice() -> None:
    candidates = [
        _candidate("a", 0, "The mayor signed it.", 3.0),
        _candidate("b", 50, "the  MAYOR signed it.", 2.9),
        _candidate("a", 5, "mayor signed it. And more.", 2.8),
        _candidate("c", 0, "Another sentence.", 2.7),
    ]
    assert [(q.doc_id, q.text) for q in _select(candidates).quotes] == [("a", "The mayor signed it."), ("c", "Another sentence.")]


def test_a_probability_below_the_threshold_or_nothing_read_abstains() -> None:
    answer = _select([_candidate("a", 0, "Unrelated.", 5.0)], probability=0.2)
    assert not answer.answered and answer.quotes == [] and answer.reason and answer.confidence == 0.2
    assert _select([_candidate("a", 0, "Just enough.", 5.0)], probability=0.3).answered
    assert not _select([]).answered
