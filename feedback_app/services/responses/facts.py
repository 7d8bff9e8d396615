"""The facts of a response: its chosen answers as short tokens, for counting fast.

Counting the dashboard from the full sealed answers means opening and parsing every
response's JSON, free text included. Each response therefore also carries its *facts*,
sealed separately: one token per chosen answer, nothing typed by the person.

* a single-choice answer: ``"gender=woman"``, ``"listened.police=yes"``;
* a multi-choice answer: one token per choice ticked, ``"services=police"``, and one
  ``"services+"`` when at least one choice was ticked.

Only choices the survey definition offers become tokens. Tokens are joined by newlines and
encoded as UTF-8; choice ids and question ids never contain a newline (schema-checked).
"""

from __future__ import annotations

from collections.abc import Iterable

from ...surveys import Survey

SEPARATOR = b"\n"
ANSWERED_ANY = "+"


def single_token(answer_name: str, choice_id: str) -> str:
    return f"{answer_name}={choice_id}"


def answered_any_token(answer_name: str) -> str:
    return answer_name + ANSWERED_ANY


def tokens_of(survey: Survey, answers: dict) -> list[str]:
    """The tokens for ``answers`` given to ``survey`` (unknown questions and choices left out)."""
    tokens: list[str] = []
    for name, value in answers.items():
        question_id = name.partition(".")[0]
        try:
            question = survey.question(question_id)
        except KeyError:
            continue
        if question.type == "single":
            if isinstance(value, str) and value in question.choice_ids:
                tokens.append(single_token(name, value))
        elif question.type == "multi" and isinstance(value, list):
            ticked = [cid for cid in question.choice_ids if cid in value]
            tokens.extend(single_token(name, cid) for cid in ticked)
            if ticked:
                tokens.append(answered_any_token(name))
    return tokens


def parse_token(token: str) -> tuple[str, str] | None:
    """``(answer name, choice id)`` of a chosen-answer token; None for an "answered any" one."""
    name, sign, choice_id = token.partition("=")
    return (name, choice_id) if sign else None


def decode(plaintext: bytes) -> list[str]:
    """The tokens of an opened facts blob."""
    return [token.decode("utf-8") for token in plaintext.split(SEPARATOR) if token]


def encode(tokens: Iterable[str]) -> bytes:
    return SEPARATOR.join(token.encode("utf-8") for token in tokens)


def token_bytes(token: str) -> bytes:
    """How a token appears in a decoded facts blob (``bytes.split`` keeps bytes)."""
    return token.encode("utf-8")


def is_chosen(survey: Survey | None, name: str) -> bool:
    """Whether the answer ``name`` is a chosen one (a single or multi choice question of
    ``survey``): those become facts and stay sealed with the keyring. Anything else (free
    text, a question the definition no longer has, an unknown survey) may hold words."""
    if survey is None:
        return False
    try:
        question = survey.question(name.partition(".")[0])
    except KeyError:
        return False
    return question.type in ("single", "multi")
