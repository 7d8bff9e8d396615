"""Running the service: whether it can take answers now (``health``, for ``/healthz``), how
long responses are kept (``retention``), and encrypted backups and restoring them
(``backups``, with ``database_copy`` for the engine-specific copying).

Never imports: ``insight``, ``reports``, ``demo`` or any blueprint. It deletes responses only
through ``responses.deletion`` and never reads one: checking a backup asks
``responses.key_rotation`` whether every sealed value opens, and keeps nothing it opened.
"""
