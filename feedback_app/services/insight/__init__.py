"""What survivors wrote, turned into insight: the one comment catalogue (``catalogue``:
which answers are comments, their scopes and question kinds, the ``Comment`` type),
reading comments and glosses (``comments``), the codebook of themes (``themes``), coding
(``coding``), keyword suggestions (``theme_suggestions``), theme counts (``theme_counts``),
quotes (``quotes``) and suggested redactions (``redaction``).

Opens free text only through ``responses.store``. Never imports: ``crypto``, ``reports``,
``demo`` or any blueprint.
"""
