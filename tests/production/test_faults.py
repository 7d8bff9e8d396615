"""Outages that lose nothing: Redis stopped, a gunicorn worker killed mid-submission.
Every acknowledged submission is stored once and opens."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from tests.production.survivor_client import PlainSurvivor


def _health(stack) -> tuple[int, dict]:
    survivor = PlainSurvivor(stack.https_port, source="127.0.0.8")
    try:
        status, _, body = survivor.request("GET", "/healthz")
    finally:
        survivor.close()
    assert status in (200, 503), (status, body[:200])
    return status, json.loads(body)


def test_with_redis_stopped_a_survivor_still_submits(stack, store):
    status, health = _health(stack)
    assert status == 200
    assert {k: health.get(k) for k in ("database", "rate_limits", "keyring", "narratives")} == {
        "database": "ok", "rate_limits": "redis", "keyring": "ok", "narratives": "ok"}
    before = store.count()
    stack.stop_redis()
    try:
        survivor = PlainSurvivor(stack.https_port, source="127.0.0.30")
        try:
            outcome = survivor.complete()
        finally:
            survivor.close()
        assert outcome.acknowledged
        assert store.opened(outcome.token) is not None
        assert store.count() == before + 1
        status, health = _health(stack)
        assert (status, health["rate_limits"]) == (200, "fallback")
    finally:
        stack.start_redis()


def test_a_worker_killed_while_survivors_submit_loses_no_acknowledged_answer(stack, store):
    """Sixteen survivors reach "Check your answers", then all press "Send my answers" at
    once while gunicorn workers are killed (kill -9). A survivor who sees an error sends
    again (the page still holds the answers and the same token)."""
    survivors = [PlainSurvivor(stack.https_port, source=f"127.0.0.{40 + n}", timeout=60) for n in range(16)]
    try:
        with ThreadPoolExecutor(8) as pool:
            reviews = list(pool.map(lambda s: s.walk_to_review(), survivors))
        before = store.count()
        start = threading.Barrier(len(survivors) + 1)
        killed: list[int] = []
        first_answers: list[int] = []

        def killer():
            start.wait()
            for pause in (0.01, 0.08):
                time.sleep(pause)
                workers = stack.gunicorn_workers()
                if workers:
                    os.kill(workers[0], signal.SIGKILL)
                    killed.append(workers[0])

        def send(index: int):
            survivor, (action, html) = survivors[index], reviews[index]
            token, body = survivor.submit_body(html)
            start.wait()
            for attempt in range(6):
                try:
                    status, _, page = survivor.request("POST", action, body)
                except OSError:
                    survivor.close()
                    status, page = 0, ""
                if attempt == 0:
                    first_answers.append(status)
                if status == 200 and 'name="_screen"' not in page:
                    return token, True
                time.sleep(0.5)
            return token, False

        thread = threading.Thread(target=killer)
        thread.start()
        with ThreadPoolExecutor(len(survivors)) as pool:
            outcomes = list(pool.map(send, range(len(survivors))))
        thread.join()
    finally:
        for survivor in survivors:
            survivor.close()
    assert killed, "no worker was killed"
    acknowledged = [token for token, ok in outcomes if ok]
    assert len(acknowledged) == len(survivors), (outcomes, first_answers)
    assert len(set(acknowledged)) == len(acknowledged)
    for token in acknowledged:
        stored = store.opened(token)
        assert stored is not None and stored.survey_slug == "adult"
    # Each stored once: exactly one new row per survivor, however many times they sent.
    assert store.count() - before == len(survivors)
    # The master replaced the killed workers.
    deadline = time.monotonic() + 20
    while len(stack.gunicorn_workers()) < stack.expected_workers() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not set(killed) & set(stack.gunicorn_workers())
    assert len(stack.gunicorn_workers()) == stack.expected_workers()


def test_with_gunicorn_down_nginx_answers_with_its_own_502_page_and_the_quick_exit(stack):
    stack.stop_gunicorn()
    try:
        survivor = PlainSurvivor(stack.https_port, source="127.0.0.8")
        try:
            status, response, html = survivor.request("GET", "/s/adult")
        finally:
            survivor.close()
        assert status == 502
        assert '<a class="quick-exit" href=' in html and "<script" not in html
        assert "default-src 'none'" in response.getheader("Content-Security-Policy", "")
        assert response.getheader("Cache-Control") == "no-store, max-age=0"
    finally:
        stack.start_gunicorn()
    survivor = PlainSurvivor(stack.https_port, source="127.0.0.8")
    try:
        assert survivor.request("GET", "/")[0] == 200
    finally:
        survivor.close()


def test_with_the_database_unreachable_send_my_answers_shows_a_kind_page_that_keeps_them(stack, store):
    """The app's own 503 passes through nginx (not nginx's 503 page): it holds every answer,
    and sending again once the database is back stores them once."""
    survivor = PlainSurvivor(stack.https_port, source="127.0.0.31")
    try:
        action, review = survivor.walk_to_review()
        token, body = survivor.submit_body(review)
        before = store.count()
        stack.database_relay.cut()
        try:
            status, response, html = survivor.request("POST", action, body)
            assert status == 503, (status, html[:300])
            assert "Leave this site" in html and 'class="quick-exit"' in html
            assert "nonce-" in response.getheader("Content-Security-Policy", "")  # the app's page, not nginx's
            kept_token, kept_body = survivor.submit_body(html)
            assert kept_token == token
            assert sorted(kept_body.split("&")) == sorted(body.split("&"))
            health_status, health = _health(stack)
            assert (health_status, health["database"]) == (503, "unreachable")
        finally:
            stack.database_relay.restore()
        status, _, html = survivor.request("POST", action, kept_body)
        assert status == 200
        assert 'name="_screen"' not in html
    finally:
        survivor.close()
    assert store.opened(token) is not None
    assert store.count() == before + 1
