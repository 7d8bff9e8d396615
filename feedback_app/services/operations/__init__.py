"""Running the service: whether it can take answers now (``health``, for ``/healthz``), how
long responses are kept (``retention``), encrypted backups and restoring them (``backups``,
with ``database_copy`` for the engine-specific copying), and the partnership's own facts for
the privacy notice and accessibility statement, read from its data file (``legal_pages``).

Never imports: ``insight``, ``reports``, ``demo`` or any blueprint. It deletes responses only
through ``responses.deletion`` and never reads one: checking a backup asks
``responses.key_rotation`` whether every sealed value opens, and keeps nothing it opened.
"""
