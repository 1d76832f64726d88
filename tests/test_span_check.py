import numpy as np
import pytest

from qabot.evidence import Evidence
from qabot.passages import Sentence
from qabot.question import analyze
from qabot.reader import Candidate
from qabot.span import TAGGED_FEATURES, packaged_span_model
from qabot.span_check import FEATURES, REACH, SpanCheck, looks_at, packaged_span_check, span_evidence


def _candidate(start: int, text: str, score: float) -> Candidate:
    return Candidate("d", 0, Sentence(start, start + len(text), 1, "paragraph"), text, Evidence(), score)


WITHOUT_A_DATE = "The council debated the ordinance at length and heard from many residents."
WITH_A_DATE = "The council passed the ordinance on March 3, 2024, after a long debate."


def test_a_sentence_holding_what_is_asked_for_overtakes_one_that_scores_a_little_higher() -> None:
    question = analyze("When did the council pass the ordinance?")
    ranked = [_candidate(0, WITHOUT_A_DATE, 1.2), _candidate(100, WITH_A_DATE, 1.0)]
    reranked = packaged_span_check().rerank(ranked, question, packaged_span_model(for_check=True))
    assert [c.text for c in reranked] == [WITH_A_DATE, WITHOUT_A_DATE]


def test_a_question_that_asks_for_no_span_keeps_its_ranking() -> None:
    question = analyze("Why did the council pass the ordinance?")
    ranked = [_candidate(0, WITHOUT_A_DATE, 1.2), _candidate(100, WITH_A_DATE, 1.0)]
    assert packaged_span_check().rerank(ranked, question, packaged_span_model(for_check=True)) == ranked


def test_what_questions_are_looked_at_only_when_they_name_the_kind_of_thing_asked_for() -> None:
    assert looks_at(analyze("What party won the election?"))
    assert looks_at(analyze("When did the council pass the ordinance?"))
    assert not looks_at(analyze("What are the city's sanctuary policies meant to build?"))
    assert not looks_at(analyze("What did the council decide?"))


def test_only_the_first_candidates_are_looked_at_and_none_falls_behind_the_rest() -> None:
    question = analyze("When did the council pass the ordinance?")
    texts = [WITHOUT_A_DATE, WITH_A_DATE, "Residents spoke.", "Nobody knew.", "The vote was close on March 4."]
    ranked = [_candidate(100 * k, text, 5.0 - k) for k, text in enumerate(texts)]
    check = SpanCheck(FEATURES, np.array([0.0, -3.0, 0.0, 0.0]))
    reranked = check.rerank(ranked, question, packaged_span_model(for_check=True))
    assert reranked[REACH:] == ranked[REACH:]
    assert {c.text for c in reranked[:REACH]} == {c.text for c in ranked[:REACH]}
    assert min(c.score for c in reranked[:REACH]) >= max(c.score for c in ranked[REACH:])
    assert [c.score for c in reranked] == sorted((c.score for c in reranked), reverse=True)


def test_the_check_reads_a_span_model_without_the_taggers_evidence() -> None:
    """Its scores are compared across sentences; the short answer's model, with parts of speech,
    picks within one."""
    assert not set(TAGGED_FEATURES) & set(packaged_span_model(for_check=True).features)
    assert set(TAGGED_FEATURES) <= set(packaged_span_model().features)
    assert not packaged_span_model(for_check=True).reads_tags and packaged_span_model().reads_tags


def test_a_sentence_without_spans_has_no_span_evidence() -> None:
    question = analyze("When did the council pass the ordinance?")
    model = packaged_span_model(for_check=True)
    assert span_evidence("The council passed the ordinance.", question, model).tolist() == [0.0] * len(FEATURES)
    found = span_evidence(WITH_A_DATE, question, model)
    belief, best, spans, count = (found[FEATURES.index(name)] for name in ("belief", "best", "spans", "count"))
    assert spans == 1.0 and belief >= best and count > 0


def test_a_model_must_read_known_evidence_with_a_weight_each() -> None:
    with pytest.raises(ValueError):
        SpanCheck.from_model({"features": ["belief", "colour"], "weights": [1.0, 1.0]})
    with pytest.raises(ValueError):
        SpanCheck.from_model({"features": ["belief", "best"], "weights": [1.0]})
    for semantic in (False, True):
        assert packaged_span_check(semantic).features == FEATURES
