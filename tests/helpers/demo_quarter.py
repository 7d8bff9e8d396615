"""The demo data of ``flask demo-data`` (responses, codebook, coding, quotes), made for a
fixed day, and the quarter a coordinator would summarise from it."""

from __future__ import annotations

from datetime import date

from feedback_app.services.demo import responses as demo
from feedback_app.services.demo.insight import code_demo_comments
from feedback_app.services.insight.themes import create_demo_codebook
from feedback_app.staff_forms.summary import last_complete_quarter

DEMO_DAY = date(2026, 11, 28)


def store_demo_data(count: int = 300, seed: int = 14, today: date = DEMO_DAY):
    """``flask demo-data --responses count --seed seed`` as of ``today``; the last complete
    quarter (the summary's default period on that day)."""
    demo.generate(count, seed=seed, today=today)
    create_demo_codebook()
    code_demo_comments()
    return last_complete_quarter(today)
