"""The restore drill: a site with demo and real-looking responses, themes, codings, glosses,
quotes and audit events is backed up, everything is dropped, and the backup is restored
into a new database and key file. Every response opens, the dashboard and the themed
summary come out identical, and the audit log is intact. Runs on SQLite, and on PostgreSQL
in the PostgreSQL run (pg_dump / pg_restore)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from feedback_app import create_app
from feedback_app.backup_crypto import BackupPrivateKey
from feedback_app.config import TestConfig
from feedback_app.crypto import Keyring
from feedback_app.extensions import db
from feedback_app.models import AuditEvent, Response
from feedback_app.services.demo import responses as demo
from feedback_app.services.demo.insight import code_demo_comments
from feedback_app.services.figures.dashboard import dashboard, disclosure_rules
from feedback_app.services.figures.filters import Filters
from feedback_app.services.figures.periods import quarter_of
from feedback_app.services.insight import coding, comments
from feedback_app.services.insight import quotes as quote_service
from feedback_app.services.insight.themes import create_demo_codebook, create_theme
from feedback_app.services.operations import backups
from feedback_app.services.reports.themed_summary import summary
from feedback_app.services.responses.store import open_answers
from feedback_app.services.staff import audit
from tests.helpers.databases import create_postgres_database, drop_postgres_database
from tests.helpers.responses import store
from tests.helpers.staff import make_account

TODAY = date(2026, 11, 28)
REAL_WORDS = [
    {"services": ["police", "idva"], "listened.police": "no", "better.police": "Nobody called me back for weeks",
     "helpful.idva": "My IDVA came to court with me"},
    {"services": ["police"], "listened.police": "yes", "safer.police": "yes", "helpful.police": "They believed me straight away"},
    {"services": ["childrens_services"], "better.childrens_services": "I had to tell my story four times"},
]


class _Databases:
    """New, empty databases for the drill, of the kind this test run uses."""

    def __init__(self, tmp_path: Path):
        self.server = os.environ.get("TEST_DATABASE_SERVER")
        self.tmp_path = tmp_path
        self.made: list[str] = []

    def new(self, label: str) -> str:
        if not self.server:
            return f"sqlite:///{self.tmp_path / label}.db"
        url, name = create_postgres_database(self.server, prefix="feedback_drill")
        self.made.append(name)
        return url

    def drop_all(self) -> None:
        for name in self.made:
            drop_postgres_database(self.server, name)


@pytest.fixture
def databases(tmp_path):
    made = _Databases(tmp_path)
    yield made
    made.drop_all()


def _app(url: str, keyring: Keyring):
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "KEYRING": keyring})
    return app


def _fill(app) -> None:
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        demo.generate(150, seed=7, today=TODAY)
        create_demo_codebook()
        code_demo_comments()
        coordinator, _ = make_account("coordinator")
        themes = {
            "better.": create_theme("Called back in good time", "", None, "improvement"),
            "helpful.": create_theme("Believed from the start", "", None, "helpful"),
        }
        for words in REAL_WORDS * 2:  # six: enough to be shown on their own
            response_id = store(words, submitted_on=date(2026, 11, 3))
            for field in [f for f in words if f.startswith(tuple(themes))]:
                coding.assign(response_id, field, themes[field.split(".")[0] + "."].id, coordinator)
                comments.save_gloss(response_id, field, "a gloss in English")
                quote_service.propose(response_id, field, coordinator)
        audit.record("export_created", coordinator, detail="themed summary, Q3 2026/27")
        db.session.commit()
        db.engine.dispose()


def _observe(app) -> dict:
    """What a coordinator and an auditor would see, in comparable form."""
    with app.test_request_context():
        rules = disclosure_rules()
        period = quarter_of(TODAY)
        seen = {
            "answers": {r.id: open_answers(r) for r in db.session.scalars(select(Response))},
            "dashboard": dashboard(Filters(), rules),
            "dashboard_quarter_real": dashboard(Filters(period=period, include_demo=False), rules),
            "summary": summary(period, True, rules, today=TODAY),
            "audit": [
                (e.id, e.occurred_at, e.account_id, e.actor, e.action, e.target, e.detail)
                for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
            ],
        }
        db.session.remove()
        db.engine.dispose()
        return seen


@pytest.mark.parametrize("with_key", [True, False], ids=["backup-key", "passphrase"])
def test_a_backup_restores_into_a_new_database_with_everything_identical(databases, tmp_path, with_key):
    source_url = databases.new("source")
    keyring = Keyring.generate()
    source = _app(source_url, keyring)
    _fill(source)
    before = _observe(source)
    assert len(before["answers"]) == 156 and before["audit"]
    assert before["dashboard"].total.value == 156 and before["dashboard"].unreadable == 0
    assert before["summary"].total.value > 0 and before["dashboard_quarter_real"].total.value == 6

    private_key = BackupPrivateKey.generate()
    secret = backups.Secret(private_key=private_key) if with_key else backups.Secret(passphrase="three random words here")
    backup_file = tmp_path / "site.fbk"
    steps = backups.NoSteps()
    manifest = backups.create(
        backup_file, database_url=source_url, keyring=keyring, steps=steps,
        public_key=private_key.public_key() if with_key else None, passphrase=secret.passphrase,
    )
    assert manifest.counts["responses"] == 156 and manifest.keyring_primary == keyring.primary
    assert "Copying the database" in steps.labels and "Encrypting the backup" in steps.labels
    assert backup_file.stat().st_mode & 0o077 == 0  # readable by its owner only
    raw = backup_file.read_bytes()
    assert b"Nobody called me back" not in raw and keyring.to_json().encode() not in raw

    # Drop everything: the source database and the keyring are gone.
    if databases.server:
        drop_postgres_database(databases.server, databases.made.pop(0))
    else:
        Path(source_url.removeprefix("sqlite:///")).unlink()
    del keyring, source

    target_url = databases.new("restored")
    keyring_file = tmp_path / "restored" / "keyring.json"
    restored = backups.restore(backup_file, secret=secret, database_url=target_url, keyring_file=keyring_file)
    assert restored.check.unreadable == [] and restored.check.opened > 156
    assert keyring_file.stat().st_mode & 0o077 == 0

    after = _observe(_app(target_url, Keyring.from_file(keyring_file)))
    assert after["answers"] == before["answers"]
    assert after["dashboard"] == before["dashboard"]
    assert after["dashboard_quarter_real"] == before["dashboard_quarter_real"]
    assert after["summary"] == before["summary"]
    assert after["dashboard"].unreadable == 0 and after["summary"].unreadable == 0
    # The audit log is intact: every event as it was, then one saying the site was restored.
    assert after["audit"][: len(before["audit"])] == before["audit"]
    assert [event[4] for event in after["audit"][len(before["audit"]) :]] == ["backup_restored"]

    verified = backups.verify(backup_file, secret=secret, scratch_server=databases.server)
    assert verified.check.unreadable == [] and verified.counts["responses"] == 156


def test_restore_refuses_to_overwrite_a_database_or_key_file_without_force(databases, tmp_path):
    source_url = databases.new("source")
    keyring = Keyring.generate()
    _fill(_app(source_url, keyring))
    backup_file = tmp_path / "site.fbk"
    secret = backups.Secret(passphrase="three random words here")
    backups.create(backup_file, database_url=source_url, keyring=keyring, passphrase=secret.passphrase)

    # Into the database it came from (which holds rows) and a different key file.
    other_keyring_file = tmp_path / "other.json"
    Keyring.generate().write_file(other_keyring_file)
    before = other_keyring_file.read_text()
    with pytest.raises(backups.BackupError, match="Nothing was changed: the database holds .* rows") as refused:
        backups.restore(backup_file, secret=secret, database_url=source_url, keyring_file=other_keyring_file)
    assert "holds a different keyring" in str(refused.value)
    assert other_keyring_file.read_text() == before

    # With --force: the database is replaced and the old key file kept beside the new one.
    restored = backups.restore(backup_file, secret=secret, database_url=source_url, keyring_file=other_keyring_file, force=True)
    assert restored.replaced_keyring is not None and restored.replaced_keyring.read_text() == before
    assert Keyring.from_file(other_keyring_file).to_json() == keyring.to_json()
    assert restored.check.unreadable == []


def test_a_damaged_or_wrongly_keyed_backup_is_refused_and_changes_nothing(databases, tmp_path):
    source_url = databases.new("source")
    keyring = Keyring.generate()
    _fill(_app(source_url, keyring))
    private_key = BackupPrivateKey.generate()
    backup_file = tmp_path / "site.fbk"
    backups.create(backup_file, database_url=source_url, keyring=keyring, public_key=private_key.public_key())
    good = backups.Secret(private_key=private_key)
    data = backup_file.read_bytes()

    target_url = databases.new("target")
    keyring_file = tmp_path / "target-keyring.json"

    def refused(content: bytes, secret=good) -> str:
        damaged = tmp_path / "damaged.fbk"
        damaged.write_bytes(content)
        with pytest.raises(backups.BackupError) as error:
            backups.restore(damaged, secret=secret, database_url=target_url, keyring_file=keyring_file)
        return str(error.value)

    tampered = bytearray(data)
    tampered[len(data) // 2] ^= 0x01
    assert "altered or damaged" in refused(bytes(tampered))
    assert "cut off" in refused(data[: len(data) // 2])
    assert "cut off" in refused(data[:-1])
    assert "not a backup" in refused(b"PK\x03\x04 a zip file, say")
    assert "made for backup key" in refused(data, backups.Secret(private_key=BackupPrivateKey.generate()))
    assert "made for a backup key" in refused(data, backups.Secret(passphrase="three random words here"))
    # Nothing reached the target: no rows, no key file.
    assert not keyring_file.exists()
    assert not any(backups.database_copy.holdings(target_url).values())
