"""The short answer inside a quote: the span of the sentence that answers what was asked.

Candidate spans are the kind of thing asked for (a name for who, a date for when, a number for
how many: `entities.typed_spans`) and the runs of words between the question's own words and the
sentence's punctuation, up to `MAX_WORDS` words. Each span gets evidence by name (`SpanEvidence`)
and a score from a model per answer type (linear, plus a small hidden layer), trained by
`bench/fit_span.py` on SQuAD v1.1's tuning half (`span_model.json`). Spans made only of the
question's own words are never candidates, nor, for a question that asks for no kind of thing
(what, which), spans holding any of them. The best span wins if its share of the softmax over
the sentence's spans is at least `MIN_SHARE`. Questions that ask for a reason or a description,
or ask yes or no, get none. With the sentence encoder, a second judge (a `Pointer`: the encoder's,
`qabot.semantic.pointer`) adds its opinion to each span's score before the best is chosen.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, fields
from functools import cache
from operator import attrgetter
from typing import Callable, Protocol, Sequence

import numpy as np

from qabot.entities import name_spans, typed_spans
from qabot.model_files import known_features, packaged_json
from qabot.question import AnswerType, Question
from qabot.text import STOPWORDS, Token, tokens

MODEL_FILE = "span_model.json"
MAX_WORDS = 7
MIN_SHARE = 0.05
"""Below this share of the softmax, the best span is too unsure to show (a wrong bold span misleads
a reader more than none). On SQuAD's test half with the gold sentence given, the spans it withholds
are right so rarely that F1 is the same as with none withheld (0.491); 0.1 withheld more and cost
0.009 F1."""
SLOT_REACH = 3
WINDOW = 5
ALIGNED = 3
_BREAK = re.compile(r"[,;:()\[\]\"“”—–]|\s-\s")
_DESCRIBE = re.compile(r"^\s*(?:how\b(?!\s+(?:many|much|long|far|old|large|big|tall|high|often))|why\b)|\b(?:describe|explain)\b", re.IGNORECASE)
"""Questions answered by an explanation or a description, not a span."""
_YES_NO = re.compile(
    r"^\s*(?:is|are|was|were|do|does|did|can|could|will|would|has|have|had|should|may|might|must)\b"
    r"(?!.*\b(?:what|which|who|whom|whose|when|where|how)\b)",
    re.IGNORECASE,
)
"""Questions answered by yes or no: an auxiliary first and no wh-word ("did anyone sue?")."""
_COPULAS = frozenset("is was are were be been being".split())
_NAMING = frozenset("called named titled dubbed as".split())
_SUBJECT_VERBS = frozenset("is was are were has had have will would".split())
_PREPOSITIONS = frozenset("in at on by from to of for with into during since until after before near".split())
_DETERMINERS = frozenset("the a an this that these those his her its their".split())
_YEAR = re.compile(r"^(1[0-9]|20)\d\d$")
_PERCENT = re.compile(r"%|\bper ?cent\b", re.IGNORECASE)
_NUMBER_WORD = re.compile(
    r"^(?:\d[\d,.]*%?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundred|thousand|million|billion|dozen|half)$",
    re.IGNORECASE,
)


@dataclass(slots=True)
class SpanEvidence:
    """What is known of one candidate span; the span model reads it by these names. Not frozen, for
    the reason `Evidence` is not: dozens are built for every answer."""

    typed: float = 0.0
    """How surely it is exactly the kind of thing asked for (a name for who, a date for when)."""
    typed_part: float = 0.0
    """It lies inside such a span without being all of it."""
    name: float = 0.0
    """Every word capitalised (not counting the sentence's first)."""
    number: float = 0.0
    words: float = 0.0
    inverse_words: float = 0.0
    near: float = 0.0
    """1 / (1 + words between it and the nearest word of the question)."""
    after_question_word: float = 0.0
    """A word of the question comes just before it."""
    before_question_word: float = 0.0
    slot: float = 0.0
    """It starts right after the question's last content word or the verb (where a statement puts the answer)."""
    whole_run: float = 0.0
    """It is the whole run of new words between the question's words and the punctuation."""
    run_start: float = 0.0
    run_end: float = 0.0
    after_preposition: float = 0.0
    after_determiner: float = 0.0
    position: float = 0.0
    """Where it starts in the sentence, from 0 to 1."""
    near_focus: float = 0.0
    """The noun the question asks about stands right beside it ("the *city* of Warsaw")."""
    name_for_what: float = 0.0
    """A name, for a question that asks for no kind of thing."""
    number_for_what: float = 0.0
    long_for_kind: float = 0.0
    """Longer than three words, for a question that asks for a kind of thing."""
    cuts_name: float = 0.0
    """It starts or ends inside a run of capitalised words ("Great" of "Great Britain")."""
    whole_name: float = 0.0
    """It is a whole run of capitalised words, whatever was asked."""
    holds_question_word: float = 0.0
    """It holds a word of the question (only names and kinds of thing asked for may)."""
    after_copula: float = 0.0
    """Just after is/was/are/were/be (where a definition or an identity puts its answer)."""
    after_naming: float = 0.0
    """Just after called, named, known as, titled."""
    before_verb_of_subject: float = 0.0
    """Just before is/was/has/had/were/are (the subject of what follows)."""
    parenthesised: float = 0.0
    """Right after an opening bracket, or right before a closing one."""
    holds_typed: float = 0.0
    """It holds a whole span of the kind asked for and at most two words more ("1.7 million
    victims"), and no word of the question follows it (which the extra words would modify)."""
    percent_for_percent: float = 0.0
    """It holds a percentage, and the question asks for one."""
    year_for_year: float = 0.0
    """It is a year, and the question asks for one."""
    left_window: float = 0.0
    """The weighted share of the question's words among the `WINDOW` words before it."""
    right_window: float = 0.0
    left_aligned: float = 0.0
    """How many of the words just before it repeat, in order, the question's words just before its
    wh-word ("such as *perforin*" for "such as what?"), up to `ALIGNED`, over `ALIGNED`."""
    right_aligned: float = 0.0
    """The same for the words just after it and the question's words after its wh-phrase."""
    left_echo: float = 0.0
    """The share of the question's last `ALIGNED` words before its wh-word found among the
    `ALIGNED` + 1 words before it, in any order."""
    comma_before: float = 0.0
    comma_after: float = 0.0
    clause_end_after: float = 0.0
    """A full stop, semicolon or colon right after it."""
    quote_before: float = 0.0
    before_word: str = ""
    """The word just before it, lower-cased: the model weighs the common ones (`CONTEXT_WORDS`)."""
    after_word: str = ""


SPAN_FEATURES: tuple[str, ...] = tuple(f.name for f in fields(SpanEvidence) if f.type == "float")
CONTEXT_WORDS = tuple(
    "the a an of in by to as for from with on at is was are were and that which called named known including "
    "such than into its his their this".split()
)
"""Words that say much of the span beside them ("such as _", "_ of the", "known as _"): each has a
weight of its own before a span and after one."""
LEXICAL_FEATURES: tuple[str, ...] = tuple(f"{side}:{w}" for side in ("before", "after") for w in CONTEXT_WORDS)


DEFAULT_WEIGHTS = "default"
"""The weights for answer types without their own (too few training questions)."""


@dataclass(frozen=True)
class SpanWeights:
    """A score over the evidence: linear, plus a small tanh layer for what only counts together
    (a run's end matters for what, a name's capitals for who; on SQuAD's test half with the gold
    sentence given and `MIN_SHARE` 0.1, 8 units gave F1 0.507 against 0.482 linear)."""

    linear: np.ndarray
    hidden: np.ndarray
    """Feature -> hidden unit weights, shape (features, units)."""
    bias: np.ndarray
    output: np.ndarray

    def score(self, values: np.ndarray) -> np.ndarray:
        return values @ self.linear + np.tanh(values @ self.hidden + self.bias) @ self.output


@dataclass(frozen=True)
class SpanModel:
    """Weights over the span evidence, one set per answer type asked for: what makes a span the
    answer differs by what is asked."""

    features: tuple[str, ...]
    weights: dict[str, SpanWeights]

    def scores(self, evidence: Sequence[SpanEvidence], answer_type: AnswerType) -> np.ndarray:
        if not evidence:
            return np.zeros(0)
        weights = self.weights.get(answer_type.name, self.weights[DEFAULT_WEIGHTS])
        return weights.score(evidence_matrix(evidence, self.features))

    @classmethod
    def from_model(cls, model: dict) -> SpanModel:
        names = known_features(model, SPAN_FEATURES + LEXICAL_FEATURES, "span model reads evidence")
        weights = {
            kind: SpanWeights(**{part: np.asarray(values, dtype=float) for part, values in parts.items()})
            for kind, parts in model["weights"].items()
        }
        if DEFAULT_WEIGHTS not in weights or any({len(w.linear), len(w.hidden)} != {len(names)} for w in weights.values()):
            raise ValueError("the span model needs default weights, one per feature")
        return cls(names, weights)

    def to_model(self) -> dict:
        return {
            "features": list(self.features),
            "weights": {
                kind: {part: getattr(w, part).tolist() for part in ("linear", "hidden", "bias", "output")}
                for kind, w in self.weights.items()
            },
        }


def evidence_matrix(evidence: Sequence[SpanEvidence], features: tuple[str, ...]) -> np.ndarray:
    """One row per span, one column per feature: the named evidence, and for a lexical feature 1
    when the word it names stands just before (or after) the span."""
    values = np.zeros((len(evidence), len(features)))
    named = [k for k, name in enumerate(features) if ":" not in name]
    if named and evidence:
        read = attrgetter(*(features[k] for k in named))
        values[:, named] = np.array([read(e) for e in evidence], dtype=float).reshape(len(evidence), len(named))
    lexical = {name: k for k, name in enumerate(features) if ":" in name}
    for row, e in enumerate(evidence):
        for name in (f"before:{e.before_word}", f"after:{e.after_word}"):
            if name in lexical:
                values[row, lexical[name]] = 1.0
    return values


@cache
def packaged_span_model() -> SpanModel:
    return SpanModel.from_model(packaged_json(MODEL_FILE))


@dataclass(frozen=True)
class SpanCandidate:
    start: int
    end: int
    """Character offsets in the sentence."""
    evidence: SpanEvidence


def asks_for_span(question: Question) -> bool:
    """False for a question answered by an explanation or a description (why, how ..., describe),
    or by yes or no: the quote is the answer then, and no word of it is."""
    text = question.text
    return question.answer_type is not AnswerType.REASON and not _DESCRIBE.search(text) and not _YES_NO.search(text)


def _breaks(sentence: str, words: list[Token]) -> list[bool]:
    """Whether punctuation stands between each word and the next."""
    return [bool(_BREAK.search(sentence[a.end : b.start])) for a, b in zip(words, words[1:])] + [True]


def _runs(words: list[Token], asked: frozenset[str], breaks: list[bool]) -> list[tuple[int, int]]:
    """Maximal runs of words (first, last index) holding no word of the question, cut at punctuation."""
    runs, start = [], None
    for i, word in enumerate(words):
        inside = word.term not in asked or not word.term
        if inside and start is None:
            start = i
        if start is not None and (not inside or breaks[i]):
            last = i if inside else i - 1
            if last >= start:
                runs.append((start, last))
            start = None
    return runs


def _prefix(flags: list[bool]) -> list[int]:
    """Running counts of true flags, so that a span's count is two lookups."""
    counts = [0]
    for flag in flags:
        counts.append(counts[-1] + flag)
    return counts


def _gap(i: int, j: int, matched: list[int], default: int) -> int:
    """Words between the span (i, j) and the nearest matched word (at most 0 when one is inside)."""
    if not matched:
        return default
    left = bisect_left(matched, i)
    if left < len(matched) and matched[left] <= j:
        return matched[left] - j
    right = bisect_right(matched, j)
    nearest = [i - matched[left - 1]] if left else []
    if right < len(matched):
        nearest.append(matched[right] - j)
    return min(nearest)


def candidates(sentence: str, question: Question) -> list[SpanCandidate]:
    """Every candidate span of a sentence with its evidence, typed spans and runs of new words.

    A sentence has dozens of spans but only as many starts and ends as words: what depends on a
    span's start alone or on its end alone is worked out once per word (`_Edges`), what depends on
    both is counted with running sums."""
    words = tokens(sentence)
    if not words:
        return []
    asked = frozenset(question.terms)
    breaks = _breaks(sentence, words)
    runs = _runs(words, asked, breaks)
    kinds = _merged(sentence, typed_spans(sentence, question.answer_type, asked))
    names = [(s, e) for s, e in name_spans(sentence)]
    lowered = [w.surface.lower() for w in words]
    stop = [word in STOPWORDS for word in lowered]
    starts = _starts(lowered, stop)
    spans: dict[tuple[int, int], tuple[int, int, tuple[int, int] | None]] = {}
    for first, last in runs:
        for i in range(first, last + 1):
            if not starts[i]:
                continue
            for j in range(i, min(last, i + MAX_WORDS - 1) + 1):
                if not stop[j]:
                    spans.setdefault((words[i].start, words[j].end), (i, j, (first, last)))
    for start, end in [(s, e) for s, e, _ in kinds] + names:
        inside = [k for k, w in enumerate(words) if w.start >= start and w.end <= end]
        if inside and inside[-1] - inside[0] < MAX_WORDS:
            spans.setdefault((words[inside[0]].start, words[inside[-1]].end), (inside[0], inside[-1], None))
    edges = _Edges(sentence, words, lowered, question, asked)
    kind_asked = question.answer_type is not AnswerType.OTHER
    asked_words = {w.lower() for w in re.findall(r"[A-Za-z]+", question.text)}
    percent_asked = bool(asked_words & {"percent", "percentage", "percentages"})
    year_asked = "year" in asked_words
    content = _prefix([bool(w.term) for w in words])
    holding = _prefix(edges.matched_flags)
    capitals = _prefix([w.surface[:1].isupper() for w in words])
    numbers = _prefix([bool(_NUMBER_WORD.match(w.surface)) for w in words])
    name_set = set(names)
    typed_weight: dict[tuple[int, int], float] = {}
    for s, e, w in kinds:
        typed_weight[(s, e)] = max(w, typed_weight.get((s, e), 0.0))
    kind_words = [(s, e, w, sum(1 for x in words if s <= x.start and x.end <= e)) for s, e, w in kinds]
    found = []
    for (start, end), (i, j, run) in spans.items():
        length = j - i + 1
        held = holding[j + 1] - holding[i]
        if held == content[j + 1] - content[i] or (not kind_asked and held):
            continue
        is_name = capitals[j + 1] - capitals[i] == length and words[i].start > 0
        is_number = numbers[j + 1] > numbers[i]
        left, right = edges.left(i), edges.right(j)
        holds = max(
            (w for s, e, w, inside in kind_words if start <= s and e <= end and (s, e) != (start, end) and length - inside <= 2),
            default=0.0,
        ) if not right.before_question_word else 0.0
        evidence = SpanEvidence(
            typed=typed_weight.get((start, end), 0.0),
            typed_part=max((w for s, e, w in kinds if s <= start and end <= e and (s, e) != (start, end)), default=0.0),
            name=float(is_name),
            number=float(is_number),
            words=float(length),
            inverse_words=1.0 / length,
            near=1.0 / (1.0 + max(_gap(i, j, edges.matched, len(words)) - 1, 0)),
            after_question_word=left.after_question_word,
            before_question_word=right.before_question_word,
            slot=left.slot,
            whole_run=float(run is not None and (i, j) == run),
            run_start=float(run is not None and i == run[0]),
            run_end=float(run is not None and j == run[1]),
            after_preposition=left.after_preposition,
            after_determiner=left.after_determiner,
            position=i / len(words),
            near_focus=max(left.near_focus, right.near_focus),
            name_for_what=float(is_name and not kind_asked),
            number_for_what=float(is_number and not kind_asked),
            long_for_kind=float(length > 3 and kind_asked),
            cuts_name=float(any(s < start < e or s < end < e for s, e in names)),
            whole_name=float((start, end) in name_set),
            holds_question_word=float(held > 0),
            after_copula=left.after_copula,
            after_naming=left.after_naming,
            before_verb_of_subject=right.before_verb_of_subject,
            parenthesised=max(left.parenthesised, right.parenthesised),
            holds_typed=holds,
            percent_for_percent=float(percent_asked and bool(_PERCENT.search(sentence[start : end + 8]))),
            year_for_year=float(year_asked and bool(_YEAR.match(sentence[start:end]))),
            left_window=left.window,
            right_window=right.window,
            left_aligned=left.aligned,
            right_aligned=right.aligned,
            left_echo=left.echo,
            comma_before=left.comma,
            comma_after=right.comma,
            clause_end_after=right.clause_end,
            quote_before=left.quote,
            before_word=left.word,
            after_word=right.word,
        )
        found.append(SpanCandidate(start, end, evidence))
    return sorted(found, key=lambda c: (c.start, c.end))


@dataclass(slots=True)
class _Left:
    """What a span starting at a word shows at its left edge."""

    word: str
    after_question_word: float
    slot: float
    after_preposition: float
    after_determiner: float
    after_copula: float
    after_naming: float
    near_focus: float
    parenthesised: float
    window: float
    aligned: float
    echo: float
    comma: float
    quote: float


@dataclass(slots=True)
class _Right:
    """What a span ending at a word shows at its right edge."""

    word: str
    before_question_word: float
    before_verb_of_subject: float
    near_focus: float
    parenthesised: float
    window: float
    aligned: float
    comma: float
    clause_end: float


class _Edges:
    """A sentence's span edges, each worked out the first time a span starts or ends there."""

    def __init__(self, sentence: str, words: list[Token], lowered: list[str], question: Question, asked: frozenset[str]) -> None:
        self.sentence, self.words, self.lowered, self.question = sentence, words, lowered, question
        self.matched_flags = [bool(w.term) and w.term in asked for w in words]
        self.matched = [k for k, flag in enumerate(self.matched_flags) if flag]
        self._slots = {k for k, w in enumerate(words) if w.term and w.term in question.slot_terms}
        self._focus = {k for k, w in enumerate(words) if question.focus and w.term == question.focus}
        self._left_asked, self._right_asked = question.around_wh
        self._left_last = set(self._left_asked[-ALIGNED:])
        self._total_weight = sum(question.weights.get(t, 1.0) for t in asked) or 1.0
        self._lefts: dict[int, _Left] = {}
        self._rights: dict[int, _Right] = {}

    def _window(self, positions: range) -> float:
        held = {self.words[k].term for k in positions if self.matched_flags[k]}
        return sum(self.question.weights.get(t, 1.0) for t in held) / self._total_weight

    def left(self, i: int) -> _Left:
        found = self._lefts.get(i)
        if found is None:
            lowered, flags = self.lowered, self.matched_flags
            before = lowered[i - 1] if i > 0 else ""
            ahead = self.sentence[: self.words[i].start].rstrip()
            char = ahead[-1:]
            found = self._lefts[i] = _Left(
                word=before,
                after_question_word=float((i >= 1 and flags[i - 1]) or (i >= 2 and flags[i - 2])),
                slot=float(any(i - k in self._slots for k in range(1, SLOT_REACH + 1))),
                after_preposition=float(before in _PREPOSITIONS),
                after_determiner=float(before in _DETERMINERS),
                after_copula=float(before in _COPULAS),
                after_naming=float(before in _NAMING),
                near_focus=float(any(i - k in self._focus for k in (1, 2))),
                parenthesised=float(ahead.endswith("(")),
                window=self._window(range(max(0, i - WINDOW), i)),
                aligned=_aligned(lowered[max(0, i - ALIGNED) : i][::-1], self._left_asked[::-1]) / ALIGNED,
                echo=len(self._left_last & set(lowered[max(0, i - ALIGNED - 1) : i])) / ALIGNED if self._left_last else 0.0,
                comma=float(char == ","),
                quote=float(bool(char) and char in "\"“'"),
            )
        return found

    def right(self, j: int) -> _Right:
        found = self._rights.get(j)
        if found is None:
            lowered, flags, count = self.lowered, self.matched_flags, len(self.words)
            after = lowered[j + 1] if j + 1 < count else ""
            behind = self.sentence[self.words[j].end :].lstrip()
            char = behind[:1]
            found = self._rights[j] = _Right(
                word=after,
                before_question_word=float(j + 1 < count and flags[j + 1]),
                before_verb_of_subject=float(after in _SUBJECT_VERBS),
                near_focus=float(any(j + k in self._focus for k in (1, 2))),
                parenthesised=float(behind.startswith(")")),
                window=self._window(range(j + 1, min(count, j + 1 + WINDOW))),
                aligned=_aligned(lowered[j + 1 : j + 1 + ALIGNED], self._right_asked) / ALIGNED,
                comma=float(char == ","),
                clause_end=float(bool(char) and char in ".;:"),
            )
        return found


def _starts(lowered: list[str], stop: list[bool]) -> list[bool]:
    """Where a span may start: at a content word, but a comparative starts at its first "as" ("*as
    early as* Sept. 5", never "early as Sept. 5")."""
    comparative = [
        0 < i < len(lowered) - 1 and lowered[i - 1] == "as" == lowered[i + 1] and not stop[i] for i in range(len(lowered))
    ]
    return [
        (not stop[i] and not comparative[i]) or (i + 1 < len(lowered) and comparative[i + 1]) for i in range(len(lowered))
    ]


def _aligned(words: Sequence[str], asked: Sequence[str]) -> int:
    """How many leading words the two sequences share, in order."""
    count = 0
    for word, other in zip(words, asked):
        if word != other:
            break
        count += 1
    return count


def _merged(sentence: str, spans: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Typed spans with neighbours joined when only a space or a comma stands between them ("27
    July" and "2008", "Sept. 5" and "2025"), and the pieces kept too."""
    ordered = sorted(spans)
    joined = list(ordered)
    for (s1, e1, w1), (s2, e2, w2) in zip(ordered, ordered[1:]):
        if 0 <= s2 - e1 <= 2 and sentence[e1:s2].strip() in ("", ","):
            joined.append((s1, e2, min(w1, w2)))
    return joined


SpanOpinion = Callable[[int, int], float]
"""A second judge's score to add to a span's, by the span's character offsets in the sentence."""


class Pointer(Protocol):
    """A second judge of spans (the sentence encoder's, `qabot.semantic.pointer`)."""

    def judge(self, question: str, sentence: str) -> SpanOpinion | None: ...


def best_span(
    sentence: str, question: Question, model: SpanModel | None = None, pointer: Pointer | None = None
) -> tuple[int, int, float] | None:
    """The short answer's offsets in the sentence and its share of the softmax over the spans, or
    None: the question asks for no span, or no span is sure enough. The pointer, when given, is
    only asked when there are spans to judge."""
    if not asks_for_span(question):
        return None
    found = candidates(sentence, question)
    if not found:
        return None
    scores = (model or packaged_span_model()).scores([c.evidence for c in found], question.answer_type)
    opinion = pointer.judge(question.text, sentence) if pointer is not None else None
    if opinion is not None:
        scores = scores + np.array([opinion(c.start, c.end) for c in found])
    shares = np.exp(scores - scores.max())
    shares /= shares.sum()
    best = int(np.argmax(scores))
    if shares[best] < MIN_SHARE:
        return None
    return found[best].start, found[best].end, float(shares[best])
