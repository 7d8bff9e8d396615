"""Backups in the production configuration, as the README's commands run them: a survivor's
answers sent through nginx are backed up with the partnership's public key configured,
restored on a "rebuilt server" (a new database, no keyring yet, FEEDBACK_CONFIG=production)
and come back readable; verify passes; the live site audited the backup."""

from __future__ import annotations

import subprocess
import sys

from feedback_app.backup_crypto import BackupPrivateKey
from tests.helpers.databases import create_postgres_database, drop_postgres_database
from tests.production.stack import PROJECT_ROOT
from tests.production.survivor_client import PlainSurvivor


def _flask(env: dict, *args: str, input_text: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=PROJECT_ROOT, env=env, input=input_text, capture_output=True, text=True, timeout=300,
    )


def test_a_backup_made_on_the_server_restores_on_a_rebuilt_one(stack, store, tmp_path):
    survivor = PlainSurvivor(stack.https_port, source="127.0.0.40")
    try:
        outcome = survivor.complete()
    finally:
        survivor.close()
    assert outcome.acknowledged
    answers = store.opened(outcome.token)
    assert answers is not None

    private = BackupPrivateKey.generate()
    on_server = dict(stack.env, FEEDBACK_BACKUP_PUBLIC_KEY=private.public_key().to_text())
    backup_file = tmp_path / "nightly.fbk"
    created = _flask(on_server, "backup", "create", "-o", str(backup_file))
    assert created.returncode == 0, created.stderr
    assert f"encrypted to backup key {private.public_key().fingerprint}" in created.stdout

    key_file = tmp_path / "backup.key"  # the private key, brought on a USB stick
    key_file.write_text(private.to_text())
    database_url, name = create_postgres_database(stack.server_url, prefix="feedback_rebuilt")
    try:
        rebuilt = {
            **{k: v for k, v in stack.env.items() if k not in ("FEEDBACK_BACKUP_PUBLIC_KEY",)},
            "DATABASE_URL": database_url,
            "FEEDBACK_KEYRING_FILE": str(tmp_path / "keys" / "keyring.json"),  # not there yet
        }
        restored = _flask(rebuilt, "backup", "restore", str(backup_file), "--key-file", str(key_file))
        assert restored.returncode == 0, restored.stderr
        assert "sealed values open" in restored.stdout

        # The rebuilt server now starts, and reads the survivor's answers with the restored keys.
        status = _flask(rebuilt, "keys", "status")
        assert status.returncode == 0, status.stderr
        from feedback_app import create_app
        from feedback_app.config import TestConfig
        from feedback_app.crypto import Keyring
        from feedback_app.extensions import db
        from feedback_app.services.responses.submissions import read_response, response_id_for

        app = create_app(TestConfig, {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": stack.secret_key,  # the submission's id is derived from its token with it
            "KEYRING": Keyring.from_file(tmp_path / "keys" / "keyring.json"),
        })
        with app.app_context():
            assert read_response(response_id_for(outcome.token)) == answers
            db.session.remove()
            db.engine.dispose()

        verified = _flask(
            {**stack.env, "DATABASE_URL": stack.server_url}, "backup", "verify", str(backup_file), "--key-file", str(key_file)
        )
        assert verified.returncode == 0, verified.stderr
        assert "opens and restores (postgresql" in verified.stdout
    finally:
        drop_postgres_database(stack.server_url, name)

    from sqlalchemy import select

    from feedback_app.extensions import db
    from feedback_app.models import AuditEvent

    with store.app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("backup_%"))).all()
        db.session.remove()
    assert "backup_created" in actions
