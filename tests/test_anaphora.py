"""A demonstrative's noun points back to its last mention, and the pointing sentence holds that
mention's modifiers."""

from qabot.anaphora import borrowed_terms
from qabot.engines import Hit
from qabot.question import analyze
from qabot.reader import Reader
from qabot.text import term_sequence, words
from test_reader import FakeSource


def _borrowed(*sentences: str) -> list[set[str]]:
    found = [words(s) for s in sentences]
    return borrowed_terms([[w.lower() for w in f] for f in found], [term_sequence(f) for f in found])


def test_these_policies_hold_what_the_policies_were_called_before() -> None:
    assert _borrowed(
        "Sanctuary city policies aim to protect undocumented immigrants.",
        "The mayor has long backed these policies, aiming to build trust.",
    ) == [set(), {"sanctuari", "citi"}]


def test_the_latest_mention_with_modifiers_wins() -> None:
    assert _borrowed(
        "Federal agents arrived in August.", "Border patrol agents came later.", "The agents left.", "These agents stayed.",
    ) == [set(), set(), {"border", "patrol"}, {"border", "patrol"}]


def test_no_earlier_mention_or_no_modifier_borrows_nothing() -> None:
    assert _borrowed("The agents arrived.", "These agents stayed.", "Such policies are rare.") == [set(), set(), set()]
    assert _borrowed("Johnson signed an executive order.", "Critics said the order would not hold.") == [set(), {"execut"}]
    assert _borrowed("Sanctuary policies are common.", "He said that policies matter.") == [set(), set()], "'that' opens clauses"


def test_a_sentence_that_points_back_covers_the_question_words_it_borrows() -> None:
    text = "Sanctuary city policies aim to protect immigrants. The mayor has long backed these policies. The weather was mild."
    found = Reader(FakeSource(text)).read(analyze("Who backed the sanctuary policies?"), [Hit(0, 1.0)])
    backed = next(c for c in found if "backed" in c.text)
    assert "sanctuari" not in backed.unmatched
    assert backed.evidence.sentence == 1.0
