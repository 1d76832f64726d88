"""Scoring qabot on a question file (format: shared eval README): answers, abstentions, retrieval."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator

from pydantic import BaseModel, ValidationError

from qabot.answer import Answer
from qabot.conversation import Conversation
from qabot.errors import QabotError
from qabot.qa import QA

RECALL_KS = (1, 3, 5)
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


class EvalQuestion(BaseModel):
    id: str = ""
    question: str
    answers: list[str] = []
    docs: list[str] = []
    answerable: bool = True


def fold(text: str) -> str:
    """Case folded, curly quotes straightened, white space collapsed: how answers are compared."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip().casefold()


def is_correct(item: EvalQuestion, answer: Answer) -> bool:
    if not item.answerable:
        return not answer.answered
    if not answer.answered or not answer.quotes:
        return False
    first = answer.quotes[0]
    return first.doc_id in item.docs and any(fold(gold) in fold(first.text) for gold in item.answers)


class EvalConversation(BaseModel):
    id: str = ""
    turns: list[EvalQuestion]


def load_questions(path: Path) -> list[EvalConversation]:
    """Every line as a conversation: a single question is a conversation of one turn."""
    if not path.is_file():
        raise QabotError(f"Question file {path} does not exist.")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QabotError(f"Question file {path} is not UTF-8 text (byte {exc.start} cannot be read).") from None
    except OSError as exc:
        raise QabotError(f"Question file {path} cannot be read ({exc.strerror}).") from None
    items = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            if isinstance(raw, dict) and "turns" in raw:
                conversation = EvalConversation.model_validate(raw)
                for i, turn in enumerate(conversation.turns, 1):
                    turn.id = turn.id or f"{conversation.id}#{i}"
                items.append(conversation)
            else:
                question = EvalQuestion.model_validate(raw)
                items.append(EvalConversation(id=question.id, turns=[question]))
        except (ValueError, ValidationError):
            raise QabotError(f"Line {number} of {path} is not a question or conversation in the eval format.") from None
    if not items:
        raise QabotError(f"Question file {path} holds no questions.")
    return items


@dataclass
class Miss:
    id: str
    question: str
    expected: str
    got: str


@dataclass
class Report:
    answerable: int = 0
    answered_right: int = 0
    unanswerable: int = 0
    abstained_right: int = 0
    recall: dict[int, float] = field(default_factory=dict)
    mrr: float = 0.0
    misses: list[Miss] = field(default_factory=list)

    @property
    def correct(self) -> int:
        return self.answered_right + self.abstained_right

    @property
    def total(self) -> int:
        return self.answerable + self.unanswerable

    def as_dict(self) -> dict:
        data = asdict(self)
        data["correct"], data["total"] = self.correct, self.total
        return data


def evaluate(qa: QA, conversations: list[EvalConversation]) -> Report:
    """Scores every turn; the turns of a conversation are asked in order in one conversation."""
    report = Report()
    ranks: list[int | None] = []
    for conversation, item in _turns(qa, conversations):
        flow = qa.run(item.question, conversation)
        answer = flow.answer
        assert answer is not None
        right = is_correct(item, answer)
        if item.answerable:
            report.answerable += 1
            report.answered_right += right
            ranks.append(_first_relevant_rank(qa, item, [h.passage for h in flow.read]))
        else:
            report.unanswerable += 1
            report.abstained_right += right
        if not right:
            expected = " | ".join(item.answers) if item.answerable else "(abstain)"
            got = answer.quotes[0].text if answer.answered and answer.quotes else "(abstained)"
            report.misses.append(Miss(item.id, item.question, expected, got))
    if ranks:
        report.recall = {k: sum(r is not None and r <= k for r in ranks) / len(ranks) for k in RECALL_KS}
        report.mrr = sum(1 / r for r in ranks if r) / len(ranks)
    return report


def _turns(qa: QA, conversations: list[EvalConversation]) -> Iterator[tuple[Conversation | None, EvalQuestion]]:
    for each in conversations:
        conversation = qa.new_conversation() if len(each.turns) > 1 else None
        for turn in each.turns:
            yield conversation, turn


def _first_relevant_rank(qa: QA, item: EvalQuestion, passages: list[int]) -> int | None:
    """Rank of the first passage from a gold article that holds a gold answer string."""
    golds = [fold(a) for a in item.answers]
    for rank, index in enumerate(passages, 1):
        passage = qa.index.passage(index)
        if passage.doc_id in item.docs:
            text = fold(qa.index.text_of(passage.doc_id, passage.start, passage.end))
            if not golds or any(g in text for g in golds):
                return rank
    return None


def format_report(report: Report) -> str:
    lines = []
    for miss in report.misses:
        lines += [f"MISS {miss.id}: {miss.question}", f"  expected: {miss.expected}", f"  got:      {miss.got[:200]}"]
    if report.misses:
        lines.append("")
    lines.append(f"answerable questions answered correctly: {report.answered_right}/{report.answerable}")
    lines.append(f"unanswerable questions abstained on:     {report.abstained_right}/{report.unanswerable}")
    if report.recall:
        recall = "  ".join(f"@{k} {value:.3f}" for k, value in report.recall.items())
        lines.append(f"retrieval recall {recall}  MRR {report.mrr:.3f}")
    lines.append(f"overall: {report.correct}/{report.total} correct")
    return "\n".join(lines)
