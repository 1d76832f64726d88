"""Shared fixtures: the bundled corpus, a QA over it with its index in a temporary folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qabot.qa import QA
from qabot.settings import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
DATA = Path(__file__).resolve().parent / "data"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's QABOT_* variables, config file or shell history, and words alone
    answer (the semantic tier turns the encoder on where it tests it): the same answers whether or
    not the semantic extra is installed."""
    import os

    for name in list(os.environ):
        if name.startswith("QABOT_") or name == "DISCORD_TOKEN":
            monkeypatch.delenv(name)
    monkeypatch.setenv("QABOT_HISTORY_FILE", str(tmp_path / "history"))
    monkeypatch.setenv("QABOT_SEMANTIC", "false")


@pytest.fixture(scope="session")
def session_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("index")


@pytest.fixture(scope="session")
def settings(session_index_dir: Path) -> Settings:
    return load_settings(REPO / "config" / "qabot.toml", corpus_dir=SEEDS, index_dir=session_index_dir, semantic=False)


@pytest.fixture(scope="session")
def qa(settings: Settings) -> QA:
    return QA.open(settings)
