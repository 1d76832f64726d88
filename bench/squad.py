"""SQuAD v1.1 dev as an external benchmark of the whole qabot pipeline.

Turns the data into a qabot corpus (one article per Wikipedia title, paragraphs kept, one per
line), runs every question through `QA.run` as a user's question would go, and reports, for the
tuning half (articles 0-23) and the test half (24-47):

- retrieval recall@1/5/20 and MRR of the gold paragraph (in the order the pipeline ends with: the
  top_k passages it read ranked by their best sentence, then the rest of BM25's top 20);
- answer-sentence accuracy end to end and with the gold paragraph given (the same stages, with
  `GivenPassages` instead of retrieval), abstention, and run time;
- the short answer's exact match and F1 (SQuAD's official normalisation, bench/metrics.py; an
  abstention or no short answer scores 0), end to end and with the gold paragraph given (the
  span of the best sentence read from it).

    python bench/squad.py                      # all 10,570 questions, writes bench/RESULTS.md
    python bench/squad.py --limit 500          # a quick look
    python bench/squad.py --data DIR           # where the SQuAD files are (default ../shared/bench)
    python bench/squad.py --set semantic=false # words alone, where the sentence encoder is installed

No network is needed. SQuAD is CC BY-SA 4.0 (Rajpurkar et al., 2016).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qabot.evaluate import fold  # noqa: E402
from qabot.pipeline import GivenPassages, Pipeline  # noqa: E402
from qabot.qa import QA  # noqa: E402
from qabot.settings import load_settings  # noqa: E402
from qabot.span import best_span  # noqa: E402
from metrics import exact_match, f1  # noqa: E402
from results import write_section  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "bench"
TUNING_ARTICLES = range(0, 24)
RECALL_KS = (1, 5, 20)
RETRIEVE_K = 20


@dataclass(frozen=True)
class GoldSpan:
    doc_id: str
    start: int
    end: int


@dataclass
class Tally:
    questions: int = 0
    ranks: list[int | None] = field(default_factory=list)
    correct: int = 0
    answered: int = 0
    answered_correct: int = 0
    gold_given_correct: int = 0
    exact: float = 0.0
    f1: float = 0.0
    exact_given: float = 0.0
    f1_given: float = 0.0

    def add_short(self, prediction: str | None, given: str | None, golds: list[str]) -> None:
        """SQuAD's EM and F1 of the short answer, end to end and with the gold paragraph given."""
        self.exact += exact_match(prediction, golds)
        self.f1 += f1(prediction, golds)
        self.exact_given += exact_match(given, golds)
        self.f1_given += f1(given, golds)

    def figures(self) -> dict[str, float]:
        n = max(self.questions, 1)
        out = {f"recall@{k}": sum(r is not None and r <= k for r in self.ranks) / n for k in RECALL_KS}
        out["MRR"] = sum(1 / r for r in self.ranks if r) / n
        out["accuracy"] = self.correct / n
        out["accuracy, gold paragraph given"] = self.gold_given_correct / n
        out["abstention rate"] = 1 - self.answered / n
        out["accuracy when answering"] = self.answered_correct / max(self.answered, 1)
        out["short answer EM"] = self.exact / n
        out["short answer F1"] = self.f1 / n
        out["short answer EM, gold paragraph given"] = self.exact_given / n
        out["short answer F1, gold paragraph given"] = self.f1_given / n
        return out


def load_squad(
    data_dir: Path, paragraphs: str = "squad_dev_paragraphs.jsonl.gz", questions: str = "squad_dev_questions.jsonl.gz"
) -> tuple[list[dict], list[dict]]:
    def read(name: str) -> list[dict]:
        with gzip.open(data_dir / name, "rt", encoding="utf-8") as handle:
            return [json.loads(line) for line in handle]

    return read(paragraphs), read(questions)


def doc_id_for(title: str, article_index: int) -> str:
    return f"{article_index:02d}_{re.sub(r'[^A-Za-z0-9]+', '_', title).strip('_')}"


def write_corpus(paragraphs: list[dict], folder: Path) -> dict[str, GoldSpan]:
    """One file per article: its title, then each paragraph on a line of its own after a blank line."""
    by_article: dict[int, list[dict]] = defaultdict(list)
    for para in paragraphs:
        by_article[para["article_index"]].append(para)
    spans: dict[str, GoldSpan] = {}
    folder.mkdir(parents=True, exist_ok=True)
    for article_index, paras in sorted(by_article.items()):
        doc_id = doc_id_for(paras[0]["title"], article_index)
        text = paras[0]["title"].replace("_", " ") + "\n"
        for para in sorted(paras, key=lambda p: p["para_index"]):
            text += "\n"
            body = " ".join(para["text"].split())
            spans[para["pid"]] = GoldSpan(doc_id, len(text), len(text) + len(body))
            text += body + "\n"
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return spans


def in_gold(qa: QA, passage_index: int, gold: GoldSpan) -> bool:
    """A passage counts when most of it lies inside the gold paragraph."""
    passage = qa.index.passage(passage_index)
    if passage.doc_id != gold.doc_id:
        return False
    inside = min(passage.end, gold.end) - max(passage.start, gold.start)
    return inside * 2 > passage.end - passage.start


def run(qa: QA, questions: list[dict], spans: dict[str, GoldSpan], article_of: dict[str, int]) -> dict[str, Tally]:
    tallies = {"tuning (articles 0-23)": Tally(), "test (articles 24-47)": Tally()}
    gold_passages: dict[str, list[int]] = {}
    by_doc: dict[str, list[int]] = defaultdict(list)
    passages = {i: qa.index.passage(i) for i in qa.index.passage_ids()}
    for i, passage in passages.items():
        by_doc[passage.doc_id].append(i)
    for q in questions:
        gold = spans[q["pid"]]
        if q["pid"] not in gold_passages:
            gold_passages[q["pid"]] = [
                i for i in by_doc[gold.doc_id]
                if any(gold.start <= s.start < gold.end for s in passages[i].sentences)
            ]
        tally = tallies["tuning (articles 0-23)" if article_of[q["pid"]] in TUNING_ARTICLES else "test (articles 24-47)"]
        tally.questions += 1
        golds = [fold(a) for a in q["answers"]]

        flow = qa.run(q["question"])
        answer = flow.answer
        assert answer is not None
        read = flow.read
        seen = {hit.passage for hit in read}
        ranked = read + [h for h in qa.index.engine.search(list(flow.question.terms), RETRIEVE_K) if h.passage not in seen]
        rank = next((r for r, hit in enumerate(ranked, 1) if in_gold(qa, hit.passage, gold)), None)
        tally.ranks.append(rank)
        if answer.answered:
            tally.answered += 1
            right = any(g in fold(answer.quotes[0].text) for g in golds)
            tally.correct += right
            tally.answered_correct += right

        given = Pipeline([GivenPassages(qa.index.engine, gold_passages[q["pid"]]), *qa.reading]).run(flow.question, flow.asked)
        candidates = [c for c in given.candidates if gold.start <= c.sentence.start < gold.end]
        if candidates:
            tally.gold_given_correct += any(g in fold(candidates[0].text) for g in golds)
        span = best_span(candidates[0].text, flow.question, qa.shorten.model, qa.shorten.pointer) if candidates else None
        tally.add_short(
            answer.short_answer.text if answer.answered and answer.short_answer else None,
            candidates[0].text[span[0] : span[1]] if span else None,
            q["answers"],
        )
    return tallies


def report(tallies: dict[str, Tally], seconds: float, count: int, passages: int, semantic: bool) -> str:
    names = list(tallies)
    rows = list(tallies[names[0]].figures())
    mode = "with the sentence encoder" if semantic else "words alone (the default install)"
    lines = [
        f"## SQuAD v1.1 dev (external benchmark): {mode}",
        "",
        f"`python bench/squad.py{' --set semantic=true' if semantic else ''}` — {count} questions over {passages} passages, "
        f"{seconds:.0f} s in all ({1000 * seconds / max(count, 1):.1f} ms per question, both runs of each).",
        "Tuned only on the tuning half; the test half is reported as measured.",
        "",
        "| figure | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for row in rows:
        lines.append(f"| {row} | " + " | ".join(f"{tallies[n].figures()[row]:.3f}" for n in names) + " |")
    lines += ["", "Questions: " + ", ".join(f"{n}: {tallies[n].questions}" for n in names)]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="only N questions of each half, evenly spread")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a qabot setting")
    parser.add_argument("--no-write", action="store_true", help="print, do not update bench/RESULTS.md")
    args = parser.parse_args()
    paragraphs, questions = load_squad(args.data)
    article_of = {p["pid"]: p["article_index"] for p in paragraphs}
    if args.limit:
        halves = defaultdict(list)
        for q in questions:
            halves[article_of[q["pid"]] in TUNING_ARTICLES].append(q)
        questions = [q for half in (halves[True], halves[False]) for q in half[:: max(1, len(half) // args.limit)][: args.limit]]
    with tempfile.TemporaryDirectory() as tmp:
        spans = write_corpus(paragraphs, Path(tmp) / "corpus")
        overrides = dict(item.split("=", 1) for item in args.set)
        settings = load_settings(corpus_dir=Path(tmp) / "corpus", index_dir=Path(tmp) / "index", **overrides)
        started = time.perf_counter()
        qa = QA.open(settings)
        tallies = run(qa, questions, spans, article_of)
        seconds = time.perf_counter() - started
    semantic = qa.semantic.encoder is not None
    section = report(tallies, seconds, len(questions), qa.index.passage_count, semantic)
    print(section)
    if not args.no_write and not args.limit:
        write_section("squad-semantic" if semantic else "squad", section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
