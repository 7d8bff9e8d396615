"""The audit log: add events, and read them back with filters. Nothing else.

There is deliberately no function that changes or removes an event (the model refuses too).
An event says who (the account and its email at the time), what (a short action code), to
what (``target``) and a short ``detail`` that never holds survivor content. No addresses,
no user agents.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from ...extensions import db
from ...models import UNKNOWN_ACTOR, Account, AuditEvent
from ..paging import Page, paginate

ACTIONS = {
    "sign_in": _l("Signed in"),
    "sign_in_failed": _l("Sign-in failed"),
    "sign_out": _l("Signed out"),
    "session_timed_out": _l("Signed out after inactivity"),
    "account_locked": _l("Account locked after failed attempts"),
    "password_changed": _l("Password changed"),
    "two_factor_enabled": _l("Two-factor authentication turned on"),
    "two_factor_failed": _l("Wrong two-factor code"),
    "two_factor_reset": _l("Two-factor authentication reset"),
    "recovery_code_used": _l("Recovery code used"),
    "account_created": _l("Account created"),
    "account_deactivated": _l("Account deactivated"),
    "account_reactivated": _l("Account reactivated"),
    "password_reset": _l("Password reset"),
    "pin_set": _l("PIN set"),
    "pin_failed": _l("Wrong PIN"),
    "pin_locked_out": _l("Signed out after too many wrong PINs"),
    "export_created": _l("Export created"),
    "raw_export": _l("Raw responses exported"),
    "responses_viewed": _l("Responses viewed"),
    "quote_proposed": _l("Quote proposed"),
    "quote_draft_saved": _l("Quote draft saved"),
    "quote_approved": _l("Quote approved"),
    "quote_withdrawn": _l("Quote withdrawn"),
    "statement_text_approved": _l("“You said, we did” wording approved"),
    "statement_published": _l("“You said, we did” statement published"),
    "statement_withdrawn": _l("“You said, we did” statement withdrawn"),
    "report_commentary_saved": _l("Themed summary commentary saved"),
    "retention_purge": _l("Responses past retention deleted"),
    "backup_created": _l("Backup created"),
    "backup_restored": _l("Restored from a backup"),
    "narrative_keys_created": _l("Narrative key created"),
    "narrative_access_granted": _l("Access to comments given"),
    "narrative_access_revoked": _l("Access to comments taken away"),
    "narrative_access_recovered": _l("Access to comments restored with the recovery key"),
    "narrative_access_lost": _l("Access to comments lost with a password reset"),
    "narrative_keys_rotated": _l("Narrative key replaced"),
    "narratives_migrated": _l("Comments moved into narrative seals"),
}

DETAIL_LIMIT = 200
PER_PAGE = 50


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))


def record(
    action: str,
    actor: Account | str | None,
    target: Account | str | None = None,
    detail: str | None = None,
    *,
    commit: bool = True,
) -> AuditEvent:
    """Add one event.

    ``actor`` is the account that acted; a string names a non-person actor (e.g. "command
    line"); None means an unknown account (the email someone typed is never kept).
    Services that change something pass ``commit=False`` so that the event is committed
    together with the change it describes.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if isinstance(actor, Account):
        account_id, actor_label = actor.id, actor.email
    else:
        account_id, actor_label = None, actor or UNKNOWN_ACTOR
    event = AuditEvent(
        account_id=account_id,
        actor=actor_label,
        action=action,
        target=target.email if isinstance(target, Account) else target,
        detail=detail[:DETAIL_LIMIT] if detail else None,
    )
    db.session.add(event)
    if commit:
        db.session.commit()
    return event


@dataclass(frozen=True)
class AuditFilters:
    action: str | None = None
    account_id: uuid.UUID | None = None
    date_from: date | None = None
    date_to: date | None = None


class AuditPage(Page):
    @property
    def events(self) -> list[AuditEvent]:
        return self.items


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def list_events(filters: AuditFilters | None = None, page: int = 1, per_page: int = PER_PAGE) -> AuditPage:
    """Events newest first, filtered by action, account (as actor or target) and UTC dates."""
    filters = filters or AuditFilters()
    query = select(AuditEvent)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.account_id:
        account = db.session.get(Account, filters.account_id)
        about = [AuditEvent.account_id == filters.account_id]
        if account is not None:
            about.append(AuditEvent.target == account.email)
        query = query.where(or_(*about))
    if filters.date_from:
        query = query.where(AuditEvent.occurred_at >= _start_of(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEvent.occurred_at < _start_of(filters.date_to + timedelta(days=1)))
    query = query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    return paginate(query, page, per_page, AuditPage)


def events_for(action: str | None = None) -> list[AuditEvent]:
    """Every event (optionally of one action), oldest first: for tests and small checks."""
    query = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))
