"""``flask narratives init | status | recover | migrate | rotate``: the partnership's
narrative key pair, which seals survivors' words so that only coordinators read them.

The recovery key is printed once by ``init`` and never stored; ``recover`` and ``rotate``
ask for it (or, for ``rotate``, a coordinator's email and password) at a hidden prompt.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from .crypto import CryptoError
from .services.responses import narrative_batches, narrative_keys
from .services.responses.store import Unreadable
from .services.staff import accounts, narrative_access
from .services.staff.errors import AccountError

narratives = AppGroup("narratives", help="The narrative key: who can read survivors' words.")

ACTOR = "command line"


def _progress_bar(length: int, label: str):
    bar = click.progressbar(length=length, label=label, show_pos=True)
    last = [0]

    def progress(done: int, total: int) -> None:
        bar.update(done - last[0])
        last[0] = done

    return bar, progress


def print_recovery_key(text: str) -> None:
    banner = "*" * 72
    click.echo(banner)
    click.echo("RECOVERY KEY (shown only now; print it or write it down for the partnership's safe):")
    click.echo("")
    click.echo("    " + text)
    click.echo("")
    click.echo("With it, 'flask narratives recover' gives a coordinator access again. If it and every")
    click.echo("coordinator's access are lost, survivors' words are gone for good (figures survive).")
    click.echo(banner)


@narratives.command("init")
def init() -> None:
    """Make the narrative key pair and print its recovery key once. Refused if one exists."""
    try:
        pair, recovery, _opener = narrative_access.initialise(ACTOR)
    except narrative_access.NarrativeKeysExist as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Narrative key {pair.id} made. New free text is sealed to it from now on.")
    print_recovery_key(recovery)
    click.echo("Next: 'flask narratives recover --email <coordinator>' gives the first coordinator access,")
    click.echo("and 'flask narratives migrate' moves words stored before now into narratives.")


@narratives.command("status")
def status() -> None:
    """Key ids, how many responses each seals, and how many are still server-sealed."""
    pairs = narrative_access.key_pairs()
    if not pairs:
        click.echo("No narrative key: free text is sealed with the server's keyring ('flask narratives init').")
        return
    counts = narrative_batches.sealed_by_key()
    for pair in pairs:
        state = f"retired {pair.retired_at:%Y-%m-%d}" if pair.retired_at else "current"
        click.echo(f"key {pair.id}  ({state}, recovery key {pair.recovery_key_id})  responses: {counts.get(pair.id, 0)}")
    click.echo(f"responses with no narrative (no words, or not migrated yet): {counts.get(None, 0)}")
    holders = [(a.email, s) for a, s in narrative_access.coordinators()]
    click.echo("coordinators: " + (", ".join(f"{email} ({state})" for email, state in holders) or "none"))


def _openers_from_prompt(allow_passphrase: bool) -> dict:
    if allow_passphrase and not click.confirm("Do you have the recovery key?", default=True):
        email = click.prompt("Coordinator's email")
        password = click.prompt("Their password", hide_input=True)
        account = accounts.account_by_email(email)
        if account is None:
            raise click.ClickException("No such coordinator, or a wrong password.")
        result = accounts.authenticate(email, password)
        if result.outcome is accounts.SignIn.FAILED:
            raise click.ClickException("No such coordinator, or a wrong password.")
        openers = {o.key_id: o for o in narrative_access.unlock(account, password)}
        if not openers:
            raise click.ClickException("That coordinator has no access to comments to use.")
        return openers
    text = click.prompt("Recovery key", hide_input=True)
    try:
        return narrative_access.openers_from_recovery(text)
    except CryptoError as exc:
        raise click.ClickException(f"That recovery key does not open the narrative keys: {exc}") from exc


@narratives.command("recover")
@click.option("--email", required=True, help="The coordinator to give access to.")
def recover(email: str) -> None:
    """Give a coordinator access with the recovery key (typed at the prompt)."""
    account = accounts.account_by_email(email)
    if account is None or account.role != narrative_access.READER_ROLE or not account.is_active:
        raise click.ClickException("There is no active coordinator with that email address.")
    openers = _openers_from_prompt(allow_passphrase=False)
    try:
        if narrative_access.has_locker(account):
            narrative_access.recover_for(account, openers, ACTOR)
            click.echo(f"Access given to {account.email}: it is theirs from their next sign-in.")
            return
        click.echo("They have not signed in since narrative keys were made: choose a passphrase with them.")
        click.echo("It becomes their password (they change it at their next sign-in).")
        passphrase = click.prompt("Passphrase", hide_input=True, confirmation_prompt=True)
        accounts.set_recovery_passphrase(account, passphrase, ACTOR)
        narrative_access.give_with_password(account, passphrase, openers.values(), ACTOR)
    except AccountError as exc:
        raise click.ClickException(str(exc.message)) from exc
    click.echo(f"Access given to {account.email}: they sign in with that passphrase.")


@narratives.command("migrate")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 100_000))
def migrate(batch_size: int) -> None:
    """Move free text stored before narrative keys into narratives (resumable), then prove
    that no server-sealed value still holds words."""
    public = narrative_keys.current_public_key()
    if public is None:
        raise click.ClickException("No narrative key yet: run 'flask narratives init' first.")
    bar, progress = _progress_bar(narrative_batches.pending_migration(), "Responses checked")
    try:
        with bar:
            moved = narrative_batches.migrate(public, batch_size=batch_size, progress=progress)
    except Unreadable as exc:
        raise click.ClickException(f"Stopped: {exc}. Values moved so far are kept; run it again.") from exc
    click.echo(f"Moved the words of {moved} values into narratives sealed to key {public.key_id}.")
    left = narrative_batches.words_left()
    if left.total:
        raise click.ClickException(
            f"Still holding words under the server's keyring: {left.payloads} responses, {left.glosses} glosses, "
            f"{left.drafts} quote drafts. Run it again."
        )
    click.echo("Checked: no response, gloss or quote draft sealed with the server's keyring holds words.")


@narratives.command("rotate")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--resume", is_flag=True, help="Finish re-sealing to the newest key pair.")
def rotate(batch_size: int, resume: bool) -> None:
    """A new narrative key pair; every narrative re-sealed to it in batches (resumable)."""
    live = [pair for pair in narrative_access.key_pairs() if pair.retired_at is None]
    if not live:
        raise click.ClickException("No narrative key yet: run 'flask narratives init' first.")
    if len(live) > 1 and not resume:
        raise click.ClickException("A rotation was interrupted: run 'flask narratives rotate --resume'.")
    openers = _openers_from_prompt(allow_passphrase=True)
    if not resume:
        try:
            pair, opener = narrative_access.rotate_pair(openers, ACTOR)
        except AccountError as exc:
            raise click.ClickException(str(exc.message)) from exc
        narrative_keys.forget_public_key()
        openers[opener.key_id] = opener
        click.echo(f"New narrative key {pair.id}; coordinators with access get it at their next sign-in.")
    public = narrative_keys.current_public_key()
    pending = narrative_batches.pending_rotation(public.key_id)
    click.echo(f"Re-sealing {pending} narratives to key {public.key_id} in batches of {batch_size}.")
    bar, progress = _progress_bar(pending, "Re-sealing")
    try:
        with bar:
            narrative_batches.rotate(openers, public, batch_size=batch_size, progress=progress)
    except Unreadable as exc:
        raise click.ClickException(f"Stopped: {exc}. Narratives re-sealed so far are kept; use --resume.") from exc
    narrative_access.finish_rotation(public.key_id, ACTOR)
    click.echo(f"Done: every narrative is sealed to key {public.key_id}; older keys are retired.")
