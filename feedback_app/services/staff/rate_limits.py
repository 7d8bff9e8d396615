"""How many survey submissions one source may send, and what happens when the shared
counter store (Redis, in production) cannot be reached.

Sources:

* an online survey: the client's address, as an HMAC (``security.rate_limit_key``; behind
  the proxy the real address, see ``PROXY_HOPS``). ``SUBMISSION_RATE_LIMIT`` lets a school
  class of 30 on one Wi-Fi send within an hour, and stops a flood from one address;
* a worker's 1:1 evaluation: its signed ticket (``EVALUATION_SUBMISSION_RATE_LIMIT``), never
  the address, so that a refuge's tablets behind one router do not share a limit.

A double tap is not counted twice: ``submissions.submit_answers`` looks for the stored
response before it counts.

If the store cannot be reached, submissions are counted in this process instead (and the
outage is logged once, loudly); the store is tried again after ``RETRY_STORE_SECONDS``. A
survivor is never refused because Redis is down.
"""

from __future__ import annotations

import logging
import math
import time

from flask import current_app
from limits import parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter, RateLimiter

from ...extensions import limiter
from ...security import rate_limit_key

logger = logging.getLogger("feedback_app.rate_limits")

RETRY_STORE_SECONDS = 30

_fallback = MovingWindowRateLimiter(MemoryStorage())
_store_down_until = 0.0


def fallback_active() -> bool:
    """True while submissions are counted in this process because the store is unreachable."""
    return time.monotonic() < _store_down_until


def _call(method: str, *args):
    """``method`` of the shared limiter, or of the in-process one while the store is down."""
    global _store_down_until
    if not fallback_active():
        strategy: RateLimiter = limiter.limiter
        try:
            return getattr(strategy, method)(*args)
        except Exception as error:  # any failure of the store: never refuse a survivor for it
            _store_down_until = time.monotonic() + RETRY_STORE_SECONDS
            logger.error(
                "rate-limit store unreachable (%s): counting submissions in this process for %d s",
                type(error).__name__,
                RETRY_STORE_SECONDS,
            )
    return getattr(_fallback, method)(*args)


def submission_wait(evaluation: str | None = None) -> int:
    """Count one submission and return 0, or, past a limit, count nothing and return how many
    seconds until one more may be sent. ``evaluation``: the signed ticket of a worker's
    evaluation (limited per ticket); None for the online survey (per address)."""
    config = current_app.config
    if not config.get("RATELIMIT_ENABLED", True):
        return 0
    if evaluation is None:
        limits, identifiers = config["SUBMISSION_RATE_LIMIT"], ("survey-submit", rate_limit_key())
    else:
        limits, identifiers = config["EVALUATION_SUBMISSION_RATE_LIMIT"], ("evaluation-submit", evaluation)
    parsed = parse_many(limits)
    waits = [_seconds_until_free(limit, identifiers) for limit in parsed if not _call("test", limit, *identifiers)]
    if waits:
        return max(waits)
    for limit in parsed:
        _call("hit", limit, *identifiers)
    return 0


def _seconds_until_free(limit, identifiers) -> int:
    reset_at, _remaining = _call("get_window_stats", limit, *identifiers)
    return max(1, math.ceil(reset_at - time.time()))
