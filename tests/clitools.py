"""Running the real `qabot` command in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def qabot_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QABOT_") and k != "DISCORD_TOKEN"}
    env.update({
        "QABOT_INDEX_DIR": str(tmp_path / "index"), "QABOT_HISTORY_FILE": str(tmp_path / "history"), "QABOT_SEMANTIC": "false",
    })
    env.update(extra)
    return env


def run_qabot(
    args: list[str], tmp_path: Path, stdin: str = "", cwd: Path = REPO, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qabot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=qabot_env(tmp_path, **env),
        timeout=120,
    )
