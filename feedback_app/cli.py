"""Command-line tasks: ``flask setup``, ``flask keys ...``, ``flask users ...``, ``flask demo-data``,
``flask retention ...``, ``flask translate ...`` (``flask backup ...`` is in backup_commands.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from .config import PROJECT_ROOT
from .crypto import Keyring
from .services.responses import key_rotation
from .services.responses.store import Unreadable

keys = AppGroup("keys", help="Manage the encryption keyring.")


def _keyring_file() -> str:
    path = current_app.config.get("KEYRING_FILE")
    if not path:
        raise click.ClickException(
            "The keyring came from FEEDBACK_KEYRING, which this command cannot change. "
            "Set FEEDBACK_KEYRING_FILE to a key file instead, or use 'flask keys generate' "
            "and update the environment yourself."
        )
    return path


def _print_usage() -> None:
    primary = current_app.extensions["feedback_keyring"].primary
    click.echo("Sealed values per key:")
    for key_id, count in sorted(key_rotation.key_usage().items()):
        marker = " (primary)" if key_id == primary else ""
        click.echo(f"  {key_id}{marker}: {count}")


# Needs no application: in production it runs before any keyring exists (the ``keys`` group is
# also a ``flask.commands`` entry point in pyproject.toml, so Flask finds it without loading
# the app; the other ``keys`` commands load it when they run).
@keys.command("generate", with_appcontext=False)
@click.option("--output", type=click.Path(dir_okay=False), help="Write to this file (mode 0600).")
def generate(output: str | None) -> None:
    """Create a new keyring. Prints it as JSON unless --output is given."""
    if output and Path(output).exists():
        raise click.ClickException(
            f"{output} exists already, and a keyring is never overwritten: without its keys nothing "
            "sealed with them opens again. To add a key, use 'flask keys rotate'."
        )
    keyring = Keyring.generate()
    if output:
        keyring.write_file(output)
        click.echo(f"Wrote a new keyring with primary key {keyring.primary} to {output}.")
    else:
        click.echo(keyring.to_json())


@keys.command("rotate")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--resume", is_flag=True, help="Only finish re-sealing under the current primary key.")
def rotate(batch_size: int, resume: bool) -> None:
    """Add a new primary key and re-seal every stored value with it."""
    if not resume:
        keyring = key_rotation.add_primary_key(_keyring_file())
        click.echo(f"New primary key {keyring.primary} written to the key file.")
    pending = key_rotation.pending_count()
    click.echo(f"Re-sealing {pending} values in batches of {batch_size}.")
    try:
        with click.progressbar(length=pending, label="Re-sealing", show_pos=True) as bar:
            last = [0]

            def progress(done: int, total: int) -> None:
                bar.update(done - last[0])
                last[0] = done

            key_rotation.reseal_all(batch_size=batch_size, progress=progress)
    except Unreadable as exc:
        raise click.ClickException(f"Stopped: {exc}. Values re-sealed so far are kept.") from exc
    _print_usage()


@keys.command("status")
def status() -> None:
    """Show how many stored values each key seals."""
    _print_usage()


@keys.command("retire")
@click.argument("key_id")
def retire(key_id: str) -> None:
    """Remove a key from the key file once nothing uses it."""
    try:
        key_rotation.retire_key(key_id, _keyring_file())
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Key {key_id} retired.")


@click.command("demo-data")
@click.option("--responses", default=300, show_default=True, type=click.IntRange(0, 10_000_000))
@click.option("--seed", type=int, help="Make the same data every time.")
@click.option("--if-empty", is_flag=True, help="Do nothing if there are responses already.")
@click.option("--remove", is_flag=True, help="Delete everything marked as demo instead (allowed in production).")
def demo_data(responses: int, seed: int | None, if_empty: bool, remove: bool) -> None:
    """Add demo responses (marked as demo) in every survey and language, a demo codebook,
    and demo comments coded into its themes with a few approved demo quotes. Refused in
    production: made-up answers must never reach a partnership's real figures."""
    from .services.demo import responses as demo

    if remove:
        removed = demo.remove_demo()
        click.echo(
            f"Removed {removed.responses} demo responses with {removed.codings} codings, {removed.glosses} glosses "
            f"and {removed.quotes} quotes, and {removed.themes} demo themes. Nothing real was touched."
        )
        return
    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException(
            "Refusing to add demo data in production: it would mix made-up answers into real figures. "
            "('flask demo-data --remove' deletes demo data.)"
        )
    existing = demo.count_responses()
    if if_empty and existing:
        click.echo(f"There are {existing} responses already; no demo data added.")
        return
    from .services.demo.insight import code_demo_comments
    from .services.insight.themes import create_demo_codebook

    with click.progressbar(length=responses, label="Demo responses", show_pos=True) as bar:
        made = demo.generate(responses, seed=seed, progress=bar.update)
    click.echo(f"Added {made} demo responses (marked as demo).")
    themes_made = create_demo_codebook()
    if themes_made:
        click.echo(f"Added {themes_made} demo themes to the codebook.")
    from .services.demo.accounts import demo_openers
    from .services.responses import narrative_keys

    # Demo comments are sealed to the narrative key: coding them needs the demo coordinator's
    # ('flask users demo' first), unless this process already holds one.
    held = demo_openers()
    if held:
        narrative_keys.use_openers(held)
    elif not narrative_keys.unlocked():
        click.echo("The demo comments are sealed to the narrative key: run 'flask users demo' first to code them.")
    codings, quotes = code_demo_comments()
    if codings or quotes:
        click.echo(f"Coded the demo comments ({codings} themes assigned) and approved {quotes} demo quotes.")


translate = AppGroup("translate", help="Extract, update and compile translations (wraps pybabel).")
TRANSLATIONS = PROJECT_ROOT / "translations"


def _pybabel(*args: str) -> None:
    command = [sys.executable, "-m", "babel.messages.frontend", *args]
    if subprocess.run(command, cwd=PROJECT_ROOT).returncode != 0:
        raise click.ClickException("pybabel " + " ".join(args) + " failed")


@translate.command("extract")
def translate_extract() -> None:
    """Collect every message (templates, Python, survey definitions) into messages.pot."""
    _pybabel(
        "extract", "-F", str(TRANSLATIONS / "babel.cfg"), "-k", "_l", "-k", "plural_forms:1,2", "--sort-by-file",
        "--project", "feedback-app", "-o", str(TRANSLATIONS / "messages.pot"), ".",
    )


@translate.command("update")
def translate_update() -> None:
    """Extract, then merge new messages into every language's .po file."""
    translate_extract.callback()
    _pybabel("update", "-i", str(TRANSLATIONS / "messages.pot"), "-d", str(TRANSLATIONS), "--no-fuzzy-matching", "--ignore-obsolete")


@translate.command("init")
@click.argument("language")
def translate_init(language: str) -> None:
    """Start a catalog for a new language."""
    _pybabel("init", "-i", str(TRANSLATIONS / "messages.pot"), "-d", str(TRANSLATIONS), "-l", language)


@translate.command("compile")
def translate_compile() -> None:
    """Compile every .po file into the .mo file the application reads."""
    _pybabel("compile", "-d", str(TRANSLATIONS))


users = AppGroup("users", help="Staff accounts.")


@users.command("create-admin")
@click.option("--email", required=True, help="Their email address; they sign in with it.")
@click.option("--name", required=True, help="Their name, as shown on staff pages.")
@click.option("--organisation", required=True, help="The organisation they work for.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of asking.")
def create_admin(email: str, name: str, organisation: str, password_stdin: bool) -> None:
    """Create an admin account (the first one, or another). Two-factor is set up at first sign-in."""
    from .services.staff import accounts

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        accounts.check_new_password(password)
        account, _ = accounts.create_account(email, name, "admin", organisation, by="command line", password=password)
    except accounts.AccountError as exc:
        with force_locale("en"):
            raise click.ClickException(str(exc.message)) from exc
    click.echo(f"Admin account created for {account.email}. Sign in at /staff/sign-in and set up two-factor authentication.")


@click.command("setup")
@click.option("--email", required=True, help="The first admin's email address; they sign in with it.")
@click.option("--name", required=True, help="Their name, as shown on staff pages.")
@click.option("--organisation", required=True, help="The organisation they work for.")
def setup(email: str, name: str, organisation: str) -> None:
    """First run of a real deployment: the first admin, with a one-time password printed
    once. At first sign-in they choose their own password, then must set up two-factor
    authentication before any admin page opens. Also makes the narrative key pair (if there
    is none) and prints its recovery key once. Refused once any account exists."""
    from .services.staff import accounts

    if accounts.has_accounts():
        raise click.ClickException(
            "This site has staff accounts already, so it is set up. Admins add accounts at /admin/accounts/new "
            "('flask users create-admin' adds another admin)."
        )
    try:
        account, one_time = accounts.create_account(email, name, "admin", organisation, by="flask setup")
    except accounts.AccountError as exc:
        with force_locale("en"):
            raise click.ClickException(str(exc.message)) from exc
    click.echo(f"The first admin account is created for {account.email}.")
    click.echo(f"One-time password (shown only now; give it to them in person or by phone): {one_time}")
    click.echo(
        "At /staff/sign-in they sign in with it, choose their own password, and set up two-factor "
        "authentication with an authenticator app before any admin page opens."
    )
    from .narrative_commands import print_recovery_key
    from .services.staff import narrative_access

    if not narrative_access.has_keys():
        pair, recovery, _opener = narrative_access.initialise("flask setup")
        click.echo(f"Narrative key {pair.id} made: survivors' free text is sealed to it, for coordinators only.")
        print_recovery_key(recovery)
        click.echo(
            "Once the first coordinator has an account, give them access to comments with "
            "'flask narratives recover --email <their email>'."
        )


@users.command("demo")
def users_demo() -> None:
    """Create demo staff accounts with known passwords (DEMO ONLY; refused in production)."""
    from .services.demo import accounts as demo_accounts

    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("Refusing to create demo accounts with known passwords in production.")
    created = {demo.email for demo in demo_accounts.create_demo_accounts()}
    recovery = demo_accounts.give_demo_narrative_access()
    banner = "!" * 72
    click.echo(banner)
    click.echo("!! DEMO ONLY: these accounts have published passwords. Never use them for real work.")
    for demo in demo_accounts.DEMO_ACCOUNTS:
        state = "created" if demo.email in created else "already there, unchanged"
        click.echo(f"!! {demo.role:<12} {demo.email}  ({state})")
        click.echo(f"!!   password: {demo.password}")
        if demo.totp_secret:
            click.echo(f"!!   TOTP secret (add to an authenticator app): {demo.totp_secret}")
        if demo.pin:
            click.echo(f"!!   tablet PIN: {demo.pin}")
    if recovery:
        click.echo(f"!! narrative recovery key (demo): {recovery}")
    click.echo("!! the demo coordinator reads comments after signing in (narrative key access).")
    click.echo(banner)


retention = AppGroup("retention", help="Delete responses past the retention period.")


@retention.command("purge")
@click.option("--apply", "apply_", is_flag=True, help="Delete them (without it, only say what would go).")
def retention_purge(apply_: bool) -> None:
    """Say which responses are past the retention period, by quarter and survey; with
    --apply, delete them with their codings, glosses and quotes (audited, counts only)."""
    from .services.operations import retention as policy

    due = policy.due()
    click.echo(f"Responses are kept for {policy.years()} years: those from weeks before {due.cutoff.isoformat()} are past it.")
    if not due.total:
        click.echo("No response is past the retention period.")
        return
    for (quarter, survey), count in due.by_quarter_and_survey.items():
        click.echo(f"  {quarter:<14} {survey:<20} {count}")
    if not apply_:
        click.echo(f"{due.total} responses would be deleted. Nothing was deleted: add --apply to delete them.")
        return
    deleted = policy.purge()
    click.echo(
        f"Deleted {deleted.responses} responses, with {deleted.codings} codings, {deleted.glosses} glosses and "
        f"{deleted.quotes} quotes. Files exported earlier are not affected."
    )


def init_app(app: Flask) -> None:
    from .backup_commands import backup
    from .narrative_commands import narratives

    app.cli.add_command(backup)
    app.cli.add_command(narratives)
    app.cli.add_command(keys)
    app.cli.add_command(users)
    app.cli.add_command(demo_data)
    app.cli.add_command(translate)
    app.cli.add_command(retention)
    app.cli.add_command(setup)
