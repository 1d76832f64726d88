"""A per-user pause between questions, with memory bounded however many users ask."""

from __future__ import annotations

from collections import OrderedDict
from typing import Hashable


class Cooldown:
    def __init__(self, seconds: float, max_users: int = 10_000) -> None:
        self.seconds = seconds
        self.max_users = max_users
        self._last: OrderedDict[Hashable, float] = OrderedDict()

    def remaining(self, user_id: Hashable, now: float) -> float:
        """Seconds the user must still wait; 0 means go ahead, and the question is counted."""
        if self.seconds <= 0:
            return 0.0
        last = self._last.get(user_id)
        if last is not None and now - last < self.seconds:
            return self.seconds - (now - last)
        self._last[user_id] = now
        self._last.move_to_end(user_id)
        self._forget(now)
        return 0.0

    def _forget(self, now: float) -> None:
        while self._last:
            oldest_user, oldest = next(iter(self._last.items()))
            if now - oldest >= self.seconds or len(self._last) > self.max_users:
                self._last.pop(oldest_user)
            else:
                break

    def __len__(self) -> int:
        return len(self._last)
