import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clitools import qabot_env, run_qabot
from conftest import DATA, REPO, SEEDS

pytestmark = pytest.mark.slow


def test_ask_prints_quote_and_citation(tmp_path: Path) -> None:
    done = run_qabot(["ask", "Who is the White House spokeswoman?"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Abigail Jackson\n\u201cAbigail Jackson, White House spokeswoman"), "short answer first, no ANSI in a pipe"
    assert "[004_ea9d9180c3ccb2e3, paragraph 6]" in done.stdout


def test_ask_reads_a_slip_of_typing_as_the_word_meant_and_says_so(tmp_path: Path) -> None:
    done = run_qabot(["ask", "Who is the White House spokeswomna?"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("(read as: Who is the White House spokeswoman?)\nAbigail Jackson\n")
    data = json.loads(run_qabot(["ask", "--json", "Who is the White House spokeswomna?"], tmp_path).stdout)
    assert data["question"] == "Who is the White House spokeswomna?"
    assert data["read_as"] == "Who is the White House spokeswoman?"


def test_ask_json(tmp_path: Path) -> None:
    done = run_qabot(["ask", "--json", "What did Johnson's proclamation serve as?"], tmp_path)
    data = json.loads(done.stdout)
    assert data["answered"] and "wall of resistance" in data["quotes"][0]["text"]
    text = (REPO / data["quotes"][0]["source"]).read_text(encoding="utf-8")
    assert text[data["quotes"][0]["start"] : data["quotes"][0]["end"]] == data["quotes"][0]["text"]
    assert "short_answer" in data


def test_ask_json_short_answer(tmp_path: Path) -> None:
    done = run_qabot(["ask", "--json", "How many district attorneys formed a coalition?"], tmp_path)
    data = json.loads(done.stdout)
    short, quote = data["short_answer"], data["quotes"][0]
    assert short["text"].startswith("nine") and short["doc_id"] == quote["doc_id"]
    assert quote["start"] <= short["start"] < short["end"] <= quote["end"]
    text = (REPO / quote["source"]).read_text(encoding="utf-8")
    assert text[short["start"] : short["end"]] == short["text"]


def test_ask_unanswerable_says_so(tmp_path: Path) -> None:
    done = run_qabot(["ask", "What is the recipe for deep dish pizza?"], tmp_path)
    assert done.returncode == 0
    assert "could not find" in done.stdout


def test_ask_json_stdin_one_object_per_line_in_order(tmp_path: Path) -> None:
    questions = ["Who is the White House spokeswoman?", "", "What is the weather in Chicago today?", "What did Mayor Johnson move to clarify?"]
    done = run_qabot(["ask", "--json", "-"], tmp_path, stdin="\n".join(questions) + "\n")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["question"] for r in rows] == [q for q in questions if q]
    assert [r["answered"] for r in rows] == [True, False, True]


def test_index_builds_and_reports_counts(tmp_path: Path) -> None:
    done = run_qabot(["index"], tmp_path)
    assert done.returncode == 0
    assert "5 articles" in done.stdout and "passages" in done.stdout
    again = run_qabot(["index", "--if-stale"], tmp_path)
    assert "up to date" in again.stdout


def test_eval_reports_score(tmp_path: Path) -> None:
    done = run_qabot(["eval", str(DATA / "dev.jsonl"), "--corpus", str(SEEDS)], tmp_path)
    assert done.returncode == 0
    assert "answerable questions answered correctly" in done.stdout and "MRR" in done.stdout
    report = json.loads(run_qabot(["eval", "--json", str(DATA / "dev.jsonl")], tmp_path).stdout)
    assert report["answered_right"] >= 17 and report["abstained_right"] == 4


def test_config_masks_secrets(tmp_path: Path) -> None:
    done = run_qabot(["config"], tmp_path, QABOT_DISCORD_TOKEN="very-secret-token", QABOT_TOP_K="4")
    assert done.returncode == 0
    assert "very-secret-token" not in done.stdout + done.stderr
    shown = json.loads(done.stdout)
    assert shown["top_k"] == 4 and shown["discord_token"] == "********"


def test_flags_beat_environment(tmp_path: Path) -> None:
    done = run_qabot(["config", "--top-k", "9", "--corpus", "elsewhere"], tmp_path, QABOT_TOP_K="4")
    shown = json.loads(done.stdout)
    assert shown["top_k"] == 9 and shown["corpus_dir"] == "elsewhere"


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["ask", "hi", "--corpus", "/no/such/folder"], {}, "does not exist"),
        (["ask", "hi"], {"QABOT_TOP_K": "many"}, "top_k"),
        (["ask", "hi", "--config", "/no/such.toml"], {}, "does not exist"),
        (["ask"], {}, "Give a question"),
        (["eval", "/no/such.jsonl"], {}, "does not exist"),
    ],
)
def test_user_errors_are_one_sentence_and_nonzero(tmp_path: Path, args, env, message) -> None:
    done = run_qabot(args, tmp_path, **env)
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_empty_corpus_is_a_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    done = run_qabot(["ask", "hi", "--corpus", str(empty)], tmp_path)
    assert done.returncode != 0 and "no .txt articles" in done.stderr and "Traceback" not in done.stderr


def test_console_script_is_installed(tmp_path: Path) -> None:
    beside_python = Path(sys.executable).parent / "qabot"
    exe = str(beside_python) if beside_python.exists() else shutil.which("qabot")
    assert exe, "the qabot console script is not installed"
    done = subprocess.run([exe, "--version"], capture_output=True, text=True, env=qabot_env(tmp_path))
    assert done.returncode == 0 and done.stdout.startswith("qabot ")

