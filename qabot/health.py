"""Health: the running bot reports its state to a small file; `qabot health` judges it.

A container's health check runs in a separate process, so the bot writes what only it knows
(connected or not) and the check adds what it can see itself (the index loads and is fresh).
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from qabot.errors import ConfigError
from qabot.index import index_problem
from qabot.settings import Settings
from qabot.storage import atomic_write_bytes


@dataclass(frozen=True)
class BotState:
    connected: bool
    guilds: int
    updated: float
    """Seconds since the epoch when the bot last wrote its state."""


def write_state(path: Path, state: BotState) -> None:
    atomic_write_bytes(path, json.dumps(asdict(state)).encode())


CLOCK_SKEW_SECONDS = 5.0
"""A report this far in the future is still believed (clocks of two processes read a moment apart)."""


def _valid(raw: Any, now: float) -> BotState | None:
    """The state a report holds, or None when it is not one: a field missing or of the wrong
    type, a time that is not a number, or one in the future (a clock stepped back would
    otherwise keep a stale report fresh forever)."""
    if not isinstance(raw, dict) or set(raw) != {"connected", "guilds", "updated"}:
        return None
    connected, guilds, updated = raw["connected"], raw["guilds"], raw["updated"]
    if not isinstance(connected, bool) or isinstance(guilds, bool) or not isinstance(guilds, int) or guilds < 0:
        return None
    if isinstance(updated, bool) or not isinstance(updated, (int, float)) or not math.isfinite(updated):
        return None
    if updated > now + CLOCK_SKEW_SECONDS:
        return None
    return BotState(connected, guilds, float(updated))


def read_state(path: Path, now: float) -> BotState | None:
    try:
        return _valid(json.loads(path.read_bytes()), now)
    except (OSError, ValueError):
        return None


def check(settings: Settings, now: float | None = None) -> tuple[bool, str]:
    """(healthy, one sentence saying why)."""
    if settings.health_file is None:
        raise ConfigError("qabot health needs QABOT_HEALTH_FILE, the file the bot reports its state to.")
    problem = index_problem(settings)
    if problem is not None:
        return False, f"unhealthy: the index cannot be used ({problem})."
    now = time.time() if now is None else now
    if not settings.health_file.exists():
        return False, "unhealthy: the bot has not reported its state yet."
    state = read_state(settings.health_file, now)
    if state is None:
        return False, "unhealthy: the bot's report is not a valid state (wrong types, or a time that is not a number or lies ahead)."
    if now - state.updated > settings.health_max_age_seconds:
        return False, f"unhealthy: the bot's last report is {now - state.updated:.0f} s old."
    if not state.connected:
        return False, "unhealthy: the bot is not connected to Discord."
    return True, f"healthy: index fresh, connected to Discord ({state.guilds} guilds)."
