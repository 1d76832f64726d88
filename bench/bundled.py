"""What the sentence encoder costs on the bundled corpus (`seeds/`), measured beside words alone.

For each mode, in fresh processes as a user meets them:

- index build: `qabot index` wall time, and its peak RSS;
- cold answer: `qabot ask` with the index already built (start-up, model load, one answer);
- warm answer: the whole-answer median and p95 of the news sets' questions, asked in one process.

    python bench/bundled.py            # both modes if the extra and model are installed; writes bench/RESULTS.md
    python bench/bundled.py --no-write
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from results import write_section  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
QUESTION_SETS = ("dev", "paraphrase", "chat")
ROUNDS = 3
"""Each question is asked this many times in the warm run; the median is over all of them."""

WARM = """
import json, statistics, sys, time
from qabot.qa import QA
from qabot.settings import load_settings
qa = QA.open(load_settings())
questions = [json.loads(line)["question"] for path in sys.argv[1:] for line in open(path, encoding="utf-8")]
for question in questions:
    qa.ask(question)
times = []
for _ in range({rounds}):
    for question in questions:
        started = time.perf_counter()
        qa.ask(question)
        times.append(time.perf_counter() - started)
times.sort()
print(json.dumps({{"median": statistics.median(times), "p95": times[int(0.95 * (len(times) - 1))], "asked": len(times),
                  "semantic": qa.semantic.encoder is not None}}))
"""


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MiB of the child, and stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True, cwd=REPO)
    seconds = time.perf_counter() - started
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return seconds, peak, done.stdout


def measure(semantic: bool, index_dir: Path) -> dict[str, float | str]:
    env = {**os.environ, "QABOT_SEMANTIC": "true" if semantic else "false", "QABOT_INDEX_DIR": str(index_dir)}
    qabot = [sys.executable, "-m", "qabot"]
    config = json.loads(subprocess.run([*qabot, "config"], env=env, capture_output=True, text=True, check=True).stdout)
    build, build_rss, _ = timed([*qabot, "index"], env)
    colds = sorted(timed([*qabot, "ask", "Who is the White House spokeswoman?"], env)[0] for _ in range(3))
    sets = [str(REPO / "tests" / "data" / f"{name}.jsonl") for name in QUESTION_SETS]
    warm = json.loads(timed([sys.executable, "-c", WARM.format(rounds=ROUNDS), *sets], env)[2])
    return {
        "status": config["semantic_status"], "build": build, "build_rss": build_rss, "cold": colds[1],
        "median": warm["median"] * 1000, "p95": warm["p95"] * 1000, "asked": warm["asked"],
    }


def report(rows: dict[str, dict[str, float | str]]) -> str:
    lines = [
        "## The bundled corpus: what the sentence encoder costs",
        "",
        "`python bench/bundled.py`: the bundled articles, each figure in fresh processes on this machine. Warm: "
        f"the whole answer for every question of {', '.join(QUESTION_SETS)} (tests/data), asked {ROUNDS} times in one process. "
        "Cold: `qabot ask` with the index built (the middle of three runs).",
        "",
        "| mode | index build | build peak RSS | cold `qabot ask` | warm median | warm p95 |",
        "|---|---|---|---|---|---|",
    ]
    for mode, row in rows.items():
        lines.append(
            f"| {mode} | {row['build']:.2f} s | {row['build_rss']:.0f} MiB | {row['cold']:.2f} s | "
            f"{row['median']:.1f} ms | {row['p95']:.1f} ms |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-write", action="store_true", help="print, do not update bench/RESULTS.md")
    args = parser.parse_args()
    rows: dict[str, dict[str, float | str]] = {}
    with tempfile.TemporaryDirectory(prefix="qabot-bundled-") as folder:
        rows["words alone"] = measure(False, Path(folder) / "lexical")
        semantic = measure(True, Path(folder) / "semantic")
        if str(semantic["status"]).startswith("on"):
            rows["with the sentence encoder"] = semantic
        else:
            print(f"the sentence encoder is not available here: {semantic['status']}", file=sys.stderr)
    section = report(rows)
    print(section)
    if not args.no_write:
        write_section("bundled", section)


if __name__ == "__main__":
    main()
