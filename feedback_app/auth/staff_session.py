"""A staff member's signed-in session: starting and ending it, the half-way state between
password and two-factor code, the idle timeout, and the checks every role page makes
(``handover_gate`` and ``staff_gate``, called by ``role_required``), and the hand-over lock:
while a worker's tablet is with a survivor, every page that needs a staff session (worker,
coordinator, admin, the account, password and two-factor pages) answers with the PIN screen.

All of it lives in Flask's signed session cookie (``s``: session-only, HttpOnly,
SameSite=Strict). Flask-Login's id includes the account's session nonce, so a password reset,
a two-factor reset, deactivation or too many wrong PINs end every session of the account.
"""

from __future__ import annotations

import time
import uuid

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.routing import BuildError

from ..models import Account
from ..services.staff import accounts, narrative_sessions

HANDED_OVER = "worker_handover"
PENDING = "staff_pending"  # {"account": id, "since": epoch seconds} between password and code
LAST_ACTIVE = "staff_last_active"
ROLE = "staff_role"

PENDING_SECONDS = 5 * 60
# Touch the last-activity time at most this often, so not every response rewrites the cookie.
ACTIVITY_RESOLUTION = 15


# -- signing in and out ---------------------------------------------------------------------
def _new_session() -> None:
    session.clear()
    g.pop("csrf_token", None)  # a token cached for the old session would not validate


def begin_second_step(account: Account) -> None:
    """Password right; wait for the two-factor code. Not signed in yet."""
    _new_session()
    session[PENDING] = {"account": str(account.id), "since": int(time.time())}


def pending_account_id() -> uuid.UUID | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if time.time() - pending.get("since", 0) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    try:
        return uuid.UUID(pending.get("account", ""))
    except ValueError:
        return None


def start(account: Account, narratives: list | None = None) -> None:
    """Sign in with a fresh session (nothing carried over from before: no fixation), but
    the narrative keys unlocked with the password just typed (``narrative_sessions``), under
    a new id and key."""
    if narratives is None:
        narratives = narrative_sessions.carry_over(account)
    _new_session()
    login_user(account)
    session[ROLE] = account.role
    session[LAST_ACTIVE] = int(time.time())
    narrative_sessions.keep(account, narratives)


def refresh(account: Account) -> None:
    """After the account's own password change (new nonce): keep this session, end the
    others (their narrative keys too)."""
    narratives = narrative_sessions.carry_over(account)
    narrative_sessions.forget_account(account.id)
    start(account, narratives)


def end() -> None:
    narrative_sessions.end()
    logout_user()
    _new_session()


def home_url(account: Account) -> str:
    if account.role == "admin":
        return url_for("admin.accounts_list")
    if account.role == "coordinator":
        return url_for("coordinator.home")
    try:
        return url_for("worker.home")
    except BuildError:
        return url_for("survivor.landing")


def next_step_url(account: Account) -> str:
    """Where a just-signed-in account goes: a page it must complete first, or its home."""
    if account.must_change_password:
        return url_for("auth.change_password")
    if account.needs_two_factor:
        return url_for("auth.two_factor_setup")
    return home_url(account)


def idle_limit_seconds(role: str | None) -> int:
    config = current_app.config
    if role == "admin":
        return int(config["STAFF_IDLE_TIMEOUT_ADMIN_MINUTES"]) * 60
    return int(config["STAFF_IDLE_TIMEOUT_MINUTES"]) * 60


# -- checks on every request ----------------------------------------------------------------------
def forget_cached_user() -> None:
    """Flask-Login caches the user, and Flask-WTF the CSRF token, in ``g``, which lives as long
    as the app context: when one context serves several requests (tests, scripts), each
    request must start without them."""
    g.pop("_login_user", None)
    g.pop("csrf_token", None)


def enforce_idle_timeout():
    """Before every request: end a staff session that has been idle too long."""
    if request.endpoint in (None, "static") or "_user_id" not in session:
        return None
    now = time.time()
    last = session.get(LAST_ACTIVE)
    role = session.get(ROLE)
    if isinstance(last, (int, float)) and now - last <= idle_limit_seconds(role):
        if now - last >= ACTIVITY_RESOLUTION:
            session[LAST_ACTIVE] = int(now)
        return None
    if current_user.is_authenticated:
        accounts.record_sign_out(current_user._get_current_object(), timed_out=True)
    end()
    view = current_app.view_functions.get(request.endpoint)
    needs_session = getattr(view, "needs_session", False)  # set by role_required
    if needs_session or request.blueprint == "auth":
        minutes = idle_limit_seconds(role) // 60
        message = _("You were signed out because nothing happened for %(n)d minutes. Please sign in again.", n=minutes)
        flash(message, "info")
    if needs_session:
        return redirect(url_for("auth.login"))
    # Public pages, and pages authorised some other way (a worker's signed evaluation
    # ticket), carry on, signed out.
    return None


# -- the hand-over lock ---------------------------------------------------------------------------
# Pages that need a staff session and stay open while the tablet is handed over: the PIN
# screen, and locking (again). The survey pages a survivor uses are authorised by the
# evaluation's signed ticket, not by the session, so they are not affected.
OPEN_WHILE_HANDED_OVER = {"worker.unlock", "worker.lock"}
UNLOCK_ENDPOINT = "worker.unlock"


def hand_over() -> None:
    """Lock the staff session: a survivor holds the tablet now."""
    session[HANDED_OVER] = True


def take_back() -> None:
    """Unlock the staff session (after the right PIN)."""
    session.pop(HANDED_OVER, None)


def handed_over() -> bool:
    return bool(session.get(HANDED_OVER))


def handover_gate():
    """A redirect to the PIN screen when the tablet is handed over and this page is not one
    of the few open then; else None. Checked before the role, so that every staff page,
    whoever's, answers the same way."""
    if handed_over() and request.endpoint not in OPEN_WHILE_HANDED_OVER:
        return redirect(url_for(UNLOCK_ENDPOINT))
    return None


# Pages still open while something must be done first.
OPEN_WHILE_CHANGING_PASSWORD = {"auth.change_password"}
OPEN_WHILE_ENROLLING = {"auth.two_factor_setup"}


def staff_gate():
    """For a signed-in account with the right role: a redirect if it must first change its
    password or turn on two-factor authentication; else None."""
    endpoint = request.endpoint
    if current_user.must_change_password:
        if endpoint in OPEN_WHILE_CHANGING_PASSWORD:
            return None
        return redirect(url_for("auth.change_password"))
    if current_user.needs_two_factor and endpoint not in OPEN_WHILE_ENROLLING:
        flash(_("Your role needs two-factor authentication. Set it up to continue."), "info")
        return redirect(url_for("auth.two_factor_setup"))
    return None
