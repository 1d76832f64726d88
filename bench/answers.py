"""Every answer qabot gives on the news question sets and a SQuAD sample, to tell whether a change
that should not change behaviour changed none.

    python bench/answers.py --write /tmp/before.jsonl     # before the change
    python bench/answers.py --compare /tmp/before.jsonl   # after it: lists every difference

One JSON line per question: the question, the whole answer object (quotes, offsets, scores,
confidence; a quote's source by file name, as corpora live in temporary folders) and the order of the passages read. The news sets are `tests/data/*.jsonl`, asked
as `qabot eval` asks them (conversations in order); the SQuAD sample is `--squad N` questions of
SQuAD v1.1 dev spread evenly over both halves, asked over the whole SQuAD corpus.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from qabot.conversation import Conversation  # noqa: E402
from qabot.evaluate import load_questions  # noqa: E402
from qabot.qa import QA  # noqa: E402
from qabot.settings import load_settings  # noqa: E402
from squad import DEFAULT_DATA, load_squad, write_corpus  # noqa: E402

NEWS_SETS = ("dev", "paraphrase", "followups", "followups_extra")


def _record(name: str, qa: QA, question: str, conversation: Conversation | None = None) -> dict:
    flow = qa.run(question, conversation)
    assert flow.answer is not None
    dumped = flow.answer.model_dump()
    for quote in dumped["quotes"]:
        quote["source"] = Path(quote["source"]).name
    return {"set": name, "question": question, "answer": dumped, "read": [h.passage for h in flow.read]}


def news_records(settings_overrides: dict[str, Any]) -> list[dict]:
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        qa = QA.open(load_settings(corpus_dir=REPO / "seeds", index_dir=Path(tmp) / "index", **settings_overrides))
        for name in NEWS_SETS:
            for each in load_questions(REPO / "tests" / "data" / f"{name}.jsonl"):
                conversation = qa.new_conversation() if len(each.turns) > 1 else None
                for turn in each.turns:
                    records.append(_record(name, qa, turn.question, conversation))
    return records


def squad_records(data: Path, count: int, settings_overrides: dict[str, Any]) -> list[dict]:
    paragraphs, questions = load_squad(data)
    sample = questions[:: max(1, len(questions) // count)][:count]
    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(paragraphs, Path(tmp) / "corpus")
        settings = load_settings(corpus_dir=Path(tmp) / "corpus", index_dir=Path(tmp) / "index", **settings_overrides)
        qa = QA.open(settings)
        return [_record("squad", qa, q["question"]) for q in sample]


def compare(before: list[dict], after: list[dict]) -> list[str]:
    """One line per question whose record differs, and one per question only one side asked (a
    question asked twice is matched in order)."""
    def keyed(records: list[dict]) -> dict[tuple[str, str, int], dict]:
        seen: dict[tuple[str, str], int] = {}
        found = {}
        for r in records:
            key = (r["set"], r["question"])
            seen[key] = seen.get(key, 0) + 1
            found[(*key, seen[key])] = r
        return found

    old, new = keyed(before), keyed(after)
    lines = [f"only {side}: {key[0]}: {key[1]!r}" for side, a, b in (("before", old, new), ("after", new, old)) for key in a if key not in b]
    return lines + [
        f"{key[0]}: {key[1]!r}\n  before: {json.dumps(old[key], sort_keys=True)[:400]}\n"
        f"  after:  {json.dumps(new[key], sort_keys=True)[:400]}"
        for key in old
        if key in new and old[key] != new[key]
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", type=Path, metavar="FILE")
    action.add_argument("--compare", type=Path, metavar="FILE")
    parser.add_argument("--squad", type=int, default=1000, metavar="N", help="SQuAD questions (0: none)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a qabot setting")
    args = parser.parse_args()
    overrides = dict(item.split("=", 1) for item in args.set)
    records = news_records(overrides) + (squad_records(args.data, args.squad, overrides) if args.squad else [])
    if args.write:
        args.write.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        print(f"wrote {len(records)} answers to {args.write}")
        return 0
    before = [json.loads(line) for line in args.compare.read_text(encoding="utf-8").splitlines()]
    differences = compare(before, records)
    print("\n".join(differences) if differences else f"all {len(records)} answers are identical")
    if differences:
        print(f"{len(differences)} difference(s) in {len(records)} answers")
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
