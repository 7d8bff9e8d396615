"""Database models. Survivor answers are only ever stored as ciphertext."""

from .account import ROLES, TWO_FACTOR_ROLES, Account
from .audit import UNKNOWN_ACTOR, AuditEvent, AuditLogIsAppendOnly
from .response import COLLECTION_MODES, Response

__all__ = [
    "COLLECTION_MODES",
    "ROLES",
    "TWO_FACTOR_ROLES",
    "UNKNOWN_ACTOR",
    "Account",
    "AuditEvent",
    "AuditLogIsAppendOnly",
    "Response",
]
