"""Conversations: the recent turns of one asker, kept for a while, in a store of bounded size."""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Generic, Hashable, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Turn:
    """What a later question may lean on: the terms the question was about and the answer's names."""

    question: str
    terms: tuple[str, ...]
    """Index terms of the question as resolved (its own plus any it borrowed)."""
    topic: str
    """The question's content words as written, for showing what a follow-up was taken to be about."""
    entities: tuple[str, ...]
    """Names in the answer's first quote that the question did not say (the answer's "who/where")."""
    answered: bool


@dataclass
class Conversation:
    max_turns: int = 3
    ttl_seconds: float = 600.0
    turns: deque[Turn] = field(default_factory=deque)
    last_active: float = 0.0

    def recent(self, now: float) -> list[Turn]:
        """The turns still remembered at `now`, oldest first; older than the time to live: none."""
        if self.turns and now - self.last_active > self.ttl_seconds:
            self.turns.clear()
        return list(self.turns)

    def add(self, turn: Turn, now: float) -> None:
        self.recent(now)
        self.turns.append(turn)
        while len(self.turns) > self.max_turns:
            self.turns.popleft()
        self.last_active = now

    def clear(self) -> None:
        self.turns.clear()


class ConversationStore(Generic[K]):
    """Conversations by key (user and channel, a conversation id, ...), least recently used dropped
    first, so memory stays bounded however many people talk."""

    def __init__(self, max_conversations: int, max_turns: int, ttl_seconds: float) -> None:
        self.max_conversations = max_conversations
        self.max_turns = max_turns
        self.ttl_seconds = ttl_seconds
        self._items: OrderedDict[K, Conversation] = OrderedDict()

    def get(self, key: K, now: float) -> Conversation:
        conversation = self._items.get(key)
        if conversation is None or (conversation.turns and now - conversation.last_active > self.ttl_seconds):
            conversation = Conversation(self.max_turns, self.ttl_seconds, last_active=now)
            self._items[key] = conversation
        self._items.move_to_end(key)
        self._forget(now)
        return conversation

    def _forget(self, now: float) -> None:
        while len(self._items) > self.max_conversations:
            self._items.popitem(last=False)
        while self._items:
            key, oldest = next(iter(self._items.items()))
            if now - oldest.last_active <= self.ttl_seconds:
                break
            del self._items[key]

    def __len__(self) -> int:
        return len(self._items)
