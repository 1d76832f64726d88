"""The real discord.py client, run as `qabot discord`, against the fake Discord on 127.0.0.1."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

from clitools import qabot_env
from conftest import REPO, SEEDS
from fakediscord.server import Call, FakeDiscord, snowflake

pytestmark = pytest.mark.slow

LONG_ARTICLE = "Harbour Dredging Report\n" + " ".join(
    f"The dredging crews moved silt from berth {i} of the harbour, and the engineers logged the depth, the tide and the weather for each berth"
    for i in range(40)
) + ".\n"
LONG_QUESTION = "What did the dredging crews move from the harbour berths?"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("corpus") / "articles"
    shutil.copytree(SEEDS, target)
    (target / "900_harbour.txt").write_text(LONG_ARTICLE, encoding="utf-8")
    return target


class Bot:
    """A `qabot discord` process and the fake Discord it talks to."""

    def __init__(self, fake: FakeDiscord, tmp: Path, corpus: Path, **env: str) -> None:
        self.fake = fake
        self.log = tmp / f"bot-{snowflake()}.log"
        settings = {
            "QABOT_DISCORD_TOKEN": fake.token,
            "QABOT_DISCORD_API_BASE": fake.api_base,
            "QABOT_DISCORD_GATEWAY_URL": fake.gateway_url,
            "QABOT_CORPUS_DIR": str(corpus),
            "QABOT_LOG_LEVEL": "INFO",
            **env,
        }
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "qabot", "discord"], cwd=REPO, env=qabot_env(tmp, **settings),
                stdout=out, stderr=subprocess.STDOUT,
            )

    def wait_ready(self, shards: int = 1) -> None:
        self.fake.wait_for(lambda: len(self.fake.connected_shards()) >= shards and self.fake.calls_to("PUT", "/applications"), 60)
        time.sleep(0.3)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(15)
        finally:
            if self.process.poll() is None:
                self.process.kill()

    def output(self) -> str:
        return self.log.read_text()


def replies(fake: FakeDiscord, channel_id: str | None = None) -> list[Call]:
    return [
        c for c in fake.calls_to("POST", "/channels/")
        if c.path.endswith("/messages") and c.status == 200 and (channel_id is None or f"/{channel_id}/" in c.path)
    ]


def referencing(fake: FakeDiscord, message_id: str) -> list[Call]:
    """The replies sent so far to a message."""
    return [c for c in replies(fake) if str((c.json.get("message_reference") or {}).get("message_id")) == message_id]


def reply_to(fake: FakeDiscord, message_id: str, count: int = 1, timeout: float = 20) -> list[Call]:
    return fake.wait_for(lambda: got if len(got := referencing(fake, message_id)) >= count else [], timeout)


def followups(fake: FakeDiscord, interaction_token: str) -> list[Call]:
    return [c for c in fake.calls_to("POST", f"/webhooks/{fake.application_id}/{interaction_token}")]


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeDiscord]:
    server = FakeDiscord(guilds=3).start_in_thread()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def bot(fake: FakeDiscord, corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    tmp = tmp_path_factory.mktemp("bot")
    running = Bot(
        fake, tmp, corpus,
        QABOT_DISCORD_MESSAGE_CONTENT="true",
        QABOT_DISCORD_GUILD_IDS=fake.guilds[0]["id"],
        QABOT_DISCORD_CHANNEL_IDS=f"{fake.channel_id(0)},{fake.channel_id(1)}",
        QABOT_DISCORD_COOLDOWN_SECONDS="3",
    )
    running.wait_ready()
    yield running
    assert running.stop() == 0
    assert fake.token not in running.output()


def ask_message(fake: FakeDiscord, content: str, **kwargs) -> tuple[str, float]:
    message = fake.message(content, author_id=kwargs.pop("author_id", None) or snowflake(), **kwargs)
    return message["id"], fake.dispatch("MESSAGE_CREATE", message)


def test_prefix_question_gets_quote_citation_and_reference(bot: Bot) -> None:
    message_id, _ = ask_message(bot.fake, "!ask Who is the White House spokeswoman?")
    [call] = reply_to(bot.fake, message_id)
    content = call.json["content"]
    assert content.startswith("> **Abigail Jackson**, White House spokeswoman")
    assert "(`004_ea9d9180c3ccb2e3`, paragraph 6)" in content
    assert call.json["allowed_mentions"] == {"parse": [], "replied_user": False}


def test_short_answer_is_bold_inside_the_quote_and_pings_no_one(bot: Bot) -> None:
    message_id, _ = ask_message(bot.fake, "!ask @everyone <@456> When could the federal surge start?")
    [call] = reply_to(bot.fake, message_id)
    content = call.json["content"]
    assert "> The federal surge into Chicago could start as early as **Sept. 5** and last about 30 days" in content
    assert content.count("**") == 4, "the span and the citation's title are the only bold"
    assert call.json["allowed_mentions"] == {"parse": [], "replied_user": False}


def test_a_slip_of_typing_is_answered_and_shown_as_read(bot: Bot) -> None:
    message_id, _ = ask_message(bot.fake, "!ask Who is the *White House* spokeswomna? @everyone")
    [call] = reply_to(bot.fake, message_id)
    content = call.json["content"]
    assert content.startswith("_(read as: Who is the \\*White House\\* spokeswoman?)_\n\n> **Abigail Jackson**")
    assert "@everyone" not in content
    assert call.json["allowed_mentions"] == {"parse": [], "replied_user": False}


def test_mention_question_is_answered(bot: Bot) -> None:
    message_id, _ = ask_message(bot.fake, f"{bot.fake.mention()} What did Johnson's proclamation serve as?", mention_bot=True)
    [call] = reply_to(bot.fake, message_id)
    assert "wall of resistance" in call.json["content"].replace("**", "") and "`001_664e7e63c6e16625`" in call.json["content"]


def test_slash_ask_defers_then_answers(bot: Bot) -> None:
    interaction = bot.fake.slash_command("ask", {"question": "Which governor proposed legislation about ICE?"})
    bot.fake.dispatch("INTERACTION_CREATE", interaction)
    sent = bot.fake.wait_for(lambda: followups(bot.fake, interaction["token"]))
    callback = bot.fake.calls_to("POST", f"/interactions/{interaction['id']}/")
    assert callback and callback[0].json["type"] == 5 and callback[0].at <= sent[0].at
    assert "Hochul" in sent[0].json["content"] and "paragraph" in sent[0].json["content"]
    assert sent[0].json["allowed_mentions"]["parse"] == []


def test_slash_sources_and_help(bot: Bot) -> None:
    sources = bot.fake.slash_command("sources")
    bot.fake.dispatch("INTERACTION_CREATE", sources)
    [call] = bot.fake.wait_for(lambda: bot.fake.calls_to("POST", f"/interactions/{sources['id']}/"))
    assert call.json["type"] == 4
    listing = call.json["data"]["content"]
    assert "6 articles" in listing and "`003_06fac5a1fd663303`" in listing
    helped = bot.fake.slash_command("help")
    bot.fake.dispatch("INTERACTION_CREATE", helped)
    [call] = bot.fake.wait_for(lambda: bot.fake.calls_to("POST", f"/interactions/{helped['id']}/"))
    assert "/ask" in call.json["data"]["content"] and "!ask" in call.json["data"]["content"]


def test_commands_synced_to_the_configured_guild(bot: Bot) -> None:
    synced = bot.fake.calls_to("PUT", f"/applications/{bot.fake.application_id}/guilds/{bot.fake.guilds[0]['id']}/commands")
    assert synced and {c["name"] for c in synced[0].json} == {"ask", "sources", "help"}


def test_unanswerable_question_says_so(bot: Bot) -> None:
    message_id, _ = ask_message(bot.fake, "!ask What is the recipe for deep dish pizza?")
    [call] = reply_to(bot.fake, message_id)
    assert "could not find" in call.json["content"]


def test_everyone_in_question_never_pings(bot: Bot) -> None:
    message_id, _ = ask_message(bot.fake, "!ask @everyone <@&123> Who is the White House spokeswoman? <@456>")
    [call] = reply_to(bot.fake, message_id)
    assert call.json["allowed_mentions"] == {"parse": [], "replied_user": False}
    assert "Abigail Jackson" in call.json["content"]


def test_long_answer_is_split_within_the_limit(bot: Bot) -> None:
    message_id, _ = ask_message(bot.fake, f"!ask {LONG_QUESTION}")
    calls = bot.fake.wait_for(
        lambda: (got := referencing(bot.fake, message_id)) and got[-1].json["content"].rstrip().endswith("paragraph 1)") and got,
        30,
    )
    contents = [c.json["content"] for c in calls]
    assert all(len(text) <= 2000 for text in contents)
    joined = " ".join(line.removeprefix("> ") for text in contents for line in text.splitlines() if line.startswith("> "))
    assert " ".join(LONG_ARTICLE.splitlines()[1].split()) == joined
    assert contents[-1].rstrip().endswith("paragraph 1)")
    for text in contents:
        assert not text.endswith(("berth", "the harbou")), "cut mid-word"


def test_messages_from_bots_and_other_channels_are_ignored(bot: Bot) -> None:
    bot_message, _ = ask_message(bot.fake, "!ask Who is the White House spokeswoman?", bot=True, author_name="otherbot")
    self_message = bot.fake.message("!ask Who is the White House spokeswoman?", author_id=bot.fake.application_id)
    bot.fake.dispatch("MESSAGE_CREATE", self_message)
    other_channel, _ = ask_message(bot.fake, "!ask Who is the White House spokeswoman?", guild=2)
    control, _ = ask_message(bot.fake, "!ask Who is the White House spokeswoman?", guild=1)
    reply_to(bot.fake, control)
    time.sleep(0.5)
    referenced = {str((c.json.get("message_reference") or {}).get("message_id")) for c in replies(bot.fake)}
    assert not referenced & {bot_message, self_message["id"], other_channel}


def test_cooldown_answers_with_a_friendly_note(bot: Bot) -> None:
    user = snowflake()
    first, _ = ask_message(bot.fake, "!ask Who is the White House spokeswoman?", author_id=user)
    reply_to(bot.fake, first)
    second, _ = ask_message(bot.fake, "!ask What did Johnson's proclamation serve as?", author_id=user)
    [call] = reply_to(bot.fake, second)
    assert "ask again in" in call.json["content"]


def test_rate_limit_429_is_honoured(bot: Bot) -> None:
    path = f"/channels/{bot.fake.channel_id(1)}/messages"
    bot.fake.rate_limit(path, retry_after=0.6)
    message_id, _ = ask_message(bot.fake, "!ask Who is the White House spokeswoman?", guild=1)
    [answered] = reply_to(bot.fake, message_id)
    attempts = [c for c in bot.fake.calls_to("POST", path) if str((c.json.get("message_reference") or {}).get("message_id")) == message_id]
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 0.55


def test_twenty_users_at_once_all_answered(bot: Bot) -> None:
    ids = [ask_message(bot.fake, "!ask What did Mayor Johnson move to clarify?")[0] for _ in range(20)]
    for message_id in ids:
        [call] = reply_to(bot.fake, message_id, timeout=30)
        assert "executive order that called for the prosecution" in call.json["content"].replace("**", "")


def test_gateway_drop_then_next_question_answered(bot: Bot) -> None:
    resumes = bot.fake.resumes
    identifies = bot.fake.identifies
    bot.fake.drop_connections()
    bot.fake.wait_for(lambda: bot.fake.sessions and (bot.fake.resumes > resumes or bot.fake.identifies > identifies), 30)
    message_id, _ = ask_message(bot.fake, "!ask Who is the White House spokeswoman?")
    assert reply_to(bot.fake, message_id, timeout=30)
    bot.fake.request_reconnect()
    time.sleep(0.5)
    bot.fake.wait_for(lambda: bot.fake.sessions, 30)
    message_id, _ = ask_message(bot.fake, "!ask What did Johnson's proclamation serve as?")
    assert reply_to(bot.fake, message_id, timeout=30)


def test_prefix_command_needs_the_message_content_intent(corpus: Path, tmp_path: Path) -> None:
    server = FakeDiscord(guilds=1).start_in_thread()
    running = Bot(server, tmp_path, corpus)
    try:
        running.wait_ready()
        ignored, _ = ask_message(server, "!ask Who is the White House spokeswoman?")
        mentioned, _ = ask_message(server, f"{server.mention()} Who is the White House spokeswoman?", mention_bot=True)
        assert "Abigail Jackson" in reply_to(server, mentioned)[0].json["content"]
        time.sleep(0.5)
        assert not [c for c in replies(server) if str((c.json.get("message_reference") or {}).get("message_id")) == ignored]
        synced = server.calls_to("PUT", f"/applications/{server.application_id}/commands")
        assert synced, "with no guild ids, commands sync globally"
    finally:
        assert running.stop() == 0
        server.stop()


def test_two_shards_share_the_guilds(corpus: Path, tmp_path: Path) -> None:
    server = FakeDiscord(guilds=6).start_in_thread()
    shard_of = [(int(g["id"]) >> 22) % 2 for g in server.guilds]
    assert set(shard_of) == {0, 1}, "the test needs guilds on both shards"
    running = Bot(server, tmp_path, corpus, QABOT_DISCORD_SHARD_COUNT="2", QABOT_DISCORD_SHARD_IDS="0,1")
    try:
        running.wait_ready(shards=2)
        assert server.connected_shards() == {0, 1}
        for shard in (0, 1):
            guild = shard_of.index(shard)
            message_id, _ = ask_message(server, f"{server.mention()} Who is the White House spokeswoman?", mention_bot=True, guild=guild)
            assert reply_to(server, message_id)
    finally:
        assert running.stop() == 0
        server.stop()


def test_rejected_token_exits_without_retrying(corpus: Path, tmp_path: Path) -> None:
    server = FakeDiscord(guilds=1).start_in_thread()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "qabot", "discord"], cwd=REPO, capture_output=True, text=True, timeout=60,
            env=qabot_env(tmp_path, QABOT_DISCORD_TOKEN="wrong-token", QABOT_DISCORD_API_BASE=server.api_base,
                          QABOT_DISCORD_GATEWAY_URL=server.gateway_url, QABOT_CORPUS_DIR=str(corpus)),
        )
        assert done.returncode != 0
        assert done.stderr.strip() == "qabot: error: Discord rejected the token; check QABOT_DISCORD_TOKEN."
        assert "wrong-token" not in done.stderr + done.stdout
        assert len(server.calls_to("GET", "/users/@me")) == 1
    finally:
        server.stop()


def test_missing_token_is_exit_code_2(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "qabot", "discord"], cwd=REPO, capture_output=True, text=True, timeout=60,
        env=qabot_env(tmp_path),
    )
    assert done.returncode == 2
    assert done.stderr.strip().startswith("qabot: error: No Discord token")
    assert len(done.stderr.strip().splitlines()) == 1


def test_unreachable_discord_is_retried_with_backoff_then_one_sentence(corpus: Path, tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    done = subprocess.run(
        [sys.executable, "-m", "qabot", "discord"], cwd=REPO, capture_output=True, text=True, timeout=90,
        env=qabot_env(tmp_path, QABOT_DISCORD_TOKEN="t", QABOT_DISCORD_API_BASE=f"http://127.0.0.1:{port}/api/v10",
                      QABOT_DISCORD_GATEWAY_URL=f"ws://127.0.0.1:{port}/", QABOT_DISCORD_CONNECT_ATTEMPTS="3",
                      QABOT_DISCORD_MAX_BACKOFF_SECONDS="0.2", QABOT_CORPUS_DIR=str(corpus)),
    )
    assert done.returncode != 0
    assert done.stderr.count("Retrying") == 2
    assert done.stderr.strip().splitlines()[-1].startswith("qabot: error: Could not reach Discord")
    assert "Traceback" not in done.stderr


@pytest.fixture(scope="module")
def chat_bot(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    """A bot with no cooldown and conversations that expire after 3 s."""
    server = FakeDiscord(guilds=1).start_in_thread()
    running = Bot(
        server, tmp_path_factory.mktemp("chat"), corpus,
        QABOT_DISCORD_MESSAGE_CONTENT="true", QABOT_DISCORD_COOLDOWN_SECONDS="0",
        QABOT_CONVERSATION_TTL_SECONDS="3",
    )
    running.wait_ready()
    yield running
    assert running.stop() == 0
    server.stop()


def _ask(fake: FakeDiscord, content: str, user: str, **kwargs) -> str:
    message_id, _ = ask_message(fake, content, author_id=user, **kwargs)
    return reply_to(fake, message_id)[0].json["content"]


def test_conversation_continues_for_the_same_user_and_channel(chat_bot: Bot) -> None:
    user = snowflake()
    _ask(chat_bot.fake, "!ask Which governor proposed legislation about ICE?", user)
    followup = _ask(chat_bot.fake, "!ask On what day did she propose it?", user)
    assert followup.startswith("_(about: ") and "Kathy Hochul" in followup and "Friday" in followup


def test_conversations_are_separate_per_user_and_per_thread(chat_bot: Bot) -> None:
    user, other = snowflake(), snowflake()
    _ask(chat_bot.fake, "!ask Which governor proposed legislation about ICE?", user)
    assert "(about:" not in _ask(chat_bot.fake, "!ask On what day did she propose it?", other)
    in_thread = _ask(chat_bot.fake, "!ask On what day did she propose it?", user, channel_id=chat_bot.fake.thread_id())
    assert "(about:" not in in_thread
    _ask(chat_bot.fake, "!ask Who is the White House spokeswoman?", user, channel_id=chat_bot.fake.thread_id())
    in_thread = _ask(chat_bot.fake, "!ask What did she say about Democrats?", user, channel_id=chat_bot.fake.thread_id())
    assert "Abigail Jackson" in in_thread.split("\n")[0] and "fixing crime" in in_thread.replace("**", "")


def test_replying_to_an_answer_continues_its_conversation(chat_bot: Bot) -> None:
    asker, replier = snowflake(), snowflake()
    first, _ = ask_message(chat_bot.fake, "!ask Who is the White House spokeswoman?", author_id=asker)
    [answer] = reply_to(chat_bot.fake, first)
    answer_id = _sent_message_id(chat_bot.fake, answer)
    reply = _ask(chat_bot.fake, "!ask What did she say about Democrats?", replier, reply_to=answer_id)
    assert "Abigail Jackson" in reply.split("\n")[0] and "fixing crime" in reply.replace("**", "")


def test_conversation_expires(chat_bot: Bot) -> None:
    user = snowflake()
    _ask(chat_bot.fake, "!ask Which governor proposed legislation about ICE?", user)
    time.sleep(3.5)
    assert "(about:" not in _ask(chat_bot.fake, "!ask On what day did she propose it?", user)


def _sent_message_id(fake: FakeDiscord, call: Call) -> str:
    """The id the fake gave the message created by `call` (it echoes the nonce)."""
    return fake.created[call.json["nonce"]]


def test_health_reports_connected_bot_and_fresh_index(corpus: Path, tmp_path: Path) -> None:
    server = FakeDiscord(guilds=1).start_in_thread()
    health = tmp_path / "health.json"
    env = {"QABOT_HEALTH_FILE": str(health), "QABOT_HEALTH_MAX_AGE_SECONDS": "4", "QABOT_CORPUS_DIR": str(corpus)}
    running = Bot(server, tmp_path, corpus, **env)

    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "qabot", "health"], cwd=REPO, capture_output=True, text=True,
                              env=qabot_env(tmp_path, **env), timeout=60)
    try:
        running.wait_ready()
        healthy = server.wait_for(lambda: (done := check()).returncode == 0 and done, 90)
        assert healthy.stdout.startswith("healthy")
        server.drop_connections()
        server.stop()
        unhealthy = server.wait_for(lambda: (done := check()).returncode == 1 and done, 90)
        assert unhealthy.stdout.startswith("unhealthy")
    finally:
        running.stop()
    missing = subprocess.run([sys.executable, "-m", "qabot", "health"], cwd=REPO, capture_output=True, text=True,
                             env=qabot_env(tmp_path, QABOT_CORPUS_DIR=str(corpus)), timeout=60)
    assert missing.returncode == 2 and "QABOT_HEALTH_FILE" in missing.stderr


def test_persistent_server_errors_at_start_stay_within_the_attempts(corpus: Path, tmp_path: Path) -> None:
    """discord.py retries a 500 five times inside each request; at start-up qabot's own policy
    decides instead, so three attempts are three requests, and the wait is qabot's backoff."""
    server = FakeDiscord(guilds=1).start_in_thread()
    server.fail("/users/@me", 500, times=0)
    try:
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "qabot", "discord"], cwd=REPO, capture_output=True, text=True, timeout=90,
            env=qabot_env(tmp_path, QABOT_DISCORD_TOKEN=server.token, QABOT_DISCORD_API_BASE=server.api_base,
                          QABOT_DISCORD_GATEWAY_URL=server.gateway_url, QABOT_DISCORD_CONNECT_ATTEMPTS="3",
                          QABOT_DISCORD_MAX_BACKOFF_SECONDS="0.2", QABOT_CORPUS_DIR=str(corpus)),
        )
        assert done.returncode != 0 and "Traceback" not in done.stderr
        assert done.stderr.strip().splitlines()[-1].startswith("qabot: error: Could not reach Discord")
        assert len(server.calls_to("GET", "/users/@me")) == 3
        assert time.monotonic() - started < 30
    finally:
        server.stop()


def test_a_token_with_a_line_break_is_one_sentence(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "qabot", "discord"], cwd=REPO, capture_output=True, text=True, timeout=60,
        env=qabot_env(tmp_path, QABOT_DISCORD_TOKEN="abc.def\nghi"),
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "qabot: error: Setting 'discord_token' (QABOT_DISCORD_TOKEN) is invalid: "
        "it holds a line break, a space or another control character."
    ]
    assert "ghi" not in done.stderr


def test_a_refused_reply_is_logged_with_its_request_id_and_the_bot_goes_on(corpus: Path, tmp_path: Path) -> None:
    server = FakeDiscord(guilds=1).start_in_thread()
    running = Bot(server, tmp_path, corpus, QABOT_DISCORD_MESSAGE_CONTENT="true", QABOT_DISCORD_COOLDOWN_SECONDS="0",
                  QABOT_LOG_LEVEL="DEBUG")
    try:
        running.wait_ready()
        path = f"/channels/{server.channel_id()}/messages"
        server.fail(path, 400)
        refused, _ = ask_message(server, "!ask Who is the White House spokeswoman?")
        server.wait_for(lambda: "Discord refused the reply (HTTP 400" in running.output(), 30)
        answered, _ = ask_message(server, "!ask Who is the White House spokeswoman?")
        assert "Abigail Jackson" in reply_to(server, answered)[0].json["content"]
        slash = server.slash_command("ask", {"question": "Which governor proposed legislation about ICE?"})
        server.dispatch("INTERACTION_CREATE", slash)
        server.wait_for(lambda: followups(server, slash["token"]))
        server.wait_for(lambda: slash["id"] in running.output(), 30)
    finally:
        assert running.stop() == 0
        server.stop()
    log = running.output()
    refusal = next(line for line in log.splitlines() if "Discord refused the reply" in line)
    assert re.search(r"request [0-9a-f]{8}: Discord refused the reply \(HTTP 400", refusal)
    assert "Traceback" not in log and "Ignoring exception" not in log
    assert slash["token"] not in log, "interaction tokens are masked in the log"
    assert server.token not in log
