"""Fifty slow clients trickling headers do not stop survivors from sending their answers."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from tests.production.slow_clients import SlowClients
from tests.production.survivor_client import PlainSurvivor


def _survivor(stack, source: str):
    survivor = PlainSurvivor(stack.https_port, source=source, timeout=60)
    try:
        return survivor.complete()
    finally:
        survivor.close()


def test_five_survivors_complete_while_fifty_slow_sockets_trickle_headers(stack, store):
    before = store.count()
    with SlowClients(stack.https_port, count=50) as slow:
        assert slow.open_now == 50
        started = time.monotonic()
        with ThreadPoolExecutor(5) as pool:
            outcomes = list(pool.map(lambda n: _survivor(stack, f"127.0.0.{20 + n}"), range(5)))
        took = time.monotonic() - started
        assert slow.open_now >= 40, "the slow sockets were dropped during the test, so it proved little"
    assert all(o.acknowledged for o in outcomes)
    for outcome in outcomes:
        assert store.opened(outcome.token) is not None
    assert store.count() == before + 5
    assert took < 60, took
