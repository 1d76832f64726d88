"""A title abbreviated before a name, a role's word for anyone, a woman or a man, and the verbs news
prose reports speech with."""

from __future__ import annotations

from qabot.qa import QA
from qabot.text import normalize
from qabot.variants import variants


def _corpus(*words: str):
    known = {normalize(w) for w in words}
    return lambda term: int(term in known)


def test_a_title_and_its_abbreviation_stand_for_each_other_where_the_corpus_has_the_other() -> None:
    governor, gov = normalize("governor"), normalize("Gov")
    assert variants((governor,), _corpus("Gov")) == ((gov, (governor,)),)
    assert variants((gov,), _corpus("governor")) == ((governor, (gov,)),)
    assert variants((governor,), _corpus("governor")) == ()
    assert variants((normalize("attorney"),), _corpus("Atty")) == ((normalize("Atty"), (normalize("attorney"),)),)


def test_a_roles_word_for_anyone_a_woman_or_a_man_stand_for_each_other() -> None:
    asked = normalize("spokesperson")
    assert variants((asked,), _corpus("spokeswoman", "spokesmen")) == (
        (normalize("spokeswoman"), (asked,)),
        (normalize("spokesman"), (asked,)),
    )
    assert variants((normalize("chairman"),), _corpus("chairwoman")) == ((normalize("chairwoman"), (normalize("chairman"),)),)


def test_what_someone_said_is_reported_with_any_verb_of_reporting() -> None:
    say = normalize("say")
    assert variants((say,), _corpus("according", "wrote", "stated")) == ((normalize("according"), (say,)), (normalize("wrote"), (say,)))
    assert variants((normalize("tell"),), _corpus("announced")) == (), "'tell officers to' is as often a command"


def test_words_that_merely_end_like_a_role_and_other_words_are_left_alone() -> None:
    everything = lambda term: 1  # noqa: E731
    assert variants((normalize("woman"), normalize("human"), normalize("order")), everything) == ()


def test_a_question_in_other_words_finds_the_sentence_and_its_focus(qa: QA) -> None:
    """The article writes "Gov. Kathy Hochul"; the question says "governor" and wants a person."""
    flow = qa.run("which governor wants to stop local police being deputized by ICE?")
    assert "Gov. Kathy Hochul" in flow.candidates[0].text
    assert flow.signals is not None and flow.signals.focus_missing_person == 0.0
    spokes = qa.run("who's the white house spokesperson?")
    assert "Abigail Jackson, White House spokeswoman" in spokes.candidates[0].text
    assert spokes.signals is not None and spokes.signals.unknown == 0.0 and spokes.candidates[0].unmatched == ()
    said = qa.run("who said the surge could last about 30 days?")
    assert "according to two U.S. officials" in said.candidates[0].text and said.candidates[0].unmatched == ()
