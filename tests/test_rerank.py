from qabot.engines import Hit
from qabot.evidence import Evidence
from qabot.passages import Sentence
from qabot.reader import Candidate
from qabot.rerank import rerank


def _candidate(passage: int, score: float) -> Candidate:
    return Candidate("d", passage, Sentence(passage * 10, passage * 10 + 5, 1, "paragraph"), "x", Evidence(), score)


def test_passages_are_ordered_by_their_best_sentence() -> None:
    hits = [Hit(1, 9.0), Hit(2, 8.0), Hit(3, 7.0)]
    found = [_candidate(1, 0.5), _candidate(2, 2.0), _candidate(1, 1.0), _candidate(3, -1.0)]
    assert [h.passage for h in rerank(hits, found)] == [2, 1, 3]


def test_ties_keep_bm25_order_and_unread_passages_follow() -> None:
    hits = [Hit(1, 9.0), Hit(2, 8.0), Hit(3, 7.0), Hit(4, 6.0)]
    found = [_candidate(3, 1.0), _candidate(1, 1.0)]
    ranked = rerank(hits, found)
    assert [h.passage for h in ranked] == [1, 3, 2, 4]
    assert [h.score for h in ranked] == [9.0, 7.0, 8.0, 6.0]


def test_nothing_read_keeps_the_retrieval_order() -> None:
    hits = [Hit(5, 2.0), Hit(6, 1.0)]
    assert rerank(hits, []) == hits
