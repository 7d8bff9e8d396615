"""``flask backup keygen | create | restore | verify``.

``keygen``, ``restore`` and ``verify`` need no running application (a server being rebuilt
has no keyring yet); the ``backup`` group is also a ``flask.commands`` entry point in
pyproject.toml, so Flask finds it without loading the app.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .backup_crypto import (
    MIN_PASSPHRASE_LENGTH,
    BackupError,
    BackupPrivateKey,
    BackupPublicKey,
    DamagedBackup,
    NotABackup,
    WrongBackupKey,
)
from .config import restore_targets
from .crypto import Keyring
from .services.operations import backups
from .services.operations.database_copy import DatabaseCopyError

backup = AppGroup("backup", help="Encrypted backups of the database and its keyring, and restoring them.")


class _ProgressSteps:
    """Each step on its own line; a progress bar where its size is known."""

    @contextmanager
    def step(self, label: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
        if not total:
            click.echo(f"{label}…", nl=False)
            yield lambda amount: None
            click.echo(" done.")
            return
        with click.progressbar(length=total, label=label) as bar:
            yield bar.update


def _fail(error: Exception) -> click.ClickException:
    return click.ClickException(str(error)[:1].upper() + str(error)[1:])


@backup.command("keygen", with_appcontext=False)
def keygen() -> None:
    """Make the partnership's backup key pair. Prints both; stores neither."""
    private_key = BackupPrivateKey.generate()
    public_key = private_key.public_key()
    click.echo("Backup key pair, made just now. Nothing was saved anywhere.\n")
    click.echo("PRIVATE backup key (opens every backup; keep it OFF the server, e.g. printed in the")
    click.echo("partnership's safe and in its password manager; whoever holds it and a backup reads it):\n")
    click.echo(f"    {private_key.to_text()}\n")
    click.echo("Public backup key (goes on the server, in FEEDBACK_BACKUP_PUBLIC_KEY):\n")
    click.echo(f"    {public_key.to_text()}\n")
    click.echo(f"Key fingerprint: {public_key.fingerprint} (backups name the key they need by it).")
    click.echo("Before relying on it: make a backup, then run 'flask backup verify' with the private key.")


def _keyring_now() -> Keyring:
    """The keyring as it is on disk now (another process may have rotated it), else in memory."""
    path = current_app.config.get("KEYRING_FILE")
    return Keyring.from_file(path) if path else current_app.extensions["feedback_keyring"]


def _new_passphrase(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    click.echo(
        "No backup public key is configured (FEEDBACK_BACKUP_PUBLIC_KEY), so this backup is encrypted to a "
        f"passphrase. Use at least {MIN_PASSPHRASE_LENGTH} characters (three or four random words), and keep it "
        "off this server: without it the backup cannot be opened."
    )
    return click.prompt("Backup passphrase", hide_input=True, confirmation_prompt=True)


@backup.command("create")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Where to write the backup.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--passphrase-stdin", is_flag=True, help="Read the passphrase from standard input (no key configured).")
def create(output: Path | None, force: bool, passphrase_stdin: bool) -> None:
    """Back up the database and the keyring into one encrypted file."""
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d-%H%M")
    output = output or Path(f"feedback-backup-{stamp}.fbk")
    configured = current_app.config.get("BACKUP_PUBLIC_KEY")
    public_key = BackupPublicKey.from_text(configured) if configured else None
    passphrase = None if public_key else _new_passphrase(passphrase_stdin)
    try:
        manifest = backups.create(
            output,
            database_url=current_app.config["SQLALCHEMY_DATABASE_URI"],
            keyring=_keyring_now(),
            public_key=public_key,
            passphrase=passphrase,
            force=force,
            steps=_ProgressSteps(),
        )
    except (BackupError, DatabaseCopyError) as exc:
        raise _fail(exc) from exc
    to = f"backup key {public_key.fingerprint}" if public_key else "your passphrase"
    click.echo(f"Wrote {output} ({manifest.engine}, {manifest.responses} responses), encrypted to {to}.")
    click.echo("Copy it off this server. 'flask backup verify' checks that it opens and restores.")


def _secret(path: Path, key_file: Path | None, passphrase_stdin: bool) -> backups.Secret:
    try:
        kind, fingerprint = backups.what_opens(path)
    except BackupError as exc:
        raise _fail(exc) from exc
    if kind == "x25519":
        if key_file:
            text = key_file.read_text(encoding="utf-8")
        elif passphrase_stdin:
            raise click.ClickException(f"This backup opens with backup key {fingerprint}, not a passphrase.")
        else:
            text = click.prompt(f"Private backup key for {fingerprint} (FBKEY1-…)", hide_input=True)
        try:
            return backups.Secret(private_key=BackupPrivateKey.from_text(text))
        except BackupError as exc:
            raise _fail(exc) from exc
    if key_file:
        raise click.ClickException("This backup opens with a passphrase, not a backup key.")
    if passphrase_stdin:
        return backups.Secret(passphrase=sys.stdin.readline().rstrip("\r\n"))
    return backups.Secret(passphrase=click.prompt("Backup passphrase", hide_input=True))


_key_file_option = click.option(
    "--key-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file holding the private backup key (otherwise it is asked for).",
)
_passphrase_option = click.option(
    "--passphrase-stdin", is_flag=True, help="Read the passphrase from standard input (otherwise it is asked for).",
)


@backup.command("restore", with_appcontext=False)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--database-url", help="Restore into this database (default: DATABASE_URL).")
@click.option("--keyring-file", type=click.Path(dir_okay=False, path_type=Path), help="Write the keyring here (default: FEEDBACK_KEYRING_FILE).")
@_key_file_option
@_passphrase_option
@click.option("--force", is_flag=True, help="Replace a database that holds rows, and a different key file (kept, renamed).")
def restore(file: Path, database_url: str | None, keyring_file: Path | None, key_file: Path | None, passphrase_stdin: bool, force: bool) -> None:
    """Restore a backup into an empty database and write its keyring."""
    default_url, default_keyring = restore_targets()
    database_url = database_url or default_url
    keyring_file = keyring_file or (Path(default_keyring) if default_keyring else None)
    if not database_url or not keyring_file:
        raise click.ClickException(
            "Say where to restore: set DATABASE_URL and FEEDBACK_KEYRING_FILE (as for the site), or give "
            "--database-url and --keyring-file."
        )
    secret = _secret(file, key_file, passphrase_stdin)
    try:
        restored = backups.restore(
            file, secret=secret, database_url=database_url, keyring_file=keyring_file, force=force, steps=_ProgressSteps()
        )
    except (NotABackup, WrongBackupKey, DamagedBackup) as exc:  # found before anything is written
        raise click.ClickException(f"{_fail(exc).message}. Nothing was changed.") from exc
    except (BackupError, DatabaseCopyError) as exc:
        raise _fail(exc) from exc
    manifest = restored.manifest
    click.echo(f"Restored the backup made {manifest.created}: {manifest.responses} responses ({manifest.engine}).")
    click.echo(f"Keyring written to {keyring_file}.")
    if restored.replaced_keyring:
        click.echo(f"The key file that was there is kept as {restored.replaced_keyring}.")
    _report_check(restored.check)


@backup.command("verify", with_appcontext=False)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_key_file_option
@_passphrase_option
@click.option("--scratch-server", envvar="DATABASE_URL", help="PostgreSQL server for a temporary database (default: DATABASE_URL).")
def verify(file: Path, key_file: Path | None, passphrase_stdin: bool, scratch_server: str | None) -> None:
    """Open a backup, restore it into a scratch database and check every sealed value opens."""
    secret = _secret(file, key_file, passphrase_stdin)
    try:
        verified = backups.verify(file, secret=secret, scratch_server=scratch_server, steps=_ProgressSteps())
    except (BackupError, DatabaseCopyError) as exc:
        raise _fail(exc) from exc
    manifest = verified.manifest
    click.echo(f"The backup made {manifest.created} opens and restores ({manifest.engine}, schema {manifest.revision}).")
    for table, rows in sorted(verified.counts.items()):
        click.echo(f"  {table:<22} {rows} rows")
    _report_check(verified.check)


def _report_check(check) -> None:
    if check.unreadable:
        shown = ", ".join(check.unreadable[:5])
        raise click.ClickException(
            f"{len(check.unreadable)} sealed values do not open with the keyring in this backup (first: {shown}). "
            f"{check.opened} others do."
        )
    click.echo(f"All {check.opened} sealed values open.")
