"""Faults a user or an operator can cause: each gives a right answer or one clear sentence, never
a traceback or a quote that is not verbatim."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clitools import qabot_env, run_qabot
from conftest import REPO, SEEDS
from qabot.health import check, read_state
from qabot.index import format as fmt
from qabot.index import open_index
from qabot.qa import QA
from qabot.settings import load_settings

SPOKESWOMAN = "Who is the White House spokeswoman?"
ARTICLE = "004_ea9d9180c3ccb2e3.txt"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(SEEDS, target)
    return target


def _verbatim(quote: dict) -> bool:
    return Path(quote["source"]).read_text(encoding="utf-8")[quote["start"] : quote["end"]] == quote["text"]


class Asking:
    """A running `qabot ask --json -`: one question a line in, one answer a line out."""

    def __init__(self, corpus: Path, tmp_path: Path, **env: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "qabot", "ask", "--json", "-", "--corpus", str(corpus)], cwd=REPO,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=qabot_env(tmp_path, **env),
        )

    def ask(self, question: str) -> dict:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(question.encode() + b"\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def finish(self) -> tuple[int, str]:
        _, err = self.process.communicate(timeout=60)
        return self.process.returncode, err.decode()


@pytest.mark.slow
def test_an_article_edited_while_serving_is_quoted_as_it_is_now(corpus: Path, tmp_path: Path) -> None:
    asking = Asking(corpus, tmp_path)
    first = asking.ask(SPOKESWOMAN)
    assert "Abigail Jackson" in first["quotes"][0]["text"] and _verbatim(first["quotes"][0])
    path = corpus / ARTICLE
    path.write_text("Breaking: a line added at the top, with “curly quotes” and é.\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    again = asking.ask(SPOKESWOMAN)
    assert again["answered"] and "Abigail Jackson" in again["quotes"][0]["text"]
    assert all(_verbatim(q) for q in again["quotes"])
    assert again["quotes"][0]["start"] > first["quotes"][0]["start"]
    code, err = asking.finish()
    assert code == 0 and "Traceback" not in err
    assert len([line for line in err.splitlines() if "WARNING" in line]) == 1


@pytest.mark.slow
def test_an_article_deleted_while_serving_is_dropped(corpus: Path, tmp_path: Path) -> None:
    asking = Asking(corpus, tmp_path)
    assert asking.ask(SPOKESWOMAN)["answered"]
    (corpus / ARTICLE).unlink()
    gone = asking.ask(SPOKESWOMAN)
    assert all(q["doc_id"] != ARTICLE[:-4] for q in gone["quotes"]) and all(_verbatim(q) for q in gone["quotes"])
    still = asking.ask("What did Johnson's proclamation serve as?")
    assert "wall of resistance" in still["quotes"][0]["text"]
    code, err = asking.finish()
    assert code == 0 and "Traceback" not in err


def test_quotes_stay_verbatim_when_articles_change_between_questions(corpus: Path, tmp_path: Path) -> None:
    qa = QA.open(load_settings(corpus_dir=corpus, index_dir=tmp_path / "idx"))
    path = corpus / ARTICLE
    for round_ in range(3):
        path.write_text(f"Edit {round_}: ünïcödé line.\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
        answer = qa.ask(SPOKESWOMAN)
        assert answer.answered
        for quote in answer.quotes:
            assert _verbatim(quote.model_dump())


def test_an_article_whose_time_alone_changed_is_still_quoted(corpus: Path, tmp_path: Path, caplog) -> None:
    """A copy, a checkout or `touch` under a running qabot moves a file's time, not its bytes: the
    index, which knows the bytes by their hash, keeps quoting it without indexing anything again (it
    answered "the articles changed" for ever before). An edit under that time is still noticed."""
    settings = load_settings(corpus_dir=corpus, index_dir=tmp_path / "idx")
    qa = QA.open(settings)
    path = corpus / ARTICLE
    later = path.stat().st_mtime_ns + 3_600 * 10**9
    os.utime(path, ns=(later, later))
    caplog.set_level(logging.INFO)
    answer = qa.ask(SPOKESWOMAN)
    assert answer.answered and "Abigail Jackson" in answer.quotes[0].text and _verbatim(answer.quotes[0].model_dump())
    assert not [r for r in caplog.records if "changed" in r.getMessage() or "index" in r.getMessage()]
    path.write_text(path.read_text(encoding="utf-8").replace("Abigail Jackson", "Abigail Jacksen"), encoding="utf-8")
    os.utime(path, ns=(later, later))
    edited = QA.open(settings).ask(SPOKESWOMAN)
    assert edited.answered and "Abigail Jacksen" in edited.quotes[0].text and _verbatim(edited.quotes[0].model_dump())


def _data_file(folder: Path, kind: str) -> Path:
    return next(p for p in folder.iterdir() if p.name.startswith(kind + "."))


@pytest.mark.slow
@pytest.mark.parametrize("damaged", ["passages", "sentences", "punkt", "strings", "articles"])
def test_a_zero_byte_or_broken_file_means_one_warning_and_a_rebuild(corpus: Path, tmp_path: Path, damaged: str) -> None:
    assert run_qabot(["index", "--corpus", str(corpus)], tmp_path).returncode == 0
    target = _data_file(tmp_path / "index", damaged)
    target.write_bytes(b"" if damaged != "punkt" else b"{not json")
    health = run_qabot(["health", "--corpus", str(corpus)], tmp_path, QABOT_HEALTH_FILE=str(tmp_path / "h.json"))
    assert health.returncode == 1 and health.stdout.startswith("unhealthy: the index cannot be used") and not health.stderr
    asked = run_qabot(["ask", SPOKESWOMAN, "--corpus", str(corpus)], tmp_path)
    assert asked.returncode == 0 and "Abigail Jackson" in asked.stdout
    assert asked.stderr.strip().splitlines() == ["qabot: WARNING: rebuilding the index: index file is damaged"]
    target = _data_file(tmp_path / "index", damaged)
    target.write_bytes(b"")
    repaired = run_qabot(["index", "--corpus", str(corpus)], tmp_path)
    assert repaired.returncode == 0 and "index built" in repaired.stdout and "Traceback" not in repaired.stderr


def test_a_writer_killed_before_its_manifest_leaves_the_last_index_in_use(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    """Killed between the engine's commit and the manifest (tantivy, whose data used to be
    shared): the old manifest still names only old data, and the next update is exact."""
    settings = load_settings(corpus_dir=corpus, index_dir=tmp_path / "idx", engine="tantivy")
    before = QA.open(settings).ask(SPOKESWOMAN)
    (corpus / "005_new.txt").write_text("A New Story\nThe zoo welcomed a baby giraffe named Kito on Monday.\n")

    def killed(folder: Path, manifest: fmt.Manifest) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(fmt, "commit", killed)
        with pytest.raises(KeyboardInterrupt):
            open_index(settings)
        with pytest.raises(KeyboardInterrupt):
            open_index(settings, rebuild=True)
    (corpus / "005_new.txt").unlink()
    index, built = open_index(settings)
    assert not built, "the committed index still serves the corpus as it was"
    assert QA(settings, index).ask(SPOKESWOMAN) == before
    (corpus / "006_other.txt").write_text("Another Story\nThe aquarium welcomed a seal named Pip on Friday.\n")
    updated, _ = open_index(settings)
    fresh, _ = open_index(settings.model_copy(update={"index_dir": tmp_path / "fresh"}))
    for question in (SPOKESWOMAN, "What was the seal at the aquarium named?", "What did Mayor Johnson move to clarify?"):
        quoted = [[(q.doc_id, q.start, q.end, q.text) for q in QA(settings, index).ask(question).quotes] for index in (updated, fresh)]
        assert quoted[0] == quoted[1] != []
    assert updated.engine.passage_count == updated.passage_count == fresh.passage_count


@pytest.mark.slow
def test_two_index_commands_at_once_take_turns(corpus: Path, tmp_path: Path) -> None:
    env = qabot_env(tmp_path, QABOT_ENGINE="tantivy")
    runs = [
        subprocess.Popen([sys.executable, "-m", "qabot", "index", "--corpus", str(corpus)], cwd=REPO, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    assert not [err for _, err in results if "Traceback" in err]
    asked = run_qabot(["ask", SPOKESWOMAN, "--corpus", str(corpus)], tmp_path, QABOT_ENGINE="tantivy")
    assert "Abigail Jackson" in asked.stdout and not asked.stderr


@pytest.mark.slow
def test_bytes_that_are_not_utf8_on_a_strict_stdin_are_replaced(tmp_path: Path) -> None:
    lines = SPOKESWOMAN.encode() + b"\n\xff\xfe what is this \xc3\n" + b"What did Mayor Johnson move to clarify?\n"
    done = subprocess.run(
        [sys.executable, "-m", "qabot", "ask", "--json", "-"], cwd=REPO, input=lines, capture_output=True, timeout=120,
        env=qabot_env(tmp_path, PYTHONIOENCODING="utf-8:strict", LC_ALL="C.UTF-8"),
    )
    assert done.returncode == 0 and b"Traceback" not in done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == 3 and rows[0]["answered"] and rows[2]["answered"]
    assert "\ufffd" in rows[1]["question"]


@pytest.mark.slow
def test_an_eval_file_that_is_not_utf8_is_one_sentence(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"question": "caf\xe9?"}\n')
    done = run_qabot(["eval", str(bad)], tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [f"qabot: error: Question file {bad} is not UTF-8 text (byte 17 cannot be read)."]


@pytest.mark.slow
def test_index_into_a_folder_it_cannot_write_fails_and_fallbacks_leave_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = run_qabot(["index", "--index-dir", str(blocker / "idx")], tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [f"qabot: error: Cannot write the index to {blocker / 'idx'} (Not a directory)."]
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    asked = run_qabot(["ask", SPOKESWOMAN, "--index-dir", str(blocker / "idx")], tmp_path, TMPDIR=str(scratch))
    assert asked.returncode == 0 and "Abigail Jackson" in asked.stdout and "using a temporary one" in asked.stderr
    assert list(scratch.iterdir()) == []


@pytest.mark.slow
def test_an_empty_corpus_setting_is_refused(tmp_path: Path) -> None:
    done = run_qabot(["ask", SPOKESWOMAN, "--corpus", ""], tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "qabot: error: Setting 'corpus_dir' (QABOT_CORPUS_DIR) is invalid: it is empty; give a folder."
    ]


@pytest.mark.parametrize(
    "report",
    [
        {"connected": "yes", "guilds": 1, "updated": "soon"},
        {"connected": True, "guilds": 1, "updated": float("nan")},
        {"connected": True, "guilds": 1, "updated": 1e999},
        {"connected": True, "guilds": 1},
        [1, 2, 3],
        {"connected": True, "guilds": True, "updated": 0},
    ],
)
def test_a_health_file_that_lies_is_not_believed(tmp_path: Path, report: object) -> None:
    path = tmp_path / "health.json"
    path.write_text(json.dumps(report))
    assert read_state(path, time.time()) is None


def test_health_refuses_reports_from_the_future_and_stale_ones(tmp_path: Path) -> None:
    settings = load_settings(corpus_dir=SEEDS, index_dir=tmp_path / "idx", health_file=tmp_path / "health.json")
    open_index(settings)
    now = time.time()
    for updated, healthy in ((now, True), (now + 365 * 86400, False), (now - 3600, False)):
        settings.health_file.write_text(json.dumps({"connected": True, "guilds": 2, "updated": updated}))
        ok, reason = check(settings, now)
        assert ok is healthy, reason
    settings.health_file.write_text('{"connected": "yes", "updated": "soon"}')
    ok, reason = check(settings, now)
    assert not ok and reason.startswith("unhealthy: the bot's report is not a valid state")
