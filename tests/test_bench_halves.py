"""The benchmarks' halves cross (an article of SQuAD v1.1's tuning half is in SQuAD 2.0's test
half, and one the other way round): no model may be fitted on an article a benchmark reports on."""

import gzip
import json
import sys
from pathlib import Path

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))

from halves import squad2_fit_articles, squad_fit_pids  # noqa: E402


def _gzip_lines(path: Path, records: list[dict]) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(record) + "\n" for record in records)


def _benchmarks(folder: Path) -> Path:
    """SQuAD v1.1 with articles 0 and 1 in its tuning half, 30 and 31 in its test half; SQuAD 2.0
    with articles 0-7 in its tuning half, 8 and 9 in its test half. "Crossing" is v1.1 tuning and
    SQuAD 2.0 test; "Crossed" is SQuAD 2.0 tuning and v1.1 test."""
    v1 = {0: "Kept", 1: "Crossing", 30: "Crossed", 31: "Tested"}
    _gzip_lines(folder / "squad_dev_paragraphs.jsonl.gz", [
        {"pid": f"p{i}", "title": title, "article_index": i, "para_index": 0, "text": "Text."} for i, title in v1.items()
    ])
    _gzip_lines(folder / "squad_dev_questions.jsonl.gz", [])
    v2 = ["Crossed", *(f"Tuning{i}" for i in range(1, 8)), "Crossing", "Tested"]
    unanswerable = {"question": "Q?", "answers": [], "is_impossible": True}
    data = [{"title": title, "paragraphs": [{"context": "Text.", "qas": [{"id": title, **unanswerable}]}]} for title in v2]
    with gzip.open(folder / "squad2_dev_half.json.gz", "wt", encoding="utf-8") as handle:
        json.dump({"data": data}, handle)
    return folder


def test_squad_models_are_not_fitted_on_an_article_squad2_tests(tmp_path: Path) -> None:
    assert squad_fit_pids(_benchmarks(tmp_path)) == {"p0"}


def test_squad2_models_are_not_fitted_on_an_article_squad_tests(tmp_path: Path) -> None:
    assert squad2_fit_articles(_benchmarks(tmp_path)) == set(range(1, 8))
