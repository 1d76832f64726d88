"""Where discord.py connects, and how start-up survives a network that is not there yet.

discord.py reads Discord's addresses from two class attributes; pointing them elsewhere is how
tests (and the container test) talk to a local fake Discord.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route
from tenacity import AsyncRetrying, before_sleep_log, retry_if_exception_type, stop_after_attempt, wait_exponential

log = logging.getLogger(__name__)

NETWORK_ERRORS = (aiohttp.ClientConnectionError, asyncio.TimeoutError, OSError, discord.DiscordServerError)


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
