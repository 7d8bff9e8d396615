"""``flask backup keygen | create | verify | restore`` as an operator runs them: what they
print, what they ask for, and the kind messages when something is wrong."""

from __future__ import annotations

import os
import re

import pytest
from click.testing import CliRunner

from feedback_app.backup_commands import backup
from feedback_app.backup_crypto import BackupPrivateKey, BackupPublicKey
from feedback_app.config import ConfigurationError, environment_settings, restore_targets
from feedback_app.crypto import Keyring
from tests.helpers.databases import create_postgres_database, drop_postgres_database
from tests.helpers.responses import store

PASSPHRASE = "three random words here\n"
# verify restores a PostgreSQL backup into a temporary database on a server.
SCRATCH = ["--scratch-server", os.environ["TEST_DATABASE_SERVER"]] if os.environ.get("TEST_DATABASE_SERVER") else []


@pytest.fixture
def empty_database(tmp_path):
    server = os.environ.get("TEST_DATABASE_SERVER")
    if not server:
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    url, name = create_postgres_database(server, prefix="feedback_cli")
    yield url
    drop_postgres_database(server, name)


def test_keygen_prints_a_matching_key_pair_and_stores_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(backup, ["keygen"])
    assert result.exit_code == 0, result.output
    private = BackupPrivateKey.from_text(re.search(r"FBKEY1[-A-Z2-7]+", result.output).group())
    public = BackupPublicKey.from_text(re.search(r"FBPUB1[-A-Z2-7]+", result.output).group())
    assert private.public_key() == public
    assert public.fingerprint in result.output and "OFF the server" in result.output
    assert list(tmp_path.iterdir()) == []


def test_create_verify_and_restore_with_a_passphrase(app, tmp_path, empty_database):
    store({"services": ["police"], "better.police": "Ring me before you visit"})
    runner = app.test_cli_runner()
    output = tmp_path / "site.fbk"
    created = runner.invoke(args=["backup", "create", "-o", str(output), "--passphrase-stdin"], input=PASSPHRASE)
    assert created.exit_code == 0, created.output
    assert "1 responses" in created.output and "encrypted to your passphrase" in created.output

    again = runner.invoke(args=["backup", "create", "-o", str(output), "--passphrase-stdin"], input=PASSPHRASE)
    assert again.exit_code == 1 and "exists already" in again.output and "--force" in again.output

    verified = runner.invoke(args=["backup", "verify", str(output), "--passphrase-stdin", *SCRATCH], input=PASSPHRASE)
    assert verified.exit_code == 0, verified.output
    assert re.search(r"responses\s+1 rows", verified.output) and "sealed values open" in verified.output

    wrong = runner.invoke(args=["backup", "verify", str(output), "--passphrase-stdin"], input="not the passphrase at all\n")
    assert wrong.exit_code == 1 and "Error: That is not the key or passphrase" in wrong.output
    assert "Traceback" not in wrong.output

    keyring_file = tmp_path / "keys" / "keyring.json"
    restored = runner.invoke(
        args=["backup", "restore", str(output), "--passphrase-stdin", "--database-url", empty_database,
              "--keyring-file", str(keyring_file)],
        input=PASSPHRASE,
    )
    assert restored.exit_code == 0, restored.output
    assert "1 responses" in restored.output and f"Keyring written to {keyring_file}" in restored.output
    assert Keyring.from_file(keyring_file).to_json() == app.extensions["feedback_keyring"].to_json()

    # The same again: the database now holds rows, so nothing is changed.
    refused = runner.invoke(
        args=["backup", "restore", str(output), "--passphrase-stdin", "--database-url", empty_database,
              "--keyring-file", str(keyring_file)],
        input=PASSPHRASE,
    )
    assert refused.exit_code == 1 and "Nothing was changed" in refused.output and "--force" in refused.output


def test_create_uses_the_configured_public_key_and_restore_asks_for_its_private_key(app, tmp_path, empty_database):
    private = BackupPrivateKey.generate()
    app.config["BACKUP_PUBLIC_KEY"] = private.public_key().to_text()
    runner = app.test_cli_runner()
    output = tmp_path / "site.fbk"
    created = runner.invoke(args=["backup", "create", "-o", str(output)])
    assert created.exit_code == 0, created.output
    assert f"encrypted to backup key {private.public_key().fingerprint}" in created.output

    # Asked for at the prompt (hidden), as typed from paper: lower case, spaces for dashes.
    typed = private.to_text().lower().replace("-", " ") + "\n"
    verified = runner.invoke(args=["backup", "verify", str(output), *SCRATCH], input=typed)
    assert verified.exit_code == 0, verified.output
    assert f"Private backup key for {private.public_key().fingerprint}" in verified.output
    assert private.to_text().lower() not in verified.output  # not echoed

    key_file = tmp_path / "backup.key"
    key_file.write_text(private.to_text())
    restored = runner.invoke(
        args=["backup", "restore", str(output), "--key-file", str(key_file), "--database-url", empty_database,
              "--keyring-file", str(tmp_path / "keyring.json")],
    )
    assert restored.exit_code == 0, restored.output

    cut = tmp_path / "cut.fbk"
    cut.write_bytes(output.read_bytes()[:-100])
    damaged = runner.invoke(
        args=["backup", "restore", str(cut), "--key-file", str(key_file), "--database-url", empty_database,
              "--keyring-file", str(tmp_path / "keyring.json"), "--force"],
    )
    assert damaged.exit_code == 1 and "cut off before its end. Nothing was changed." in damaged.output

    passphrase_given = runner.invoke(args=["backup", "verify", str(output), "--passphrase-stdin"], input=PASSPHRASE)
    assert passphrase_given.exit_code == 1 and "opens with backup key" in passphrase_given.output


def test_restore_needs_to_be_told_where_in_production(tmp_path):
    runner = CliRunner(env={"FEEDBACK_CONFIG": "production", "DATABASE_URL": "", "FEEDBACK_KEYRING_FILE": ""})
    backup_file = tmp_path / "site.fbk"
    backup_file.write_bytes(b"anything")
    result = runner.invoke(backup, ["restore", str(backup_file)])
    assert result.exit_code == 1 and "set DATABASE_URL and FEEDBACK_KEYRING_FILE" in result.output


def test_restore_targets_default_to_the_development_files_outside_production(tmp_path):
    url, keyring_file = restore_targets({"FEEDBACK_CONFIG": "development"}, tmp_path)
    assert url == f"sqlite:///{tmp_path / 'feedback.db'}" and keyring_file == str(tmp_path / "keyring.json")
    assert restore_targets({"FEEDBACK_CONFIG": "production"}, tmp_path) == (None, None)
    url, _ = restore_targets({"FEEDBACK_CONFIG": "production", "DATABASE_URL": "postgresql://db/feedback"})
    assert url == "postgresql+psycopg://db/feedback"


def test_a_malformed_backup_public_key_stops_start_up_with_a_clear_message():
    with pytest.raises(ConfigurationError, match="FEEDBACK_BACKUP_PUBLIC_KEY is not usable"):
        environment_settings({"FEEDBACK_BACKUP_PUBLIC_KEY": "FBPUB1-AAAAA"})
    private_text = BackupPrivateKey.generate().to_text()
    with pytest.raises(ConfigurationError, match="starts with FBPUB1"):
        environment_settings({"FEEDBACK_BACKUP_PUBLIC_KEY": private_text})  # the secret half, by mistake
    public_text = BackupPrivateKey.generate().public_key().to_text()
    assert environment_settings({"FEEDBACK_BACKUP_PUBLIC_KEY": public_text})["BACKUP_PUBLIC_KEY"] == public_text
