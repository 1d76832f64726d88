"""Where discord.py connects, and how start-up survives a network that is not there yet.

discord.py reads Discord's addresses from two class attributes; pointing them elsewhere is how
tests (and the container test) talk to a local fake Discord.
"""

from __future__ import annotations

import asyncio
import logging
import re
from types import SimpleNamespace
from typing import Any

import aiohttp
import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route
from tenacity import AsyncRetrying, before_sleep_log, retry_if_exception_type, stop_after_attempt, wait_exponential

log = logging.getLogger(__name__)

SERVER_ERRORS = frozenset({500, 502, 503, 504, 524})
_INTERACTION_TOKEN = re.compile(r"(/(?:webhooks|interactions)/\d+/)[^/\s?'\"]+|(['\"]token['\"]:\s*['\"])[^'\"]+")


class StartupServerError(aiohttp.ClientConnectionError):
    """Discord answered a start-up request with a server error. Raised at the first one, so that
    qabot's own retry policy (its attempts and backoff), not discord.py's, decides what follows."""


NETWORK_ERRORS = (aiohttp.ClientConnectionError, asyncio.TimeoutError, OSError, discord.DiscordServerError)


class StartupGuard:
    """While `starting`, a server error from Discord ends discord.py's request at once (as a
    StartupServerError) instead of being retried inside it; afterwards discord.py retries as usual."""

    def __init__(self) -> None:
        self.starting = True
        self.trace = aiohttp.TraceConfig()
        self.trace.on_request_end.append(self._on_request_end)

    async def _on_request_end(self, _session: aiohttp.ClientSession, _context: SimpleNamespace, params: Any) -> None:
        status = params.response.status
        if self.starting and status in SERVER_ERRORS:
            params.response.release()
            raise StartupServerError(f"Discord answered HTTP {status}")


class MaskInteractionTokens(logging.Filter):
    """Interaction tokens stand in the URLs and the gateway events discord.py logs at DEBUG; they
    let anyone answer in the bot's name for 15 minutes, so they never reach a log."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = _INTERACTION_TOKEN.sub(lambda m: (m.group(1) or m.group(2)) + "********", message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def point_discord_at(api_base: str, gateway_url: str) -> None:
    Route.BASE = api_base.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


async def login_with_retry(client: discord.Client, token: str, attempts: int, max_backoff: float) -> None:
    """Log in, retrying network failures with capped exponential backoff; a rejected token is not retried."""
    retrying = AsyncRetrying(
        retry=retry_if_exception_type(NETWORK_ERRORS),
        stop=stop_after_attempt(attempts),
        wait=wait_exponential(multiplier=0.5, max=max_backoff),
        before_sleep=before_sleep_log(log, logging.WARNING),
        reraise=True,
    )
    async for attempt in retrying:
        with attempt:
            await client.login(token)
