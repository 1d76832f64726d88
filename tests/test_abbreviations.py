"""Abbreviations the articles define: found, chosen, and matched where a sentence spells one out."""

from __future__ import annotations

import shutil
from pathlib import Path

from qabot.abbreviations import Abbreviations, definitions, spell_out
from qabot.index import open_index
from qabot.qa import QA
from qabot.settings import load_settings
from qabot.text import terms

from conftest import SEEDS


def test_a_definition_is_the_words_whose_initials_spell_the_short_form() -> None:
    text = (
        "The U.S. Immigration and Customs Enforcement (ICE) said so. Officials of the European Union (EU) "
        "and of the New York Police Department (NYPD) met the Department of Health and Human Services (HHS)."
    )
    assert definitions(text) == [
        ("ICE", "Immigration and Customs Enforcement"),
        ("EU", "European Union"),
        ("NYPD", "New York Police Department"),
        ("HHS", "Health and Human Services"),
    ]


def test_parentheses_that_define_nothing_are_left_out() -> None:
    text = (
        "Federal Immigration Officers (ICE) were there, as the press (AP) reported in (May) "
        "after a speech (a long one) by the mayor (D)."
    )
    assert definitions(text) == []


def test_each_short_form_takes_its_commonest_long_form() -> None:
    """And a short form that is a stopword ("US") is none: it is not matched at all."""
    found = Abbreviations.from_definitions([
        ("CPD", "Chicago Police Department"), ("CPD", "Chicago Public Defenders"), ("CPD", "Chicago Police Department"),
        ("EU", "European Union"),
    ])
    assert found.long_forms["cpd"] == tuple(terms("Chicago Police Department"))
    assert found.long_forms["eu"] == tuple(terms("European Union"))
    assert Abbreviations.from_definitions([("US", "United States")]).long_forms == {}


def test_a_question_calls_for_an_abbreviation_by_its_short_form_or_its_whole_long_form() -> None:
    found = Abbreviations.from_definitions([("DHS", "Department of Homeland Security")])
    dhs = ("dhs", tuple(terms("Department of Homeland Security")))
    assert found.relevant(tuple(terms("did DHS comment"))) == (dhs,)
    assert found.relevant(tuple(terms("what did the Department of Homeland Security say"))) == (dhs,)
    assert found.relevant(tuple(terms("what is homeland security"))) == ()


def test_a_sentence_holds_the_form_it_does_not_spell() -> None:
    long = tuple(terms("Department of Homeland Security"))
    spelt = set(terms("The Department of Homeland Security did not respond"))
    assert "dhs" in spell_out(spelt, (("dhs", long),))
    assert set(long) <= spell_out({"dhs", "said"}, (("dhs", long),))
    assert spell_out({"homeland"}, (("dhs", long),)) == {"homeland"}


def test_the_index_keeps_each_articles_abbreviations_and_forgets_a_removed_ones(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    settings = load_settings(corpus_dir=corpus, index_dir=tmp_path / "idx")
    index, _ = open_index(settings)
    assert index.abbreviations.long_forms["dhs"] == tuple(terms("Department of Homeland Security"))
    (corpus / "extra.txt").write_text("Funding Cuts\n\nThe Federal Emergency Management Agency (FEMA) cut grants.\n", encoding="utf-8")
    index, _ = open_index(settings)
    assert "fema" in index.abbreviations.long_forms
    (corpus / "extra.txt").unlink()
    index, _ = open_index(settings)
    assert "fema" not in index.abbreviations.long_forms


def test_a_question_in_short_form_is_answered_from_a_sentence_that_spells_it_out(qa: QA) -> None:
    """The article defines "Department of Homeland Security (DHS)" in one sentence; another, in
    another article, spells it out and answers."""
    answer = qa.ask("did DHS comment?")
    assert answer.answered
    assert "did not immediately respond to a request for comment" in answer.quotes[0].text
