"""The container, end to end: `docker compose up` against the fake Discord on the host, a question
answered, the health check healthy, a clean `docker compose down`, the REPL service answering a
question on its standard input, and `up` with no token (and no config/.env) ending in qabot's
own one sentence. Exits non-zero, loudly, on any failure."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from typing import Any, Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from fakediscord.server import FakeDiscord  # noqa: E402

PROJECT = "qabotci"
COMPOSE = ["docker", "compose", "-p", PROJECT, "-f", "docker-compose.yml", "-f", "tests/container/compose.ci.yml"]
QUESTION = "Who is the White House spokeswoman?"
NO_TOKEN = "qabot: error: No Discord token: set QABOT_DISCORD_TOKEN (or DISCORD_TOKEN) to run the bot."


def compose(*args: str, env: dict[str, str], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMPOSE, *args], cwd=REPO, env=env, text=True, check=True, **kwargs)


def container_id(env: dict[str, str]) -> str:
    return compose("ps", "-q", "bot", env=env, capture_output=True).stdout.strip()


def inspect(cid: str, template: str) -> str:
    return subprocess.run(["docker", "inspect", "-f", template, cid], text=True, capture_output=True, check=True).stdout.strip()


def wait(fake: FakeDiscord, what: str, predicate: Callable[[], Any], timeout: float) -> Any:
    try:
        return fake.wait_for(predicate, timeout)
    except AssertionError:
        raise SystemExit(f"container test: timed out waiting for {what}") from None


PLAIN = ["docker", "compose", "-p", f"{PROJECT}-notoken", "-f", "docker-compose.yml"]


def without_token(fake: FakeDiscord, env: dict[str, str]) -> None:
    """The compose file as a new user has it, no token anywhere: the bot says so in one sentence."""
    bare = {k: v for k, v in env.items() if k not in ("QABOT_DISCORD_TOKEN", "DISCORD_TOKEN")}
    subprocess.run([*PLAIN, "up", "-d", "--no-build", "bot"], cwd=REPO, env=bare, text=True, check=True)

    def logs() -> str:
        done = subprocess.run([*PLAIN, "logs", "--no-log-prefix", "bot"], cwd=REPO, env=bare, text=True, capture_output=True)
        return done.stdout + done.stderr

    wait(fake, "the no-token sentence", lambda: NO_TOKEN in logs(), 90)
    if "Traceback" in logs():
        raise SystemExit(f"container test: no token gave a traceback: {logs()!r}")


def main() -> int:
    fake = FakeDiscord(guilds=1).start_in_thread()
    env = dict(
        os.environ,
        QABOT_BASE_IMAGE=os.environ.get("QABOT_BASE_IMAGE", "qabot-base:bookworm"),
        QABOT_PIP_INSTALL_OPTIONS="--no-index --find-links /wheelhouse",
        QABOT_CI_TOKEN=fake.token,
        QABOT_CI_API_BASE=fake.api_base,
        QABOT_CI_GATEWAY_URL=fake.gateway_url,
    )
    figures: dict[str, float | str] = {}
    try:
        started = time.monotonic()
        compose("build", env=env)
        figures["build_seconds"] = round(time.monotonic() - started, 1)
        size = subprocess.run(["docker", "image", "inspect", "-f", "{{.Size}}", "qabot:latest"],
                              text=True, capture_output=True, check=True).stdout.strip()
        figures["image_mib"] = round(int(size) / 2**20, 1)

        up_at = time.monotonic()
        compose("up", "-d", "bot", env=env)
        wait(fake, "the bot to connect", lambda: fake.sessions and fake.calls_to("PUT", "/applications"), 120)
        message = fake.message(f"{fake.mention()} {QUESTION}", mention_bot=True)
        fake.dispatch("MESSAGE_CREATE", message)
        reply = wait(fake, "an answer", lambda: [
            c for c in fake.calls_to("POST", "/channels/")
            if c.path.endswith("/messages") and c.status == 200
            and str((c.json.get("message_reference") or {}).get("message_id")) == message["id"]
        ], 60)[0]
        figures["up_to_first_answer_seconds"] = round(reply.at - up_at, 2)
        content = reply.json["content"]
        if "Abigail Jackson" not in content or "004_ea9d9180c3ccb2e3" not in content:
            raise SystemExit(f"container test: wrong answer {content!r}")
        if reply.json.get("allowed_mentions") != {"parse": [], "replied_user": False}:
            raise SystemExit("container test: the reply could ping someone")

        cid = container_id(env)
        wait(fake, "the health check to turn healthy", lambda: inspect(cid, "{{.State.Health.Status}}") == "healthy", 90)
        figures["up_to_healthy_seconds"] = round(time.monotonic() - up_at, 1)

        compose("stop", "bot", env=env)
        exit_code = inspect(cid, "{{.State.ExitCode}}")
        if exit_code != "0":
            raise SystemExit(f"container test: the bot stopped with exit code {exit_code}")
        logs = subprocess.run(["docker", "logs", cid], text=True, capture_output=True).stdout + \
            subprocess.run(["docker", "logs", cid], text=True, capture_output=True).stderr
        if fake.token in logs or "Traceback" in logs:
            raise SystemExit("container test: the logs hold the token or a traceback")
        if re.search(r"encoding \d+ sentences|updating the index|rebuilding the index", logs):
            raise SystemExit(f"container test: the first start indexed the corpus instead of loading the image's index: {logs!r}")

        repl = compose("run", "--rm", "-T", "repl", env=env, input=f"{QUESTION}\n:quit\n", capture_output=True)
        if "Abigail Jackson" not in repl.stdout:
            raise SystemExit(f"container test: the REPL did not answer: {repl.stdout!r} {repl.stderr!r}")
        config = compose("run", "--rm", "-T", "repl", "qabot", "config", env=env, capture_output=True)
        if not json.loads(config.stdout)["semantic_status"].startswith("on ("):
            raise SystemExit(f"container test: the image does not answer with its sentence encoder: {config.stdout!r}")
        without_token(fake, env)
    finally:
        subprocess.run([*COMPOSE, "down", "-v", "--remove-orphans"], cwd=REPO, env=env, text=True, capture_output=True)
        subprocess.run([*PLAIN, "down", "-v", "--remove-orphans"], cwd=REPO, env=env, text=True, capture_output=True)
        fake.stop()
    print("container test passed:", json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
