"""Keyword rules that suggest themes for a free-text comment.

A coordinator gives each theme keywords in English, Polish and Lithuanian. A keyword is a
word or a short phrase. How a keyword matches (this is what the codebook page explains):

* Case and accents do not matter: letters are compared without their accents, so "czekal"
  and "czekał" both match "Czekałam", and "isklause" matches "išklausė".
* A word matches itself with up to ``EXTRA_LETTERS`` more letters at the end ("wait"
  matches "waited", "czekał" matches "czekałam"). For Polish and Lithuanian (and English),
  a common ending is first taken off the keyword ("informować" -> "inform", so it matches
  "informował"; "laukti" -> "lauk", so it matches "laukiau"), leaving at least
  ``MIN_STEM`` letters.
* Words shorter than ``MIN_STEM`` letters match only themselves ("gp" does not match "gps").
* A word ending in ``*`` matches any word that starts with it ("oddzwa*" matches
  "oddzwaniała", "skambu*" matches "skambučio").
* A phrase matches the same words next to each other, in the same order ("call back"
  matches "call back", "call-back" and "called back", but not "called me back").

A comment is checked against the rules in its own language and the English rules
(people often write in English whatever language they chose for the survey).

Nothing here touches the database or the request (messages are lazy translations).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import lazy_gettext as _l

MIN_STEM = 4
EXTRA_LETTERS = 4
MAX_KEYWORD_WORDS = 5
MAX_KEYWORD_LENGTH = 120
WILDCARD = "*"

# Endings taken off a keyword word before matching, first match wins (folded: no accents).
ENDINGS = {
    "en": ("ing", "ed", "es", "s"),
    "pl": (
        "owac", "iwac", "ywac", "alam", "alas", "alem", "ac", "ic", "yc", "ec",
        "ami", "ach", "owi", "iem", "ego", "emu", "ych", "ymi",
        "a", "e", "i", "o", "u", "y",
    ),
    "lt": (
        "iausia", "esnis", "davo", "ausi", "iau", "ti", "as", "is", "ys", "us", "es", "os",
        "ai", "ei", "ui", "ams", "ims", "uose", "ose",
        "a", "e", "i", "o", "u", "y",
    ),
}
# Letters that do not come apart under Unicode decomposition.
_EXTRA_FOLDS = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe"})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_KEYWORD_CHARS = re.compile(r"^[^\W_]+(?:['’-][^\W_]+)*\*?$")


class KeywordError(ValueError):
    """A keyword that cannot be used; ``message`` (a lazy translation) says why, kindly."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RuleInput:
    """One keyword of one theme, as the matcher needs it."""

    theme_id: int
    language: str
    keyword: str


@dataclass(frozen=True)
class Suggestion:
    theme_id: int
    keyword: str  # as the coordinator wrote it
    language: str  # the rule's language


def fold(text: str) -> str:
    """Lower case, without accents: "Czekałam" -> "czekalam", "Išklausė" -> "isklause"."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("’", "'")).translate(_EXTRA_FOLDS)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The folded words of ``text``; hyphens and punctuation separate words."""
    return _WORD.findall(fold(text))


def clean_keyword(keyword: str) -> str:
    """A keyword tidied for storing (spaces collapsed); ``KeywordError`` if it is not usable."""
    cleaned = " ".join((keyword or "").split())
    if not cleaned:
        raise KeywordError(_l("Enter a word or a short phrase."))
    if len(cleaned) > MAX_KEYWORD_LENGTH:
        raise KeywordError(_l("Keep a keyword to %(n)d characters or fewer.", n=MAX_KEYWORD_LENGTH))
    parts = cleaned.split(" ")
    if len(parts) > MAX_KEYWORD_WORDS:
        raise KeywordError(_l("Use a word or a short phrase of up to %(n)d words.", n=MAX_KEYWORD_WORDS))
    for part in parts:
        if not _KEYWORD_CHARS.match(part):
            raise KeywordError(
                _l(
                    "Use only letters and numbers (a hyphen or apostrophe inside a word is fine), "
                    "with * only at the end of a word."
                )
            )
        if part.endswith(WILDCARD) and len(fold(part[:-1])) < 3:
            raise KeywordError(_l("Put at least 3 letters before a *."))
    return cleaned


def keyword_key(keyword: str) -> str:
    """Two keywords with the same key match the same words (case and accents ignored)."""
    return fold(" ".join(keyword.split()))


def stem(word: str, language: str) -> str:
    """A folded keyword word without a common ending of ``language`` (kept ≥ MIN_STEM letters)."""
    for ending in ENDINGS.get(language, ()):
        ending = fold(ending)
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


@dataclass(frozen=True)
class _Part:
    prefix: str
    exact: bool  # short words: the whole word must be this
    open_ended: bool  # a trailing *: any number of letters may follow

    def matches(self, word: str) -> bool:
        if self.exact:
            return word == self.prefix
        if not word.startswith(self.prefix):
            return False
        return self.open_ended or len(word) - len(self.prefix) <= EXTRA_LETTERS


@lru_cache(maxsize=4096)
def _compile(keyword: str, language: str) -> tuple[_Part, ...]:
    parts = []
    for raw in keyword.split():
        open_ended = raw.endswith(WILDCARD)
        folded = words(raw.rstrip(WILDCARD))
        # A hyphenated keyword word ("follow-up") is several words in the text too.
        for index, word in enumerate(folded):
            last = index == len(folded) - 1
            if open_ended and last:
                parts.append(_Part(word, exact=False, open_ended=True))
            elif len(word) < MIN_STEM:
                parts.append(_Part(word, exact=True, open_ended=False))
            else:
                parts.append(_Part(stem(word, language), exact=False, open_ended=False))
    return tuple(parts)


def keyword_matches(keyword: str, language: str, text: str) -> bool:
    """Whether the ``language`` keyword matches somewhere in ``text``."""
    return _matches(_compile(keyword, language), words(text))


def _matches(parts: tuple[_Part, ...], text_words: list[str]) -> bool:
    if not parts:
        return False
    span = len(parts)
    for start in range(len(text_words) - span + 1):
        if all(part.matches(text_words[start + i]) for i, part in enumerate(parts)):
            return True
    return False


def rule_languages(comment_language: str) -> tuple[str, ...]:
    """The rule languages checked for a comment written in ``comment_language``."""
    return ("en",) if comment_language == "en" else (comment_language, "en")


def suggest(text: str, language: str, rules: Iterable[RuleInput]) -> list[Suggestion]:
    """At most one suggestion per theme: the first of its keywords (own language first) that
    matches ``text``. Themes come out in the order their first rule was given."""
    text_words = words(text)
    checked = rule_languages(language)
    found: dict[int, Suggestion] = {}
    candidates = sorted(
        (rule for rule in rules if rule.language in checked), key=lambda rule: checked.index(rule.language)
    )
    for rule in candidates:
        if rule.theme_id in found:
            continue
        if _matches(_compile(rule.keyword, rule.language), text_words):
            found[rule.theme_id] = Suggestion(rule.theme_id, rule.keyword, rule.language)
    return list(found.values())
