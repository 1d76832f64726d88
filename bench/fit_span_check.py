"""Fit the span check (qabot/span_check.json): how much the span model's view of a candidate
sentence counts beside the sentence scorer's score.

    python bench/fit_span_check.py              # fits, writes the weights, prints accuracy on both halves
    python bench/fit_span_check.py --no-write   # prints only
    python bench/fit_span_check.py --semantic   # the weights beside the scorer that reads the encoder's similarity

For every question of SQuAD v1.1's tuning half (articles 0-23, but for those SQuAD 2.0's test half
holds: bench/halves.py) the real pipeline runs up to the sentence scorer; the first
`qabot.span_check.REACH` candidates get their span evidence, and a candidate is right when it holds
a gold answer. The weights are those of a linear conditional logit over the score and that
evidence (fitted as bench/fit_scorer.py fits, so a rerun gives the same weights), divided by the
score's weight. Fit it after the sentence scorer and the span model it reads; the confidence model
is fitted after it. The test half (24-47) is only measured.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qabot.evaluate import fold  # noqa: E402
from qabot.pipeline import Pipeline  # noqa: E402
from qabot.qa import QA  # noqa: E402
from qabot.question import analyze  # noqa: E402
from qabot.span_check import FEATURES, MODEL_FILE, REACH, SEMANTIC_MODEL_FILE, looks_at, span_evidence  # noqa: E402
from fit_scorer import fit as fit_conditional_logit  # noqa: E402
from halves import squad_halves  # noqa: E402
from squad import DEFAULT_DATA  # noqa: E402
from squad2 import open_qa  # noqa: E402
from results import write_model  # noqa: E402

PACKAGE = Path(__file__).resolve().parents[1] / "qabot"
TRAINED_ON = "SQuAD v1.1 dev, articles 0-23 but those in SQuAD 2.0's test half"


def collect(qa: QA, questions: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A row per looked-at candidate: its score, then its span evidence; right or wrong; question number."""
    scored = Pipeline(qa.pipeline.stages[: qa.pipeline.stages.index(qa.check)])
    rows, labels, groups = [], [], []
    for number, q in enumerate(questions):
        question = analyze(q["question"])
        if not looks_at(question):
            continue
        golds = [fold(a) for a in q["answers"]]
        for cand in scored.run(question).candidates[:REACH]:
            rows.append(np.concatenate([[cand.score], span_evidence(cand.text, question, qa.check.model)]))
            labels.append(any(g in fold(cand.text) for g in golds))
            groups.append(number)
    return np.array(rows), np.array(labels, dtype=float), np.array(groups)


def accuracy(weights: np.ndarray, x: np.ndarray, y: np.ndarray, g: np.ndarray) -> float:
    """Share of the questions looked at whose first candidate holds the answer once reranked."""
    scores = x[:, 0] + x[:, 1:] @ weights
    firsts = [rows[np.argmax(scores[rows])] for rows in np.split(np.arange(len(g)), np.flatnonzero(np.diff(g)) + 1)]
    return float(y[firsts].mean())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--no-write", action="store_true", help=f"print, do not update qabot/{MODEL_FILE}")
    parser.add_argument("--semantic", action="store_true", help="fit beside the scorer that reads the similarity")
    args = parser.parse_args()
    paragraphs, halves = squad_halves(args.data)
    with tempfile.TemporaryDirectory() as tmp:
        qa = open_qa(paragraphs, Path(tmp), semantic=args.semantic)
        if args.semantic and qa.semantic.encoder is None:
            raise SystemExit(f"The sentence encoder is not available: {qa.semantic.status}")
        data = {name: collect(qa, qs) for name, qs in halves.items()}
    names = ("score", *FEATURES)
    linear = fit_conditional_logit(*data["tuning"], names, units=0).linear
    weights = linear[1:] / linear[0]
    for name, (x, y, g) in data.items():
        print(f"{name}: the first candidate holds the answer for {accuracy(weights, x, y, g):.3f} of the questions the check"
              f" looks at ({accuracy(np.zeros(len(FEATURES)), x, y, g):.3f} by the score alone)")
    print("weights: " + ", ".join(f"{n} {w:+.3f}" for n, w in zip(FEATURES, weights)))
    if not args.no_write:
        path = PACKAGE / (SEMANTIC_MODEL_FILE if args.semantic else MODEL_FILE)
        model = {"features": list(FEATURES), "trained_on": TRAINED_ON, "weights": weights.tolist()}
        write_model(path, model)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
