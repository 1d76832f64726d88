"""The answer a front end shows: verbatim quotes with citations, or a plain refusal."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Quote(BaseModel):
    """A verbatim span of an article: `text == file_text[start:end]` always holds."""

    text: str
    doc_id: str
    title: str
    source: str
    paragraph: int
    start: int
    end: int
    score: float


class ShortAnswer(BaseModel):
    """The words of the first quote that answer what was asked: `text == file_text[start:end]`,
    and the span lies inside the first quote."""

    text: str
    doc_id: str
    start: int
    end: int


class Answer(BaseModel):
    """The field names are a contract with JSON consumers; new fields may be added, none renamed."""

    question: str
    answered: bool
    reason: str | None = None
    confidence: float = 0.0
    quotes: list[Quote] = Field(default_factory=list)
    resolved_question: str | None = None
    """For a follow-up, the question as understood with what it borrowed from earlier turns."""
    about: str | None = None
    """For a follow-up, what it was taken to be about (shown to the asker)."""
    read_as: str | None = None
    """The question as read, when a word of it was read as another (a slip of typing: "johnosn"
    as "johnson"); shown to the asker."""
    short_answer: ShortAnswer | None = None
    """None when the question asks for an explanation or a description, or no span is sure enough."""


NOT_FOUND_REASON = "The articles do not say."
EMPTY_QUESTION_REASON = "The question is empty."
