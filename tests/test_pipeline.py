"""The retrieval stage: which retrieved passages go on to be read."""

from __future__ import annotations

from dataclasses import replace

from qabot.engines import Hit
from qabot.pipeline import RELATIVE_FLOOR, Flow, Retrieve
from qabot.question import analyze


class _Scores:
    """A searcher that returns fixed hits, best first."""

    def __init__(self, scores: list[float]) -> None:
        self.hits = [Hit(pid, score) for pid, score in enumerate(scores)]

    def search(self, query_terms: list[str], k: int) -> list[Hit]:
        return self.hits[:k]

    def score(self, query_terms: list[str], passages: list[int]) -> list[Hit]:
        return [hit for hit in self.hits if hit.passage in passages]


def test_passages_far_behind_the_best_are_not_read() -> None:
    best = 10.0
    scores = [best, best * RELATIVE_FLOOR, best * RELATIVE_FLOOR - 0.01, 1.0]
    flow = Retrieve(_Scores(scores), top_k=10)(Flow(analyze("Who signed the executive order?")))
    assert [hit.passage for hit in flow.hits] == [0, 1]


def test_a_follow_up_reads_every_passage_found() -> None:
    """Its scores count the terms it borrows at full weight: its best passage may be the earlier topic's."""
    follow_up = analyze("What did state officials there file?", borrowed=("minneapoli", "kill"))
    assert follow_up.borrowed == ("minneapoli", "kill")
    flow = Retrieve(_Scores([22.5, 10.5, 9.4, 3.4]), top_k=10)(Flow(follow_up))
    assert [hit.passage for hit in flow.hits] == [0, 1, 2, 3]


def test_a_question_the_articles_also_write_another_way_reads_every_passage_found() -> None:
    """BM25 scores the question's own terms: a passage that writes "pushback" scores low for "push back"."""
    question = replace(analyze("Who might push back on the order?"), equivalences=(("pushback", ("push", "back")),))
    flow = Retrieve(_Scores([12.0, 3.0, 2.0]), top_k=10)(Flow(question))
    assert [hit.passage for hit in flow.hits] == [0, 1, 2]


def test_top_k_still_bounds_what_is_read() -> None:
    flow = Retrieve(_Scores([5.0, 5.0, 5.0, 5.0]), top_k=2)(Flow(analyze("Who signed the executive order?")))
    assert len(flow.hits) == 2


def test_nothing_found_reads_nothing() -> None:
    assert Retrieve(_Scores([]), top_k=10)(Flow(analyze("Who signed it?"))).hits == []
