"""Rate limits see the real client behind nginx: one bucket per address, and a spoofed
X-Forwarded-For changes nothing. Needs the app's ProxyFix (FEEDBACK_PROXY_HOPS)."""

from __future__ import annotations

import secrets

import pytest

from tests.production.conftest import RATE_LIMIT
from tests.production.survivor_client import PlainSurvivor, Refused


def _submit_until_refused(stack, store, source: str, spoof: bool = False) -> int:
    """Submit from ``source`` until refused; the number that were stored."""
    stored = 0
    for _ in range(RATE_LIMIT + 1):
        fake = f"198.51.100.{secrets.randbelow(250) + 1}"
        headers = {"X-Forwarded-For": fake, "X-Real-IP": fake, "Forwarded": f"for={fake}"} if spoof else {}
        survivor = PlainSurvivor(stack.https_port, source=source, headers=headers)
        try:
            outcome = survivor.complete()
        except Refused:
            return stored
        finally:
            survivor.close()
        assert outcome.acknowledged
        assert store.opened(outcome.token) is not None
        stored += 1
    pytest.fail(f"{source} sent {RATE_LIMIT + 1} submissions and none was refused")


def test_two_clients_from_different_addresses_get_separate_buckets(stack, store):
    assert _submit_until_refused(stack, store, "127.0.0.2") == RATE_LIMIT
    # Another address is not affected by the first one's limit.
    survivor = PlainSurvivor(stack.https_port, source="127.0.0.3")
    try:
        assert survivor.complete().acknowledged
    finally:
        survivor.close()


def test_a_spoofed_x_forwarded_for_does_not_change_the_bucket(stack, store):
    assert _submit_until_refused(stack, store, "127.0.0.4", spoof=True) == RATE_LIMIT
