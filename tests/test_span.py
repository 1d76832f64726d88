"""The short answer: which span of a sentence answers, and how it is shown in a terminal."""

import numpy as np

from qabot.answer import Answer, Quote, ShortAnswer
from qabot.question import Question, analyze
from qabot.render import BOLD, PLAIN, render_text
from qabot.span import (
    ASK_POINTER_BELOW, FEATURES, SpanModel, SpanWeights, asks_for_span, best_span, candidates, packaged_span_model, weights_key,
)


def _evidence(sentence: str, question: Question) -> dict[str, dict[str, float]]:
    """Each candidate span's evidence by name, by the span's text."""
    found = candidates(sentence, question)
    return {sentence[start:end]: found.evidence(k) for k, (start, end) in enumerate(found.offsets)}


def _span(sentence: str, question: str) -> str | None:
    found = best_span(sentence, analyze(question))
    return sentence[found[0] : found[1]] if found else None


def test_the_kind_of_thing_asked_for() -> None:
    sentence = "Abigail Jackson, White House spokeswoman, stated that the surge could start as early as Sept. 5 and last about 30 days."
    assert _span(sentence, "Who is the White House spokeswoman?") == "Abigail Jackson"
    assert _span(sentence, "When could the surge start?") == "Sept. 5"
    assert _span(sentence, "How long could the surge last?") in ("30 days", "about 30 days")
    assert (_span("The coalition was formed by nine local district attorneys.", "How many district attorneys formed the coalition?") or "").startswith("nine")
    assert _span("Federal agents expanded their presence in Los Angeles last summer.", "Where did federal agents expand their presence?") == "Los Angeles"


def test_an_answer_may_end_in_the_noun_the_question_asks_about() -> None:
    assert analyze("What type of river systems drain the state?").kind_terms >= {"river", "system"}
    assert analyze("What party is strongest?").kind_terms == {"parti"}
    sentence = "The Liberal Party won most seats in the affluent suburbs."
    spans = _evidence(sentence, analyze("What party is strongest in the affluent suburbs?"))
    assert spans["Liberal Party"]["ends_in_kind"] == 1.0
    assert "Party" not in spans
    spans = _evidence("Most member states require more than 28 days in law.", analyze("How many days do member states require?"))
    assert spans["28 days"]["ends_in_kind"] == 1.0


def test_a_score_or_a_range_and_a_list_of_names_are_whole_candidates() -> None:
    sentence = "The Broncos defeated the Atlanta Falcons 34–19 in Miami."
    spans = _evidence(sentence, analyze("What was the final score of the game?"))
    assert "34–19" in spans and "Falcons 34–19" in spans
    sentence = "Cities like New York, Los Angeles, and San Francisco have enacted similar policies."
    spans = _evidence(sentence, analyze("Which cities have enacted similar policies?"))
    assert spans["New York, Los Angeles, and San Francisco"]["typed"] > 0
    assert "New York" in spans and "San Francisco" in spans


def test_explanations_get_no_span_and_question_words_are_never_the_answer() -> None:
    assert not asks_for_span(analyze("Why did Johnson sign the order?"))
    assert not asks_for_span(analyze("How does the order change policing?"))
    assert asks_for_span(analyze("How many agents came?"))
    assert not asks_for_span(analyze("did anyone sue?")) and not asks_for_span(analyze("Can Chicago police hide their faces?"))
    assert asks_for_span(analyze("Did the mayor say which agency he meant?"))
    assert _span("Johnson signed it because of the raids.", "Why did Johnson sign it?") is None
    question = analyze("What did the mayor direct all city departments to do?")
    sentence = "The Mayor has also directed all city departments to guard the constitutional rights of residents."
    assert all(sentence[start:end].lower() not in ("mayor", "the mayor") for start, end in candidates(sentence, question).offsets)


def test_how_it_was_described_or_called_asks_for_the_words_used() -> None:
    assert asks_for_span(analyze("How was the call for ICE prosecutions described?"))
    assert asks_for_span(analyze("How is the O2 molecule referred to in its ground state?"))
    assert not asks_for_span(analyze("How did Johnson describe the order?"))
    sentence = "The call for ICE prosecutions, however, represented a significant escalation, seemingly directing legal action."
    assert _span(sentence, "How was the call for ICE prosecutions described?") == "significant escalation"


def test_how_with_an_adjective_asks_for_a_measure_and_describe_inside_a_question_for_a_thing_is_no_request() -> None:
    assert asks_for_span(analyze("How fast were the winds in the 1964 hurricane?"))
    assert asks_for_span(analyze("How sure were scientists that temperatures would keep rising?"))
    assert not asks_for_span(analyze("How exactly did the mayor respond?")) and not asks_for_span(analyze("how?"))
    assert not asks_for_span(analyze("how's the lawsuit going?")) and not asks_for_span(analyze("how’d they do it"))
    assert asks_for_span(analyze("What term is used to describe the change?"))
    assert asks_for_span(analyze("Which planet was predicted to explain the problems with Mercury?"))
    assert not asks_for_span(analyze("Explain the executive order."))
    assert not asks_for_span(analyze("Please describe what happened in Minneapolis"))
    assert not asks_for_span(analyze("What was the mayor trying to explain about his order?"))
    assert not asks_for_span(analyze("What did the report describe?"))
    assert "110 mph" in (_span("The winds reached 110 mph near the coast.", "How fast were the winds?") or "")


def test_spans_are_inside_the_sentence_and_no_longer_than_the_limit() -> None:
    sentence = "In 1169, Henry II of England, then 36, invaded Ireland with 400 knights (and their horses)."
    found = candidates(sentence, analyze("What did Henry II do in 1169?"))
    assert found.offsets and found.values.shape == (len(found.offsets), len(FEATURES))
    for start, end in found.offsets:
        assert 0 <= start < end <= len(sentence)
        assert sentence[start:end] == sentence[start:end].strip()


def _answer(short: ShortAnswer | None) -> Answer:
    text = "The surge could start as early as Sept. 5, officials said."
    quote = Quote(text=text, doc_id="d", title="T", source="s", paragraph=2, start=100, end=100 + len(text), score=1)
    return Answer(question="q", answered=True, quotes=[quote], short_answer=short)


def test_the_terminal_shows_the_short_answer_first_and_bold_only_when_asked() -> None:
    short = ShortAnswer(text="Sept. 5", doc_id="d", start=134, end=141)
    plain = render_text(_answer(short))
    assert plain.startswith("Sept. 5\n\u201cThe surge could start as early as Sept. 5, officials said.\u201d") and BOLD not in plain
    assert f"as early as {BOLD}Sept. 5{PLAIN}, officials" in render_text(_answer(short), bold=True)
    assert render_text(_answer(None), bold=True).startswith("\u201cThe surge")


def test_a_span_where_the_question_puts_its_wh_word_is_aligned_with_it() -> None:
    question = analyze("When an activated T cell contacts infected cells, it releases cytotoxins such as what?")
    assert question.around_wh[1] == () and question.around_wh[0][-2:] == ("such", "as")
    sentence = "It releases cytotoxins, such as perforin, which form pores in the target cell's membrane."
    found = _evidence(sentence, question)
    assert found["perforin"]["left_aligned"] == 1 and found["perforin"]["before:as"] == 1
    assert found["pores"]["left_aligned"] == 0
    assert _span(sentence, question.text) == "perforin"


def test_the_words_around_a_span_are_weighed_on_each_side() -> None:
    question = analyze("What direction does the Rhine flow after Basel?")
    assert question.around_wh == ((), ("does", "the", "rhine", "flow", "after", "basel"))
    sentence = "After Basel the Rhine flows north towards the sea."
    evidence = _evidence(sentence, question)
    assert evidence["north"]["left_window"] > evidence["sea"]["left_window"] > 0
    assert evidence["north"]["clause_end_after"] == 0 and evidence["sea"]["clause_end_after"] == 1


def test_a_span_is_weighed_by_the_question_words_its_clause_holds() -> None:
    question = analyze("What made Luther even more short tempered than usual?")
    sentence = "His poor physical health made him short-tempered; his writings grew harsher."
    evidence = _evidence(sentence, question)
    assert evidence["poor physical health"]["clause_share"] == 2.5 / 5.5, "made (a light verb: half), short, tempered"
    assert evidence["writings"]["clause_share"] == evidence["harsher"]["clause_share"] == 0.0
    assert evidence["physical"]["clause_share"] == evidence["poor physical health"]["clause_share"], "the same all through a clause"


def test_the_first_and_last_words_endings_hint_at_their_part_of_speech() -> None:
    question = analyze("What components raise steam temperature above its saturated vapor point?")
    sentence = "Superheaters, often present in later engines, were originally built from wrought iron tubes."
    evidence = _evidence(sentence, question)
    assert evidence["originally built"]["first_adverb"] == 1.0 and evidence["originally built"]["last_participle"] == 1.0
    assert evidence["wrought iron tubes"]["last_plural"] == 1.0 and evidence["wrought iron tubes"]["first_adverb"] == 0.0
    assert evidence["Superheaters"]["first_plural"] == 0.0, "a capitalised word's ending says nothing"


class _Pointer:
    """A second judge that favours one span by its text, and remembers being asked."""

    def __init__(self, favoured: str) -> None:
        self.favoured, self.asked = favoured, 0

    def judge(self, question: str, sentence: str):  # type: ignore[no-untyped-def]
        self.asked += 1
        return lambda start, end: 20.0 if sentence[start:end] == self.favoured else 0.0


def test_a_pointer_is_a_second_opinion_on_the_spans_the_model_proposes() -> None:
    sentence = "Abigail Jackson, White House spokeswoman, stated that the surge could start as early as Sept. 5 and last about 30 days."
    question = analyze("When could the surge start?")
    pointer = _Pointer("as early as Sept. 5")
    found = best_span(sentence, question, pointer=pointer)
    assert found and sentence[found[0] : found[1]] == "as early as Sept. 5" and pointer.asked == 1
    outside = _Pointer("the surge could start")
    found = best_span(sentence, question, pointer=outside)
    assert found and sentence[found[0] : found[1]] == "Sept. 5", "it weighs the model's spans, it proposes none"
    assert best_span(sentence, analyze("Why could the surge start?"), pointer=outside) is None and outside.asked == 1


def test_the_pointer_is_not_asked_when_the_span_model_is_sure() -> None:
    """Asking costs a pass of the encoder; above `ASK_POINTER_BELOW` its opinion changed no answer."""
    sentence = "Abigail Jackson, White House spokeswoman, stated that the surge could start as early as Sept. 5 and last about 30 days."
    model = packaged_span_model()
    for question, asked in (("Who is the White House spokeswoman?", 0), ("When could the surge start?", 1)):
        parsed = analyze(question)
        scores = model.scores(candidates(sentence, parsed), parsed)
        assert (np.exp(scores - scores.max()).sum() <= 1 / ASK_POINTER_BELOW) == (asked == 0)
        pointer = _Pointer("as early as Sept. 5")
        assert best_span(sentence, parsed, model, pointer) and pointer.asked == asked


def test_a_model_reads_its_features_by_name_in_its_own_order() -> None:
    model = packaged_span_model()
    backwards = SpanModel(
        model.features[::-1],
        {kind: SpanWeights(w.linear[::-1], w.hidden[::-1], w.bias, w.output) for kind, w in model.weights.items()},
    )
    question = analyze("Who is the White House spokeswoman?")
    found = candidates("Abigail Jackson, White House spokeswoman, said the surge could start as early as Sept. 5.", question)
    assert np.allclose(backwards.scores(found, question), model.scores(found, question))
    assert len(set(model.scores(found, question).round(6))) > 1


def test_each_value_of_a_span_stands_under_its_own_name() -> None:
    sentence = "Abigail Jackson, White House spokeswoman, said the surge could start as early as Sept. 5."
    name = _evidence(sentence, analyze("Who is the White House spokeswoman?"))["Abigail Jackson"]
    assert (name["typed"], name["words"], name["inverse_words"], name["position"], name["whole_name"]) == (1.0, 2.0, 0.5, 0.0, 1.0)
    assert (name["before_question_word"], name["right_window"], name["comma_after"], name["clause_end_after"]) == (1.0, 1.0, 1.0, 0.0)
    assert name["name"] == name["holds_question_word"] == name["after_question_word"] == name["comma_before"] == 0.0
    early = _evidence(sentence, analyze("When could the surge start?"))["as early as Sept. 5"]
    assert (early["number"], early["words"], early["long_for_kind"], early["position"]) == (1.0, 5.0, 1.0, 2 / 3)
    assert (early["after_question_word"], early["slot"], early["left_window"], early["clause_end_after"]) == (1.0, 1.0, 1.0, 1.0)
    assert early["typed"] == early["holds_typed"] == early["right_window"] == early["comma_after"] == 0.0


class _Beliefs:
    """A judge that sets each span's score outright (with a model that scores every span 0)."""

    def __init__(self, scores: dict[str, float]) -> None:
        self.scores = scores

    def judge(self, question: str, sentence: str):  # type: ignore[no-untyped-def]
        return lambda start, end: self.scores.get(sentence[start:end], -50.0)


def test_spans_that_agree_win_over_a_single_likelier_one() -> None:
    """Where the belief is split between overlapping spans, one of them is shown, not the one
    likeliest span apart from them: SQuAD's F1 rewards the overlap."""
    sentence = "The surge could start as early as Sept. 5 and last about 30 days."
    question = analyze("How long could the surge last?")
    found = candidates(sentence, question)
    at = {sentence[start:end]: k for k, (start, end) in enumerate(found.offsets)}
    agreement = found.agreement()
    assert agreement[at["Sept. 5"], at["as early as Sept. 5"]] == agreement[at["as early as Sept. 5"], at["Sept. 5"]] == 4 / 7
    assert agreement[at["Sept. 5"], at["30 days"]] == 0.0 and agreement[at["Sept. 5"], at["Sept. 5"]] == 1.0
    units = 2
    silent = SpanModel(FEATURES, {"default": SpanWeights(np.zeros(len(FEATURES)), np.zeros((len(FEATURES), units)), np.zeros(units), np.zeros(units))})
    split = _Beliefs({"30 days": 2.3, "Sept. 5": 2.0, "as early as Sept. 5": 2.0})
    chosen = best_span(sentence, question, silent, split)
    assert chosen and sentence[chosen[0] : chosen[1]] in ("Sept. 5", "as early as Sept. 5")
    apart = _Beliefs({"30 days": 2.3, "Sept. 5": 2.0, "start": 2.0})
    chosen = best_span(sentence, question, silent, apart)
    assert chosen and sentence[chosen[0] : chosen[1]] == "30 days"


def test_what_questions_that_name_a_kind_are_scored_apart() -> None:
    """"What type of engine ..." and "What did Luther need to do ..." ask for different things; the
    shipped model holds weights for each, and scores the same spans differently for them."""
    named, unnamed = analyze("What type of engine needs no valves?"), analyze("What did the engine need?")
    assert weights_key(named) != weights_key(unnamed) == "OTHER"
    model = packaged_span_model()
    assert {weights_key(named), weights_key(unnamed)} <= set(model.weights)
    found = candidates("An oscillating cylinder steam engine does not require valves.", named)
    assert not np.allclose(model.scores(found, named), model.scores(found, unnamed))
