"""The service layer: the only code that talks to the database and to ``crypto``.

One package per domain; each package's ``__init__`` says what it owns and what it must never
import (rules checked in ``tests/unit/test_architecture.py``):

* ``responses``: submitting, evaluation tickets, the one sealed-response store, facts, keys.
* ``figures``: counting, filters, periods, cache, disclosure control (facts only).
* ``insight``: the one comment catalogue, codebook, coding, suggestions, quotes, redaction.
* ``reports``: the themed summary, exports, the raw export, PDF, spreadsheet safety, export log.
* ``staff``: accounts, passwords, two-factor, PINs, audit, rate limits.
* ``demo``: demo accounts, responses and insight (the CLI only).
* ``operations``: running the service: health (``/healthz``) and retention.

``paging`` (one page of a long list) is shared by all of them.
"""
