"""The Discord front end: slash commands, mentions and the prefix command, translated into
questions for the shared `Asker` and replies shaped by `discord_format`."""

from __future__ import annotations

import asyncio
import logging
import signal
import time
import uuid
from pathlib import Path
from typing import Any, Protocol

import discord
from discord import app_commands
from discord.ext import commands

from qabot.asking import APOLOGY, Answering, Asker
from qabot.discord_format import help_text, question_text, reply_messages, sources_messages
from qabot.discord_transport import NETWORK_ERRORS, MaskInteractionTokens, StartupGuard, login_with_retry, point_discord_at
from qabot.errors import ConfigError, QabotError
from qabot.health import BotState, write_state
from qabot.qa import QA
from qabot.settings import Settings

log = logging.getLogger(__name__)

NO_PINGS = discord.AllowedMentions.none()
HEALTH_POLL_SECONDS = 1.0
AnyBot = commands.Bot | commands.AutoShardedBot


class Sources(Answering, Protocol):
    """What the bot needs of `QA` beyond answering."""

    def sources(self) -> list[tuple[str, str]]: ...


class Connection:
    """Whether the gateway is connected now, kept from discord.py's connect/disconnect events."""

    def __init__(self) -> None:
        self.up = False

    def watch(self, bot: AnyBot) -> None:
        async def up(*_: object) -> None:
            self.up = True

        async def down(*_: object) -> None:
            self.up = False

        for event in ("on_ready", "on_resumed", "on_shard_ready", "on_shard_resumed"):
            bot.add_listener(up, event)
        for event in ("on_disconnect", "on_shard_disconnect"):
            bot.add_listener(down, event)


async def _report_health(bot: AnyBot, connection: Connection, path: Path, every: float) -> None:
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


def _send_failed(request_id: str, exc: discord.HTTPException) -> None:
    """Discord refused a reply (the question was deleted, or it keeps failing): one line, the
    request id, no traceback; the bot goes on serving."""
    log.warning("request %s: Discord refused the reply (HTTP %s: %s)", request_id, exc.status, exc.text or "no detail")


class _NoPrefixWarning(logging.Filter):
    """Without the message-content intent qabot turns prefix commands off on purpose, so discord.py's
    warning that they "may not work" is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "message content intent is missing" not in record.getMessage()


class QabotCog(commands.Cog):
    """The bot's handlers, one per way of asking; each only translates between Discord and the Asker."""

    def __init__(self, bot: AnyBot, settings: Settings, qa: Sources, connection: Connection, guard: StartupGuard) -> None:
        self.bot = bot
        self.guard = guard
        self.settings = settings
        self.qa = qa
        self.asker = Asker(qa, settings, settings.discord_cooldown_seconds)
        self.connection = connection
        self.allowed_channels = set(settings.discord_channel_ids)

    def allowed(self, channel_id: int | None, thread_parent: int | None = None) -> bool:
        return not self.allowed_channels or channel_id in self.allowed_channels or thread_parent in self.allowed_channels

    async def reply_to_message(self, message: discord.Message, question: str) -> None:
        if not self.allowed(message.channel.id, getattr(message.channel, "parent_id", None)):
            return
        await _show_typing(message.channel)
        replied_to = message.reference.message_id if message.reference else None
        conversation = self.asker.conversation_for((message.author.id, message.channel.id), replied_to)
        reply = await self.asker.ask_off_loop(question_text(question), conversation, message.author.id)
        sent = []
        try:
            for chunk in reply_messages(reply):
                sent.append(await message.reply(chunk, mention_author=False, allowed_mentions=NO_PINGS))
        except discord.HTTPException as exc:
            _send_failed(reply.request_id, exc)
        self.asker.remember([m.id for m in sent], conversation)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """A mention of the bot asks; the prefix command is left to `ask_prefix`."""
        me = self.bot.user
        if message.author.bot or me is None or message.author.id == me.id or me not in message.mentions:
            return
        prefix = self.settings.discord_prefix if self.settings.discord_message_content else None
        if prefix and message.content.startswith(prefix):
            return
        await self.reply_to_message(message, message.content)

    @commands.command(name="ask")
    async def ask_prefix(self, ctx: commands.Context[Any], *, question: str = "") -> None:
        if not ctx.author.bot:
            await self.reply_to_message(ctx.message, question)

    @app_commands.command(name="ask", description="Ask a question about the articles")
    @app_commands.describe(question="What you want to know")
    async def ask_slash(self, interaction: discord.Interaction, question: str) -> None:
        if not self.allowed(interaction.channel_id, getattr(interaction.channel, "parent_id", None)):
            await interaction.response.send_message("I don't answer in this channel.", ephemeral=True)
            return
        await interaction.response.defer(thinking=True)
        conversation = self.asker.conversation_for((interaction.user.id, interaction.channel_id or 0))
        reply = await self.asker.ask_off_loop(question_text(question), conversation, interaction.user.id)
        sent = []
        try:
            for chunk in reply_messages(reply):
                sent.append(await interaction.followup.send(chunk, allowed_mentions=NO_PINGS, wait=True))
        except discord.HTTPException as exc:
            _send_failed(reply.request_id, exc)
        self.asker.remember([m.id for m in sent], conversation)

    @app_commands.command(name="sources", description="List the articles I answer from")
    async def sources_slash(self, interaction: discord.Interaction) -> None:
        chunks = sources_messages(self.qa.sources())
        await interaction.response.send_message(chunks[0], allowed_mentions=NO_PINGS)
        for chunk in chunks[1:]:
            await interaction.followup.send(chunk, allowed_mentions=NO_PINGS)

    @app_commands.command(name="help", description="How to ask me questions")
    async def help_slash(self, interaction: discord.Interaction) -> None:
        prefix = self.settings.discord_prefix if self.settings.discord_message_content else None
        await interaction.response.send_message(help_text(prefix), ephemeral=True, allowed_mentions=NO_PINGS)

    async def cog_app_command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        request_id = uuid.uuid4().hex[:8]
        log.error("request %s: slash command failed: %s", request_id, error, exc_info=error)
        send = interaction.followup.send if interaction.response.is_done() else interaction.response.send_message
        await send(APOLOGY.format(request_id=request_id), allowed_mentions=NO_PINGS)

    async def setup(self) -> None:
        """After login: let discord.py retry server errors again, sync the slash commands and start
        reporting health."""
        self.guard.starting = False
        await self.bot.add_cog(self)
        guilds = self.settings.discord_guild_ids
        try:
            for guild_id in guilds:
                guild = discord.Object(id=guild_id)
                self.bot.tree.copy_global_to(guild=guild)
                await self.bot.tree.sync(guild=guild)
            if not guilds:
                await self.bot.tree.sync()
            log.info("slash commands synced %s", f"to {len(guilds)} guild(s)" if guilds else "globally")
        except discord.HTTPException as exc:
            log.warning("could not sync slash commands (%s); they may be out of date", exc.status)
        if self.settings.health_file is not None:
            self.bot.loop.create_task(
                _report_health(self.bot, self.connection, self.settings.health_file, self.settings.health_max_age_seconds / 4)
            )

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        log.info("connected as %s to %d guild(s)", self.bot.user, len(self.bot.guilds))


def build_bot(settings: Settings, qa: Sources) -> AnyBot:
    """A discord.py bot (auto-sharded when shards are configured) with qabot's handlers."""
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False  # qabot never joins voice
    intents = discord.Intents.default()
    intents.message_content = settings.discord_message_content
    prefix = settings.discord_prefix if settings.discord_message_content else None
    guard = StartupGuard()
    options: dict[str, Any] = {
        "command_prefix": (lambda _bot, _msg: [prefix]) if prefix else (lambda _bot, _msg: []),
        "intents": intents,
        "allowed_mentions": NO_PINGS,
        "help_command": None,
        "http_trace": guard.trace,
    }
    if prefix is None:
        logging.getLogger("discord.ext.commands.bot").addFilter(_NoPrefixWarning())
    bot: AnyBot
    if settings.discord_shard_count:
        if settings.discord_shard_ids:
            options["shard_ids"] = settings.discord_shard_ids
        bot = commands.AutoShardedBot(shard_count=settings.discord_shard_count, **options)
    else:
        bot = commands.Bot(**options)
    connection = Connection()
    connection.watch(bot)
    cog = QabotCog(bot, settings, qa, connection, guard)
    bot.setup_hook = cog.setup  # type: ignore[method-assign]  # discord.py calls it after login; set on the instance, as the bot may be sharded or not
    return bot


def run_discord(settings: Settings, qa: QA | None = None) -> int:
    """Start the bot and serve until stopped; user-caused failures become QabotError sentences."""
    if settings.discord_token is None or not settings.discord_token.get_secret_value():
        raise ConfigError("No Discord token: set QABOT_DISCORD_TOKEN (or DISCORD_TOKEN) to run the bot.")
    qa = qa or QA.open(settings)
    for handler in logging.getLogger().handlers:
        handler.addFilter(MaskInteractionTokens())
    point_discord_at(settings.discord_api_base, settings.discord_gateway_url)
    bot = build_bot(settings, qa)
    return asyncio.run(_serve(bot, settings))


async def _serve(bot: AnyBot, settings: Settings) -> int:
    assert settings.discord_token is not None, "run_discord checks the token first"
    token = settings.discord_token.get_secret_value()
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
