"""rank-bm25 and tantivy score qabot's own terms with the same BM25, so their rankings agree."""

import shutil
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from qabot.index import open_index
from qabot.qa import QA
from qabot.question import analyze
from qabot.settings import load_settings

from conftest import DATA, REPO, SEEDS, read_jsonl

sys.path.insert(0, str(REPO / "bench"))
import squad  # noqa: E402

pytestmark = pytest.mark.slow


def _pair(corpus: Path, tmp_path: Path):
    small = open_index(load_settings(corpus_dir=corpus, index_dir=tmp_path / "r", engine="rank-bm25"))[0]
    large = open_index(load_settings(corpus_dir=corpus, index_dir=tmp_path / "t", engine="tantivy"))[0]
    assert small.manifest.engine == "rank-bm25" and large.manifest.engine == "tantivy"
    return small, large


def _agreement(small, large, questions: list[str]) -> tuple[float, float]:
    """(mean overlap of the top-10 sets, share of questions with the same top passage)."""
    overlap = same_top = 0.0
    for question in questions:
        terms = list(analyze(question).terms)
        a = small.engine.search(terms, 10)
        b = large.engine.search(terms, 10)
        overlap += len({h.passage for h in a} & {h.passage for h in b}) / max(len(a), 1)
        same_top += bool(a and b and a[0].passage == b[0].passage) or (not a and not b)
        for x, y in zip(a, b):
            if x.passage == y.passage:
                assert x.score == pytest.approx(y.score, rel=0.05)
    return overlap / len(questions), same_top / len(questions)


def test_parity_on_the_dev_questions(tmp_path: Path) -> None:
    small, large = _pair(SEEDS, tmp_path)
    questions = [r["question"] for r in read_jsonl(DATA / "dev.jsonl")] + [r["question"] for r in read_jsonl(DATA / "paraphrase.jsonl")]
    overlap, same_top = _agreement(small, large, questions)
    assert overlap >= 0.95 and same_top >= 0.95


def test_parity_on_squad(tmp_path: Path) -> None:
    paragraphs, questions = squad.load_squad(DATA, "squad_paragraphs_subset.jsonl.gz", "squad_questions_subset.jsonl.gz")
    squad.write_corpus(paragraphs, tmp_path / "corpus")
    small, large = _pair(tmp_path / "corpus", tmp_path)
    overlap, same_top = _agreement(small, large, [q["question"] for q in questions[::3]])
    assert overlap >= 0.95 and same_top >= 0.95


def test_postings_rank_exactly_as_scoring_every_passage(tmp_path: Path) -> None:
    """The rank-bm25 engine scores only passages holding a query term, with frequencies from its
    postings; rank-bm25's own `get_scores` over every passage must give the same hits, scores and
    order, and its `get_batch_scores` the same scores of given passages in any order."""
    paragraphs, questions = squad.load_squad(DATA, "squad_paragraphs_subset.jsonl.gz", "squad_questions_subset.jsonl.gz")
    squad.write_corpus(paragraphs, tmp_path / "corpus")
    index = open_index(load_settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "r", engine="rank-bm25"))[0]
    engine = index.engine
    bm25, ids = engine._bm25, engine._ids  # the engine's own rank-bm25 model, scored the slow way
    for question in [q["question"] for q in questions[::5]] + ["zzz unknown words", "the the"]:
        terms = list(analyze(question).terms)
        if not terms:
            continue
        scores = bm25.get_scores(terms)
        every = sorted(((-s, int(ids[row])) for row, s in enumerate(scores) if s > 0))[:10]
        assert [(h.passage, h.score) for h in engine.search(terms, 10)] == [(p, -s) for s, p in every]
        some = [int(row) for row in np.random.default_rng(len(terms)).permutation(len(ids))[:40]]
        given = engine.score(terms, [int(ids[row]) for row in some])
        assert [(h.passage, h.score) for h in given] == [(int(ids[row]), s) for row, s in zip(some, bm25.get_batch_scores(terms, some))]


def test_rank_bm25_engine_over_passages_without_terms_finds_nothing_quietly() -> None:
    """Passages of stopwords alone have no terms and an average length of 0: no warning, no hit."""
    from qabot.engines.rank_bm25 import RankBM25Engine

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        engine = RankBM25Engine(np.array([4, 7]), [[], []])
        assert engine.search(["x"], 5) == []
        assert [(h.passage, h.score) for h in engine.score(["x"], [4, 7])] == [(4, 0.0), (7, 0.0)]


def test_tantivy_engine_answers_and_updates_in_place(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    settings = load_settings(corpus_dir=corpus, index_dir=tmp_path / "t", engine="tantivy")
    qa = QA.open(settings)
    assert "Abigail Jackson" in qa.ask("Who is the White House spokeswoman?").quotes[0].text
    before = qa.index.passage_count
    (corpus / "005_new.txt").write_text("A New Story\nThe zoo welcomed a baby giraffe named Kito on Monday.\n")
    (corpus / "004_ea9d9180c3ccb2e3.txt").unlink()
    index, built = open_index(settings)
    assert built and index.manifest.engine == "tantivy"
    qa = QA(settings, index)
    assert "Kito" in qa.ask("What was the baby giraffe at the zoo named?").quotes[0].text
    assert not qa.ask("Who is the White House spokeswoman?").answered
    assert index.engine.passage_count == index.passage_count < before


def test_auto_engine_follows_corpus_size(tmp_path: Path) -> None:
    assert open_index(load_settings(corpus_dir=SEEDS, index_dir=tmp_path / "a"))[0].manifest.engine == "rank-bm25"
    big = load_settings(corpus_dir=SEEDS, index_dir=tmp_path / "b", small_corpus_passages=10)
    assert open_index(big)[0].manifest.engine == "tantivy"
