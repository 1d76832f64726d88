"""The real REPL driven through a pseudo-terminal, as a person would use it."""

import signal
import sys
from pathlib import Path

import pexpect
import pytest

from clitools import qabot_env
from conftest import REPO

pytestmark = pytest.mark.slow

PROMPT = "qabot> "


def as_a_shell_starts_it() -> None:
    """Ctrl-C back to its default in the child, as an interactive shell does for a foreground
    program: a test run started in the background inherits SIGINT ignored, and the REPL would then
    never see it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def spawn_qabot(tmp_path: Path, *args: str, **options) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable, ["-m", "qabot", *args], cwd=str(REPO), env=qabot_env(tmp_path), encoding="utf-8",
        timeout=60, preexec_fn=as_a_shell_starts_it, **options,
    )


@pytest.fixture
def repl(tmp_path: Path):
    child = spawn_qabot(tmp_path, "repl", dimensions=(40, 200))
    child.expect_exact(PROMPT)
    yield child
    child.close(force=True)


def ask(child, line: str) -> str:
    child.sendline(line)
    child.expect_exact(PROMPT)
    return child.before


def test_question_help_sources_and_quit(repl) -> None:
    out = ask(repl, "Who is the White House spokeswoman?")
    assert "Abigail Jackson\r\n" in out and "004_ea9d9180c3ccb2e3" in out
    assert "\u201c\x1b[1mAbigail Jackson\x1b[0m, White House spokeswoman" in out, "the short answer is bold on a terminal"
    assert ":sources" in ask(repl, ":help")
    sources = ask(repl, ":sources")
    assert sources.count("_") >= 5 and "Chicago Mayor Seeks to Clarify Order on ICE Prosecutions" in sources
    assert "could not find" in ask(repl, "What is the recipe for deep dish pizza?")
    repl.sendline(":quit")
    repl.expect(pexpect.EOF)
    repl.close()
    assert repl.exitstatus == 0


def test_odd_input_gets_sensible_replies(repl) -> None:
    assert "Please type a question" in ask(repl, "")
    assert "Unknown command" in ask(repl, ":frobnicate")
    assert "could not find" in ask(repl, "\u202e\u200b\U0001f600 \u00e9\u00e8 \u4e2d\u6587?")
    long_line = ("Who is the White House spokeswoman? " * 300)[:10_000]
    repl.sendline(long_line)
    repl.expect_exact("cut to its first", timeout=60)
    repl.expect_exact(PROMPT)
    assert "Traceback" not in repl.before


def test_ctrl_d_exits_cleanly(repl) -> None:
    repl.sendeof()
    repl.expect(pexpect.EOF)
    repl.close()
    assert repl.exitstatus == 0


def test_ctrl_c_exits_cleanly(repl) -> None:
    repl.sendintr()
    repl.expect(pexpect.EOF)
    repl.close()
    assert "Traceback" not in (repl.before or "")
    assert repl.exitstatus == 0


def test_history_is_kept_between_sessions(tmp_path: Path, repl) -> None:
    ask(repl, "Who is the White House spokeswoman?")
    repl.sendline(":quit")
    repl.expect(pexpect.EOF)
    history = (tmp_path / "history").read_text()
    assert "Who is the White House spokeswoman?" in history


def test_no_token_runs_repl_by_default(tmp_path: Path) -> None:
    child = spawn_qabot(tmp_path)
    child.expect_exact(PROMPT)
    assert "ask about 5 articles" in child.before
    child.sendline(":quit")
    child.expect(pexpect.EOF)
    assert "Goodbye." in child.before
    child.close()
    assert child.exitstatus == 0


def test_followups_and_new_conversation(repl) -> None:
    ask(repl, "Which governor proposed legislation about ICE?")
    followup = ask(repl, "On what day did she propose it?")
    assert "(about: " in followup and "Kathy Hochul" in followup and "Friday" in followup
    assert "New conversation" in ask(repl, ":new")
    assert "(about: " not in ask(repl, "On what day did she propose it?")


def test_a_slip_of_typing_is_read_as_the_word_meant_and_said(repl) -> None:
    shown = ask(repl, "wehn could the federal surge strat?")
    assert "(read as: when could the federal surge start?)" in shown and "Sept. 5" in shown
    assert "(read as: " not in ask(repl, "When could the federal surge start?")
