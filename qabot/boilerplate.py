"""General rules that tell web boilerplate lines (navigation, promos, forms, tags) from article text.

The rules look at the shape of a line and at a vocabulary of website furniture shared by
news sites in general; nothing here names a particular outlet or article.
"""

from __future__ import annotations

import re

# Words that make up navigation, sharing, comment-form and promo furniture on news sites.
UI_WORDS = frozenset(
    """
    skip content main menu navigation nav search home latest news read also more related
    article articles story stories post posts share print email e-mail subscribe subscription
    newsletter sign log login logout register comment comments reply leave cancel advertisement
    advertisements advert ad ads sponsored promoted next previous prev back top follow tags tag
    categories category trending popular recommended watch click here cookie cookies accept
    privacy policy terms copyright rights reserved toggle close open video videos photo photos
    gallery continue reading loading facebook twitter instagram youtube whatsapp telegram linkedin
    tiktok reddit pinterest required fields field marked published website name save browser
    address notify notifications download app apps like
    """.split()
)

# Function words that may sit between furniture words ("Skip to content", "You may also like").
FILLER_WORDS = frozenset(
    """
    a an the to of in on at for and or by with from this that these those you your our my me
    we us i it its is are be been will not no may might also all any this next time via up
    out about
    """.split()
)

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
_CAPS_WORD = re.compile(r"^[A-Z][A-Z'’\-]+$")
_STORY_LINK_MARK = re.compile(r"^[«»‹›←→◄►▶◀⟵⟶<>]+\s*\S")
_ELLIPSIS_END = re.compile(r"(…|\.\.\.)\s*$")
_SENTENCE_END_INSIDE = re.compile(r"[.!?][\"'”’)]?\s+\S")
_BRACKETED = re.compile(r"^[\[{(<][^\[\]{}()<>]{1,60}[\]})>]$")
_DOMAIN = re.compile(r"^(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}(?:/\S*)?$", re.IGNORECASE)

MAX_NAV_WORDS = 20
MAX_TEASER_WORDS = 20
MIN_SHOUT_RUN = 4
MAX_FURNITURE_CHARS = 400
"""Longer lines are article text unless they shout: navigation, teasers and tags are short."""


def boilerplate_reason(line: str) -> str | None:
    """Why a stripped line is boilerplate, or None when it is article text."""
    if len(line) > MAX_FURNITURE_CHARS and not _shouts(line):
        return None
    words = _WORD.findall(line)
    if not words:
        return None
    lowered = [word.lower().replace("’", "'") for word in words]
    if _is_furniture(lowered):
        return "navigation"
    if _is_shouted_promo(words, lowered):
        return "promo"
    if _STORY_LINK_MARK.match(line):
        return "story link"
    if _is_teaser(line, words):
        return "teaser link"
    if _BRACKETED.match(line) and len(words) <= 4 or _DOMAIN.match(line):
        return "outlet tag"
    return None


def _is_furniture(lowered: list[str]) -> bool:
    """A short line made only of site-furniture words and fillers, with at least one of the former."""
    if len(lowered) > MAX_NAV_WORDS:
        return False
    if not all(word in UI_WORDS or word in FILLER_WORDS for word in lowered):
        return False
    return any(word in UI_WORDS for word in lowered)


_SHOUT_START = re.compile(r"[A-Z][A-Z'’\-]")
"""The first two characters of any word a shouted run is made of: a cheap necessary condition."""
_SHOUT_RUN = re.compile(r"(?:\b[A-Z][A-Z'’\-]+\b\W+){%d}\b[A-Z][A-Z'’\-]+\b" % (MIN_SHOUT_RUN - 1))


def _shouts(line: str) -> bool:
    """Whether a line holds a run of capitalised words; the cheap test first, as \\b makes the
    full pattern slow on long lines."""
    return bool(_SHOUT_START.search(line)) and bool(_SHOUT_RUN.search(line))


def _is_shouted_promo(words: list[str], lowered: list[str]) -> bool:
    """A run of capitalised words that calls the reader to another page ("YOU MAY ALSO LIKE ...")."""
    if not _shouts(" ".join(words)):
        return False
    run = best = 0
    for word in words:
        run = run + 1 if _CAPS_WORD.match(word) else 0
        best = max(best, run)
    if best < MIN_SHOUT_RUN:
        return False
    caps = [low for word, low in zip(words, lowered) if _CAPS_WORD.match(word)]
    return sum(word in UI_WORDS for word in caps) >= 2


def _is_teaser(line: str, words: list[str]) -> bool:
    """A short line cut off with an ellipsis: the teaser of a link to another story."""
    return (
        bool(_ELLIPSIS_END.search(line))
        and len(words) <= MAX_TEASER_WORDS
        and not _SENTENCE_END_INSIDE.search(line)
    )
