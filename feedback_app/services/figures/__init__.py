"""Figures: counting responses (``counting``), filters (``filters``), financial-year periods
(``periods``), the per-process cache (``cache``), disclosure control (``disclosure``) and the
dashboard's protected figures (``dashboard``).

Reads a response's sealed *facts* only (through ``responses.store``'s fact readers,
``store.FACT_READERS``), never its free text. Never imports: ``crypto``, ``insight``,
``reports``, ``demo``, any other part of ``responses`` but the token format (``facts``), or
any blueprint. Produces numbers, not HTML: ids and formatting belong to the pages' presenters.
"""
