"""Telling a follow-up ("On what day did she propose it?") from a question that stands on its own,
and borrowing what it leans on from the conversation's earlier turns."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qabot.conversation import Turn
from qabot.text import terms

# Words that point back to something said before.
REFERRING = frozenset("he she him her his hers they them their theirs it its".split())
_THERE = re.compile(r"\bthere\b(?!\s+(?:is|are|was|were|be|been|has|have|had|will|would|'s|’s)\b)", re.IGNORECASE)
_EXISTENTIAL_THERE = re.compile(r"\b(?:is|are|was|were|be|been|will|would|could|can)\s+there\b", re.IGNORECASE)
_DEMONSTRATIVE_END = re.compile(r"\b(?:that|this|then)\s*\??\s*$", re.IGNORECASE)
_ELLIPSIS_START = re.compile(r"^\s*(?:and\b|what about\b|how about\b|what else\b|same for\b|also\b)", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z’']+")
MAX_OWN_TERMS_FOR_BARE_FOLLOWUP = 1
"""A question of at most this many content terms ("Why?", "And when?") cannot stand alone."""


@dataclass(frozen=True)
class Context:
    """What a follow-up borrows: index terms, and a short description of them to show the asker."""

    terms: tuple[str, ...]
    about: str


def is_followup(question: str) -> bool:
    words = [w.lower().replace("’", "'") for w in _WORD.findall(question)]
    if any(word in REFERRING for word in words):
        return True
    if (_THERE.search(question) and not _EXISTENTIAL_THERE.search(question)) or _DEMONSTRATIVE_END.search(question) or _ELLIPSIS_START.match(question):
        return True
    return len(terms(question)) <= MAX_OWN_TERMS_FOR_BARE_FOLLOWUP


def resolve(question: str, history: list[Turn]) -> Context | None:
    """The context a follow-up leans on: the last turn's terms and the names its answer gave. A turn
    qabot could not answer still says what the asker is talking about ("what happened in
    Minneapolis?" then "did anyone sue over it?"). None for a question that stands on its own, or
    when there is nothing to lean on."""
    if not is_followup(question) or not history:
        return None
    previous = history[-1]
    own = set(terms(question))
    borrowed: list[str] = []
    for term in [t for name in previous.entities for t in terms(name)] + list(previous.terms):
        if term not in own and term not in borrowed:
            borrowed.append(term)
    if not borrowed:
        return None
    shown = list(previous.entities[:2]) + ([previous.topic] if previous.topic else [])
    return Context(tuple(borrowed), ", ".join(shown))
