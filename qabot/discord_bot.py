"""The Discord front end: translates slash commands, mentions and prefix commands into questions."""

from __future__ import annotations

import asyncio
import logging
import re
import signal
import time
import uuid
from collections import OrderedDict
from pathlib import Path
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from qabot.conversation import ConversationStore
from qabot.cooldown import Cooldown
from qabot.discord_format import (
    APOLOGY,
    COOLDOWN_NOTE,
    EMPTY_QUESTION,
    answer_messages,
    help_text,
    sources_messages,
)
from qabot.discord_transport import NETWORK_ERRORS, login_with_retry, point_discord_at
from qabot.errors import ConfigError, QabotError
from qabot.health import BotState, write_state
from qabot.qa import QA
from qabot.settings import Settings

log = logging.getLogger(__name__)

NO_PINGS = discord.AllowedMentions.none()
_MENTION = re.compile(r"<@!?(\d+)>")



ConversationKey = tuple[int, int]
"""(user id, channel or thread id): one conversation per user per channel, and per thread."""


class Answerer:
    """What every way of asking shares: cooldown, conversations, answering off the event loop,
    apologising on failure."""

    def __init__(self, qa: QA, cooldown: Cooldown, conversations: ConversationStore[ConversationKey]) -> None:
        self.qa = qa
        self.cooldown = cooldown
        self.conversations = conversations
        self._answer_owner: OrderedDict[int, ConversationKey] = OrderedDict()
        """The conversation each answer message belongs to, so a reply to it continues that conversation."""

    def conversation_key(self, user_id: int, channel_id: int, replied_to: int | None) -> ConversationKey:
        return self._answer_owner.get(replied_to or 0, (user_id, channel_id))

    def remember(self, message_ids: list[int], key: ConversationKey) -> None:
        for message_id in message_ids:
            self._answer_owner[message_id] = key
        while len(self._answer_owner) > self.conversations.max_conversations * 2:
            self._answer_owner.popitem(last=False)

    async def reply_for(self, user_id: int, question: str, key: ConversationKey | None = None) -> list[str]:
        if not question.strip():
            return [EMPTY_QUESTION]
        wait = self.cooldown.remaining(user_id, time.monotonic())
        if wait > 0:
            return [COOLDOWN_NOTE.format(seconds=max(wait, 1))]
        request_id = uuid.uuid4().hex[:8]
        started = time.perf_counter()
        try:
            conversation = self.conversations.get(key, time.monotonic()) if key is not None else None
            answer = await asyncio.to_thread(self.qa.ask, question, conversation)
            messages = answer_messages(answer)
        except Exception:
            log.exception("request %s: answering failed", request_id)
            return [APOLOGY.format(request_id=request_id)]
        log.info(
            "request %s: answered=%s in %.1f ms", request_id, answer.answered, (time.perf_counter() - started) * 1000
        )
        return messages


class Connection:
    """Whether the gateway is connected now, kept from discord.py's connect/disconnect events."""

    def __init__(self) -> None:
        self.up = False

    def watch(self, bot: commands.Bot) -> None:
        async def up(*_: object) -> None:
            self.up = True

        async def down(*_: object) -> None:
            self.up = False

        for event in ("on_ready", "on_resumed", "on_shard_ready", "on_shard_resumed"):
            bot.add_listener(up, event)
        for event in ("on_disconnect", "on_shard_disconnect"):
            bot.add_listener(down, event)


HEALTH_POLL_SECONDS = 1.0


async def _report_health(bot: commands.Bot, connection: Connection, path: Path, every: float) -> None:
    """Write the bot's state for `qabot health` at once when it changes, and every `every` seconds."""
    written: tuple[bool, int] | None = None
    last = 0.0
    while not bot.is_closed():
        current = (connection.up, len(bot.guilds))
        if current != written or time.monotonic() - last >= every:
            try:
                await asyncio.to_thread(write_state, path, BotState(current[0], current[1], time.time()))
                written, last = current, time.monotonic()
            except OSError as exc:
                log.warning("cannot write the health file %s: %s", path, exc.strerror)
        await asyncio.sleep(HEALTH_POLL_SECONDS)


async def _show_typing(channel: discord.abc.Messageable) -> None:
    """The typing indicator is a courtesy: failing to show it must not stop the answer."""
    try:
        await channel.typing()
    except discord.HTTPException as exc:
        log.debug("typing indicator failed: %s", exc.status)


def question_from_mention(content: str, bot_id: int) -> str:
    """The message text with the bot's own mention taken out."""
    return " ".join(_MENTION.sub(lambda m: "" if int(m.group(1)) == bot_id else m.group(0), content).split())


class _NoPrefixWarning(logging.Filter):
    """Without the message-content intent qabot turns prefix commands off on purpose, so discord.py's
    warning that they "may not work" is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "message content intent is missing" not in record.getMessage()


def build_bot(settings: Settings, qa: QA) -> commands.Bot:
    """A discord.py bot (auto-sharded when shards are configured) wired to the answerer."""
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False  # qabot never joins voice
    intents = discord.Intents.default()
    intents.message_content = settings.discord_message_content
    prefix = settings.discord_prefix if settings.discord_message_content else None
    options: dict[str, Any] = {
        "command_prefix": (lambda _bot, _msg: [prefix]) if prefix else (lambda _bot, _msg: []),
        "intents": intents,
        "allowed_mentions": NO_PINGS,
        "help_command": None,
    }
    if prefix is None:
        logging.getLogger("discord.ext.commands.bot").addFilter(_NoPrefixWarning())
    if settings.discord_shard_count:
        bot: commands.Bot = commands.AutoShardedBot(
            shard_count=settings.discord_shard_count, shard_ids=settings.discord_shard_ids, **options
        )
    else:
        bot = commands.Bot(**options)
    conversations: ConversationStore[ConversationKey] = ConversationStore(
        settings.conversation_max, settings.conversation_turns, settings.conversation_ttl_seconds
    )
    answerer = Answerer(qa, Cooldown(settings.discord_cooldown_seconds), conversations)
    allowed_channels = set(settings.discord_channel_ids)

    def allowed(channel_id: int | None, thread_parent: int | None = None) -> bool:
        return not allowed_channels or channel_id in allowed_channels or thread_parent in allowed_channels

    async def reply_to_message(message: discord.Message, question: str) -> None:
        parent = getattr(message.channel, "parent_id", None)
        if not allowed(message.channel.id, parent):
            return
        await _show_typing(message.channel)
        replied_to = message.reference.message_id if message.reference else None
        key = answerer.conversation_key(message.author.id, message.channel.id, replied_to)
        chunks = await answerer.reply_for(message.author.id, question, key)
        sent = [await message.reply(chunk, mention_author=False, allowed_mentions=NO_PINGS) for chunk in chunks]
        answerer.remember([m.id for m in sent], key)

    @bot.listen("on_message")
    async def on_message(message: discord.Message) -> None:
        if message.author.bot or bot.user is None or message.author.id == bot.user.id:
            return
        if bot.user not in message.mentions:
            return
        if prefix and message.content.startswith(prefix):
            return
        await reply_to_message(message, question_from_mention(message.content, bot.user.id))

    @commands.command(name="ask")
    async def ask_prefix(ctx: commands.Context, *, question: str = "") -> None:
        if ctx.author.bot:
            return
        await reply_to_message(ctx.message, question)

    if prefix:
        bot.add_command(ask_prefix)

    @app_commands.command(name="ask", description="Ask a question about the articles")
    @app_commands.describe(question="What you want to know")
    async def ask_slash(interaction: discord.Interaction, question: str) -> None:
        if not allowed(interaction.channel_id, getattr(interaction.channel, "parent_id", None)):
            await interaction.response.send_message("I don't answer in this channel.", ephemeral=True)
            return
        await interaction.response.defer(thinking=True)
        key = answerer.conversation_key(interaction.user.id, interaction.channel_id or 0, None)
        sent = [
            await interaction.followup.send(chunk, allowed_mentions=NO_PINGS, wait=True)
            for chunk in await answerer.reply_for(interaction.user.id, question, key)
        ]
        answerer.remember([m.id for m in sent], key)

    @app_commands.command(name="sources", description="List the articles I answer from")
    async def sources_slash(interaction: discord.Interaction) -> None:
        chunks = sources_messages(qa.sources())
        await interaction.response.send_message(chunks[0], allowed_mentions=NO_PINGS)
        for chunk in chunks[1:]:
            await interaction.followup.send(chunk, allowed_mentions=NO_PINGS)

    @app_commands.command(name="help", description="How to ask me questions")
    async def help_slash(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(help_text(prefix), ephemeral=True, allowed_mentions=NO_PINGS)

    for command in (ask_slash, sources_slash, help_slash):
        bot.tree.add_command(command)

    @bot.tree.error
    async def on_app_command_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        request_id = uuid.uuid4().hex[:8]
        log.error("request %s: slash command failed: %s", request_id, error, exc_info=error)
        send = interaction.followup.send if interaction.response.is_done() else interaction.response.send_message
        await send(APOLOGY.format(request_id=request_id), allowed_mentions=NO_PINGS)

    connection = Connection()
    connection.watch(bot)

    async def setup_hook() -> None:
        try:
            if settings.discord_guild_ids:
                for guild_id in settings.discord_guild_ids:
                    guild = discord.Object(id=guild_id)
                    bot.tree.copy_global_to(guild=guild)
                    await bot.tree.sync(guild=guild)
                log.info("slash commands synced to %d guild(s)", len(settings.discord_guild_ids))
            else:
                await bot.tree.sync()
                log.info("slash commands synced globally")
        except discord.HTTPException as exc:
            log.warning("could not sync slash commands (%s); they may be out of date", exc.status)

        if settings.health_file is not None:
            bot.loop.create_task(
                _report_health(bot, connection, settings.health_file, settings.health_max_age_seconds / 4)
            )

    bot.setup_hook = setup_hook  # type: ignore[method-assign]

    @bot.event
    async def on_ready() -> None:
        log.info("connected as %s to %d guild(s)", bot.user, len(bot.guilds))

    return bot


def run_discord(settings: Settings, qa: QA | None = None) -> int:
    """Start the bot and serve until stopped; user-caused failures become QabotError sentences."""
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        raise ConfigError("No Discord token: set QABOT_DISCORD_TOKEN (or DISCORD_TOKEN) to run the bot.")
    qa = qa or QA.open(settings)
    point_discord_at(settings.discord_api_base, settings.discord_gateway_url)
    bot = build_bot(settings, qa)
    return asyncio.run(_serve(bot, settings))


async def _serve(bot: commands.Bot, settings: Settings) -> int:
    token = settings.discord_token.get_secret_value().strip()  # type: ignore[union-attr]
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(signum, lambda: asyncio.ensure_future(bot.close()))
        except (NotImplementedError, RuntimeError, ValueError):
            pass
    async with bot:
        try:
            await login_with_retry(bot, token, settings.discord_connect_attempts, settings.discord_max_backoff_seconds)
            await bot.connect(reconnect=True)
        except discord.LoginFailure:
            raise QabotError("Discord rejected the token; check QABOT_DISCORD_TOKEN.") from None
        except discord.PrivilegedIntentsRequired:
            raise QabotError(
                "Discord refused the message-content intent; enable it for the bot in the Developer Portal "
                "or set QABOT_DISCORD_MESSAGE_CONTENT=false."
            ) from None
        except discord.HTTPException as exc:
            raise QabotError(f"Discord refused to start the bot (HTTP {exc.status}: {exc.text or 'no detail'}).") from None
        except NETWORK_ERRORS as exc:
            raise QabotError(
                f"Could not reach Discord at {settings.discord_api_base} after "
                f"{settings.discord_connect_attempts} attempts ({type(exc).__name__})."
            ) from None
    return 0
