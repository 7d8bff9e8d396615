"""A survivor's phone on a slow mobile connection, through the production stack.

Run from the project root (needs what the production test layer needs: nginx, redis-server,
PostgreSQL, Debian's chromium)::

    .venv/bin/python -m bench.slow_phone [--rounds 3]

Chromium emulates a slow 3G phone through the DevTools protocol: 400 ms round trip,
400 kbit/s down and up, a 360 x 740 viewport, and a cold cache (a new browser context for
every round). Measured, in the same run:

* **through nginx** (HTTPS, the shipped ``deploy/nginx/feedback.conf``: static files
  pre-compressed, TLS) and, as the reference, **straight from gunicorn** (plain HTTP, no
  compression, what production served before nginx was shipped);
* the landing page: from navigation to the ``load`` event (every asset fetched);
* one step: on a survey's "before you start" page (already loaded), from pressing "Start"
  until the first question is on the screen (an htmx swap);
* bytes on the wire for the landing page with its assets, as Chromium counts them
  (headers and encoded bodies).

Medians over ``--rounds``. Nothing is asserted: the script prints a table.
"""

from __future__ import annotations

import argparse
import statistics
import time

from playwright.sync_api import sync_playwright

from tests.helpers.chromium import CHROMIUM, CHROMIUM_ARGS, PHONE
from tests.production.stack import start_stack, stop_stack

SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}


def _throttled_page(browser):
    context = browser.new_context(viewport=PHONE, ignore_https_errors=True)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    received: list[float] = []
    cdp.on("Network.loadingFinished", lambda event: received.append(event["encodedDataLength"]))
    return context, page, received


def landing(browser, base: str) -> tuple[float, int]:
    context, page, received = _throttled_page(browser)
    try:
        started = time.perf_counter()
        page.goto(base + "/", wait_until="load")
        elapsed = time.perf_counter() - started
        page.wait_for_timeout(200)  # let the last loadingFinished events arrive
        return elapsed, int(sum(received))
    finally:
        context.close()


def one_step(browser, base: str) -> float:
    context, page, _received = _throttled_page(browser)
    try:
        page.goto(base + "/s/adult", wait_until="load")
        started = time.perf_counter()
        page.get_by_role("button", name="Start", exact=True).click()
        page.wait_for_selector("input[name=_screen]", state="attached")
        page.wait_for_selector("#survey-form fieldset")
        return time.perf_counter() - started
    finally:
        context.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args(argv)
    stack = start_stack()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
            results = {}
            for name, base in (("through nginx (HTTPS)", stack.url), ("straight from gunicorn (HTTP)", stack.app_url)):
                landings = [landing(browser, base) for _ in range(options.rounds)]
                steps = [one_step(browser, base) for _ in range(options.rounds)]
                results[name] = (
                    statistics.median(t for t, _ in landings),
                    statistics.median(b for _, b in landings),
                    statistics.median(steps),
                )
            browser.close()
    finally:
        stop_stack(stack)

    reference = results["straight from gunicorn (HTTP)"]
    print(f"\nSlow 3G phone (400 ms RTT, 400 kbit/s, cold cache), median of {options.rounds} rounds\n")
    print(f"{'':32} {'landing page load':>18} {'bytes on the wire':>18} {'one step (Start)':>17}")
    for name, (load, size, step) in results.items():
        print(f"{name:32} {load:>16.2f} s {size / 1024:>15.1f} KB {step:>15.2f} s")
    nginx = results["through nginx (HTTPS)"]
    print(
        f"{'nginx / gunicorn':32} {nginx[0] / reference[0]:>17.2f}x {nginx[1] / reference[1]:>17.2f}x "
        f"{nginx[2] / reference[2]:>16.2f}x"
    )
    print("\nTargets (issue): landing page <= 1.5 s, one step <= 1 s, first page with assets <= 30 KB.")


if __name__ == "__main__":
    main()
