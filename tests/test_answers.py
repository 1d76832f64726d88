import random
from pathlib import Path

import pytest

from qabot.evaluate import EvalQuestion, evaluate, is_correct, load_questions
from qabot.qa import QA

from conftest import DATA, REPO, read_jsonl

DEV = [EvalQuestion.model_validate(row) for row in read_jsonl(DATA / "dev.jsonl")]


def _questions_from_corpus(qa: QA, count: int) -> list[str]:
    """Questions made by cutting words out of corpus sentences, plus noise, for property checks."""
    rng = random.Random(7)
    sentences = [
        qa.index.text_of(p.doc_id, s.start, s.end)
        for p in map(qa.index.passage, qa.index.passage_ids()) for s in p.sentences
    ]
    made = []
    for _ in range(count):
        words = rng.choice(sentences).split()
        start = rng.randrange(max(1, len(words) - 6))
        made.append("What " + " ".join(words[start : start + rng.randint(2, 8)]) + "?")
    made += ["", "?", "the the the", "ICE ICE ICE ICE", "🙂 emoji only 🙂", "Was ist das?", "x" * 5000]
    return made


def test_dev_set_meets_the_bar(qa: QA) -> None:
    report = evaluate(qa, load_questions(DATA / "dev.jsonl"))
    assert report.answered_right >= 17, report.misses
    assert report.abstained_right == report.unanswerable == 4, report.misses


def test_every_quote_is_verbatim_with_exact_offsets(qa: QA) -> None:
    questions = [q.question for q in DEV] + [r["question"] for r in read_jsonl(DATA / "paraphrase.jsonl")]
    questions += _questions_from_corpus(qa, 300)
    files: dict[str, str] = {}
    quoted = shortened = 0
    for question in questions:
        answer = qa.ask(question)
        for quote in answer.quotes:
            source = Path(quote.source)
            path = source if source.is_absolute() else REPO / source
            text = files.setdefault(quote.source, path.read_bytes().decode("utf-8"))
            assert text[quote.start : quote.end] == quote.text
            quoted += 1
        short = answer.short_answer
        if short is not None:
            first = answer.quotes[0]
            assert short.doc_id == first.doc_id and first.start <= short.start < short.end <= first.end
            assert files[first.source][short.start : short.end] == short.text
            shortened += 1
    assert quoted > 200 and shortened > 100


def test_quotes_are_distinct_and_within_the_limit(qa: QA) -> None:
    for question in _questions_from_corpus(qa, 100):
        answer = qa.ask(question)
        texts = [" ".join(q.text.split()).lower() for q in answer.quotes]
        assert len(texts) == len(set(texts)) <= qa.settings.max_quotes
        spans = [(q.doc_id, q.start, q.end) for q in answer.quotes]
        for i, (d1, s1, e1) in enumerate(spans):
            for d2, s2, e2 in spans[i + 1 :]:
                assert d1 != d2 or e1 <= s2 or e2 <= s1


def test_boilerplate_is_never_quoted(qa: QA) -> None:
    """No quotable sentence holds site furniture, so no answer can quote it."""
    quotable = [text for pid in qa.index.passage_ids() for text in qa.index.sentence_texts(pid, qa.index.passage(pid))]
    assert len(quotable) > 100
    for furniture in ("Skip to content", "Read also", "YOU MAY ALSO LIKE", "Leave a Reply", "Matzav"):
        assert not [text for text in quotable if furniture in text]
    for question in ["Skip to content", "Read also", "What may you also like to watch on YouTube?", "Leave a reply"]:
        assert not qa.ask(question).answered


@pytest.mark.parametrize(
    "question",
    ["What is the weather in Chicago today?", "What is the recipe for deep dish pizza?", "Who won the 1998 World Cup?"],
)
def test_abstains_when_the_corpus_lacks_the_answer(qa: QA, question: str) -> None:
    answer = qa.ask(question)
    assert not answer.answered and answer.quotes == [] and answer.reason


@pytest.mark.parametrize(
    "question",
    ["When was Brandon Johnson born?", "How many ICE agents have been convicted in Chicago so far?",
     "Who is the mayor of New York?", "x"],
)
def test_abstains_when_the_articles_hold_the_topic_but_not_the_fact(qa: QA, question: str) -> None:
    """The articles are about Johnson, ICE agents in Chicago and New York's governor, but say
    nothing of a birth, a conviction or New York's mayor; "x" alone asks nothing."""
    assert not qa.ask(question).answered


def test_a_role_is_answered_by_the_name_it_titles(qa: QA) -> None:
    """"Who is the mayor of Chicago?": not a sentence that names the Mayor and, apart, the National
    Guard, but one that calls a name the mayor."""
    answer = qa.ask("who is the mayor of chicago")
    assert answer.answered and answer.short_answer is not None, answer
    assert "Johnson" in answer.short_answer.text, answer.short_answer


def test_the_sentence_holding_the_kind_of_thing_asked_for_is_quoted(qa: QA) -> None:
    """"Which other cities ...": the sentence that names cities, not the one that repeats more of
    the question's words ("Other progressive cities may adopt similar measures")."""
    answer = qa.ask("Which other cities have adopted similar policies?")
    assert answer.answered and "Los Angeles" in answer.quotes[0].text, answer


def test_paraphrased_and_chat_questions_meet_their_floors(qa: QA) -> None:
    """Measured when set: paraphrase 39/42, chat 14/20, casual 57/90 (words alone). Raise, never lower."""
    assert evaluate(qa, load_questions(DATA / "paraphrase.jsonl")).correct >= 39
    assert evaluate(qa, load_questions(DATA / "chat.jsonl")).correct >= 14
    assert evaluate(qa, load_questions(DATA / "casual.jsonl")).correct >= 57


def test_empty_question_is_not_an_error(qa: QA) -> None:
    answer = qa.ask("   \n\t ")
    assert not answer.answered and answer.reason


def test_answer_object_field_contract(qa: QA) -> None:
    data = qa.ask("Who is the White House spokeswoman?").model_dump()
    assert {"question", "answered", "reason", "confidence", "quotes"} <= set(data)
    quote = data["quotes"][0]
    assert {"text", "doc_id", "title", "source", "paragraph", "start", "end", "score"} <= set(quote)
    assert quote["doc_id"] == "004_ea9d9180c3ccb2e3" and "Abigail Jackson" in quote["text"]


def test_scoring_rule_folds_case_and_quotes(qa: QA) -> None:
    item = EvalQuestion(question="x", answers=["NOT EVER cooperate with ICE"], docs=["001_664e7e63c6e16625"])
    answer = qa.ask("Which department will not ever cooperate with ICE?")
    assert is_correct(item, answer)
