"""Benchmark scripts. They print tables; they assert nothing. Run from the project root, e.g.
``.venv/bin/python -m bench.store``."""
