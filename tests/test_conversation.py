import json
from pathlib import Path

import pytest

from qabot.conversation import Conversation, ConversationStore, Turn
from qabot.evaluate import evaluate, load_questions
from qabot.followup import is_followup, resolve
from qabot.qa import QA

from clitools import run_qabot
from conftest import DATA


def _turn(question: str = "Which governor proposed legislation about ICE?", answered: bool = True) -> Turn:
    return Turn(question, ("governor", "propos", "legisl", "ice"), "governor proposed legislation ICE", ("Kathy Hochul",), answered)


@pytest.mark.parametrize(
    "question",
    ["On what day did she propose it?", "What did state officials there file?", "What about New York?",
     "And when?", "Why?", "How long would it last?", "What did he say on his site?"],
)
def test_followups_are_recognised(question: str) -> None:
    assert is_followup(question)


@pytest.mark.parametrize(
    "question",
    ["What is the weather in Chicago today?", "Which newspaper reported that residents expressed relief?",
     "Is there a curfew in Chicago?", "Who is the White House spokeswoman?"],
)
def test_self_contained_questions_stand_alone(question: str) -> None:
    assert not is_followup(question)
    assert resolve(question, [_turn()]) is None


def test_resolution_borrows_terms_and_names() -> None:
    context = resolve("On what day did she propose it?", [_turn()])
    assert context is not None
    assert {"kathi", "hochul", "governor", "legisl"} <= set(context.terms)
    assert "propos" not in context.terms
    assert context.about.startswith("Kathy Hochul")


def test_nothing_to_lean_on_means_no_context() -> None:
    assert resolve("On what day did she propose it?", []) is None
    assert resolve("Who signed the executive order?", [_turn()]) is None


def test_a_turn_qabot_could_not_answer_still_says_what_the_asker_talks_about() -> None:
    """It leans on the last turn, answered or not: its question named the topic."""
    unanswered = Turn("what happened in minneapolis?", ("minneapoli",), "minneapolis", (), False)
    context = resolve("what did the judge do?", [_turn(), unanswered])
    assert context is not None and context.terms == ("minneapoli",)


def test_conversation_forgets_after_ttl_and_keeps_few_turns() -> None:
    conversation = Conversation(max_turns=2, ttl_seconds=10)
    for i in range(3):
        conversation.add(_turn(f"q{i}"), now=i)
    assert [t.question for t in conversation.recent(now=5)] == ["q1", "q2"]
    assert conversation.recent(now=100) == []


def test_store_is_bounded_and_expires() -> None:
    store: ConversationStore[int] = ConversationStore(max_conversations=50, max_turns=3, ttl_seconds=60)
    for user in range(10_000):
        store.get(user, now=user * 0.001).add(_turn(), now=user * 0.001)
    assert len(store) == 50
    store.get(1, now=1000)
    assert len(store) == 1


def test_every_followup_turn_is_right(qa: QA) -> None:
    for name in ("followups.jsonl", "followups_extra.jsonl"):
        report = evaluate(qa, load_questions(DATA / name))
        assert report.correct == report.total, report.misses


def test_casual_conversations_meet_their_floor(qa: QA) -> None:
    """Written before measuring; 16/25 turns right by words alone when set. Raise, never lower."""
    assert evaluate(qa, load_questions(DATA / "casual_followups.jsonl")).correct >= 16


def test_followup_answer_says_what_it_was_about(qa: QA) -> None:
    conversation = qa.new_conversation()
    qa.ask("Which governor proposed legislation about ICE?", conversation)
    answer = qa.ask("On what day did she propose it?", conversation)
    assert answer.answered and "Friday" in answer.quotes[0].text
    assert answer.about and "Kathy Hochul" in answer.about
    assert answer.resolved_question and answer.resolved_question.startswith("On what day did she propose it? (about:")
    standalone = qa.ask("Which governor proposed legislation about ICE?", conversation)
    assert standalone.about is None and standalone.resolved_question is None


def test_old_topic_does_not_pollute_a_new_question(qa: QA) -> None:
    conversation = qa.new_conversation()
    qa.ask("What did Johnson's proclamation serve as?", conversation)
    fresh = qa.ask("What is the weather in Chicago today?", conversation)
    assert not fresh.answered and fresh.about is None


@pytest.mark.slow
def test_cli_json_lines_keep_conversations_apart(tmp_path: Path) -> None:
    lines = [
        {"question": "Which governor proposed legislation about ICE?", "conversation": "a"},
        {"question": "Who is the White House spokeswoman?", "conversation": "b"},
        {"question": "On what day did she propose it?", "conversation": "a"},
        {"question": "What did she say about Democrats?", "conversation": "b"},
    ]
    stdin = "\n".join(json.dumps(line) for line in lines) + "\nOn what day did she propose it?\n"
    done = run_qabot(["ask", "--json", "-"], tmp_path, stdin=stdin)
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == 5
    assert "Friday" in rows[2]["quotes"][0]["text"] and "Kathy Hochul" in rows[2]["about"]
    assert "fixing crime" in rows[3]["quotes"][0]["text"] and "Abigail Jackson" in rows[3]["about"]
    assert rows[4]["about"] is None, "a plain line stands alone"


@pytest.mark.slow
def test_cli_rejects_a_malformed_json_line_in_place(tmp_path: Path) -> None:
    done = run_qabot(["ask", "--json", "-"], tmp_path, stdin='{"nope": 1}\nWho is the White House spokeswoman?\n')
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert not rows[0]["answered"] and "not" in rows[0]["reason"]
    assert rows[1]["answered"]
