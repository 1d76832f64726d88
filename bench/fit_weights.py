"""Fit the extractor's feature weights (qabot/extract.py WEIGHTS) on the SQuAD tuning half.

    python bench/fit_weights.py            # prints WEIGHTS and the accuracy they give on both halves

For every question of the tuning half (articles 0-23) the real pipeline retrieves passages and
`Extractor.evidence` gives each candidate sentence its features; a sentence is right when it
contains a gold answer. The weights maximise, over questions with both right and wrong candidates,
the log of the softmax probability of the right ones (a conditional logit, L2-regularised), by
full-batch Adam. The test half (articles 24-47) is only measured, never fitted.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qabot.evaluate import fold  # noqa: E402
from qabot.extract import FEATURES, WEIGHTS  # noqa: E402
from qabot.qa import QA  # noqa: E402
from qabot.question import analyze  # noqa: E402
from qabot.settings import load_settings  # noqa: E402
from squad import DEFAULT_DATA, TUNING_ARTICLES, load_squad, write_corpus  # noqa: E402

L2 = 0.01
STEPS = 3000
RATE = 0.02


def collect(qa: QA, questions: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Features, right-or-wrong, question number and confidence of every candidate sentence."""
    rows, labels, groups, confidence = [], [], [], []
    for number, q in enumerate(questions):
        golds = [fold(a) for a in q["answers"]]
        parsed = analyze(q["question"])
        hits = qa.retriever.search(list(parsed.terms), qa.settings.top_k)
        found, features = qa.extractor.evidence(parsed, hits)
        for cand, row in zip(found, features):
            rows.append(row)
            labels.append(any(g in fold(cand.text) for g in golds))
            groups.append(number)
            confidence.append(cand.coverage)
    return np.array(rows), np.array(labels, dtype=float), np.array(groups), np.array(confidence)


def _loss_and_gradient(w: np.ndarray, x: np.ndarray, y: np.ndarray, g: np.ndarray, count: int):  # type: ignore[no-untyped-def]
    s = x @ w
    top = np.full(count, -np.inf)
    np.maximum.at(top, g, s)
    e = np.exp(s - top[g])
    all_sum = np.bincount(g, e, minlength=count)
    right_sum = np.bincount(g, e * y, minlength=count)
    loss = np.mean(np.log(all_sum) - np.log(right_sum)) + L2 * w @ w
    weight = e / all_sum[g] - e * y / right_sum[g]
    return loss, (weight[:, None] * x).sum(axis=0) / count + 2 * L2 * w


def fit(x: np.ndarray, y: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Adam on the conditional log-likelihood, over questions with both right and wrong candidates."""
    right = np.bincount(g, y) if len(g) else np.zeros(0)
    total = np.bincount(g) if len(g) else np.zeros(0)
    keep = (right[g] > 0) & (right[g] < total[g])
    x, y = x[keep], y[keep]
    _, g = np.unique(g[keep], return_inverse=True)
    count = int(g.max()) + 1
    w = np.zeros(x.shape[1])
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for step in range(1, STEPS + 1):
        _, grad = _loss_and_gradient(w, x, y, g, count)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w -= RATE * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return w


def accuracy(w: np.ndarray, x: np.ndarray, y: np.ndarray, g: np.ndarray, conf: np.ndarray, questions: int, threshold: float) -> float:
    """Share of questions whose best sentence is right and confident enough to be given."""
    s = x @ w
    right = 0
    for number in np.unique(g):
        rows = np.flatnonzero(g == number)
        best = rows[np.argmax(s[rows])]
        right += bool(y[best]) and conf[best] >= threshold
    return right / max(questions, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    paragraphs, questions = load_squad(args.data)
    article_of = {p["pid"]: p["article_index"] for p in paragraphs}
    halves = {
        "tuning": [q for q in questions if article_of[q["pid"]] in TUNING_ARTICLES],
        "test": [q for q in questions if article_of[q["pid"]] not in TUNING_ARTICLES],
    }
    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(paragraphs, Path(tmp) / "corpus")
        settings = load_settings(corpus_dir=Path(tmp) / "corpus", index_dir=Path(tmp) / "index")
        qa = QA.open(settings)
        data = {name: collect(qa, qs) for name, qs in halves.items()}
    fitted = fit(*data["tuning"][:3])
    print("WEIGHTS = np.array([" + ", ".join(f"{w:.4f}" for w in fitted) + "])")
    print("# " + ", ".join(f"{n} {w:.2f}" for n, w in zip(FEATURES, fitted)))
    for name, (x, y, g, conf) in data.items():
        current = accuracy(WEIGHTS, x, y, g, conf, len(halves[name]), settings.min_confidence)
        new = accuracy(fitted, x, y, g, conf, len(halves[name]), settings.min_confidence)
        print(f"{name}: end-to-end accuracy with the current weights {current:.3f}, with the fitted ones {new:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
