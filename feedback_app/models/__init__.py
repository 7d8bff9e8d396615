"""Database models. Survivor answers are only ever stored as ciphertext."""

from .account import ROLES, TWO_FACTOR_ROLES, Account
from .audit import UNKNOWN_ACTOR, AuditEvent, AuditLogIsAppendOnly
from .comment import CommentCoding, CommentGloss, RejectedSuggestion, gloss_place
from .export import EXPORT_KINDS, ExportRecord
from .quote import QUOTE_STATUSES, Quote, quote_place
from .response import COLLECTION_MODES, Response
from .statement import STATEMENT_STATUSES, STATEMENT_TEXT_STATUSES, Statement, StatementText
from .theme import RULE_LANGUAGES, THEME_KINDS, Theme, ThemeRule

__all__ = [
    "EXPORT_KINDS",
    "QUOTE_STATUSES",
    "RULE_LANGUAGES",
    "STATEMENT_STATUSES",
    "STATEMENT_TEXT_STATUSES",
    "THEME_KINDS",
    "CommentCoding",
    "CommentGloss",
    "ExportRecord",
    "Quote",
    "RejectedSuggestion",
    "Statement",
    "StatementText",
    "Theme",
    "ThemeRule",
    "gloss_place",
    "quote_place",
    "COLLECTION_MODES",
    "ROLES",
    "TWO_FACTOR_ROLES",
    "UNKNOWN_ACTOR",
    "Account",
    "AuditEvent",
    "AuditLogIsAppendOnly",
    "Response",
]
