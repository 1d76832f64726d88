"""The answerability signals and the confidence model that turns them into a probability."""

import json
import sys
from dataclasses import replace
from importlib import resources

import numpy as np
import pytest

from qabot.answerability import SIGNALS, Signals, as_matrix, signals
from qabot.confidence import LEXICAL_MODEL, ConfidenceModel, packaged_model
from qabot.engines import Hit
from qabot.engines.base import lucene_idf
from qabot.evidence import Evidence
from qabot.passages import Sentence
from qabot.question import analyze
from qabot.reader import Candidate

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
from fit_confidence import against_sign  # noqa: E402


class Frequencies:
    """Every term in 3 of 100 passages, but the ones named never used."""

    def __init__(self, unknown: tuple[str, ...] = ()) -> None:
        self.unknown = unknown

    def doc_freq(self, term: str) -> int:
        return 0 if term in self.unknown else 3

    def idf(self, doc_freq: int) -> float:
        return lucene_idf(100, max(doc_freq, 1))


def _best(text: str, question: str, score: float = 5.0, **evidence: float) -> list[Candidate]:
    parsed = analyze(question)
    unmatched = tuple(t for t in parsed.terms if t not in text.lower())
    best = Candidate("d", 0, Sentence(0, len(text), 1, "paragraph"), text, Evidence(**evidence), score, unmatched)
    other = Candidate("d", 1, Sentence(100, 110, 2, "paragraph"), "Other text.", Evidence(), score - 2.0)
    return [best, other]


def _signals(question: str, text: str, **kw: float) -> Signals:
    return signals(analyze(question), _best(text, question, **kw), [Hit(0, 7.0)], Frequencies())


def test_a_negated_question_needs_a_negative_sentence() -> None:
    question = "Which court did not accept the ruling?"
    assert _signals(question, "The high court accepted the ruling.").negated == 1.0
    assert _signals(question, "The high court refused to accept the ruling.").negated == 0.0
    assert _signals(question, "The court was barred from hearing it.").negated == 0.0
    assert _signals("What problems cannot be solved in theory?", "Intractable problems can be solved in theory.").negated == 1.0
    assert _signals("Which court accepted the ruling?", "The court did not accept the ruling.").sentence_negative == 1.0


def test_an_opposite_instead_of_the_question_word_is_noticed() -> None:
    assert _signals("Which courts apply the least EU law?", "Most EU law is applied by member state courts.").opposite == 1.0
    assert _signals("Which courts apply the most EU law?", "Most EU law is applied by member state courts.").opposite == 0.0
    assert _signals("Who won a minority of the votes?", "The Liberals won a majority of the votes.").opposite == 1.0


def test_what_is_asked_for_must_be_named() -> None:
    mayor = _signals("Who is the mayor of New York?", "In New York, Gov. Kathy Hochul proposed legislation.")
    assert mayor.focus_missing_person == 1.0 and mayor.focus_missing_other == 0.0
    named = _signals("Who is the mayor of New York?", "Eric Adams is the mayor of New York.")
    assert named.focus_missing_person == 0.0
    year = _signals("What year did the treaty pass?", "The treaty passed in 1995.")
    assert year.focus_missing_type == 1.0


def test_numbers_dates_and_tiny_questions() -> None:
    assert _signals("What happened to Warsaw in 1944?", "Warsaw rose in 1943.").number_missing == 1.0
    assert _signals("Who ruled Warsaw in the 20th century?", "Kings ruled Warsaw in the 19th century.").number_missing == 1.0
    assert _signals("Who ruled Warsaw in the 20th century?", "Presidents ruled Warsaw in the 20th century.").number_missing == 0.0
    assert _signals("When did the surge start?", "The surge started soon.", type=0.0).strict_missing == 1.0
    assert _signals("When did the surge start?", "It started on Sept. 5.", type=1.0).strict_missing == 0.0
    assert _signals("What are the 3 things to watch?", "Three developments warrant monitoring.").number_missing == 0.0
    assert _signals("What are the 4 things to watch?", "Three developments warrant monitoring.").number_missing == 1.0
    assert _signals("x", "A post on X.").one_term == 1.0
    assert _signals("Who signed the executive order?", "Johnson signed it.").one_term == 0.0


def test_the_best_candidates_evidence_and_its_lead_are_carried() -> None:
    found = _signals("Who signed the executive order?", "Johnson signed the executive order.", sentence=0.9, held=0.8)
    assert found.sentence == 0.9 and found.held == 0.8 and found.score == 5.0 and found.margin == 2.0
    assert 0.5 < found.top_share < 1.0 and found.kind_person == 1.0 and found.kind_time == 0.0
    assert found.bm25 == pytest.approx(np.log1p(7.0))


def test_unknown_and_unmatched_terms_are_weighed_by_idf() -> None:
    question = "When was Brandon Johnson born?"
    found = signals(analyze(question), _best("Brandon Johnson signed the order on Saturday.", question), [Hit(0, 3.0)], Frequencies(("born",)))
    assert found.unmatched_terms == 1.0 and 0.0 < found.unmatched < 1.0 and found.unknown == found.unmatched


def test_a_word_the_corpus_writes_another_way_is_known_and_named() -> None:
    """With its equivalences (`SpellOut`), "governor" is named by "Gov." and "spokesperson",
    which no article writes, is known by "spokeswoman"."""
    governor = analyze("Who is the governor of New York?")
    text = "In New York, Gov. Kathy Hochul proposed legislation."
    plain = signals(governor, _best(text, governor.text), [Hit(0, 7.0)], Frequencies())
    spelt = replace(governor, equivalences=(("gov", ("governor",)),))
    assert plain.focus_missing_person == 1.0
    assert signals(spelt, _best(text, governor.text), [Hit(0, 7.0)], Frequencies()).focus_missing_person == 0.0
    spokes = analyze("Who is the White House spokesperson?")
    said = "Abigail Jackson, White House spokeswoman, said so."
    unknown = Frequencies(("spokesperson",))
    assert signals(spokes, _best(said, spokes.text), [Hit(0, 7.0)], unknown).unknown > 0.0
    spelt = replace(spokes, equivalences=(("spokeswoman", ("spokesperson",)),))
    assert signals(spelt, _best(said, spokes.text), [Hit(0, 7.0)], unknown).unknown == 0.0


def test_no_candidates_still_describes_the_question() -> None:
    found = signals(analyze("What is the capital of France?"), [], [], Frequencies())
    assert found.sentence == 0.0 and found.terms == 2.0 and found.bm25 == 0.0


def test_the_model_is_a_logistic_over_named_signals() -> None:
    model = ConfidenceModel(("sentence", "negated"), np.zeros(2), np.ones(2), np.array([2.0, -3.0]), -1.0)
    good, negated = Signals(sentence=1.0), Signals(sentence=1.0, negated=1.0)
    assert model.probability(good) == pytest.approx(1 / (1 + np.exp(-1.0)))
    assert model.probability(negated) < model.probability(good)
    again = ConfidenceModel.from_model(json.loads(json.dumps(model.to_model())))
    assert again.probability(negated) == pytest.approx(model.probability(negated))
    with pytest.raises(ValueError, match="does not give"):
        ConfidenceModel.from_model({**model.to_model(), "features": ["sentence", "astrology"]})


def test_the_packaged_model_reads_signals_qabot_gives_and_is_lexical() -> None:
    document = json.loads(resources.files("qabot").joinpath(LEXICAL_MODEL).read_text(encoding="utf-8"))
    assert set(document["features"]) <= set(SIGNALS)
    model = packaged_model()
    assert not model.semantic and len(model.weights) == len(model.features)
    usual = {"passage": 1.0, "length": 3.0, "novelty": 0.5, "terms": 5.0}
    strong = Signals(sentence=1.0, held=1.0, confidence=1.0, local=1.0, top_share=1.0, type=1.0, **usual)
    weak = Signals(sentence=0.2, held=0.2, confidence=0.1, negated=1.0, unmatched=0.8, **usual)
    assert model.probability(strong) > 0.5 > model.probability(weak)
    assert as_matrix([strong, weak], model.features).shape == (2, len(model.features))


@pytest.mark.parametrize("semantic", [False, True])
def test_the_packaged_models_weigh_each_signal_the_way_it_points(semantic: bool) -> None:
    """More of the question held never lowers the probability and more of it missing never raises
    it: a model fitted on SQuAD 2.0 otherwise learns how its unanswerable questions were written."""
    assert not against_sign(packaged_model(semantic))
    assert "bm25" not in packaged_model(semantic).features
