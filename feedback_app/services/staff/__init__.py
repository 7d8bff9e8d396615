"""Staff: accounts and sign-in (``accounts``), passwords (``passwords``), two-factor
(``two_factor``), workers' tablet PINs (``pins``), the audit log (``audit``), rate limits
(``rate_limits``) and the errors safe to show (``errors``).

Never imports: ``figures``, ``insight``, ``reports``, ``demo`` or any blueprint.
"""
