"""SQuAD 2.0 (half of its dev set) as an external benchmark of knowing when to answer.

Half the questions cannot be answered from the articles: they were written to look answerable
(a swapped entity, a negation, an antonym). Every question goes through `QA.run` as a user's
would, over one corpus of all 16 articles. Reported for the tuning half (articles 0-7) and the
test half (8-15):

- answerable right: answered, and the first quote holds a gold answer;
- unanswerable abstained; overall: both together, over all questions;
- expected calibration error of `confidence` over the answered questions (10 equal bins);
- risk-coverage: the accuracy of the answers when only the 50/70/90% of questions with the
  highest confidence are answered (an answer to an unanswerable question is wrong);
- what `min_confidence` trades: at each threshold, the share answered, their accuracy, overall.

    python bench/squad2.py               # all 6,078 questions, writes bench/RESULTS.md
    python bench/squad2.py --limit 300   # a quick look
    python bench/squad2.py --data DIR    # where squad2_dev_half.json.gz is (default ../shared/bench)
    python bench/squad2.py --set semantic=false   # words alone, where the sentence encoder is installed

SQuAD 2.0 is CC BY-SA 4.0 (Rajpurkar, Jia and Liang, 2018).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qabot.evaluate import fold  # noqa: E402
from qabot.pipeline import Flow  # noqa: E402
from qabot.qa import QA  # noqa: E402
from qabot.settings import load_settings  # noqa: E402
from results import write_section  # noqa: E402
from squad import DEFAULT_DATA, write_corpus  # noqa: E402

FILE = "squad2_dev_half.json.gz"
TUNING_ARTICLES = range(0, 8)
HALVES = ("tuning (articles 0-7)", "test (articles 8-15)")
COVERAGES = (0.5, 0.7, 0.9)
THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
BINS = 10


@dataclass(frozen=True)
class Question:
    qid: str
    text: str
    answers: list[str]
    """Gold answers; empty for an unanswerable question."""
    article: int

    @property
    def half(self) -> str:
        return HALVES[0] if self.article in TUNING_ARTICLES else HALVES[1]


@dataclass(frozen=True)
class Outcome:
    question: Question
    answered: bool
    right: bool
    """Answered with a first quote holding a gold answer (never, for an unanswerable question)."""
    top_right: bool
    """The best candidate holds a gold answer: right, were the question answered at any threshold."""
    confidence: float


def load_squad2(data_dir: Path, name: str = FILE) -> tuple[list[dict[str, Any]], list[Question]]:
    """Paragraph records in bench/squad.py's format, and the questions in file order."""
    with gzip.open(data_dir / name, "rt", encoding="utf-8") as handle:
        articles = json.load(handle)["data"]
    paragraphs, questions = [], []
    for a, article in enumerate(articles):
        for p, paragraph in enumerate(article["paragraphs"]):
            paragraphs.append({"pid": f"{a}_{p}", "title": article["title"], "article_index": a, "para_index": p,
                               "text": paragraph["context"]})
            for qa in paragraph["qas"]:
                golds = [] if qa.get("is_impossible") else [answer["text"] for answer in qa["answers"]]
                questions.append(Question(qa["id"], qa["question"], golds, a))
    return paragraphs, questions


def outcome(question: Question, flow: Flow) -> Outcome:
    answer = flow.answer
    assert answer is not None
    top_right = bool(flow.candidates) and any(fold(gold) in fold(flow.candidates[0].text) for gold in question.answers)
    return Outcome(question, answer.answered, answer.answered and top_right, top_right, flow.confidence)


def open_qa(paragraphs: list[dict[str, Any]], folder: Path, **settings: Any) -> QA:
    write_corpus(paragraphs, folder / "corpus")
    return QA.open(load_settings(corpus_dir=folder / "corpus", index_dir=folder / "index", **settings))


def figures(outcomes: list[Outcome]) -> dict[str, float]:
    answerable = [o for o in outcomes if o.question.answers]
    unanswerable = [o for o in outcomes if not o.question.answers]
    answered = [o for o in outcomes if o.answered]
    result = {
        "answerable right": sum(o.right for o in answerable) / max(len(answerable), 1),
        "unanswerable abstained": sum(not o.answered for o in unanswerable) / max(len(unanswerable), 1),
        "overall (right or rightly abstained)": (sum(o.right for o in answerable) + sum(not o.answered for o in unanswerable))
        / max(len(outcomes), 1),
        "answered": len(answered) / max(len(outcomes), 1),
        "accuracy when answering": sum(o.right for o in answered) / max(len(answered), 1),
        "expected calibration error (answered)": calibration_error([(o.confidence, o.right) for o in answered]),
    }
    ranked = sorted(outcomes, key=lambda o: -o.confidence)
    for share in COVERAGES:
        top = ranked[: max(1, round(share * len(ranked)))]
        result[f"accuracy at {share:.0%} answered"] = sum(o.top_right for o in top) / len(top)
    return result


def tradeoff(outcomes: list[Outcome]) -> list[str]:
    """Table rows: at each `min_confidence`, the share answered, their accuracy, and overall."""
    rows = []
    for threshold in THRESHOLDS:
        answered = [o for o in outcomes if o.confidence >= threshold]
        right = sum(o.top_right for o in answered)
        abstained_right = sum(1 for o in outcomes if o.confidence < threshold and not o.question.answers)
        rows.append(
            f"| {threshold:.1f} | {len(answered) / len(outcomes):.3f} | {right / max(len(answered), 1):.3f} | "
            f"{(right + abstained_right) / len(outcomes):.3f} |"
        )
    return rows


def calibration_error(pairs: Iterable[tuple[float, bool]], bins: int = BINS) -> float:
    """Expected calibration error: the mean gap between confidence and accuracy over equal-width
    confidence bins, weighed by how many answers fall in each."""
    pairs = list(pairs)
    if not pairs:
        return 0.0
    total = 0.0
    for b in range(bins):
        inside = [(c, r) for c, r in pairs if b / bins <= c < (b + 1) / bins or (b == bins - 1 and c == 1.0)]
        if inside:
            gap = abs(sum(c for c, _ in inside) / len(inside) - sum(r for _, r in inside) / len(inside))
            total += gap * len(inside) / len(pairs)
    return total


def report(outcomes: list[Outcome], seconds: float, semantic: bool) -> str:
    by_half = {half: [o for o in outcomes if o.question.half == half] for half in HALVES}
    table = {half: figures(items) for half, items in by_half.items()}
    rows = list(table[HALVES[0]])
    mode = "with the sentence encoder" if semantic else "words alone (the default install)"
    lines = [
        f"## SQuAD 2.0 dev, first half (external benchmark of abstaining): {mode}",
        "",
        f"`python bench/squad2.py{' --set semantic=true' if semantic else ''}`: {len(outcomes)} questions over 16 articles, {seconds:.0f} s in all. "
        "The answerability model is fitted on the tuning half only.",
        "",
        "| figure | " + " | ".join(HALVES) + " |",
        "|---|" + "---|" * len(HALVES),
    ]
    lines += [f"| {row} | " + " | ".join(f"{table[h][row]:.3f}" for h in HALVES) + " |" for row in rows]
    lines += ["", "Questions: " + ", ".join(
        f"{h}: {len(by_half[h])} ({sum(not o.question.answers for o in by_half[h])} unanswerable)" for h in HALVES)]
    lines += [
        "", f"What `min_confidence` trades on the {HALVES[1]}:", "",
        "| min_confidence | answered | accuracy when answering | overall |", "|---|---|---|---|",
        *tradeoff(by_half[HALVES[1]]),
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="only every n-th question, about N of each half")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a qabot setting")
    parser.add_argument("--no-write", action="store_true", help="print, do not update bench/RESULTS.md")
    args = parser.parse_args()
    paragraphs, questions = load_squad2(args.data)
    if args.limit:
        questions = questions[:: max(1, len(questions) // (2 * args.limit))]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        qa = open_qa(paragraphs, Path(folder), **dict(item.split("=", 1) for item in args.set))
        outcomes = [outcome(q, qa.run(q.text)) for q in questions]
    semantic = qa.semantic.encoder is not None
    section = report(outcomes, time.perf_counter() - started, semantic)
    print(section)
    if not args.no_write and not args.limit:
        write_section("squad2-semantic" if semantic else "squad2", section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
