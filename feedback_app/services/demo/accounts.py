"""Demo staff accounts with known passwords, for trying the site out. DEMO ONLY.

They are made through the same service functions as real accounts (create, enrol two-factor
with a code, set a PIN). ``flask users demo`` refuses to run in production.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..staff import accounts, narrative_access, pins, two_factor

DEMO_ORGANISATION = "Demo Refuge North"
DEMO_ACTOR = "demo setup"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    role: str
    password: str
    totp_secret: str | None = None
    pin: str | None = None


DEMO_ACCOUNTS = (
    DemoAccount(
        "demo-admin@example.org", "Demo Admin", "admin", "demo-admin-password",
        totp_secret="DEMOADMINDEMOADMINDEMOADMINDEMO2",
    ),
    DemoAccount(
        "demo-coordinator@example.org", "Demo Coordinator", "coordinator", "demo-coordinator-password",
        totp_secret="DEMOCOORDINATORDEMOCOORDINATOR22",
    ),
    DemoAccount(
        "demo-worker@example.org", "Demo Worker", "worker", "demo-worker-password", pin="2468",
    ),
)


def create_demo_accounts() -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet; returns the ones created."""
    created = []
    for demo in DEMO_ACCOUNTS:
        if accounts.account_by_email(demo.email) is not None:
            continue
        account, _ = accounts.create_account(
            demo.email, demo.display_name, demo.role, DEMO_ORGANISATION,
            by=DEMO_ACTOR, password=demo.password,
        )
        if demo.totp_secret:
            enrolment = two_factor.start_enrolment(account, secret=demo.totp_secret)
            two_factor.confirm_enrolment(account, two_factor.current_code(enrolment.secret))
        if demo.pin:
            pins.set_pin(account, demo.pin)
        created.append(demo)
    return created


def give_demo_narrative_access() -> str | None:
    """Make the narrative key pair if there is none, and give the demo coordinators access
    under their published passwords, so the demo shows comments after sign-in. Returns the
    recovery key when one was made (DEMO ONLY: printed with the demo passwords)."""
    recovery = None
    if narrative_access.has_keys():
        openers = demo_openers()
    else:
        _pair, recovery, opener = narrative_access.initialise(DEMO_ACTOR)
        openers = [opener]
    if not openers:
        return recovery
    for demo in DEMO_ACCOUNTS:
        account = accounts.account_by_email(demo.email)
        if account is not None and demo.role == narrative_access.READER_ROLE:
            narrative_access.give_with_password(account, demo.password, openers, DEMO_ACTOR)
    return recovery


def demo_openers() -> list:
    """The narrative keys the demo coordinator holds, unlocked with its published password
    (for coding demo comments from the command line). Empty if it has no access."""
    for demo in DEMO_ACCOUNTS:
        account = accounts.account_by_email(demo.email)
        if account is not None and demo.role == narrative_access.READER_ROLE:
            found = narrative_access.unlock(account, demo.password)
            if found:
                return found
    return []
