"""One word written another way by news style: a title abbreviated before a name ("Gov. Kathy
Hochul" for a question's "governor"), a role's word for anyone, a woman or a man ("spokeswoman"
for a question's "spokesperson"), and the verbs news prose reports speech with ("according to",
"wrote", "announced" for a question's "say").

General English, no list of the articles' words: a variant is called for only when the corpus
holds it, so a question whose variants no article uses reads as before.
"""

from __future__ import annotations

from typing import Callable, Iterable

from qabot.abbreviations import Equivalence
from qabot.text import normalize

TITLES = {
    "gov": "governor", "lt": "lieutenant", "sen": "senator", "rep": "representative", "gen": "general",
    "adm": "admiral", "sgt": "sergeant", "capt": "captain", "col": "colonel", "supt": "superintendent",
    "atty": "attorney", "cmdr": "commander", "det": "detective", "maj": "major", "cpl": "corporal",
}
"""The titles news style (AP's) abbreviates before a name, by their abbreviation."""
ROLE_ENDINGS = ("person", "woman", "man")
"""A role's word for anyone, for a woman and for a man ("chairperson", "chairwoman", "chairman")."""
MIN_ROLE = 3
"""Letters a role's word keeps before its ending: "woman" and "man" themselves name no role."""
SAYING = ("say",)
"""The verb a question asks what someone said with. Not "tell", as often a command ("what does the
order tell officers to do")."""
REPORTING = (
    "according", "write", "speak", "announce", "declare", "claim", "insist", "argue", "comment", "tweet", "post",
    "remark", "assert", "warn", "vow", "suggest", "describe", "add", "note", "tell",
)
"""The verbs news prose attributes speech with, any of which reports what the question asks was
"said". Not "state", whose term is the noun's too ("state officials")."""


def _title_pairs() -> dict[str, tuple[str, str]]:
    """Each abbreviation's and each title's term, with the pair (abbreviation's, title's) it is in."""
    pairs: dict[str, tuple[str, str]] = {}
    for short, long in TITLES.items():
        pair = (normalize(short), normalize(long))
        pairs.setdefault(pair[0], pair)
        pairs.setdefault(pair[1], pair)
    return pairs


_TITLE_PAIRS = _title_pairs()
_SAYING = frozenset(normalize(verb) for verb in SAYING)
_REPORTING = list(dict.fromkeys(normalize(verb) for verb in REPORTING))


def variants(question_terms: Iterable[str], indexed: Callable[[str], int]) -> tuple[Equivalence, ...]:
    """For each question term that is a title or its abbreviation, a role's word or a verb of
    saying: the variants the corpus holds, as equivalences (the variant's term, and the
    question's). `indexed(term)` is how many passages hold a term."""
    found: dict[tuple[str, tuple[str, ...]], None] = {}
    for term in question_terms:
        pair = _TITLE_PAIRS.get(term)
        if pair is not None:
            other = pair[1] if term == pair[0] else pair[0]
            if indexed(other):
                found[(other, (term,))] = None
        for variant in _role_variants(term) + (_REPORTING if term in _SAYING else []):
            if indexed(variant):
                found[(variant, (term,))] = None
    return tuple(found)


def _role_variants(term: str) -> list[str]:
    """The other two words of a role ("spokesman", "spokeswoman" for "spokesperson"); none for a
    term that is no role's word."""
    for ending in ROLE_ENDINGS:
        if term.endswith(ending) and len(term) - len(ending) >= MIN_ROLE:
            stem = term[: -len(ending)]
            return [stem + other for other in ROLE_ENDINGS if other != ending]
    return []
