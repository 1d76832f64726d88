"""Health: the running bot reports its state to a small file; `qabot health` judges it.

A container's health check runs in a separate process, so the bot writes what only it knows
(connected or not) and the check adds what it can see itself (the index loads and is fresh).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

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


def read_state(path: Path) -> BotState | None:
    try:
        return BotState(**json.loads(path.read_text()))
    except (OSError, ValueError, TypeError):
        return None


def check(settings: Settings, now: float | None = None) -> tuple[bool, str]:
    """(healthy, one sentence saying why)."""
    if settings.health_file is None:
        raise ConfigError("qabot health needs QABOT_HEALTH_FILE, the file the bot reports its state to.")
    problem = index_problem(settings)
    if problem is not None:
        return False, f"unhealthy: the index cannot be used ({problem})."
    state = read_state(settings.health_file)
    now = time.time() if now is None else now
    if state is None:
        return False, "unhealthy: the bot has not reported its state yet."
    if now - state.updated > settings.health_max_age_seconds:
        return False, f"unhealthy: the bot's last report is {now - state.updated:.0f} s old."
    if not state.connected:
        return False, "unhealthy: the bot is not connected to Discord."
    return True, f"healthy: index fresh, connected to Discord ({state.guilds} guilds)."
