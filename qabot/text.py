"""Sentence splitting, tokenising, stemming and stopwords; needs no downloaded NLTK data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable


STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are aren't as at be because been before
    being below between both but by can cannot could couldn't did didn't do does doesn't doing don't
    down during each few for from further had hadn't has hasn't have haven't having he he'd he'll
    he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is
    isn't it it's its itself let's me more most mustn't my myself no nor not of off on once only or
    other ought our ours ourselves out over own same shan't she she'd she'll she's should shouldn't
    so some such than that that's the their theirs them themselves then there there's these they
    they'd they'll they're they've this those through to too under until up very was wasn't we we'd
    we'll we're we've were weren't what what's when when's where where's which while who who's whom
    why why's with won't would wouldn't you you'd you'll you're you've your yours yourself
    yourselves also just s t will shall may might must us
    """.split()
)

# Abbreviations Punkt should never end a sentence on, whatever corpus it was trained on.
COMMON_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt ft gov sen rep gen col lt sgt capt cmdr adm maj cpl pvt rev hon
    pres supt insp det atty inc corp co ltd llc bros dept univ assn ave blvd rd hwy no nos vol vols
    fig approx est vs etc al jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu
    thur thurs fri sat sun u.s u.k u.n e.g i.e a.m p.m d.c ala ariz ark calif colo conn del fla ga
    ill ind kan ky la md mass mich minn miss mo mont neb nev okla ore pa tenn tex va vt wash wis wyo
    """.split()
)

_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:['’&][^\W_]+)*", re.UNICODE)
_BOUNDARY = re.compile(r"(?P<mark>[.!?…]+)(?P<close>[\"'”’)\]]*)(?=\s+[\"“‘(\[]*(?P<next>[A-Z0-9][\w'’-]*))")
_WORD_BEFORE = re.compile(r"([^\W_](?:[\w'’-]*[^\W_])?(?:\.[^\W_])*)$")
WORD_BEFORE_REACH = 40
_stems: dict[str, str] = {}
"""Memo of word -> index term; an index preloads its corpus vocabulary so queries rarely stem."""
_stemmer = None


@dataclass(frozen=True, slots=True)
class Token:
    """A word of a text: where it stands, and the term it is indexed under ("" for stopwords)."""

    start: int
    end: int
    surface: str
    term: str


def normalize(word: str) -> str:
    """The index term of one word: lower case, no possessive, Porter stem; "" for a stopword."""
    term = _stems.get(word)
    if term is None:
        term = _stems[word] = _normalize(word)
    return term


def preload_stems(mapping: dict[str, str]) -> None:
    _stems.update(mapping)


def stem_memo(words: Iterable[str]) -> dict[str, str]:
    """The memo entries for these words, to save beside an index."""
    return {word: normalize(word) for word in words}


def _porter(word: str) -> str:
    """NLTK's Porter stemmer, imported on first use (importing nltk costs a quarter second)."""
    global _stemmer
    if _stemmer is None:
        from nltk.stem.porter import PorterStemmer

        _stemmer = PorterStemmer()
    return _stemmer.stem(word)


def _normalize(word: str) -> str:
    lowered = word.lower().replace("’", "'")
    if lowered.endswith("'s"):
        lowered = lowered[:-2]
    if lowered in STOPWORDS:
        return ""
    if "." in lowered:
        return lowered.rstrip(".")
    lowered = lowered.replace("'", "")
    return _porter(lowered) if lowered.isalpha() else lowered


def tokens(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group(), normalize(m.group())) for m in _TOKEN.finditer(text)]


def terms(text: str) -> list[str]:
    """The index terms of a text, stopwords left out: what BM25 sees."""
    memo = _stems
    found = []
    for word in _TOKEN.findall(text):
        term = memo.get(word)
        if term is None:
            term = memo[word] = _normalize(word)
        if term:
            found.append(term)
    return found


def words(text: str) -> list[str]:
    """The words of a text as the tokenizer sees them (what the stem memo is keyed by)."""
    return _TOKEN.findall(text)


def word_count(text: str) -> int:
    return len(_TOKEN.findall(text))


class SentenceSplitter:
    """Punkt, trained unsupervised on the corpus itself, plus a fixed list of abbreviations."""

    def __init__(self, params=None) -> None:  # type: ignore[no-untyped-def]
        from nltk.tokenize.punkt import PunktParameters

        params = params or PunktParameters()
        params.abbrev_types.update(COMMON_ABBREVIATIONS)
        self._params = params

    @classmethod
    def trained_on(cls, texts: Iterable[str], max_chars: int = 200_000) -> SentenceSplitter:
        """Trained on the texts' first `max_chars` characters: a sample is enough to learn
        abbreviations, and training on a whole large corpus would take minutes."""
        from nltk.tokenize.punkt import PunktTrainer

        trainer = PunktTrainer()
        seen = 0
        for text in texts:
            trainer.train(text, finalize=False)
            seen += len(text)
            if seen >= max_chars:
                break
        trainer.finalize_training()
        return cls(trainer.get_params())

    def to_dict(self) -> dict[str, list]:
        """The learned parameters as plain JSON data, so later additions split the same way."""
        p = self._params
        return {
            "abbrev_types": sorted(p.abbrev_types),
            "collocations": sorted([list(pair) for pair in p.collocations]),
            "sent_starters": sorted(p.sent_starters),
            "ortho_context": sorted([[word, flags] for word, flags in p.ortho_context.items()]),
        }

    @classmethod
    def from_dict(cls, data: dict[str, list]) -> SentenceSplitter:
        from nltk.tokenize.punkt import PunktParameters

        params = PunktParameters()
        params.abbrev_types = set(data["abbrev_types"])
        params.collocations = {tuple(pair) for pair in data["collocations"]}
        params.sent_starters = set(data["sent_starters"])
        for word, flags in data["ortho_context"]:
            params.ortho_context[word] = flags
        return cls(params)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans within `text`, trimmed of surrounding white space.

        Punkt's learned parameters decide, applied by one regular-expression pass (NLTK's own
        Punkt tokenizer takes microseconds a word, too slow for a million passages): a sentence ends
        at . ! ? or … (and closing quotes or brackets) before white space and a capital or a digit,
        unless the word before a period is a known abbreviation or an initial, and the next word is
        not one Punkt learned to start sentences.
        """
        abbreviations = self._params.abbrev_types
        starters = self._params.sent_starters
        result = []
        start = 0
        for match in _BOUNDARY.finditer(text):
            if match.group("mark") == ".":
                before = _WORD_BEFORE.search(text, max(0, match.start() - WORD_BEFORE_REACH), match.start())
                word = before.group(1).lower() if before else ""
                following = match.group("next").lower()
                if (word in abbreviations or len(word) == 1 and word.isalpha()) and following not in starters:
                    continue
            end = match.end("mark") + len(match.group("close"))
            self._add(text, start, end, result)
            start = end
        self._add(text, start, len(text), result)
        return result

    @staticmethod
    def _add(text: str, start: int, end: int, result: list[tuple[int, int]]) -> None:
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        if end - trail > start + lead:
            result.append((start + lead, end - trail))
