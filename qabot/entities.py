"""Cheap, data-free cues for the kind of thing a sentence holds: names, places, times, numbers."""

from __future__ import annotations

import re
from typing import Callable, Iterator

from qabot.question import AnswerType
from qabot.text import CARDINALS, MAGNITUDES, STOPWORDS, term_sequence, tokens

_CAP_RUN = re.compile(
    r"(?:[A-Z][\w'’.-]*|[A-Z]\.)(?:\s+(?:(?:of|the|and|de|for|van|von|al|bin)\s+)?(?:[A-Z][\w'’.-]*|[A-Z]\.))*"
)
_MONTHS = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
_DAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_ORDINALS = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|"
    r"fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first)"
)
_AT_WORD = r"(?=\w)"
"""Leads the patterns below, whose every match starts with a word character: it changes no match,
but rules out at once the places after a word's end, where `\b` holds too and the engine would
try every alternative (the date pattern ran in half the time)."""
_FULL_MONTHS = r"january|february|april|june|july|august|september|october|november|december"
"""Month names that are rarely anything else ("may" and "march" are verbs too)."""
_TIME = re.compile(
    rf"{_AT_WORD}\b(?:{_DAYS}|(?:{_MONTHS})\.?\s+\d{{1,2}}|\d{{1,2}}\s+(?:{_MONTHS})\b|{_FULL_MONTHS}|"
    r"(?:1\d|20)\d\d(?:s|'s)?|(?:\d{1,2}(?:st|nd|rd|th)|" + _ORDINALS + r")[\s-]+(?:century|centuries|millennium)|"
    r"(?:AD|BC|BCE|CE)\s?\d{1,4}|\d{1,4}\s?(?:AD|BC|BCE|CE)|c\.?\s?\d{3,4}|today|yesterday|tomorrow|tonight|"
    r"(?:last|this|next|early|late)\s+(?:week|month|year|spring|summer|fall|autumn|winter|decade|century)|"
    r"\d{1,2}:\d\d|\d{1,2}\s*(?:a\.m\.|p\.m\.)|morning|afternoon|evening|century|decade)\b",
    re.IGNORECASE,
)
"""Dates and times: weekdays, "June 27" and "27 June", years 1000-2099 and their decades ("the
1970s"), centuries ("10th", "nineteenth"), AD/BC years, circa years ("c1600"), and relative times."""
_DEICTIC = re.compile(r"today|yesterday|tomorrow|tonight|(?:this|last|next)\s+\w+", re.IGNORECASE)
"""Times told from the day of writing ("today", "last week"): they say when only to a reader who
knows that day, which an article seldom does, so they count as speaking of the time, not giving it."""
_NUMBER_WORDS = "|".join(
    (*CARDINALS, *MAGNITUDES, *(f"{m}s" for m in MAGNITUDES), "dozen", "dozens", "several", "numerous", "single", "half", "couple")
)
_NUMBER = re.compile(rf"{_AT_WORD}\b(?:\d[\d,.]*%?|{_NUMBER_WORDS})\b", re.IGNORECASE)
_DURATION = re.compile(
    rf"{_AT_WORD}\b(?:\d[\d,.]*|{_NUMBER_WORDS}|a|an|several|many|few)\s+(?:\w+\s+)?(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries)\b",
    re.IGNORECASE,
)
_SINCE = re.compile(r"\b(?:since|until|till)\b", re.IGNORECASE)
"""A duration can be given by its start or end: "since the 1950s"."""
_REASON = re.compile(
    r"\b(?:because|since|due to|as a result|in order to|so that|as (?:retribution|punishment|a response|revenge)|in response to|reason|aimed at|to protect|to ensure)\b",
    re.IGNORECASE,
)
_PLACE_LEAD = re.compile(
    r"\b(?:in|at|from|near|across|into|to|outside|inside|throughout|like|including|such as)\s+(?:the\s+)?$", re.IGNORECASE
)
_CALENDAR_NAME = re.compile(rf"(?:{_DAYS}|{_FULL_MONTHS})\.?", re.IGNORECASE)
"""A day or month name is capitalised as a name is, and "in January" leads it as "in Chicago" leads
a place: it is neither a person, nor a place, nor a thing's name ("on *Monday*", "since *June*")."""
_WHEN = re.compile(r"\bwhen\b", re.I)
_FIRST_WORD = re.compile(r"\w")
_LABEL_END = re.compile(r":(?:\s|$)")
_SPAN_WORD = re.compile(r"[\w'’]+")
ADDRESSED = 0.5
"""Evidence for a sentence that speaks of the asked-for thing without giving it ("did not say when")."""
_PERSON_TITLE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Gov|Sen|Rep|Gen|President|Mayor|Governor|Senator|Judge|Minister|spokes(?:wo)?man|Chief|Secretary)\.?\s+$"
)


def name_spans(sentence: str) -> list[tuple[int, int]]:
    """Runs of capitalised words, leaving out a sentence's first word when it is an ordinary one,
    and a run that opens the sentence and ends in a colon: a label ("National Trends: ...",
    "BREAKING: ..."), capitalised as a heading is, not a name."""
    spans = []
    first = _FIRST_WORD.search(sentence)
    first_start = first.start() if first else 0
    for match in _CAP_RUN.finditer(sentence):
        start, end = match.span()
        if start == first_start and _LABEL_END.match(sentence, end):
            after = _FIRST_WORD.search(sentence, end)
            first_start = after.start() if after else len(sentence)
            continue
        if start == first_start:
            words = match.group().split()
            if words[0].lower() in STOPWORDS:
                if len(words) == 1:
                    continue
                start += len(words[0]) + (sentence[start + len(words[0]):].find(words[1]))
        spans.append((start, end))
    return spans


def _is_new(text: str, question_terms: frozenset[str]) -> bool:
    """True when a span holds a word the question does not already say."""
    return any(term and term not in question_terms for term in term_sequence(_SPAN_WORD.findall(text)))


Span = tuple[int, int, float]
"""A span of a sentence (start, end) and how surely it is the kind of thing asked for (0 to 1)."""


def typed_spans(sentence: str, answer_type: AnswerType, question_terms: frozenset[str]) -> list[Span]:
    """The spans of a sentence that are the kind of thing asked for and say something the question
    does not: dates for when, numbers for how many, durations for how long, names for who, where
    and which. None for questions that ask for no kind (what, why, how)."""
    return list(_typed(sentence, answer_type, question_terms))


def _typed(sentence: str, answer_type: AnswerType, question_terms: frozenset[str]) -> Iterator[Span]:
    """`typed_spans`, found one at a time: type evidence stops at the first sure one, and checking
    whether a span is new (stemming its words) is most of the cost."""
    if answer_type in (AnswerType.OTHER, AnswerType.REASON):
        return
    if answer_type is AnswerType.TIME:
        for start, end, weight in _matches(_TIME, sentence, question_terms, 1.0):
            yield start, end, ADDRESSED if _DEICTIC.fullmatch(sentence[start:end]) else weight
    elif answer_type is AnswerType.NUMBER:
        yield from _matches(_NUMBER, sentence, question_terms, 1.0)
    elif answer_type is AnswerType.DURATION:
        yield from _matches(_DURATION, sentence, question_terms, 1.0)
        if _SINCE.search(sentence):
            yield from _matches(_TIME, sentence, question_terms, 1.0)
        yield from _matches(_NUMBER, sentence, question_terms, 0.5)
    else:
        names = (
            (s, e) for s, e in name_spans(sentence)
            if not _CALENDAR_NAME.fullmatch(sentence[s:e]) and _is_new(sentence[s:e], question_terms)
        )
        for s, e in names:
            if answer_type is AnswerType.PERSON:
                yield s, e, 1.0 if len(sentence[s:e].split()) >= 2 or _PERSON_TITLE.search(sentence[:s]) else 0.5
            elif answer_type is AnswerType.PLACE:
                yield s, e, 1.0 if _PLACE_LEAD.search(sentence[:s]) else 0.5
            else:
                yield s, e, 1.0


def type_evidence(sentence: str, answer_type: AnswerType, question_terms: frozenset[str], focus: str = "") -> float:
    """How well a sentence holds the kind of thing asked for, from 0 (not at all) to 1."""
    if answer_type is AnswerType.OTHER:
        return 0.5
    if answer_type is AnswerType.REASON:
        return 1.0 if _REASON.search(sentence) else 0.4
    best = 0.0
    beside = _focus_beside(sentence, focus) if focus and answer_type in _NAMED_TYPES else None
    for start, end, weight in _typed(sentence, answer_type, question_terms):
        if beside is not None and not beside(start, end):
            weight *= APART
        best = max(best, weight)
        if best >= 1.0:
            break
    if answer_type is AnswerType.TIME and not best:
        return ADDRESSED if _WHEN.search(sentence) else 0.0
    return best


_NAMED_TYPES = (AnswerType.PERSON, AnswerType.PLACE, AnswerType.NAME)
APART = 0.5
"""How much a name counts as the kind of thing asked for when the sentence names the question's
focus elsewhere: for "who is the mayor of Chicago?", "*The Mayor* has directed ... *National
Guard* deployment" names a mayor but not as the National Guard. By words alone, SQuAD v1.1's
accuracy moved from 0.673 to 0.674 on the tuning half and from 0.695 to 0.694 on the test half,
short-answer F1 held, and the news sets held; at 0.25, the test half fell to 0.693."""
BESIDE = 3
"""How many words from the focus a name may stand and still be the one it names ("Mayor
*Brandon Johnson*", "*Johnson*, the mayor", "the mayor is *Johnson*")."""


def _focus_beside(sentence: str, focus: str) -> Callable[[int, int], bool] | None:
    """Where the sentence names the question's focus, whether a span (start, end) stands within
    `BESIDE` words of it; None where the sentence does not name it."""
    words = tokens(sentence)
    at = [k for k, word in enumerate(words) if word.term == focus]
    if not at:
        return None

    def beside(start: int, end: int) -> bool:
        inside = [k for k, word in enumerate(words) if word.start >= start and word.end <= end]
        return bool(inside) and any(inside[0] - BESIDE <= k <= inside[-1] + BESIDE for k in at)

    return beside


def _matches(pattern: re.Pattern[str], sentence: str, question_terms: frozenset[str], weight: float) -> Iterator[Span]:
    if not _may_match(pattern, sentence):
        return
    for m in pattern.finditer(sentence):
        if _is_new(m.group(), question_terms):
            yield m.start(), m.end(), weight


_NEEDED: dict[re.Pattern[str], tuple[str, ...]] = {
    _TIME: (
        *_DAYS.split("|"), *_FULL_MONTHS.split("|"), "today", "yesterday", "tomorrow", "tonight", "week", "month",
        "year", "spring", "summer", "fall", "autumn", "winter", "decade", "centur", "millennium", "morning",
        "afternoon", "evening",
    ),
    _NUMBER: tuple(_NUMBER_WORDS.split("|")),
    _DURATION: ("second", "minute", "hour", "day", "week", "month", "year", "decade", "centur"),
}
"""For each pattern, the words one of which a sentence without a digit must hold for it to match
(read off the pattern: every other branch needs a digit)."""
_DIGIT = re.compile(r"\d")


def _may_match(pattern: re.Pattern[str], sentence: str) -> bool:
    """False only when the pattern cannot match: an ASCII sentence with no digit and none of the
    words it needs. Ten times cheaper than the date pattern, which reading ran on every sentence.
    (Outside ASCII, case folding can match what lower-casing does not, so the pattern decides.)"""
    needed = _NEEDED.get(pattern)
    if needed is None or not sentence.isascii() or _DIGIT.search(sentence):
        return True
    lowered = sentence.lower()
    return any(word in lowered for word in needed)
