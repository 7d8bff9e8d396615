"""Survey responses: submitting one (``submissions``), workers' evaluation tickets
(``evaluations``), the one sealed-response store (``store``: the only code that seals and
opens a response's answers and facts), facts as tokens (``facts``), the keyring
(``keyring``), other sealed texts (``sealed_text``), key rotation (``key_rotation``),
streaming rows in batches (``row_stream``) and deleting responses with all made from them
(``deletion``).

Never imports: another service domain but ``staff.rate_limits``, or any blueprint. Nothing
here lets ``CryptoError`` out: a value that does not open raises ``store.Unreadable``.
"""
