import json
import os
import stat
import subprocess
import sys

import pytest

from feedback_app import create_app
from feedback_app.config import (
    PROJECT_ROOT,
    ConfigurationError,
    DevelopmentConfig,
    ProductionConfig,
    load_secrets,
)
from feedback_app.crypto import Keyring

GOOD_SECRET = "s" * 40
GOOD_URL = "postgresql://feedback@db.internal/feedback"


def production(environ):
    return load_secrets({}, "production", PROJECT_ROOT / "instance", environ=environ)


def test_production_refuses_to_start_with_nothing():
    with pytest.raises(ConfigurationError) as caught:
        production({})
    message = str(caught.value)
    assert message.startswith("Cannot start: missing")
    assert "SECRET_KEY" in message and "DATABASE_URL" in message and "FEEDBACK_KEYRING" in message
    assert "\n" not in message


def test_production_without_keyring():
    with pytest.raises(ConfigurationError) as caught:
        production({"SECRET_KEY": GOOD_SECRET, "DATABASE_URL": GOOD_URL})
    assert "keyring" in str(caught.value) and "flask keys generate" in str(caught.value)


def test_production_without_secret_key():
    keyring = Keyring.generate().to_json()
    with pytest.raises(ConfigurationError) as caught:
        production({"DATABASE_URL": GOOD_URL, "FEEDBACK_KEYRING": keyring})
    assert "SECRET_KEY" in str(caught.value)


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({"SECRET_KEY": "short", "DATABASE_URL": GOOD_URL}, "too short"),
        ({"SECRET_KEY": GOOD_SECRET, "DATABASE_URL": "sqlite:///x.db"}, "PostgreSQL"),
        ({"SECRET_KEY": GOOD_SECRET, "DATABASE_URL": GOOD_URL, "FEEDBACK_KEYRING": "{oops"}, "malformed"),
        (
            {"SECRET_KEY": GOOD_SECRET, "DATABASE_URL": GOOD_URL, "FEEDBACK_KEYRING_FILE": "/nonexistent/k.json"},
            "cannot read key file",
        ),
    ],
)
def test_production_refuses_bad_values(environ, expected):
    with pytest.raises(ConfigurationError) as caught:
        production(environ)
    assert expected in str(caught.value)


def test_production_with_everything_uses_psycopg(tmp_path):
    keyring = Keyring.generate()
    key_file = tmp_path / "keys.json"
    keyring.write_file(key_file)
    loaded = production({"SECRET_KEY": GOOD_SECRET, "DATABASE_URL": GOOD_URL, "FEEDBACK_KEYRING_FILE": str(key_file)})
    assert loaded["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    assert loaded["KEYRING"].primary == keyring.primary


def test_production_app_sends_hsts_and_secure_cookies(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", GOOD_SECRET)
    monkeypatch.setenv("DATABASE_URL", GOOD_URL)
    monkeypatch.setenv("FEEDBACK_KEYRING", Keyring.generate().to_json())
    monkeypatch.setenv("FEEDBACK_INSTANCE_PATH", str(tmp_path))
    app = create_app(ProductionConfig)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/staying-safe-online")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_wsgi_refuses_to_start_with_one_clear_line(tmp_path):
    environ = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "FEEDBACK_KEYRING", "FEEDBACK_KEYRING_FILE")}
    environ["FEEDBACK_CONFIG"] = "production"
    environ["FEEDBACK_INSTANCE_PATH"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"], cwd=PROJECT_ROOT, env=environ, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Cannot start: missing SECRET_KEY")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "keyring.json").exists()


def test_development_creates_private_key_and_secret_files(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("FEEDBACK_KEYRING_FILE", raising=False)
    monkeypatch.setenv("FEEDBACK_INSTANCE_PATH", str(tmp_path))
    first = create_app(DevelopmentConfig)
    for name in ("keyring.json", "secret_key"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    assert json.loads((tmp_path / "keyring.json").read_text())["primary"]
    assert first.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'feedback.db'}"
    second = create_app(DevelopmentConfig)
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]
    assert second.extensions["feedback_keyring"].primary == first.extensions["feedback_keyring"].primary


def test_development_with_a_broken_key_file_stops(tmp_path, monkeypatch):
    monkeypatch.setenv("FEEDBACK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("FEEDBACK_KEYRING_FILE", raising=False)
    (tmp_path / "keyring.json").write_text("garbage")
    with pytest.raises(ConfigurationError) as caught:
        create_app(DevelopmentConfig)
    assert "keyring.json" in str(caught.value)


def test_unknown_locale_stops_start_up():
    from feedback_app.config import TestConfig

    with pytest.raises(ConfigurationError) as caught:
        create_app(TestConfig, {"SUPPORTED_LOCALES": ("en", "xx-nonsense")})
    assert "xx-nonsense" in str(caught.value)
