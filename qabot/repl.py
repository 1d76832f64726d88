"""The interactive prompt: line editing and history via readline; it only translates between a
person at a terminal and the shared `Asker`."""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType
from typing import Callable, TextIO

from qabot.asking import Asker
from qabot.qa import QA
from qabot.render import render_text, wants_bold

PROMPT = "qabot> "
HISTORY_FILE = Path(os.environ.get("QABOT_HISTORY_FILE", Path.home() / ".qabot_history"))
HISTORY_LENGTH = 1000
HELP = """Type a question and press Enter. Commands:
  :help      show this help
  :sources   list the articles
  :new       start a new conversation (follow-ups lean on the last questions until then)
  :quit      leave (Ctrl-D or Ctrl-C work too)"""
UNREADABLE = "That line was not UTF-8 text; please type it again."
SESSION = "repl"
"""The one conversation of a REPL session."""


def sources_text(qa: QA) -> str:
    return "\n".join(f"  {doc_id}  {title}" for doc_id, title in qa.sources())


def respond(qa: QA, asker: Asker, line: str, bold: bool = False) -> str | None:
    """The reply to one line of input (the short answer in ANSI bold when `bold`); None means the
    user asked to leave."""
    text = line.strip()
    if not text:
        return "Please type a question, or :help."
    if text.startswith(":"):
        command = text[1:].strip().lower()
        if command in ("quit", "exit", "q"):
            return None
        if command in ("help", "h", "?"):
            return HELP
        if command == "sources":
            return sources_text(qa)
        if command == "new":
            asker.forget(SESSION)
            return "New conversation: earlier questions are forgotten."
        return f"Unknown command {text.split()[0]!r}; type :help for the list."
    reply = asker.ask(text, SESSION)
    shown = reply.note or render_text(reply.answer, bold)
    if len(" ".join(text.split())) > qa.settings.max_question_chars:
        shown = f"(Your question was cut to its first {qa.settings.max_question_chars} characters.)\n{shown}"
    return shown


def run_repl(qa: QA, out: TextIO, read: Callable[[str], str] = input) -> int:
    readline = _setup_readline()
    asker = Asker(qa, qa.settings)
    out.write(f"qabot: ask about {len(qa.index.articles)} articles. Type :help for commands.\n")
    out.flush()
    try:
        while True:
            try:
                line = read(PROMPT)
            except EOFError:
                out.write("\n")
                break
            except UnicodeDecodeError:
                out.write(f"{UNREADABLE}\n\n")
                out.flush()
                continue
            reply = respond(qa, asker, line, wants_bold(out))
            if reply is None:
                break
            out.write(reply + "\n\n")
            out.flush()
    except KeyboardInterrupt:
        out.write("\n")
    finally:
        if readline is not None:
            try:
                readline.write_history_file(HISTORY_FILE)
            except OSError:
                pass
    out.write("Goodbye.\n")
    out.flush()
    return 0


def _setup_readline() -> ModuleType | None:
    """Line editing and a history file where the platform has readline; plain input() otherwise."""
    try:
        import readline
    except ImportError:
        return None
    readline.set_history_length(HISTORY_LENGTH)
    try:
        readline.read_history_file(HISTORY_FILE)
    except (OSError, UnicodeDecodeError):
        pass
    return readline
