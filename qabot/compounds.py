"""Words written closed or open: a question's "push back" is an article's "pushback", its
"crackdown" an article's "cracking down".

English writes many phrasal verbs and their nouns both ways, and people in a chat pick either.
Whether a joined word is a word at all is asked of the corpus: the closed form must be indexed, or
the open form's verb must be, with a particle after it.
"""

from __future__ import annotations

from typing import Callable

from qabot.abbreviations import Equivalence
from qabot.question import LIGHT_VERBS
from qabot.text import normalize, words

PARTICLES = ("back", "down", "up", "out", "off", "over", "away", "about", "in", "on")
"""The adverbs a phrasal verb ends in ("crack down", "sign up", "lay off")."""
CLOSED_ENDINGS = PARTICLES[:-2]
"""The particles a closed word is split at. Not "in" and "on": too many words merely end in them
("tendon", "season", "cabin")."""
MIN_VERB = 3


def compounds(question: str, indexed: Callable[[str], int]) -> tuple[Equivalence, ...]:
    """For each phrasal verb of the question written open ("push back") whose closed form the
    corpus holds, and each closed one ("crackdown") whose verb it holds: the closed form's term
    and the verb's. A light verb's closed forms ("takeover", "setup") are left alone: a sentence
    that says "take" says nothing of a takeover. `indexed(term)` is how many passages hold a term."""
    found_words = [word.lower() for word in words(question) if word.isalpha()]
    found: dict[str, tuple[str, ...]] = {}
    for verb, particle in zip(found_words, found_words[1:]):
        if particle in PARTICLES and normalize(verb) and indexed(normalize(verb + particle)):
            found[normalize(verb + particle)] = _open(verb, particle)
    for word in found_words:
        for particle in CLOSED_ENDINGS:
            if not word.endswith(particle) or len(word) - len(particle) < MIN_VERB:
                continue
            verb = normalize(word[: -len(particle)])
            if verb and verb not in LIGHT_VERBS and indexed(verb):
                found.setdefault(normalize(word), _open(word[: -len(particle)], particle))
    return tuple((closed, verb) for closed, verb in found.items() if closed not in verb)


def _open(verb: str, particle: str) -> tuple[str, ...]:
    """The open form's terms: the verb's, and the particle's unless it is a stopword ("back" is not)."""
    return tuple(term for term in (normalize(verb), normalize(particle)) if term)
