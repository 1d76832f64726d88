"""The `qabot` command: parses flags into Settings, runs a front end, turns user errors into exit codes."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from qabot import __version__
from qabot.errors import QabotError

if TYPE_CHECKING:
    from qabot.asking import Asker, Reply
    from qabot.qa import QA
    from qabot.settings import Settings

EXIT_INTERRUPTED = 130

log = logging.getLogger("qabot")


def _common_options() -> argparse.ArgumentParser:
    """Flags every command takes; SUPPRESS keeps a subcommand from hiding a value given before it."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("settings (override config file and environment)")
    group.add_argument("--config", type=Path, default=argparse.SUPPRESS, help="settings file (default: config/qabot.toml)")
    group.add_argument("--corpus", dest="corpus_dir", default=argparse.SUPPRESS, help="folder of *.txt articles")
    group.add_argument("--index-dir", default=argparse.SUPPRESS, help="folder for the index cache")
    group.add_argument("--top-k", type=int, default=argparse.SUPPRESS, help="passages retrieved per question")
    group.add_argument("--max-quotes", type=int, default=argparse.SUPPRESS, help="most quotes per answer")
    group.add_argument("--min-confidence", type=float, default=argparse.SUPPRESS, help="abstain below this confidence")
    group.add_argument("--log-level", default=argparse.SUPPRESS, help="DEBUG, INFO, WARNING or ERROR")
    return common


SETTING_FLAGS = ("corpus_dir", "index_dir", "top_k", "max_quotes", "min_confidence", "log_level")


def build_parser() -> argparse.ArgumentParser:
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog="qabot",
        description="Answers questions about news articles with verbatim, cited quotes. "
        "With no command: the Discord bot if a token is configured, else the REPL.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"qabot {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask = sub.add_parser("ask", parents=[common], help="answer one question ('-' reads one per line from stdin)")
    ask.add_argument("question", nargs="*", help="the question, or - to read questions from standard input")
    ask.add_argument("--json", action="store_true", help="print the answer object as JSON")

    ev = sub.add_parser("eval", parents=[common], help="score a question file (JSON lines)")
    ev.add_argument("file", type=Path)
    ev.add_argument("--json", action="store_true", help="print the report as JSON")

    sub.add_parser("repl", parents=[common], help="interactive prompt")
    idx = sub.add_parser("index", parents=[common], help="build the index and print counts")
    idx.add_argument("--if-stale", action="store_true", help="keep an index that is up to date")
    sub.add_parser("config", parents=[common], help="print the effective settings, secrets masked")
    sub.add_parser("discord", parents=[common], help="run the Discord bot (needs QABOT_DISCORD_TOKEN)")
    sub.add_parser("health", parents=[common], help="exit 0 when the index is fresh and the bot is connected")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except QabotError as exc:
        print(f"qabot: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0


def _run(args: argparse.Namespace) -> int:
    from qabot.settings import load_settings

    overrides = {name: getattr(args, name) for name in SETTING_FLAGS if hasattr(args, name)}
    settings = load_settings(getattr(args, "config", None), **overrides)
    logging.basicConfig(level=settings.log_level.upper(), format="qabot: %(levelname)s: %(message)s", stream=sys.stderr)
    command = args.command or ("discord" if settings.discord_token else "repl")
    if command == "config":
        from qabot.semantic.model import load_semantic

        print(json.dumps({**settings.public_dict(), "semantic_status": load_semantic(settings).status}, indent=2))
        return 0
    if command == "index":
        return _index(settings, args.if_stale)

    if command == "health":
        from qabot.health import check

        healthy, reason = check(settings)
        print(reason)
        return 0 if healthy else 1
    if command == "discord":
        from qabot.discord_bot import run_discord

        return run_discord(settings)

    from qabot.qa import QA

    qa = QA.open(settings)
    if command == "ask":
        return _ask(qa, args.question, args.json)
    if command == "eval":
        return _eval(qa, args.file, args.json)
    from qabot.repl import run_repl

    return run_repl(qa, sys.stdout)


def _index(settings: Settings, if_stale: bool) -> int:
    from qabot.index import open_index
    from qabot.progress import article_progress
    from qabot.semantic.model import load_semantic

    semantic = load_semantic(settings)
    if semantic.problem:
        log.warning("%s The index holds no sentence vectors.", semantic.problem)
    with article_progress(settings) as step:
        index, built = open_index(settings, rebuild=not if_stale, progress=step, fallback=False, encoder=semantic.encoder)
    state = "built" if built else "up to date"
    vectors = ", with sentence vectors" if index.vectors is not None else ""
    print(
        f"index {state} in {settings.index_dir} ({index.manifest.engine}{vectors}): {len(index.articles)} articles, "
        f"{index.passage_count} passages, {index.sentence_count} passage sentences"
    )
    return 0


def _ask(qa: QA, words: list[str], as_json: bool) -> int:
    """One question from the command line, or one a line from standard input."""
    from qabot.asking import Asker
    from qabot.render import render_json, render_text, wants_bold

    asker = Asker(qa, qa.settings)

    def show(reply: Reply) -> str:
        return render_json(reply.answer) if as_json else reply.note or render_text(reply.answer, wants_bold(sys.stdout))

    if words == ["-"]:
        for raw in sys.stdin.buffer:
            line = raw.decode("utf-8", errors="replace")
            if line.strip():
                print(show(_ask_line(asker, line)), flush=True)
                if not as_json:
                    print(flush=True)
        return 0
    question = " ".join(words)
    if not question.strip():
        raise QabotError("Give a question, e.g. qabot ask \"Who signed the order?\", or - to read from stdin.")
    reply = asker.ask(question)
    print(show(reply))
    return 1 if reply.failed else 0


def _ask_line(asker: Asker, line: str) -> Reply:
    """A plain line is a question on its own; a JSON object {"question": ..., "conversation": id}
    is a turn of that conversation."""
    from qabot.answer import Answer
    from qabot.asking import Reply

    if not line.lstrip().startswith("{"):
        return asker.ask(line)
    try:
        request = json.loads(line)
        question = request["question"]
        conversation_id = request.get("conversation")
        if not isinstance(question, str) or not (conversation_id is None or isinstance(conversation_id, (str, int))):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        reason = 'The line is not {"question": "...", "conversation": "id"}.'
        return Reply(Answer(question=line.strip(), answered=False, reason=reason), "", reason)
    return asker.ask(question, None if conversation_id is None else str(conversation_id))


def _eval(qa: QA, path: Path, as_json: bool) -> int:
    from qabot.evaluate import evaluate, format_report, load_questions

    report = evaluate(qa, load_questions(path))
    print(json.dumps(report.as_dict(), indent=2) if as_json else format_report(report))
    return 0
