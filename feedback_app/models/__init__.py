"""Database models. Survivor answers are only ever stored as ciphertext."""

from .account import ROLES, TWO_FACTOR_ROLES, Account
from .audit import UNKNOWN_ACTOR, AuditEvent, AuditLogIsAppendOnly
from .comment import CommentCoding, CommentGloss, RejectedSuggestion, gloss_place
from .commentary import ReportCommentary
from .export import EXPORT_KINDS, ExportRecord
from .narrative import WRAP_KINDS, NarrativeKeyPair, NarrativeLocker, NarrativeWrap
from .quote import QUOTE_STATUSES, Quote, quote_place
from .response import COLLECTION_MODES, Response
from .statement import STATEMENT_STATUSES, STATEMENT_TEXT_STATUSES, Statement, StatementText
from .theme import RULE_LANGUAGES, THEME_KINDS, Theme, ThemeRule

# Tables the migrations make that are no model: Alembic's comparisons (autogenerate, the
# schema test) leave them out. ``responses_stamp``: SQLite's count of changes to responses,
# kept by triggers (migration 0005, ``services/figures/stamp.py``).
NOT_MODELS = frozenset({"responses_stamp"})


def include_in_migrations(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's ``include_object``: everything but the tables in ``NOT_MODELS``."""
    return not (type_ == "table" and name in NOT_MODELS)


__all__ = [
    "EXPORT_KINDS",
    "NOT_MODELS",
    "QUOTE_STATUSES",
    "RULE_LANGUAGES",
    "STATEMENT_STATUSES",
    "STATEMENT_TEXT_STATUSES",
    "THEME_KINDS",
    "CommentCoding",
    "CommentGloss",
    "ExportRecord",
    "NarrativeKeyPair",
    "NarrativeLocker",
    "NarrativeWrap",
    "WRAP_KINDS",
    "Quote",
    "RejectedSuggestion",
    "ReportCommentary",
    "Statement",
    "StatementText",
    "Theme",
    "ThemeRule",
    "gloss_place",
    "include_in_migrations",
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
