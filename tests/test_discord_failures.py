"""A question that breaks the answerer gets an apology; the bot keeps serving (in-process bot)."""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Iterator

import pytest

from qabot.answer import Answer
from qabot.discord_bot import _serve, build_bot
from qabot.discord_transport import point_discord_at
from qabot.qa import QA
from qabot.settings import load_settings

from fakediscord.server import FakeDiscord, snowflake

pytestmark = pytest.mark.slow


class BrittleQA:
    """The real QA, except that any question containing "boom" raises."""

    def __init__(self, qa: QA) -> None:
        self._qa = qa

    def ask(self, question: str, conversation: object = None) -> Answer:
        if "boom" in question:
            raise RuntimeError("index exploded")
        return self._qa.ask(question, conversation)  # type: ignore[arg-type]

    def sources(self) -> list[tuple[str, str]]:
        return self._qa.sources()


@pytest.fixture
def running(qa: QA, caplog: pytest.LogCaptureFixture) -> Iterator[FakeDiscord]:
    fake = FakeDiscord(guilds=1).start_in_thread()
    settings = load_settings(
        discord_token=fake.token, discord_message_content=True, discord_cooldown_seconds=0,
        discord_api_base=fake.api_base, discord_gateway_url=fake.gateway_url,
    )
    point_discord_at(settings.discord_api_base, settings.discord_gateway_url)
    bot = build_bot(settings, BrittleQA(qa))
    loops: list[asyncio.AbstractEventLoop] = []

    async def serve() -> None:
        loops.append(asyncio.get_running_loop())
        await _serve(bot, settings)

    thread = threading.Thread(target=lambda: asyncio.run(serve()), daemon=True)
    caplog.set_level(logging.INFO, logger="qabot")
    thread.start()
    fake.wait_for(lambda: fake.sessions and fake.calls_to("PUT", "/applications"), 30)
    yield fake
    asyncio.run_coroutine_threadsafe(bot.close(), loops[0]).result(10)
    thread.join(10)
    fake.stop()


def _reply(fake: FakeDiscord, message_id: str) -> str:
    def found() -> list:
        return [
            c for c in fake.calls_to("POST", "/channels/")
            if c.path.endswith("/messages") and str((c.json.get("message_reference") or {}).get("message_id")) == message_id
        ]
    return fake.wait_for(found)[0].json["content"]


def test_failure_is_apologised_for_logged_with_request_id_and_others_still_served(running: FakeDiscord, caplog) -> None:
    broken = running.message("!ask boom?", author_id=snowflake())
    fine = running.message("!ask Who is the White House spokeswoman?", author_id=snowflake())
    running.dispatch("MESSAGE_CREATE", broken)
    running.dispatch("MESSAGE_CREATE", fine)
    apology = _reply(running, broken["id"])
    assert apology.startswith("Sorry, something went wrong") and "request " in apology
    request_id = apology.split("request ")[1].split(")")[0]
    assert "Abigail Jackson" in _reply(running, fine["id"])
    failures = [r for r in caplog.records if "answering failed" in r.getMessage()]
    assert failures and request_id in failures[0].getMessage() and failures[0].exc_info
