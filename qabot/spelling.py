"""Slips of typing in a question: a word that neither the articles nor English use, read as the
word one slip away (a letter left out, added, mistyped, or two swapped) that the articles use most:
"immigation" is "immigration", "johnosn" is "johnson". People type fast in a chat, and BM25
cannot match a word with a slip in it at all.

Whether English uses a word is asked of pyspellchecker's English word list (160,000 words, none of
the common misspellings): the articles alone cannot tell, as a few articles leave out most real
words, which then look like slips of words they hold ("write" of "wrote", "party" of "partly")."""

from __future__ import annotations

import re
from functools import cache
from typing import Callable

from qabot.question import INFORMAL_WH
from qabot.text import STOPWORDS, fresh_terms, tokens

MIN_LETTERS = 5
"""Shorter words have too many neighbours one edit away that are words of their own ("sue":
"use", "due", "she")."""
LETTERS = "abcdefghijklmnopqrstuvwxyz"
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
NEIGHBOURS: dict[str, str] = {
    key: "".join(
        other
        for r, other_row in enumerate(_ROWS)
        for c, other in enumerate(other_row)
        if abs(r - row) <= 1 and abs(c - column) <= 1 and other != key
    )
    for row, keys in enumerate(_ROWS)
    for column, key in enumerate(keys)
}
"""The keys around each key of a QWERTY keyboard: a wrong letter typed is one of them ("chucago"),
while a real word that differs by one letter mostly differs by another ("masks", "marks")."""
_SLIPPABLE = re.compile(r"[A-Za-z]+")


def one_edit(word: str) -> dict[str, int]:
    """The words one slip away from a lower-case word, each with how likely its slip is (0 the
    likeliest): a letter left out (any letter put back), two letters swapped or one added
    (undone), or a letter changed for a key beside it (changed back). The first letter is kept: a
    slip seldom hits it, and a word with its first letter changed is often another word
    ("weather", "leather")."""
    head, rest = word[0], word[1:]
    splits = [(rest[:k], rest[k:]) for k in range(len(rest) + 1)]
    kinds = (
        {head + a + c + b for a, b in splits for c in LETTERS},
        {head + a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1},
        {head + a + b[1:] for a, b in splits if b},
        {head + a + c + b[1:] for a, b in splits if b for c in NEIGHBOURS.get(b[0], "")},
    )
    found: dict[str, int] = {}
    for rank, kind in enumerate(kinds):
        for candidate in kind:
            found.setdefault(candidate, rank)
    found.pop(word, None)
    return found


def _one_apart(a: str, b: str) -> bool:
    """Whether two strings are equal or one edit apart (a letter added, left out, changed, or two
    neighbours swapped)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    k = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return (
        a[k + 1 :] == b[k + 1 :] or a[k + 1 :] == b[k:] or a[k:] == b[k + 1 :]
        or (a[k + 2 :] == b[k + 2 :] and a[k : k + 2] == b[k : k + 2][::-1])
    )


def typed_forms(word: str) -> set[str]:
    """How a slip may type a word: a letter after the first left out, a key beside one (or the
    letter again) added after it, a letter after the first typed as a key beside it, or two
    neighbouring letters swapped (the first two too: "hwo")."""
    forms = {word[:k] + word[k + 1 :] for k in range(1, len(word))}
    forms |= {word[: k + 1] + c + word[k + 1 :] for k in range(len(word)) for c in NEIGHBOURS.get(word[k], "") + word[k]}
    forms |= {word[:k] + c + word[k + 1 :] for k in range(1, len(word)) for c in NEIGHBOURS.get(word[k], "")}
    forms |= {word[:k] + word[k + 1] + word[k] + word[k + 2 :] for k in range(len(word) - 1)}
    forms.discard(word)
    return forms


def _wh_slips() -> dict[str, str]:
    """Each form a slip gives one wh-word only ("hwo" is "who" or "how": neither), leaving out
    the forms chat gives a wh-word with "is" ("whos", "hows": `question.INFORMAL_WH`)."""
    meant: dict[str, set[str]] = {}
    for wh in ("what", "when", "where", "which", "who", "whom", "whose", "why", "how"):
        for typed in typed_forms(wh):
            if len(typed) >= 3 and typed not in STOPWORDS and typed not in INFORMAL_WH:
                meant.setdefault(typed, set()).add(wh)
    return {typed: next(iter(whs)) for typed, whs in meant.items() if len(whs) == 1}


WH_SLIPS = _wh_slips()
"""Wh-words as slips type them ("waht", "wehn", "whre"): too short for `one_edit`'s search, and
they say what kind of answer is asked for."""


def correction(word: str, doc_freq: Callable[[str], int]) -> str | None:
    """The word one slip away whose term the most passages hold, or None when none holds any
    (ties: the likelier slip, then the alphabetically first). Its term must be one edit from the
    word's own: a letter put back can turn a word into another that stems to a common word
    ("tallying" into "talklying", stemmed "talk")."""
    typed = word.lower()
    own = fresh_terms([typed])[0]
    slips = one_edit(typed)
    candidates = sorted(slips)
    best, best_key = None, (0, 0)
    for candidate, term in zip(candidates, fresh_terms(candidates)):
        if not term or not _one_apart(own, term):
            continue
        key = (doc_freq(term), -slips[candidate])
        if key[0] and key > best_key:
            best, best_key = candidate, key
    return best


@cache
def _english() -> Callable[[str], bool]:
    """Whether English uses a lower-case word. The list is read the first time a question holds a
    word the articles do not (a quarter of a second), not at start-up: many questions never do."""
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=1).__contains__


def is_english(word: str) -> bool:
    return _english()(word.lower())


def respelt(text: str, doc_freq: Callable[[str], int]) -> str:
    """The text with each word that no passage holds and English does not use read as the wh-word
    it slips from or, when it has `MIN_LETTERS` letters or more, as its `correction`, if it has
    one; the rest as it was."""
    pieces, at = [], 0
    for token in tokens(text):
        word = token.surface
        if not token.term or not _SLIPPABLE.fullmatch(word) or word.lower() in INFORMAL_WH or doc_freq(token.term):
            continue
        wh = WH_SLIPS.get(word.lower())
        if (wh is None and len(word) < MIN_LETTERS) or is_english(word):
            continue
        fixed = wh or correction(word, doc_freq)
        if fixed is None:
            continue
        pieces += [text[at : token.start], fixed.capitalize() if word[0].isupper() else fixed]
        at = token.end
    return "".join(pieces) + text[at:] if pieces else text
