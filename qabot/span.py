"""The short answer inside a quote: the span of the sentence that answers what was asked.

Candidate spans are the kind of thing asked for (a name for who, a date for when, a number for how
many: `entities.typed_spans`) and the runs of words between the question's own words and the
sentence's punctuation, up to `MAX_WORDS` words; a run may take in the question word right after it
when that word names the kind of thing asked for ("*Liberal Party*" for "what party"). Each span
gets evidence by name (`FEATURES`, parts of speech among it: `qabot.tags`) and a score from a model
per answer type (linear, plus a small hidden layer), trained by `bench/fit_span.py` on SQuAD v1.1's
tuning half (`span_model.json`). Spans made only of the question's own words are never candidates,
nor, for a question that asks for no kind of thing (what, which), spans holding any of them but that
last word. The softmax over the sentence's spans is the model's belief in each; when no span holds
`MIN_SHARE` of it, there is no short answer. Otherwise the span shown is the one the others agree
with most: the highest expected F1 (word overlap) against that belief (minimum Bayes risk decoding),
so that where the model hesitates between overlapping spans the words they share win. Questions that
ask for a reason or a description, or ask yes or no, get none. With the sentence encoder, a second
judge (a `Pointer`: the encoder's, `qabot.semantic.pointer`) adds its opinion to each span's score
before the belief is formed.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from typing import Callable, Iterable, Protocol, Sequence

import numpy as np

from qabot.entities import name_spans, typed_spans
from qabot.model_files import known_features, packaged_json
from qabot.question import IRREGULAR_PAST, AnswerType, Question
from qabot.tags import TAG_CLASSES, word_classes
from qabot.text import CARDINALS, MAGNITUDES, STOPWORDS, Token, tokens

MODEL_FILE = "span_model.json"
CHECK_MODEL_FILE = "span_check_model.json"
"""The span model the span check (`qabot.span_check`) reads: fitted as this one is, but without the
tagger's evidence (`TAGGED_FEATURES`). The check compares span scores across sentences, and the
tagged model's shift from sentence to sentence with their parts of speech: on SQuAD v1.1's test
half, the check reading it put the answer first for 0.754 of the questions it looks at, against
0.761 reading this one, and it lost news questions the check exists for ("Which other cities have
adopted similar policies?"). The file shipped is the span model fitted before the tagger came;
`bench/fit_span.py --for-check` refits it from today's evidence, not bit for bit (on the test half
with the gold sentence given, F1 0.560 against its 0.562), and the span check's weights
(`span_check.json`) are fitted to the file shipped."""
MAX_WORDS = 7
MIN_SHARE = 0.05
"""Below this share of the softmax for every span, the short answer is too unsure to show (a wrong
bold span misleads a reader more than none). On SQuAD's test half with the gold sentence given, the
spans it withholds are right so rarely that F1 is all but the same as with none withheld (0.553
against 0.554); 0.1 withheld more and cost 0.003 F1."""
ASK_POINTER_BELOW = 0.7
"""The pointer is asked only when the span model's own best span holds less of its softmax than this.
Above it, on SQuAD v1.1 with the gold sentence given, the pointer changed no short answer's F1 (not
one of the tuning half's 5,257 span questions, nor of the test half's 4,639); below it, it raised
F1 by 0.014 to 0.015, as much as when always asked. The span model alone was that sure for 27-29%
of those questions, and each asking is a forward pass of the encoder over the question and the
sentence together (about 20 ms on 2 cores)."""
SLOT_REACH = 3
WINDOW = 5
ALIGNED = 3
RANGE_DASHES = ("-", "–", "—")
_BREAK = re.compile(r"[,;:()\[\]\"“”—–]|\s-\s")
_AUXILIARIES = "is are was were do does did can could will would has have had should may might must".split()
_MANNER_AFTER_HOW = (*_AUXILIARIES, *"be been being to come else exactly so about".split())
_DESCRIBE = re.compile(
    r"^\s*(?:why\b|how\s*(?:[?.!]|$)|how(?:['’]?(?:s|d|re|ve|ll)|\s+(?:" + "|".join(_MANNER_AFTER_HOW) + r"))\b"
    r"(?!.*\b(?:described|called|known|termed|nicknamed|dubbed|labell?ed|characteri[sz]ed|referred\s+to)\b))"
    r"|^\s*(?:(?:please|can|could|would|will)\s+(?:you\s+|someone\s+)?)*(?:describe|explain)\b"
    r"|\b(?:describe|explain)\s+(?:about|how|why)\b|\b(?:describe|explain)\s*[?.!]*\s*$",
    re.IGNORECASE,
)
"""Questions answered by an explanation or a description, not a span: why; how followed by its verb
("how did the order change policing"), but not "how was it described / called / known as", which
asks for the words used ("a significant escalation"), nor how followed by an adjective or adverb,
which asks for a measure ("how fast": "110 mph"; "how sure": "at least 90%"); and a request to
describe or explain ("explain the order", "what did he explain about it"), but not the verb inside
a question for a thing ("what term is used to describe it": "regeneration")."""
_YES_NO = re.compile(
    r"^\s*(?:" + "|".join(_AUXILIARIES) + r")\b"
    r"(?!.*\b(?:what|which|who|whom|whose|when|where|how)\b)",
    re.IGNORECASE,
)
"""Questions answered by yes or no: an auxiliary first and no wh-word ("did anyone sue?")."""
_COPULAS = frozenset("is was are were be been being".split())
_NAMING = frozenset("called named titled dubbed as".split())
_SUBJECT_VERBS = frozenset("is was are were has had have will would".split())
_PREPOSITIONS = frozenset("in at on by from to of for with into during since until after before near".split())
_ARTICLES = frozenset(("a", "an", "the"))
"""The words SQuAD's F1 leaves out, as the agreement between spans does."""
_PHRASE_CLASSES = frozenset(("determiner", "adjective", "number", "noun", "proper"))
_HEAD_CLASSES = frozenset(("noun", "proper", "number"))
_DETERMINERS = frozenset("the a an this that these those his her its their".split())
_YEAR = re.compile(r"^(1[0-9]|20)\d\d$")
_PERCENT = re.compile(r"%|\bper ?cent\b", re.IGNORECASE)
_NUMBER_WORD = re.compile(rf"^(?:\d[\d,.]*%?|{'|'.join((*CARDINALS, *MAGNITUDES, 'dozen', 'half'))})$", re.IGNORECASE)


OWN_FEATURES: tuple[str, ...] = (
    "typed",  # how surely it is exactly the kind of thing asked for (a name for who, a date for when)
    "typed_part",  # it lies inside such a span without being all of it
    "name",  # every word capitalised (not counting the sentence's first)
    "number",
    "words",
    "inverse_words",
    "near",  # 1 / (1 + words between it and the nearest word of the question)
    "whole_run",  # it is the whole run of new words between the question's words and the punctuation
    "run_start",
    "run_end",
    "position",  # where it starts in the sentence, from 0 to 1
    "near_focus",  # the noun the question asks about stands right beside it ("the *city* of Warsaw")
    "name_for_what",  # a name, for a question that asks for no kind of thing
    "number_for_what",
    "long_for_kind",  # longer than three words, for a question that asks for a kind of thing
    "cuts_name",  # it starts or ends inside a run of capitalised words ("Great" of "Great Britain")
    "whole_name",  # it is a whole run of capitalised words, whatever was asked
    "holds_question_word",  # it holds a word of the question (only names and kinds of thing asked for may)
    "parenthesised",  # right after an opening bracket, or right before a closing one
    # it holds a whole span of the kind asked for and at most two words more ("1.7 million victims"),
    # and no word of the question follows it (which the extra words would modify):
    "holds_typed",
    "percent_for_percent",  # it holds a percentage, and the question asks for one
    "year_for_year",  # it is a year, and the question asks for one
    "ends_in_kind",  # new words, then a word naming the kind of thing asked for ("*Liberal Party*" for "what party")
    # the weighted share of the question's words in the span's clause (between punctuation), outside
    # the span: the answer sits in the clause that restates the question, not in the one beside it:
    "clause_share",
    # by the tagger (`qabot.tags`), determiners, adjectives, numbers and nouns ending in a noun or number:
    "noun_phrase",
    "holds_verb",  # by the tagger, a verb (not a participle or gerund) inside it
)
"""What is known of a span itself."""
LEFT_FEATURES: tuple[str, ...] = (
    "after_question_word",  # a word of the question comes just before it
    "slot",  # it starts right after the question's last content word or the verb (where a statement puts the answer)
    "after_preposition",
    "after_determiner",
    "after_copula",  # just after is/was/are/were/be (where a definition or an identity puts its answer)
    "after_naming",  # just after called, named, known as, titled
    "left_window",  # the weighted share of the question's words among the `WINDOW` words before it
    # how many of the words just before it repeat, in order, the question's words just before its
    # wh-word ("such as *perforin*" for "such as what?"), up to `ALIGNED`, over `ALIGNED`:
    "left_aligned",
    # the share of the question's last `ALIGNED` words before its wh-word found among the
    # `ALIGNED` + 1 words before it, in any order:
    "left_echo",
    "comma_before",
    "quote_before",
)
"""What a span shows at its left edge: the same for every span starting at a word."""
RIGHT_FEATURES: tuple[str, ...] = (
    "before_question_word",
    "before_verb_of_subject",  # just before is/was/has/had/were/are (the subject of what follows)
    "right_window",
    "right_aligned",  # the same as `left_aligned` for the words after it and the question's after its wh-phrase
    "comma_after",
    "clause_end_after",  # a full stop, semicolon or colon right after it
)
"""What a span shows at its right edge."""
SPAN_FEATURES: tuple[str, ...] = OWN_FEATURES + LEFT_FEATURES + RIGHT_FEATURES
CONTEXT_WORDS = tuple(
    "the a an of in by to as for from with on at is was are were and that which called named known including "
    "such than into its his their this".split()
)
"""Words that say much of the span beside them ("such as _", "_ of the", "known as _"): each has a
weight of its own before a span and after one."""
LEXICAL_FEATURES: tuple[str, ...] = tuple(f"{side}:{w}" for side in ("before", "after") for w in CONTEXT_WORDS)
SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("adverb", re.compile(r"^[a-z]{3,}ly$")),
    ("participle", re.compile(r"^[a-z]{3,}ed$")),
    ("gerund", re.compile(r"^[a-z]{3,}ing$")),
    ("abstract", re.compile(r"^[a-z]+(?:tion|sion|ment|ness|ity|ism|ance|ence|ship)s?$")),
    ("adjective", re.compile(r"^[a-z]+(?:ous|ive|ful|less|able|ible|ical|ic|al)$")),
    ("plural", re.compile(r"^[a-z]{3,}[^s]s$")),
)
"""The part of speech a lower-case word's ending hints at, the first that matches (an irregular past
form counts as a participle), enough to tell that a span made of an adverb and a participle
("*originally built*") is rarely what a what-question asks for. The tagger (`TAG_FEATURES`) knows
the words its lexicon holds and guesses at others; the endings are a second opinion on those."""
SHAPE_FEATURES: tuple[str, ...] = tuple(f"{edge}_{name}" for edge in ("first", "last") for name, _ in SHAPES)
SHAPE_MEMO_WORDS = 100_000
"""Words whose shape is remembered: every quote is shaped word by word, and a serving process
meets the same words again and again."""
TAG_PLACES = ("first", "last", "before", "after")
TAG_FEATURES: tuple[str, ...] = tuple(f"{place}_tag:{name}" for place in TAG_PLACES for name in TAG_CLASSES)
"""The part of speech of a span's first and last words and of the words just outside it (where no
punctuation stands between), by the tagger (`qabot.tags`): a noun phrase after a verb is what most
what-questions ask for, and a name is rarely cut short before another proper noun."""
FEATURES: tuple[str, ...] = SPAN_FEATURES + LEXICAL_FEATURES + SHAPE_FEATURES + TAG_FEATURES
"""The columns of a sentence's span evidence (`Spans.values`), in order."""
TAGGED_FEATURES: tuple[str, ...] = ("noun_phrase", "holds_verb", *TAG_FEATURES)
"""The evidence the tagger gives, which the check's model (`CHECK_MODEL_FILE`) goes without."""
_COLUMN = {name: k for k, name in enumerate(FEATURES)}


@lru_cache(maxsize=SHAPE_MEMO_WORDS)
def _shape(surface: str) -> str | None:
    """The name of the first of `SHAPES` a lower-case word's ending fits, if any."""
    if surface in IRREGULAR_PAST:
        return "participle"
    return next((name for name, pattern in SHAPES if pattern.match(surface)), None)


DEFAULT_WEIGHTS = "default"
"""The weights for answer types without their own (too few training questions)."""
FOCUSED = "_FOCUSED"


def weights_key(question: Question) -> str:
    """Which weights score a question's spans: its answer type's, but a what/which question that
    names the kind of thing it asks for ("what *type* of engine") has its own, apart from one that
    does not ("what did Luther need to do"): there the answer stands beside or for that noun, here
    in the gap the verb leaves. On SQuAD v1.1's test half with the gold sentence given, F1 on
    what/which questions rose from 0.472 to 0.476 with the two fitted apart (0.419 to 0.429 without
    a named kind, 0.535 to 0.532 with one; tuning half: 0.441 to 0.462)."""
    kind = question.answer_type.name
    return kind + FOCUSED if question.answer_type is AnswerType.OTHER and question.focus else kind


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
    """Weights over the span evidence, one set per answer type asked for (`weights_key`): what makes
    a span the answer differs by what is asked."""

    features: tuple[str, ...]
    weights: dict[str, SpanWeights]

    @cached_property
    def reads_tags(self) -> bool:
        """Whether it reads the tagger's evidence: a sentence it scores must be tagged first."""
        return not set(TAGGED_FEATURES).isdisjoint(self.features)

    @cached_property
    def columns(self) -> np.ndarray:
        """Where each of the model's features stands among `FEATURES`."""
        return np.array([_COLUMN[name] for name in self.features], dtype=np.intp)

    def scores(self, spans: Spans, question: Question) -> np.ndarray:
        if not spans.offsets:
            return np.zeros(0)
        weights = self.weights.get(weights_key(question), self.weights[DEFAULT_WEIGHTS])
        return weights.score(spans.values[:, self.columns])

    @classmethod
    def from_model(cls, model: dict) -> SpanModel:
        names = known_features(model, FEATURES, "span model reads evidence")
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


@cache
def packaged_span_model(for_check: bool = False) -> SpanModel:
    """The model that picks the short answer, or the one the span check reads (`CHECK_MODEL_FILE`)."""
    return SpanModel.from_model(packaged_json(CHECK_MODEL_FILE if for_check else MODEL_FILE))


@dataclass(frozen=True)
class Spans:
    """A sentence's candidate spans, by their character offsets in it, and their evidence: a row per
    span, a column per `FEATURES` name (a matrix, not an object per span: dozens are weighed for
    every answer)."""

    offsets: list[tuple[int, int]]
    values: np.ndarray
    words: np.ndarray
    """The first and last word of each span, a row per span."""
    counted: np.ndarray
    """Running counts of the sentence's words that F1 counts (all but a, an, the), from 0."""

    def agreement(self) -> np.ndarray:
        """F1 of every span against every other (rows against columns), by the words they share,
        as SQuAD scores an answer against a gold one (the running counts never fall, so two spans
        apart share a count of 0 or less)."""
        first, last = self.words[:, 0], self.words[:, 1]
        sizes = self.counted[last + 1] - self.counted[first]
        low, high = np.maximum.outer(first, first), np.minimum.outer(last, last)
        shared = np.maximum(self.counted[high + 1] - self.counted[low], 0)
        total = np.add.outer(sizes, sizes)
        return np.where(total > 0, 2 * shared / np.maximum(total, 1), 0.0)

    def evidence(self, k: int) -> dict[str, float]:
        """The evidence of the k-th span by name, as the model reads it."""
        return dict(zip(FEATURES, self.values[k].tolist()))


def asks_for_span(question: Question) -> bool:
    """False for a question answered by an explanation or a description (why, how ..., describe),
    or by yes or no: the quote is the answer then, and no word of it is."""
    text = question.text
    return question.answer_type is not AnswerType.REASON and not _DESCRIBE.search(text) and not _YES_NO.search(text)


def _breaks(sentence: str, words: list[Token]) -> list[bool]:
    """Whether punctuation stands between each word and the next (a dash between two numbers, as
    in "34–19" or "100–150", is no break)."""
    return [
        bool(_BREAK.search(sentence[a.end : b.start])) and not _range(sentence, a.end, b.start)
        for a, b in zip(words, words[1:])
    ] + [True]


def _range(sentence: str, end: int, start: int) -> bool:
    """Whether a dash alone joins two numbers there ("34–19")."""
    return sentence[end:start] in RANGE_DASHES and sentence[end - 1 : end].isdigit() and sentence[start : start + 1].isdigit()


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


def candidates(sentence: str, question: Question, tagged: bool = True) -> Spans:
    """Every candidate span of a sentence with its evidence, typed spans and runs of new words, in
    the order of their offsets. Untagged, the `TAGGED_FEATURES` are left at 0 and the sentence is
    not tagged: for a model that does not read them (`SpanModel.reads_tags`).

    A sentence has dozens of spans but only as many starts and ends as words: what depends on a
    span's start alone or on its end alone is worked out once per word (`_Edges`), what depends on
    both is counted with running sums."""
    words = tokens(sentence)
    if not words:
        return Spans([], np.zeros((0, len(FEATURES))), np.zeros((0, 2), dtype=np.intp), np.zeros(1, dtype=np.intp))
    asked = frozenset(question.terms)
    breaks = _breaks(sentence, words)
    runs = _runs(words, asked, breaks)
    kinds = _merged(sentence, typed_spans(sentence, question.answer_type, asked))
    names = [(s, e) for s, e in name_spans(sentence)]
    lowered = [w.surface.lower() for w in words]
    stop = [word in STOPWORDS for word in lowered]
    starts = _starts(lowered, stop)
    kind_flags = [w.term in question.kind_terms for w in words]
    spans: dict[tuple[int, int], tuple[int, int, tuple[int, int] | None]] = {}
    for first, last in runs:
        for i in range(first, last + 1):
            if not starts[i]:
                continue
            for j in range(i, min(last, i + MAX_WORDS - 1) + 1):
                if not stop[j]:
                    spans.setdefault((words[i].start, words[j].end), (i, j, (first, last)))
        kind_at = last + 1
        if kind_at < len(words) and kind_flags[kind_at] and not breaks[last]:
            for i in range(max(first, kind_at - MAX_WORDS + 1), kind_at):
                if starts[i]:
                    spans.setdefault((words[i].start, words[kind_at].end), (i, kind_at, (first, kind_at)))
    for start, end in [(s, e) for s, e, _ in kinds] + names:
        inside = [k for k, w in enumerate(words) if w.start >= start and w.end <= end]
        if inside and inside[-1] - inside[0] < MAX_WORDS:
            spans.setdefault((words[inside[0]].start, words[inside[-1]].end), (inside[0], inside[-1], None))
    edges = _Edges(sentence, words, lowered, question, asked, breaks)
    kind_asked = question.answer_type is not AnswerType.OTHER
    asked_words = {w.lower() for w in re.findall(r"[A-Za-z]+", question.text)}
    percent_asked = bool(asked_words & {"percent", "percentage", "percentages"})
    year_asked = "year" in asked_words
    content = _prefix([bool(w.term) for w in words])
    holding = _prefix(edges.matched_flags)
    capitals = _prefix([w.surface[:1].isupper() for w in words])
    numbers = _prefix([bool(_NUMBER_WORD.match(w.surface)) for w in words])
    name_set = set(names)
    name_cut_before = [any(s < w.start < e for s, e in names) for w in words] if names else [False] * len(words)
    name_cut_after = [any(s < w.end < e for s, e in names) for w in words] if names else [False] * len(words)
    """Whether a name goes on before the word (a span starting there cuts it), or after it."""
    typed_weight: dict[tuple[int, int], float] = {}
    for s, e, w in kinds:
        typed_weight[(s, e)] = max(w, typed_weight.get((s, e), 0.0))
    kind_words = [(s, e, w, sum(1 for x in words if s <= x.start and x.end <= e)) for s, e, w in kinds]
    shapes = [_shape(w.surface) for w in words]
    first_shape = [_COLUMN[f"first_{shape}"] if shape else None for shape in shapes]
    last_shape = [_COLUMN[f"last_{shape}"] if shape else None for shape in shapes]
    classes = word_classes(sentence, words) if tagged else [None] * len(words)
    phrasal = _prefix([c in _PHRASE_CLASSES for c in classes])
    verbal = _prefix([c == "verb" for c in classes])
    tag_columns = {
        place: [_COLUMN[f"{place}_tag:{c}"] if c else None for c in classes] for place in TAG_PLACES
    }
    offsets: list[tuple[int, int]] = []
    bounds: list[tuple[int, int]] = []
    rows: list[tuple[float, ...]] = []
    lexical: list[tuple[int, int]] = []
    """(row, column) of each context word beside a span, and of its first and last words' shapes."""
    for (start, end), (i, j, run) in sorted(spans.items()):
        length = j - i + 1
        held = holding[j + 1] - holding[i]
        ends_in_kind = j > i and kind_flags[j]
        if held == content[j + 1] - content[i] or (not kind_asked and held - ends_in_kind):
            continue
        is_name = capitals[j + 1] - capitals[i] == length and words[i].start > 0
        is_number = numbers[j + 1] > numbers[i]
        left, right = edges.left(i), edges.right(j)
        holds = max(
            (w for s, e, w, inside in kind_words if start <= s and e <= end and (s, e) != (start, end) and length - inside <= 2),
            default=0.0,
        ) if kind_words and not right.beside_question_word else 0.0
        row = len(rows)
        tag_marks = (
            tag_columns["first"][i], tag_columns["last"][j], tag_columns["before"][i - 1] if i and not breaks[i - 1] else None,
            tag_columns["after"][j + 1] if not breaks[j] else None,
        )
        for column in (left.column, right.column, first_shape[i], last_shape[j], *tag_marks):
            if column is not None:
                lexical.append((row, column))
        offsets.append((start, end))
        bounds.append((i, j))
        rows.append((
            typed_weight.get((start, end), 0.0),
            max((w for s, e, w in kinds if s <= start and end <= e and (s, e) != (start, end)), default=0.0) if kinds else 0.0,
            float(is_name),
            float(is_number),
            float(length),
            1.0 / length,
            1.0 / (1.0 + max(_gap(i, j, edges.matched, len(words)) - 1, 0)),
            float(run is not None and (i, j) == run),
            float(run is not None and i == run[0]),
            float(run is not None and j == run[1]),
            i / len(words),
            max(left.near_focus, right.near_focus),
            float(is_name and not kind_asked),
            float(is_number and not kind_asked),
            float(length > 3 and kind_asked),
            float(name_cut_before[i] or name_cut_after[j]),
            float((start, end) in name_set),
            float(held > 0),
            max(left.parenthesised, right.parenthesised),
            holds,
            float(percent_asked and bool(_PERCENT.search(sentence[start : end + 8]))),
            float(year_asked and bool(_YEAR.match(sentence[start:end]))),
            float(ends_in_kind),
            edges.clause_share(i, j),
            float(phrasal[j + 1] - phrasal[i] == length and classes[j] in _HEAD_CLASSES),
            float(verbal[j + 1] > verbal[i]),
            *left.values,
            *right.values,
        ))
    values = np.zeros((len(rows), len(FEATURES)))
    if rows:
        values[:, : len(SPAN_FEATURES)] = rows
    if lexical:
        values[tuple(np.array(lexical).T)] = 1.0
    return Spans(offsets, values, np.array(bounds, dtype=np.intp).reshape(-1, 2),
                 np.array(_prefix([word not in _ARTICLES for word in lowered]), dtype=np.intp))


@dataclass(slots=True)
class _Edge:
    """What a span shows at one edge, the same for every span with that edge (not frozen: frozen,
    it took a third of the time of working an edge out to build)."""

    values: tuple[float, ...]
    """Its `LEFT_FEATURES` or `RIGHT_FEATURES`, in order."""
    column: int | None
    """The column of the context word beyond the edge ("before:as"), if it is one of `CONTEXT_WORDS`."""
    beside_question_word: bool
    """A word of the question stands just beyond the edge (before a left edge: one of the two)."""
    near_focus: float
    parenthesised: float


class _Edges:
    """A sentence's span edges, each worked out the first time a span starts or ends there."""

    def __init__(
        self, sentence: str, words: list[Token], lowered: list[str], question: Question, asked: frozenset[str], breaks: list[bool]
    ) -> None:
        self.sentence, self.words, self.lowered, self.question = sentence, words, lowered, question
        self.matched_flags = [bool(w.term) and w.term in asked for w in words]
        self.matched = [k for k, flag in enumerate(self.matched_flags) if flag]
        ends = [k for k, cut in enumerate(breaks) if cut]
        self._clause_first = [0] * len(words)
        self._clause_last = [0] * len(words)
        """The first and last word of each word's clause (words between punctuation breaks)."""
        begin = 0
        for end in ends:
            self._clause_first[begin : end + 1] = [begin] * (end + 1 - begin)
            self._clause_last[begin : end + 1] = [end] * (end + 1 - begin)
            begin = end + 1
        slots = [k for k, w in enumerate(words) if w.term and w.term in question.slot_terms]
        self._after_slot = _reached(slots, len(words), range(1, SLOT_REACH + 1))
        """Whether each word stands within `SLOT_REACH` words after a slot term."""
        focus = [k for k, w in enumerate(words) if question.focus and w.term == question.focus]
        self._after_focus, self._before_focus = _reached(focus, len(words), (1, 2)), _reached(focus, len(words), (-1, -2))
        self._left_asked, self._right_asked = question.around_wh
        self._left_last = set(self._left_asked[-ALIGNED:])
        self._total_weight = sum(question.weights.get(t, 1.0) for t in asked) or 1.0
        self._lefts: dict[int, _Edge] = {}
        self._rights: dict[int, _Edge] = {}

    def _share(self, positions: Iterable[int]) -> float:
        """The weighted share of the question's words held at these positions of matched words."""
        held = {self.words[k].term for k in positions}
        return sum(self.question.weights.get(t, 1.0) for t in held) / self._total_weight

    def _window(self, first: int, end: int) -> float:
        """`_share` of the matched words from `first` up to (not including) `end`."""
        matched = self.matched
        inside = matched[bisect_left(matched, first) : bisect_left(matched, end)]
        return self._share(inside) if inside else 0.0

    def clause_share(self, i: int, j: int) -> float:
        matched = self.matched
        held = (
            matched[bisect_left(matched, self._clause_first[i]) : bisect_left(matched, i)]
            + matched[bisect_right(matched, j) : bisect_right(matched, self._clause_last[j])]
        )
        return self._share(held) if held else 0.0

    def left(self, i: int) -> _Edge:
        found = self._lefts.get(i)
        if found is None:
            lowered, flags = self.lowered, self.matched_flags
            before = lowered[i - 1] if i > 0 else ""
            ahead = self.sentence[: self.words[i].start].rstrip()
            char = ahead[-1:]
            after_question_word = (i >= 1 and flags[i - 1]) or (i >= 2 and flags[i - 2])
            found = self._lefts[i] = _Edge(
                values=(
                    float(after_question_word),
                    float(self._after_slot[i]),
                    float(before in _PREPOSITIONS),
                    float(before in _DETERMINERS),
                    float(before in _COPULAS),
                    float(before in _NAMING),
                    self._window(i - WINDOW, i),
                    _aligned(lowered[max(0, i - ALIGNED) : i][::-1], self._left_asked[::-1]) / ALIGNED,
                    len(self._left_last & set(lowered[max(0, i - ALIGNED - 1) : i])) / ALIGNED if self._left_last else 0.0,
                    float(char == ","),
                    float(bool(char) and char in "\"“'"),
                ),
                column=_COLUMN.get(f"before:{before}"),
                beside_question_word=after_question_word,
                near_focus=float(self._after_focus[i]),
                parenthesised=float(ahead.endswith("(")),
            )
        return found

    def right(self, j: int) -> _Edge:
        found = self._rights.get(j)
        if found is None:
            lowered, flags, count = self.lowered, self.matched_flags, len(self.words)
            after = lowered[j + 1] if j + 1 < count else ""
            behind = self.sentence[self.words[j].end :].lstrip()
            char = behind[:1]
            before_question_word = j + 1 < count and flags[j + 1]
            found = self._rights[j] = _Edge(
                values=(
                    float(before_question_word),
                    float(after in _SUBJECT_VERBS),
                    self._window(j + 1, j + 1 + WINDOW),
                    _aligned(lowered[j + 1 : j + 1 + ALIGNED], self._right_asked) / ALIGNED,
                    float(char == ","),
                    float(bool(char) and char in ".;:"),
                ),
                column=_COLUMN.get(f"after:{after}"),
                beside_question_word=before_question_word,
                near_focus=float(self._before_focus[j]),
                parenthesised=float(behind.startswith(")")),
            )
        return found


def _reached(positions: list[int], count: int, steps: Iterable[int]) -> list[bool]:
    """Whether each of `count` words stands one of `steps` words after one of these positions."""
    reached = [False] * count
    for k in positions:
        for step in steps:
            if 0 <= k + step < count:
                reached[k + step] = True
    return reached


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
    July" and "2008", "Sept. 5" and "2025") or a dash joins two numbers ("34–19"), and lists of
    them, the pieces kept too."""
    ordered = sorted(spans)
    joined = list(ordered)
    for (s1, e1, w1), (s2, e2, w2) in zip(ordered, ordered[1:]):
        if 0 <= s2 - e1 <= 2 and (sentence[e1:s2].strip() in ("", ",") or _range(sentence, e1, s2)):
            joined.append((s1, e2, min(w1, w2)))
    return joined + _lists(sentence, ordered)


_LIST_GAP = re.compile(r",?\s+(?:and|or)\s+|,\s+")
_LIST_END = re.compile(r",?\s+(?:and|or)\s+")


def _lists(sentence: str, ordered: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Typed spans that a list joins, as one span: "New York, Los Angeles, and San Francisco" (the
    last two joined by "and" or "or", any before them by commas)."""
    found = []
    start = 0
    for k in range(1, len(ordered)):
        gap = sentence[ordered[k - 1][1] : ordered[k][0]] if ordered[k][0] > ordered[k - 1][1] else ""
        if _LIST_END.fullmatch(gap) and start < k:
            found.append((ordered[start][0], ordered[k][1], min(w for _, _, w in ordered[start : k + 1])))
            start = k + 1
        elif not _LIST_GAP.fullmatch(gap):
            start = k
    return found


SpanOpinion = Callable[[int, int], float]
"""A second judge's score to add to a span's, by the span's character offsets in the sentence."""


class Pointer(Protocol):
    """A second judge of spans (the sentence encoder's, `qabot.semantic.pointer`)."""

    def judge(self, question: str, sentence: str) -> SpanOpinion | None: ...


def _softmax(scores: np.ndarray) -> np.ndarray:
    shares = np.exp(scores - scores.max())
    return shares / shares.sum()


def best_span(
    sentence: str, question: Question, model: SpanModel | None = None, pointer: Pointer | None = None
) -> tuple[int, int, float] | None:
    """The short answer's offsets in the sentence and its share of the softmax over the spans, or
    None: the question asks for no span, or no span is sure enough. The pointer, when given, is
    only asked when there are spans to judge and the span model is unsure (`ASK_POINTER_BELOW`).

    Chosen by agreement rather than the top score: with the gold sentence given, F1 rose from
    0.555 to 0.566 on SQuAD's tuning half and from 0.525 to 0.542 on its test half, EM moved
    -0.007 and +0.000."""
    if not asks_for_span(question):
        return None
    model = model or packaged_span_model()
    found = candidates(sentence, question, model.reads_tags)
    if not found.offsets:
        return None
    scores = model.scores(found, question)
    shares = _softmax(scores)
    opinion = pointer.judge(question.text, sentence) if pointer is not None and shares.max() < ASK_POINTER_BELOW else None
    if opinion is not None:
        shares = _softmax(scores + np.array([opinion(start, end) for start, end in found.offsets]))
    if shares.max() < MIN_SHARE:
        return None
    best = int(np.argmax(found.agreement() @ shares))
    start, end = found.offsets[best]
    return start, end, float(shares[best])
