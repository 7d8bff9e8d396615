"""Debian's Chromium as every browser test, production test and browser benchmark launches
it (DESIGN §9): never a downloaded browser, and no background traffic to a closed network."""

from __future__ import annotations

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
)
PHONE = {"width": 360, "height": 740}
TABLET = {"width": 768, "height": 1024}


def launch_args(base: dict, *extra: str) -> dict:
    """pytest-playwright's launch arguments for Debian's Chromium (``extra`` flags added)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/setup --browser (installs Debian's chromium)")
    return {**base, "executable_path": CHROMIUM, "args": [*CHROMIUM_ARGS, *extra]}
