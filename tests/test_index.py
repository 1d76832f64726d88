import gzip
import json
import logging
import shutil
from pathlib import Path

import pytest

from qabot.index import INDEX_FILE, open_index
from qabot.settings import load_settings

from conftest import SEEDS


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(SEEDS, target)
    return target


def _settings(corpus: Path, tmp_path: Path, **extra):
    return load_settings(corpus_dir=corpus, index_dir=tmp_path / "idx", **extra)


def test_index_is_reused_when_nothing_changed(corpus: Path, tmp_path: Path, caplog) -> None:
    settings = _settings(corpus, tmp_path)
    _, built = open_index(settings)
    assert built
    with caplog.at_level(logging.WARNING):
        index, built = open_index(settings)
    assert not built and not caplog.records
    assert len(index.articles) == 5


def test_saved_index_is_plain_json_not_pickle(corpus: Path, tmp_path: Path) -> None:
    settings = _settings(corpus, tmp_path)
    open_index(settings)
    data = json.loads(gzip.decompress((tmp_path / "idx" / INDEX_FILE).read_bytes()))
    assert set(data) == {"manifest", "articles", "passages"}
    assert set(data["manifest"]["files"]) == {p.stem for p in SEEDS.glob("*.txt")}
    assert not [p for p in (tmp_path / "idx").iterdir() if p.name.endswith(".tmp")]


def _one_warning(caplog) -> str:
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, warnings
    return warnings[0]


def test_changed_article_triggers_rebuild(corpus: Path, tmp_path: Path, caplog) -> None:
    settings = _settings(corpus, tmp_path)
    open_index(settings)
    (corpus / "005_new.txt").write_text("A New Story\nThe zoo welcomed a baby giraffe named Kito on Monday.\n")
    with caplog.at_level(logging.WARNING):
        index, built = open_index(settings)
    assert built and "005_new" in index.articles
    assert "changed" in _one_warning(caplog)


def test_changed_setting_triggers_rebuild(corpus: Path, tmp_path: Path, caplog) -> None:
    open_index(_settings(corpus, tmp_path))
    with caplog.at_level(logging.WARNING):
        _, built = open_index(_settings(corpus, tmp_path, passage_size=60))
    assert built
    assert "settings" in _one_warning(caplog)


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"not gzip at all"),
        lambda p: p.write_bytes(gzip.compress(b'{"manifest": {"format_version": 1}}')),
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
        lambda p: p.write_bytes(gzip.compress(json.dumps({"manifest": {"format_version": 999}}).encode())),
    ],
    ids=["garbage", "incomplete", "truncated", "other-version"],
)
def test_damaged_or_foreign_index_is_rebuilt(corpus: Path, tmp_path: Path, caplog, damage) -> None:
    settings = _settings(corpus, tmp_path)
    open_index(settings)
    damage(tmp_path / "idx" / INDEX_FILE)
    with caplog.at_level(logging.WARNING):
        index, built = open_index(settings)
    assert built and len(index.passages) > 10
    assert "rebuilding" in _one_warning(caplog)
    _, built_again = open_index(settings)
    assert not built_again


def test_unwritable_index_dir_still_answers(corpus: Path, tmp_path: Path, caplog) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    settings = load_settings(corpus_dir=corpus, index_dir=blocker / "idx")
    with caplog.at_level(logging.WARNING):
        index, built = open_index(settings)
    assert built and index.passages
    assert "could not save" in caplog.text
