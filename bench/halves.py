"""What each benchmark's models may be fitted on: its tuning half, but for any article the other
benchmark reports on.

SQuAD 2.0's dev half holds 16 of SQuAD v1.1 dev's 48 articles, with the same answerable questions,
and the two benchmarks' halves cross: an article of one's tuning half can be in the other's test
half (Warsaw: v1.1 tuning, SQuAD 2.0 test; Harvard_University: SQuAD 2.0 tuning, v1.1 test). A
model fitted on such an article would be measured on questions it was fitted on.
"""

from __future__ import annotations

from pathlib import Path

from squad import TUNING_ARTICLES, load_squad
from squad2 import HALVES, load_squad2


def squad_fit_pids(data_dir: Path) -> set[str]:
    """Paragraph ids of SQuAD v1.1's tuning half whose article SQuAD 2.0's test half does not hold."""
    paragraphs, questions = load_squad2(data_dir)
    tested = {q.article for q in questions if q.half == HALVES[1]}
    reported = {p["title"] for p in paragraphs if p["article_index"] in tested}
    return {
        p["pid"] for p in load_squad(data_dir)[0] if p["article_index"] in TUNING_ARTICLES and p["title"] not in reported
    }


def squad_halves(data_dir: Path) -> tuple[list[dict], dict[str, list[dict]]]:
    """SQuAD v1.1's paragraphs, and its questions by half: "tuning" (those a model may be fitted on,
    `squad_fit_pids`) and "test" (articles 24-47, only measured)."""
    paragraphs, questions = load_squad(data_dir)
    article_of = {p["pid"]: p["article_index"] for p in paragraphs}
    fitted_on = squad_fit_pids(data_dir)
    return paragraphs, {
        "tuning": [q for q in questions if q["pid"] in fitted_on],
        "test": [q for q in questions if article_of[q["pid"]] not in TUNING_ARTICLES],
    }


def squad2_fit_articles(data_dir: Path) -> set[int]:
    """Article indexes of SQuAD 2.0's tuning half whose article SQuAD v1.1's test half does not hold."""
    reported = {p["title"] for p in load_squad(data_dir)[0] if p["article_index"] not in TUNING_ARTICLES}
    paragraphs, questions = load_squad2(data_dir)
    tuning = {q.article for q in questions if q.half == HALVES[0]}
    return {p["article_index"] for p in paragraphs if p["article_index"] in tuning and p["title"] not in reported}
