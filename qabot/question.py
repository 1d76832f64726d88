"""Reading a question: its terms, and the kind of thing it asks for (a person, a time, a number ...)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from qabot.abbreviations import Equivalence
from qabot.text import STOPWORDS, Token, normalize, tokens


class AnswerType(str, Enum):
    PERSON = "person"
    TIME = "time"
    PLACE = "place"
    NUMBER = "number"
    DURATION = "duration"
    NAME = "name"
    REASON = "reason"
    OTHER = "other"


WH_WORDS = frozenset({"who", "whom", "whose", "what", "which", "when", "where", "why", "how"})

# Nouns that, after "what"/"which", say what kind of thing the answer is, and words that say
# nothing about the topic. Written as Snowball stems so that importing this module needs no stemmer;
# tests/test_question.py checks them against the words they stand for.
TIME_NOUNS = frozenset("centuri date day decad era hour month period season time week year".split())
PLACE_NOUNS = frozenset(
    "area capit citi contin counti countri locat nation neighborhood place provinc region state street town villag".split()
)
PERSON_NOUNS = frozenset(
    "actor author emperor governor judg king leader man mayor minist offici peopl person player presid queen "
    "scientist senat singer spokesman spokesperson spokeswoman woman writer".split()
)
QUANTITY_NOUNS = frozenset(
    "age amount budget cost count distanc height length number percentag popul price rate salari size temperatur "
    "total weight".split()
)
QUESTION_NOISE = frozenset("accord describ done exact happen kind sort stuff thing type".split())
CHAT_NOISE = frozenset(
    "yo hey lol lmao omg pls plz thx btw tbh imo idk rn ur ya gonna wanna gotta kinda sorta anyon anyth anybodi "
    "someon someth somebodi everyon everyth everybodi".split()
)
"""Words of the chat register that say nothing of the topic: greetings, laughter, shorthand ("ur",
"rn"), contractions of "going to" and the like, and indefinite pronouns ("did *anyone* sue?")."""
CHAT_LETTERS = frozenset({"u", "r"})
""""you" and "are" as chat writes them: noise in lower case only ("an element of *R*" is not)."""
INFORMAL_WH = {
    f"{wh}{joint}s": wh for wh in ("what", "who", "where", "when", "how", "why") for joint in ("", "'", "’")
}
"""Wh-words with "is" run on ("who's"), and with the apostrophe dropped as people type them in a
chat ("whos")."""
CHAT_SHORTHAND = {
    "cop": "police", "cops": "police", "feds": "federal agents", "bodycam": "body camera", "bodycams": "body cameras",
    "dashcam": "dashboard camera", "wh": "White House", "potus": "president", "scotus": "Supreme Court",
    "dem": "Democratic", "dems": "Democrats", "repub": "Republican", "repubs": "Republicans", "pd": "police department",
    "govt": "government", "gov't": "government", "admin": "administration", "dept": "department", "prez": "president",
    "cam": "camera", "cams": "cameras", "nyc": "New York City", "ny": "New York", "ppl": "people", "vid": "video",
    "vids": "videos", "pic": "photo", "pics": "photos", "convo": "conversation", "bday": "birthday", "yr": "year",
    "yrs": "years", "hrs": "hours", "tmrw": "tomorrow", "abt": "about", "bc": "because", "info": "information",
    "da": "district attorney", "das": "district attorneys",
}
"""Shorthand of the chat register, in the words news writing uses for it ("cops" are "police",
"WH" the "White House"): general English, so that a casual question shares words with the
articles. Only shorthand that news prose does not use itself: acronyms such as ICE or DHS stay."""
ASKING_ABOUT = re.compile(
    r"\b(?:(?:can\s+|could\s+)?(?:you\s+|u\s+)?tell\s+me(?:\s+more)?|what(?:['’]?s)\s+the\s+deal\s+with|going\s+on\s+with|"
    r"any\s+(?:news|updates?|word)\s+(?:on|about)|(?:you|u)\s+know(?:\s+anything)?)\b",
    re.IGNORECASE,
)
"""Phrases of chat that only say "tell me about": "tell me about", "what's the deal with", "what's
going on with", "any news on", "do you know": their words name no topic."""
CHAT_FILLER = re.compile(
    r"^\s*(?:ok(?:ay)?|so|wait|hmm+|um+|uh+|hi|hello)\b|"
    r"\b(?:really|actually|basically|literally|honestly|please|thanks|thank\s+you|these\s+days|any\s+ideas?|"
    r"(?:does\s+)?any(?:one|body)\s+know|i\s+(?:heard|read|saw)(?:\s+(?:that|something))?|quick\s+question|"
    r"(?:i(?:\s+was|\s+am|['’]m)|just)\s+wondering|"
    r"is\s+(?:that|it|this)\s+(?:true|right|correct))\b",
    re.IGNORECASE,
)
"""The rest of chat's padding, as written (its words' terms would be content elsewhere: "basic
unit", "heard a case"): openers ("ok so", "wait,"), intensifiers ("really", "literally"), thanks,
and hedges around a question ("any idea ...", "I heard ...", "just wondering", "... is that true?")."""
INTENT_VERB = re.compile(
    r"\b(?:try|tries|tried|trying|mean|meant|supposed|intend|intends|intended|intending|attempted|attempting|"
    r"want|wants|wanted|wanting)"
    r"(?=\s+to\s+[a-z])",
    re.IGNORECASE,
)
"""A verb of intent before the verb it governs ("trying to *explain*", "meant to *build*"): the
question asks about the act, and an article reports it in its own words ("moved to clarify",
"aiming to build"), so the intent verb is no word of the topic. Only before "to" and a verb: "who
was tried" is about a trial; and no form that is more often a noun there ("the *means* to pay",
"an *attempt* to")."""
FRAME_VERB = re.compile(
    r"\b(?:end|ends|ended|ending|wind|winds|wound|winding)(?=\s+up\b)|"
    r"\b(?:play|plays|played|playing|pan|pans|panned|panning)(?=\s+out\b)",
    re.IGNORECASE,
)
"""Phrasal verbs that frame a question rather than name what it is about: "could this *end up* in
court?" and "how will it *play out*?" ask what comes of something, and an article says neither
("could spark legal battles"), so they are no words of the topic. Not "what does X *mean*?":
dropping "mean" lowered SQuAD v1.1's accuracy by words alone (0.705 to 0.704 on the test half),
whose answers often say "meaning", and gained no news question."""
_NAME_ADJECTIVES = r"(?:(?:full|real|first|last|official)\s+)?"
"""The words before "name" that still only ask for a name ("the mayor's *full* name")."""
NAME_COMMAND = re.compile(r"^\W*(?:(?:can|could)\s+(?:you|u)\s+|please\s+|pls\s+)?name\b(?!\s+(?:of|is|was)\b)", re.IGNORECASE)
"""A question put as a command to name something ("name the two people killed in Minneapolis",
"Name one country that ..."): it asks who or what, as "which" does."""
NAME_ASKED = re.compile(rf"{NAME_COMMAND.pattern}|\b{_NAME_ADJECTIVES}names?(?=\s+of\b|\s*[?.!]*\s*$)", re.IGNORECASE)
"""The words that ask for a name ("the *name of* the judge", "the mayor's *full name*"): they say
what kind of answer is wanted, and a sentence that answers names the judge without saying "name"."""
LIGHT_VERBS = frozenset(
    "go goe went gone get got gotten make made take took taken come came put keep kept give gave given".split()
)
"""Terms of the verbs that lend a phrase its grammar more than its meaning ("go on", "go after",
"get", "take part"): rare in news prose, their idf would make them outweigh the topic's words."""
LIGHT_WEIGHT = 0.5
DURATION_WORDS = frozenset({"long"})
QUANTITY_WORDS = frozenset({"many", "much", "often", "far", "old", "large", "big", "tall", "high"})


@dataclass(frozen=True)
class Question:
    text: str
    terms: tuple[str, ...]
    """Distinct index terms, in order."""
    weights: dict[str, float] = field(default_factory=dict)
    """Relative weight of each term for ranking; words describing the answer ("which *state*") count less."""
    roles: dict[str, float] = field(default_factory=dict)
    """Weight by rough part of speech, for confidence: names and nouns say what the question is about."""
    answer_type: AnswerType = AnswerType.OTHER
    focus: str = ""
    """The term of the noun naming what is asked for ("who is the *mayor* of", "how many ICE
    *agents*"), if any: a sentence that answers usually says it."""
    kind_terms: frozenset[str] = frozenset()
    """Those of the question's terms that are its focus or stand in the phrase "what"/"which"
    governs ("what type of *river systems*"): an answer may end in one of them ("*Liberal Party*"
    for "what party")."""
    wording: tuple[frozenset[tuple[str, ...]], frozenset[tuple[str, ...]]] = (frozenset(), frozenset())
    """The question's own word pairs and triples, lower-cased, function words kept and wh-words
    left out: a sentence sharing "put off by" or "take part in" says it the question's way."""
    pairs: frozenset[tuple[str, str]] = frozenset()
    """Neighbouring content terms of the question ("executive order"): phrases to find intact."""
    topic: str = ""
    """The question's own content words as written ("governor proposed legislation ICE")."""
    slot_terms: tuple[str, ...] = ()
    """Terms a declarative answer puts its new information after: the question's last content term
    ("meant to *build*?" -> "aiming to build *trust between ...*") and, when the question ends in a
    short prepositional phrase, the term before it ("*patent* in 1891?" -> "patented *the coil*")."""
    around_wh: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    """The question's words, lower-cased, before its wh-word and after its wh-phrase ("cytotoxins
    such as | what"; "what direction | does the bend take"): a statement puts the answer between
    words like these."""
    equivalences: tuple[Equivalence, ...] = ()
    """Other forms of the question's words that the articles use: abbreviations they define
    ("DHS"), phrasal verbs written closed or open ("pushback")."""
    borrowed: tuple[str, ...] = ()
    """The terms a follow-up borrows from earlier turns (also in `terms`, weighing less)."""


CONTEXT_WEIGHT = 0.3
"""Ranking weight of a term a follow-up borrows from earlier turns: it helps find the topic but
the question's own words decide the sentence."""
CONTEXT_TOTAL = 1.0
"""Borrowed terms together weigh no more than one of the question's own words, however many, for
ranking and for coverage alike: a long earlier turn must not dilute a follow-up's coverage (and so
its confidence) in proportion to its length."""
CONTEXT_ROLE = 0.3


def analyze(text: str, borrowed: tuple[str, ...] = ()) -> Question:
    toks = [standard for tok in tokens(text) for standard in _standard_forms(tok)]
    lowered = [INFORMAL_WH.get(word, word) for word in (t.surface.lower() for t in toks)]
    spelt_out = _WH_IS.sub(r"\1 is", text)
    answer_type, quantity_word = _answer_type(spelt_out, lowered)
    skip = QUESTION_NOISE | CHAT_NOISE | {normalize(quantity_word)}
    asking = [
        match.span() for pattern in (ASKING_ABOUT, CHAT_FILLER, INTENT_VERB, FRAME_VERB, NAME_ASKED) for match in pattern.finditer(text)
    ]
    ordered: list[str] = []
    for tok, word in zip(toks, lowered):
        if tok.surface in CHAT_LETTERS or any(start <= tok.start < end for start, end in asking):
            continue
        if tok.term and tok.term not in ordered and tok.term not in skip and word not in WH_WORDS:
            ordered.append(tok.term)
    descriptors = _wh_phrase_terms(text)
    content = [tok.term for tok in toks if tok.term in ordered]
    weights = {term: FOCUS_WEIGHT if term in descriptors else LIGHT_WEIGHT if term in LIGHT_VERBS else 1.0 for term in ordered}
    roles: dict[str, float] = {}
    for i, tok in enumerate(toks):
        if tok.term in ordered:
            role = FOCUS_WEIGHT if tok.term in descriptors else VERB_WEIGHT if tok.term in LIGHT_VERBS else _role_weight(toks, lowered, i)
            roles[tok.term] = max(roles.get(tok.term, 0.0), role)
    new_terms = [term for term in dict.fromkeys(borrowed) if term not in weights]
    for term in new_terms:
        ordered.append(term)
        weights[term] = min(CONTEXT_WEIGHT, CONTEXT_TOTAL / len(new_terms))
        roles[term] = min(CONTEXT_ROLE, CONTEXT_TOTAL / len(new_terms))
    focus = _focus_term(spelt_out)
    return Question(
        text=text,
        terms=tuple(ordered),
        weights=weights,
        roles=roles,
        answer_type=answer_type,
        focus=focus,
        kind_terms=frozenset(descriptors | {focus}) & frozenset(ordered),
        wording=_wording(lowered),
        pairs=frozenset(zip(content, content[1:])),
        slot_terms=_slot_anchors(toks, ordered),
        topic=" ".join(t.surface for t, word in zip(toks, lowered) if t.term and t.term in weights and word not in WH_WORDS),
        around_wh=_around_wh(lowered),
        borrowed=tuple(new_terms),
    )


def _around_wh(lowered: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words before the wh-word and after its phrase: "how" takes the word after it ("how
    many"), "what" and "which" a content word after them ("what direction"). The wh-word is the
    first, or the last word when the question ends in one ("When ..., it releases such as what?")."""
    found = [i for i, word in enumerate(lowered) if word in WH_WORDS]
    if not found:
        return (), ()
    wh = found[-1] if found[-1] == len(lowered) - 1 else found[0]
    after = wh + 1
    if after < len(lowered) and (lowered[wh] == "how" or (lowered[wh] in ("what", "which") and lowered[after] not in STOPWORDS)):
        after += 1
    return tuple(lowered[:wh]), tuple(lowered[after:])


_POSSESSIVE = re.compile(r"['’]s$")
_WH_IS = re.compile(r"\b(what|who|where|when|how|why)['’]s\b", re.IGNORECASE)
"""A wh-word with "is" run on: "what's the population of" reads as "what is the population of"."""


def _standard_forms(tok: Token) -> list[Token]:
    """The token, or the words its chat shorthand stands for, each at the shorthand's place. Two
    letters in mixed case are a symbol, not shorthand ("Pd" is palladium, "PD" a police department)."""
    word = _POSSESSIVE.sub("", tok.surface)
    expansion = CHAT_SHORTHAND.get(word.lower())
    if expansion is None or (len(word) <= 2 and not (word.islower() or word.isupper())):
        return [tok]
    return [Token(tok.start, tok.end, standard, normalize(standard)) for standard in expansion.split()]


def _wording(lowered: list[str]) -> tuple[frozenset[tuple[str, ...]], frozenset[tuple[str, ...]]]:
    kept = [word for word in lowered if word not in WH_WORDS]
    return frozenset(zip(kept, kept[1:])), frozenset(zip(kept, kept[1:], kept[2:]))


DETERMINERS = frozenset("the a an this that these those his her its their our my your some any every each no another".split())
PREPOSITIONS = frozenset("of in on at for with about from by into against over under between among after before during without".split())
AUXILIARIES = frozenset("do does did is are was were be been being have has had will would can could should may might must shall".split())
FOCUS_WEIGHT = 0.5
"""Words of the wh-phrase ("which *day of the week*") describe the answer, not the topic."""
PROPER_WEIGHT = 1.5
NOUN_WEIGHT = 1.2
VERB_WEIGHT = 0.6


def _role_weight(toks: list[Token], lowered: list[str], i: int) -> float:
    """A rough part of speech from the neighbours: names and nouns say what a question is about,
    verbs are the words people paraphrase most, so they count less."""
    prev = lowered[i - 1] if i > 0 else ""
    prev2 = lowered[i - 2] if i > 1 else ""
    nxt = lowered[i + 1] if i + 1 < len(lowered) else ""
    surface = toks[i].surface
    if i > 0 and surface[:1].isupper():
        return PROPER_WEIGHT
    if lowered[i].endswith("ing") and prev in PREPOSITIONS:
        return 1.0
    if prev in DETERMINERS or prev in PREPOSITIONS or nxt == "of" or prev.endswith(("'s", "’s")):
        return NOUN_WEIGHT
    if nxt == "to" or (prev2 in AUXILIARIES and toks[i - 1].surface[:1].isupper()):
        return VERB_WEIGHT
    return 1.0


TRAILING_PREPOSITIONS = PREPOSITIONS
MAX_TRAILING_PHRASE = 3


def _slot_anchors(toks: list[Token], ordered: list[str]) -> tuple[str, ...]:
    content = [i for i, t in enumerate(toks) if t.term in ordered]
    if not content:
        return ()
    anchors = [toks[content[-1]].term]
    if content[-1] == len(toks) - 1:
        for i in range(len(toks) - 2, max(-1, len(toks) - 1 - MAX_TRAILING_PHRASE), -1):
            if toks[i].surface.lower() in TRAILING_PREPOSITIONS:
                before = [j for j in content if j < i]
                if before:
                    anchors.append(toks[before[-1]].term)
                break
    return tuple(dict.fromkeys(anchors))


def _answer_type(text: str, words: list[str]) -> tuple[AnswerType, str]:
    """The expected answer type, and the word after "how" that only says "a number"."""
    for i, word in enumerate(words):
        if word not in WH_WORDS:
            continue
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if word in ("who", "whom", "whose"):
            return AnswerType.PERSON, ""
        if word == "when":
            return AnswerType.TIME, ""
        if word == "where":
            return AnswerType.PLACE, ""
        if word == "why":
            return AnswerType.REASON, ""
        if word == "how":
            if nxt in DURATION_WORDS:
                return AnswerType.DURATION, nxt
            if nxt in QUANTITY_WORDS:
                return AnswerType.NUMBER, nxt
            return AnswerType.OTHER, ""
        noun = _focus_noun(text, word) or _copula_noun(text)
        stem = normalize(noun) if noun else ""
        if stem == NAME_NOUN:
            return _kind_named(normalize(_named_noun(text)), AnswerType.NAME), ""
        if stem in TIME_NOUNS:
            return AnswerType.TIME, ""
        if stem in PLACE_NOUNS:
            return AnswerType.PLACE, ""
        if stem in QUANTITY_NOUNS:
            return AnswerType.NUMBER, ""
        if stem in PERSON_NOUNS:
            return AnswerType.PERSON, ""
        if word == "which" and noun:
            return AnswerType.NAME, ""
        if re.search(r"\b(called|named|titled|known as)\b", " ".join(words[i:])):
            return AnswerType.NAME, ""
        return AnswerType.OTHER, ""
    command = NAME_COMMAND.match(text)
    if command:
        return _kind_named(normalize(_head_noun(text[command.end():], _NAMED_STOPS)), AnswerType.OTHER), ""
    return AnswerType.OTHER, ""


def _kind_named(named: str, otherwise: AnswerType) -> AnswerType:
    """What a name asked for is, by the noun it names: a person's for "the judge", a place's for
    "the country"."""
    return AnswerType.PERSON if named in PERSON_NOUNS else AnswerType.PLACE if named in PLACE_NOUNS else otherwise


_AUX = frozenset(
    "is are was were be been do does did has have had will would could can should may might must "
    "of to for in on at by with about from that".split()
)


def _wh_phrase_terms(text: str) -> set[str]:
    """Terms of the phrase a "what"/"which" governs, up to its verb: "which day of the week did"."""
    match = re.search(r"\b(?:what|which)\b([^,;:?!.]*)", text, re.IGNORECASE)
    if not match:
        return set()
    found: set[str] = set()
    for word in re.findall(r"[A-Za-z'’-]+", match.group(1))[:5]:
        low = word.lower()
        if low in ("of", "the", "a", "an"):
            continue
        if low in _AUX or _verbish(low):
            break
        if term := normalize(low):
            found.add(term)
    return found


_ROLE_OF = re.compile(r"\b(?:what|who|whom|which)\s+(?:is|are|was|were)\s+(?:the|a|an)\s+([A-Za-z-]+)\s+(?:of|for|in|at|on)\b", re.IGNORECASE)
_WH_PHRASE = re.compile(r"\b(what|which|how many|how much)\b", re.IGNORECASE)


def _focus_term(text: str) -> str:
    """The term of the noun a question asks about: "the *mayor* of", the noun that what,
    which, how many or how much governs, or the one a possessive names ("Chicago's *population*")."""
    match = _ROLE_OF.search(text)
    wh = _WH_PHRASE.search(text)
    noun = (match.group(1) if match else _focus_noun(text, wh.group(1)) if wh else "") or _copula_noun(text)
    focus = normalize(noun) if noun else ""
    if focus == NAME_NOUN:
        return normalize(_named_noun(text)) or focus
    return focus


_COPULA_OF = re.compile(
    r"\bwhat(?:['’]?s|\s+(?:is|are|was|were))\s+(?:(?:the|a|an)\s+([A-Za-z-]+)\s+of\b"
    r"|(?:the\s+)?(?:[\w.-]+\s+){0,5}?[\w.-]+['’]s\s+(?:[A-Za-z-]+\s+)?([A-Za-z-]+)\s*[?.!]*\s*$)",
    re.IGNORECASE,
)


def _copula_noun(text: str) -> str:
    """The noun of "what is the *population* of ..." or of "what's Chicago's *population*?": it
    says what kind of answer is wanted."""
    match = _COPULA_OF.search(text)
    return (match.group(1) or match.group(2)).lower() if match else ""


NAME_NOUN = "name"
_NAME_OF = re.compile(r"\bnames?\s+of\s+(?:(?:the|a|an|this|that|these|those|his|her|its|their)\s+)?([^,;:?!.]*)", re.IGNORECASE)
_NAME_OWNER = re.compile(rf"\b([A-Za-z-]+)['’]s\s+{_NAME_ADJECTIVES}names?\b", re.IGNORECASE)
_NAMED_STOPS = WH_WORDS | {"that"}
"""Where the noun a name is asked for ends: "the name of the *judge* who ruled"."""


def _named_noun(text: str) -> str:
    """The noun whose name is asked for: "the name of the federal *judge* who ..." or "the
    *mayor's* full name" asks who the judge or the mayor is, so the answer is a person's name and
    the judge or the mayor is the focus."""
    match = _NAME_OF.search(text)
    if match:
        return _head_noun(match.group(1), _NAMED_STOPS)
    owner = _NAME_OWNER.search(text)
    return owner.group(1).lower() if owner else ""


def _focus_noun(text: str, wh_word: str) -> str:
    """The noun that "what"/"which" governs ("which federal *department* is ..."), or ""."""
    match = re.search(rf"\b{wh_word}\b([^,;:?!.]*)", text, re.IGNORECASE)
    return _head_noun(match.group(1)) if match else ""


def _head_noun(phrase: str, stops: frozenset[str] = frozenset()) -> str:
    """The last of a phrase's first three words before a verb, an auxiliary, a run-on "'s" or
    one of `stops`: "federal *department* is ..." -> "department"."""
    noun = ""
    for word in re.findall(r"[A-Za-z'’-]+", phrase)[:3]:
        low = word.lower()
        if low in _AUX or low in stops or word[0] in "'’" or _verbish(low):
            break
        noun = low
    return noun


IRREGULAR_PAST = frozenset(
    """
    arose arisen ate eaten awoke became began begun bit bitten blew blown bought brought broke broken built
    burnt caught chose chosen came dealt did done drew drawn drank drunk drove driven fell fallen fought fled
    flew flown forbade forbidden forgot forgotten forgave forgiven froze frozen gave given went gone got gotten
    grew grown hid hidden held kept knew known laid led lent lost made meant met paid ran rang rose risen
    sang sank sent shook shaken shot shown sought sold slept spent spoke spoken stole stolen stood struck swore
    sworn swam took taken taught told thought threw thrown understood undertook undertaken withdrew withdrawn
    woke woken won wore worn wove woven wrote written
    """.split()
)
"""Past forms of common irregular verbs that are not also common nouns or adjectives ("set",
"left", "found" and "saw" are left out): general English, so that "what team *won* Super Bowl 50"
ends its wh-phrase at the verb as "what team *signed* it" does."""


def _verbish(word: str) -> bool:
    return word.endswith("ed") or word in IRREGULAR_PAST or word in ("say", "says", "said", "want", "wants", "think", "thinks")
