"""Slips of typing: read as the word meant when the articles hold it, never a real word changed."""

from __future__ import annotations

import pytest

from qabot.engines import Hit
from qabot.pipeline import Flow, Respell, Retrieve
from qabot.qa import QA
from qabot.question import AnswerType, analyze
from qabot.spelling import WH_SLIPS, correction, one_edit, respelt, typed_forms
from qabot.text import normalize

CORPUS_TERMS = {normalize(w): n for w, n in {
    "mean": 8, "immigration": 40, "chicago": 60, "johnson": 50, "executive": 30, "order": 45, "partly": 2,
    "government": 20, "talk": 90, "weathers": 3,
}.items()}


def _doc_freq(term: str) -> int:
    return CORPUS_TERMS.get(term, 0)


@pytest.mark.parametrize(("typed", "meant"), [
    ("immigation", "immigration"),  # a letter left out
    ("johnosn", "johnson"),  # two swapped
    ("chucago", "chicago"),  # a key beside the right one
    ("exectuive", "executive"),
    ("chicaggo", "chicago"),  # a letter typed twice
    ("chiczago", "chicago"),  # a letter added
    ("Goverment", "Government"),  # its capital kept
])
def test_a_slip_is_read_as_the_word_the_articles_use(typed: str, meant: str) -> None:
    assert respelt(f"what did {typed} say", _doc_freq) == f"what did {meant} say"


@pytest.mark.parametrize("word", [
    "party",  # English, though the articles only hold "partly", one slip away
    "meant",  # English; "mean" is a letter less
    "zyxwvut",  # nothing near it at all
])
def test_words_that_are_not_slips_stay(word: str) -> None:
    question = f"what about {word} today"
    assert respelt(question, _doc_freq) == question


def test_a_correction_is_one_slip_from_the_term_too() -> None:
    assert correction("party", _doc_freq) == "partly", "why English words are never corrected"
    assert correction("tallying", _doc_freq) is None, "'talklying' stems to 'talk': far from 'talli'"
    assert correction("weathr", _doc_freq) == "weather"
    assert correction("eather", _doc_freq) is None, "the first letter is never changed"


def test_words_the_articles_hold_and_short_words_stay() -> None:
    assert respelt("Did Johnson sue the order?", _doc_freq) == "Did Johnson sue the order?"


def test_slips_keep_the_first_letter_and_undo_only_likely_slips() -> None:
    found = one_edit("chucago")
    assert "chicago" in found and all(word.startswith("c") for word in found)
    assert "marks" not in one_edit("masks"), "a wrong letter is a key beside the right one"
    assert {"immigration", "chicago"} <= set(one_edit("immigation")) | set(one_edit("chicagoo"))


def test_the_likelier_slip_wins_a_tie() -> None:
    assert correction("goverment", _doc_freq) == "government", "a letter put back, not 'm' typed for 'n'"


def test_wh_words_typed_with_a_slip_ask_what_they_ask() -> None:
    assert {WH_SLIPS["waht"], WH_SLIPS["wehn"], WH_SLIPS["whre"]} == {"what", "when", "where"}
    assert "hwo" not in WH_SLIPS, "a slip of both 'who' and 'how'"
    assert "whos" not in WH_SLIPS and "hows" not in WH_SLIPS, "chat's 'who's' and 'how's'"
    assert "waht" in typed_forms("what")
    assert respelt("wehn did johnosn sign it", _doc_freq) == "when did johnson sign it"


class _Engine:
    """Retrieval that records the terms it was asked for."""

    def __init__(self) -> None:
        self.asked: list[list[str]] = []

    def search(self, query_terms: list[str], k: int) -> list[Hit]:
        self.asked.append(query_terms)
        return []

    def score(self, query_terms: list[str], passages: list[int]) -> list[Hit]:
        return []


def test_the_question_is_analysed_again_as_read_and_retrieval_asks_for_the_word_meant() -> None:
    flow = Respell(_doc_freq)(Flow(analyze("waht did the exectuive order say"), asked="waht did the exectuive order say"))
    assert flow.question.text == flow.asked == "what did the executive order say"
    assert "execut" in flow.question.terms
    engine = _Engine()
    Retrieve(engine, top_k=5)(flow)
    assert engine.asked == [list(flow.question.terms)]


def test_a_follow_up_keeps_what_it_borrowed() -> None:
    follow_up = analyze("wehn did she sign it", borrowed=("johnson",))
    flow = Respell(_doc_freq)(Flow(follow_up, asked="wehn did she sign it (Brandon Johnson)"))
    assert flow.question.answer_type is AnswerType.TIME
    assert flow.question.borrowed == ("johnson",) and flow.asked == "when did she sign it (Brandon Johnson)"


def test_an_answer_says_how_it_read_the_question(qa: QA) -> None:
    plain = qa.ask("Who is the White House spokeswoman?")
    slipped = qa.ask("Who is the White House spokeswomna?")
    assert slipped.question == "Who is the White House spokeswomna?"
    assert slipped.read_as == "Who is the White House spokeswoman?"
    assert slipped.quotes == plain.quotes and plain.read_as is None
