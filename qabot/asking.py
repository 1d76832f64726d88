"""What every front end shares when a person asks: a pause between one person's questions, their
conversations, answering off the event loop, and a request id with an apology when answering
fails. Nothing here knows Discord, a terminal or any other transport."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Hashable, Protocol

from qabot.answer import Answer
from qabot.conversation import Conversation, ConversationStore
from qabot.cooldown import Cooldown
from qabot.settings import Settings

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong while answering that (request {request_id}). Please try again."
COOLDOWN_NOTE = "One moment please: you can ask again in {seconds:.0f} s."
EMPTY_QUESTION_NOTE = "Please include a question, e.g. “Who signed the order?”"


class Answering(Protocol):
    """What asking needs of `QA`."""

    def ask(self, question: str, conversation: Conversation | None = None) -> Answer: ...


@dataclass(frozen=True)
class Reply:
    """The reply to one question: qabot's answer, or a note saying why there is none (`note`, also
    the answer's reason) that a front end shows instead."""

    answer: Answer
    request_id: str
    """Names this request in the log, whatever becomes of it."""
    note: str | None = None
    failed: bool = False
    """Answering raised: the note is an apology naming the request id, which the log has too."""


class Asker:
    """Asks `qa` on behalf of people. `user` (for the pause) and `conversation` (for follow-ups)
    are whatever keys the front end has: a Discord user and channel, a REPL session, an id on
    standard input."""

    def __init__(self, qa: Answering, settings: Settings, cooldown_seconds: float = 0.0) -> None:
        self.qa = qa
        self.cooldown = Cooldown(cooldown_seconds)
        self.conversations: ConversationStore[Hashable] = ConversationStore(
            settings.conversation_max, settings.conversation_turns, settings.conversation_ttl_seconds
        )
        self._owner: OrderedDict[Hashable, Hashable] = OrderedDict()
        """The conversation each sent reply belongs to, so a response to it continues that conversation."""

    def conversation_for(self, default: Hashable, replied_to: Hashable | None = None) -> Hashable:
        """The conversation a message belongs to: the one of the reply it responds to, if known."""
        return self._owner.get(replied_to, default) if replied_to is not None else default

    def remember(self, reply_ids: list[Hashable], conversation: Hashable) -> None:
        for reply_id in reply_ids:
            self._owner[reply_id] = conversation
            self._owner.move_to_end(reply_id)
        while len(self._owner) > self.conversations.max_conversations * 2:
            self._owner.popitem(last=False)

    def forget(self, conversation: Hashable) -> None:
        """Start the conversation afresh."""
        self.conversations.get(conversation, time.monotonic()).clear()

    def ask(self, question: str, conversation: Hashable | None = None, user: Hashable | None = None) -> Reply:
        """The reply, computed here; never raises for a failure while answering."""
        request_id = uuid.uuid4().hex[:8]
        if not question.strip():
            return _note(question, request_id, EMPTY_QUESTION_NOTE)
        if user is not None:
            wait = self.cooldown.remaining(user, time.monotonic())
            if wait > 0:
                return _note(question, request_id, COOLDOWN_NOTE.format(seconds=max(wait, 1)))
        started = time.perf_counter()
        try:
            turns = self.conversations.get(conversation, time.monotonic()) if conversation is not None else None
            answer = self.qa.ask(question, turns)
        except Exception:
            log.exception("request %s: answering failed", request_id)
            return _note(question, request_id, APOLOGY.format(request_id=request_id), failed=True)
        log.info("request %s: answered=%s in %.1f ms", request_id, answer.answered, (time.perf_counter() - started) * 1000)
        return Reply(answer, request_id)

    async def ask_off_loop(self, question: str, conversation: Hashable | None = None, user: Hashable | None = None) -> Reply:
        """The same reply, computed in a worker thread so an event loop (heartbeats) never stalls."""
        return await asyncio.to_thread(self.ask, question, conversation, user)


def _note(question: str, request_id: str, note: str, failed: bool = False) -> Reply:
    return Reply(Answer(question=question, answered=False, reason=note), request_id, note, failed)
