"""Sentence splitting, tokenising, stemming and stopwords; needs no downloaded NLTK data."""

from __future__ import annotations

import re
from typing import Iterable, NamedTuple

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

_TOKEN = re.compile(r"[^\W_]+(?:['’&][^\W_]+)*(?:\.(?:[^\W\d_]\.)+)?", re.UNICODE)
"""A word: letters and digits, joined by apostrophes or "&" ("O'Brien", "AT&T"), or an
abbreviation with its periods ("U.S.", "Ph.D.")."""
_BOUNDARY = re.compile(r"(?P<mark>[.!?…]+)[\"'”’)\]]*(?P<space>\s+)(?=[\"“‘(\[]*(?P<next>[A-Z0-9][\w'’-]*))")
_WORD_BEFORE = re.compile(r"([^\W_](?:[\w'’-]*[^\W_])?(?:\.[^\W_])*)$")
WORD_BEFORE_REACH = 40
MAX_MEMO_WORDS = 500_000
"""Words whose terms are remembered: a corpus's common vocabulary fits; past it, a new word is
stemmed each time, so a long-running bot's memory stays bounded whatever it is asked."""
_stems: dict[str, str] = {}
"""Memo of word -> index term."""
_stemmer = None


class Token(NamedTuple):
    """A word of a text: where it stands, and the term it is indexed under ("" for stopwords). A
    named tuple, not a frozen dataclass: every quote and question is tokenised word by word, and
    a frozen dataclass sets each field through `object.__setattr__`."""

    start: int
    end: int
    surface: str
    term: str


def normalize(word: str) -> str:
    """The index term of one word: lower case, no possessive, Snowball stem; "" for a stopword."""
    return _lookup([word])[0]


def _stem(word: str) -> str:
    """Snowball's English (Porter2) stem from its C implementation (PyStemmer): a tenth of the time
    of NLTK's pure-Python Porter stemmer, which dominated index builds of large corpora."""
    global _stemmer
    if _stemmer is None:
        import Stemmer

        _stemmer = Stemmer.Stemmer("english")
    return _stemmer.stemWord(word)


IRREGULAR_PLURALS = {
    "children": "child", "feet": "foot", "teeth": "tooth", "geese": "goose", "mice": "mouse", "crises": "crisis",
    "criteria": "criterion", "phenomena": "phenomenon",
}
"""Common English plurals that Snowball stems apart from their singulars, read as the singular."""
IRREGULAR_VERBS = {
    form: base
    for base, forms in {
        "say": "said", "tell": "told", "write": "wrote written", "speak": "spoke spoken", "know": "knew known",
        "see": "seen", "lead": "led", "hold": "held", "begin": "began begun", "bring": "brought",
        "buy": "bought", "build": "built", "catch": "caught", "choose": "chose chosen", "draw": "drew drawn",
        "drive": "drove driven", "fight": "fought", "fly": "flew flown", "forget": "forgot forgotten",
        "grow": "grew grown", "hear": "heard", "hide": "hid hidden", "lose": "lost", "mean": "meant",
        "pay": "paid", "run": "ran", "send": "sent", "sell": "sold", "seek": "sought", "spend": "spent",
        "stand": "stood", "strike": "struck", "swear": "swore sworn", "teach": "taught", "throw": "threw thrown",
        "understand": "understood", "win": "won", "wear": "wore", "break": "broke broken", "eat": "ate eaten",
        "flee": "fled", "withdraw": "withdrew withdrawn", "become": "became", "arise": "arose arisen",
        "blow": "blew blown", "sing": "sang sung", "sink": "sank sunk", "lend": "lent", "ring": "rang",
        "sleep": "slept", "steal": "stole stolen", "swim": "swam", "wake": "woke woken", "freeze": "froze frozen",
        "forgive": "forgave forgiven", "forbid": "forbade forbidden", "deal": "dealt", "hang": "hung",
        "stick": "stuck", "tear": "tore torn", "overcome": "overcame", "undertake": "undertook undertaken",
        "uphold": "upheld", "withhold": "withheld", "oversee": "oversaw overseen", "rebuild": "rebuilt",
    }.items()
    for form in forms.split()
}
"""Past forms of common irregular verbs, read as the verb ("said" as "say", "wrote" and "written" as
"write"), which Snowball stems apart: a question asks what someone "say"s, the article reports
what they "said". Not the forms that are as often other words: "found" (to found), "left",
"saw", "felt", "fell", "shot", "thought", "met", "sat", "rose", "fed", "bit", "lay"; nor "worn", which
ends compounds ("body-worn camera"); nor the light verbs' (`question.LIGHT_VERBS`: "took", "made",
"went" ...), which lend a phrase its grammar more than its meaning."""


def _men_as_man(stem: str) -> str:
    """A stem ending in "men" as one ending in "man", so that "women" and "woman", "chairmen" and
    "chairman" are one term (Snowball keeps them apart); "omen" and "amen" are left. It works on
    stems, so a word that is no plural ("specimen") and its plural ("specimens", stemmed "specimen")
    stay one term too."""
    return stem[:-3] + "man" if stem.endswith("men") and len(stem) != 4 else stem


CARDINALS: tuple[str, ...] = (
    *"one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty".split(),
    *"thirty forty fifty sixty seventy eighty ninety".split(),
)
"""The numbers written out as one word, in order: 1 to 20, then the tens to 90. Every list of
number words in qabot starts from this one."""
MAGNITUDES: tuple[str, ...] = ("hundred", "thousand", "million", "billion")
NUMBER_WORDS = {word: str(value) for word, value in zip(CARDINALS, (*range(1, 21), *range(30, 100, 10))) if word != "one"}
"""Numbers written out, by their digits: "the 3 things" and "three developments" share a term.
Not "one", which is as often a pronoun ("the one who")."""


def _normalize(word: str) -> str:
    lowered = word.lower().replace("’", "'")
    if lowered.endswith("'s"):
        lowered = lowered[:-2]
    if lowered in STOPWORDS:
        return ""
    if lowered in NUMBER_WORDS:
        return NUMBER_WORDS[lowered]
    if "." in lowered:
        return lowered.rstrip(".")
    lowered = lowered.replace("'", "")
    base = IRREGULAR_PLURALS.get(lowered) or IRREGULAR_VERBS.get(lowered, lowered)
    return _men_as_man(_stem(base)) if lowered.isalpha() else lowered


def tokens(text: str) -> list[Token]:
    found = list(_TOKEN.finditer(text))
    surfaces = [m.group() for m in found]
    return [Token(m.start(), m.end(), surface, term) for m, surface, term in zip(found, surfaces, _lookup(surfaces))]


def terms(text: str) -> list[str]:
    """The index terms of a text, stopwords left out: what BM25 sees."""
    return terms_of_words(_TOKEN.findall(text))


def terms_of_words(words: list[str]) -> list[str]:
    """The index terms of words as `words()` found them."""
    return list(filter(None, _lookup(words)))


def fresh_terms(words: list[str]) -> list[str]:
    """The term of each word, "" for stopwords, without remembering them: for words made up on
    the way (a misspelt word's neighbours), which would crowd the memo out of real ones."""
    return [_normalize(word) for word in words]


def term_sequence(found: list[str]) -> list[str]:
    """The term of every word, as `words()` found them, in order, "" for stopwords: what positions
    are counted in."""
    return _lookup(found)


def _lookup(words: list[str]) -> list[str]:
    """The memoised term of each word; a word met for the first time is normalised once."""
    memo = _stems
    try:
        return list(map(memo.__getitem__, words))
    except KeyError:
        found = []
        for word in words:
            term = memo.get(word)
            if term is None:
                term = _normalize(word)
                if len(memo) < MAX_MEMO_WORDS:
                    memo[word] = term
            found.append(term)
        return found


def words(text: str) -> list[str]:
    """The words of a text as the tokenizer sees them (what the stem memo is keyed by)."""
    return _TOKEN.findall(text)


def _word_before(text: str, end: int) -> str:
    """The lower-cased word that ends at `end` ("" if none): the regex runs on the last
    white-space-separated chunk only, since searching a long stretch backtracks at every start."""
    segment = text[max(0, end - WORD_BEFORE_REACH) : end]
    if not segment or segment[-1].isspace():
        return ""
    last = segment.rsplit(None, 1)[-1]
    if last.isalpha():
        return last.lower()
    before = _WORD_BEFORE.search(last)
    return before.group(1).lower() if before else ""


class SentenceSplitter:
    """Punkt, trained unsupervised on the corpus itself, plus a fixed list of abbreviations.

    It holds Punkt's learned parameters as plain sets: NLTK is imported to train them only. Its
    import runs all of `nltk/__init__`, seconds where scipy is installed, which adding one article
    to an existing index (splitting with parameters read back) then paid in a new process."""

    def __init__(
        self, abbreviations: Iterable[str] = (), starters: Iterable[str] = (),
        collocations: Iterable[tuple[str, str]] = (), ortho_context: dict[str, int] | None = None,
    ) -> None:
        self._abbreviations = frozenset(abbreviations) | COMMON_ABBREVIATIONS
        self._starters = frozenset(starters)
        self._collocations = frozenset(collocations)
        self._ortho_context = dict(ortho_context or {})

    @classmethod
    def trained_on(cls, texts: Iterable[str], max_chars: int = 200_000) -> SentenceSplitter:
        """Trained on texts until `max_chars` characters are seen, each cut at `max_chars`: a sample
        is enough to learn abbreviations, and training on a whole large corpus would take minutes
        (a single 50 MB article, trained on whole, took three minutes and 2 GB)."""
        from nltk.tokenize.punkt import PunktTrainer

        trainer = PunktTrainer()
        seen = 0
        for text in texts:
            trainer.train(text[:max_chars], finalize=False)
            seen += len(text)
            if seen >= max_chars:
                break
        trainer.finalize_training()
        params = trainer.get_params()
        return cls(params.abbrev_types, params.sent_starters, params.collocations, dict(params.ortho_context))

    def to_dict(self) -> dict[str, list]:
        """The learned parameters as plain JSON data, so later additions split the same way."""
        return {
            "abbrev_types": sorted(self._abbreviations),
            "collocations": sorted([list(pair) for pair in self._collocations]),
            "sent_starters": sorted(self._starters),
            "ortho_context": sorted([[word, flags] for word, flags in self._ortho_context.items()]),
        }

    @classmethod
    def from_dict(cls, data: dict[str, list]) -> SentenceSplitter:
        return cls(
            data["abbrev_types"], data["sent_starters"], [tuple(pair) for pair in data["collocations"]],
            {word: flags for word, flags in data["ortho_context"]},
        )

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans within `text`, trimmed of surrounding white space.

        Punkt's learned parameters decide, applied by one regular-expression pass (NLTK's own
        Punkt tokenizer takes microseconds a word, too slow for a million passages): a sentence ends
        at . ! ? or … (and closing quotes or brackets) before white space and a capital or a digit,
        unless the word before a period is a known abbreviation or an initial, and the next word is
        not one Punkt learned to start sentences.
        """
        abbreviations, starters = self._abbreviations, self._starters
        result = []
        start = len(text) - len(text.lstrip())
        for match in _BOUNDARY.finditer(text):
            if match.group("mark") == ".":
                word = _word_before(text, match.start())
                if (word in abbreviations or len(word) == 1 and word.isalpha()) and match.group("next").lower() not in starters:
                    continue
            result.append((start, match.start("space")))
            start = match.end()
        end = len(text.rstrip())
        if end > start:
            result.append((start, end))
        return result
