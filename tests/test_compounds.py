"""Phrasal verbs written closed or open: "push back" is "pushback", "crackdown" is "crack down"."""

from __future__ import annotations

from qabot.compounds import compounds
from qabot.qa import QA


def _corpus(*terms: str):
    known = set(terms)
    return lambda term: int(term in known)


def test_an_open_phrasal_verb_is_its_closed_form_where_the_articles_write_that() -> None:
    assert compounds("who might push back on the mayor", _corpus("pushback", "push")) == (("pushback", ("push", "back")),)
    assert compounds("who might push back on the mayor", _corpus("push")) == ()


def test_a_closed_form_is_its_verb_with_the_particle_where_the_articles_use_the_verb() -> None:
    assert compounds("how long is the crackdown", _corpus("crack")) == (("crackdown", ("crack",)),)
    assert compounds("how long is the crackdown", _corpus()) == ()


def test_words_that_merely_end_in_a_particle_or_close_a_light_verb_are_left_alone() -> None:
    assert compounds("what about the season and the tendon", _corpus("sea", "tend")) == ()
    assert compounds("what was the takeover", _corpus("take")) == ()


def test_a_sentence_that_writes_the_verb_closed_is_read_as_holding_it(qa: QA) -> None:
    flow = qa.run("who might push back on johnson for taking on ICE")
    assert "may face pushback from conservative groups" in flow.candidates[0].text
