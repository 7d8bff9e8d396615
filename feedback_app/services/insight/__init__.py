"""What survivors wrote, turned into insight: the one comment catalogue (``catalogue``:
which answers are comments, their scopes and question kinds, the ``Comment`` type),
reading comments and glosses (``comments``), searching their text (``comment_search``),
the codebook of themes (``themes``), coding, one comment or many at once (``coding``),
keyword suggestions (``theme_suggestions``), theme counts (``theme_counts``) and their
protected trend by quarter (``theme_trend``), quotes (``quotes``) and suggested redactions
(``redaction``).

Opens free text only through ``responses.store``. Never imports: ``crypto``, ``reports``,
``demo`` or any blueprint.
"""
