"""Abbreviations the articles define ("Department of Homeland Security (DHS)"), so that a question
that says "DHS" finds a sentence that spells it out, and the other way round.

People type the short form ("did DHS comment?"); a news story spells a name out once, and then
often again where the answer stands ("The U.S. Department of Homeland Security did not
immediately respond"). No list is kept: each article's own definitions are found when it is
indexed, with the rule of Schwartz and Hearst (2003) made stricter: the short form's letters are
the initials of the words before the parenthesis, in order, connectives ("and", "of") skipped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from qabot.text import STOPWORDS, terms

_IN_PARENTHESES = re.compile(r"\(([A-Za-z][A-Za-z.&]{1,11})\)")
_WORD = re.compile(r"[A-Za-z][\w'’.-]*")
MIN_LETTERS = 2
MAX_LETTERS = 8
REACH = 200
"""Characters before the parenthesis in which the long form is looked for."""
CONNECTIVES = frozenset({"and", "&", "of", "the", "for", "on", "in", "to", "at", "de"})
"""Words a long form may hold whose initial the short form leaves out ("Immigration *and* Customs
Enforcement")."""

Definition = tuple[str, str]
"""(short form, long form) as an article writes them."""


def definitions(text: str) -> list[Definition]:
    """The abbreviations a text defines as "Long Form (LF)", in order of appearance."""
    found: list[Definition] = []
    for match in _IN_PARENTHESES.finditer(text):
        short = match.group(1).replace(".", "")
        letters = [c for c in short if c.isalpha()]
        if not MIN_LETTERS <= len(letters) <= MAX_LETTERS or sum(c.isupper() for c in letters) < MIN_LETTERS:
            continue
        long = _long_form(letters, _WORD.findall(text[max(0, match.start() - REACH) : match.start()]))
        if long:
            found.append((short, long))
    return found


def _long_form(letters: list[str], before: list[str]) -> str:
    """The shortest run of words ending just before the parenthesis whose initials, connectives left
    out, are the short form's letters in order; "" if there is none, or if the run holds any other
    function word ("as the press (AP)")."""
    wanted = [c.lower() for c in letters]
    initials: list[str] = []
    for start in range(len(before) - 1, -1, -1):
        word = before[start]
        if word.lower() in CONNECTIVES:
            continue
        if word.lower() in STOPWORDS:
            return ""
        initials.insert(0, word[0].lower())
        if len(initials) > len(wanted) or initials != wanted[-len(initials):]:
            return ""
        if initials == wanted:
            return " ".join(before[start:])
    return ""


Equivalence = tuple[str, tuple[str, ...]]
"""A short form's term and its long form's terms: either, held by a sentence, holds the other."""


@dataclass(frozen=True)
class Abbreviations:
    """The corpus's abbreviations, by term: what a question's words may be spelt out as."""

    long_forms: dict[str, tuple[str, ...]]
    """Each short form's term and its long form's terms."""
    starting: dict[str, tuple[str, ...]]
    """The short forms whose long form starts with a term, so that a question is matched against
    the few long forms its words begin, not against them all."""

    @classmethod
    def from_definitions(cls, found: Iterable[Definition]) -> Abbreviations:
        """One long form per short form: the one the articles use most (first met on a tie); a
        short form whose term is among its own long form's adds nothing and is left out."""
        counts: Counter[tuple[str, tuple[str, ...]]] = Counter()
        for short_form, long_form in found:
            short_terms, long_terms = terms(short_form), tuple(terms(long_form))
            if len(short_terms) == 1 and len(long_terms) >= 2 and short_terms[0] not in long_terms:
                counts[(short_terms[0], long_terms)] += 1
        long_forms: dict[str, tuple[str, ...]] = {}
        for (short, long), _ in counts.most_common():
            long_forms.setdefault(short, long)
        starting: dict[str, tuple[str, ...]] = {}
        for short, long in long_forms.items():
            starting[long[0]] = (*starting.get(long[0], ()), short)
        return cls(long_forms, starting)

    def relevant(self, question_terms: tuple[str, ...]) -> tuple[Equivalence, ...]:
        """The equivalences a question's terms call for: a short form it says, or a long form it
        says whole."""
        held = set(question_terms)
        shorts = [t for t in question_terms if t in self.long_forms]
        shorts += [s for t in question_terms for s in self.starting.get(t, ()) if held.issuperset(self.long_forms[s])]
        return tuple((short, self.long_forms[short]) for short in dict.fromkeys(shorts))


def spell_out(held: set[str], equivalences: tuple[Equivalence, ...]) -> set[str]:
    """A sentence's terms with each equivalent it holds added: the short form where the long form
    stands whole, the long form's terms where the short form stands."""
    if not equivalences:
        return held
    added = set(held)
    for short, long in equivalences:
        if short in held:
            added.update(long)
        elif held.issuperset(long):
            added.add(short)
    return added

