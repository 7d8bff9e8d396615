"""Running the service: whether it can take answers now (``health``, for ``/healthz``) and
how long responses are kept (``retention``).

Never imports: ``insight``, ``reports``, ``demo`` or any blueprint. It deletes responses only
through ``responses.deletion``, and never opens one.
"""
