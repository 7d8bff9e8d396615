"""Configuration classes and the one place where secrets and keys are loaded.

``Config`` holds settings shared by every environment. ``load_secrets`` fills in
``SECRET_KEY``, the database URL and the encryption keyring:

* development: a SQLite file, a secret key file and a keyring file under ``instance/``,
  created on first run with mode 0600;
* test: fresh random values for each application the test suite builds;
* production: only from the environment; anything missing or malformed stops start-up
  with one line that says what is missing and how to provide it. There are no fallbacks.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from limits import parse_many

from .backup_crypto import BackupPublicKey, BadBackupKey
from .crypto import Keyring, KeyringError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigurationError(RuntimeError):
    """The application cannot start: the message says what is missing and how to fix it."""


class Config:
    ENV_NAME = "base"
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # Recycle connections rather than ping before every checkout (a ping is a round trip
    # on every request).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_recycle": 1800}

    SUPPORTED_LOCALES = ("en", "pl", "lt", "ur")
    # A language whose survivor-facing text is not all translated is not offered.
    OFFER_INCOMPLETE_LOCALES = False
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")

    # Where the quick exit leaves to: a busy, neutral site.
    QUICK_EXIT_URL = "https://www.bbc.co.uk/weather"
    # Signposting that is local to a partnership is configuration, not code.
    PARTNERSHIP_NAME = "Cambridgeshire & Peterborough DASV Partnership"
    PARTNERSHIP_URL = "https://www.cambsdasv.org.uk"

    # Disclosure control (services/figures/disclosure.py): counts from 1 to DISCLOSURE_THRESHOLD - 1
    # are shown as "fewer than 5"; percentages need a base of at least PERCENT_BASE_MIN.
    DISCLOSURE_THRESHOLD = 5
    PERCENT_BASE_MIN = 10
    # Dashboard figures kept in memory per process (services/figures/cache.py).
    AGGREGATE_CACHE_SIZE = 64

    # Answers are at most 5,000 characters each; a whole survey fits well within this.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024

    # How many proxies in front of the app set X-Forwarded-For and X-Forwarded-Proto. The
    # app believes exactly that many hops (Werkzeug's ProxyFix) and nothing else: 0 in
    # development, 1 behind the shipped nginx (FEEDBACK_PROXY_HOPS).
    PROXY_HOPS = 0

    SESSION_COOKIE_NAME = "s"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Strict"
    SESSION_COOKIE_SECURE = False
    SESSION_PERMANENT = False
    WTF_CSRF_TIME_LIMIT = 4 * 3600
    # Flask-WTF's "strict" check wants a Referer on every HTTPS post, and the site sends
    # Referrer-Policy: no-referrer on every page, so browsers send none. Cross-site posts are
    # refused instead by the token, the SameSite=Strict session cookie and a check of the
    # browser's Sec-Fetch-Site header (``security.refuse_cross_site_posts``).
    WTF_CSRF_SSL_STRICT = False

    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = False
    # If the shared store (Redis) cannot be reached, count in this process instead of
    # refusing anyone (Flask-Limiter's fallback; logged when it happens).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # Survey submissions (services/staff/rate_limits.py). Online, per address: a school class
    # of 30 on one Wi-Fi can send within the hour, a flood from one address is stopped. A
    # worker's evaluation, per signed ticket (one ticket is one evaluation).
    SUBMISSION_RATE_LIMIT = "60 per hour"
    EVALUATION_SUBMISSION_RATE_LIMIT = "10 per hour"

    # How long a response is kept, in years from the week it was submitted (partnership
    # policy); ``flask retention purge --apply`` deletes older ones (FEEDBACK_RETENTION_YEARS).
    RETENTION_YEARS = 3

    # The partnership's backup public key (FEEDBACK_BACKUP_PUBLIC_KEY, made by 'flask backup
    # keygen'): 'flask backup create' encrypts to it. Its private key never comes near the
    # server. Without one, backups are encrypted to a passphrase asked for each time.
    BACKUP_PUBLIC_KEY: str | None = None

    # The partnership's facts for the privacy notice and the accessibility statement
    # (services/operations/legal_pages.py): a TOML file, checked at start-up
    # (FEEDBACK_PARTNERSHIP_FILE). None: the shipped feedback_app/partnership/legal.toml.
    PARTNERSHIP_FILE: str | None = None
    # The helplines survivors are shown (services/operations/signposting.py), by audience and
    # language: a TOML file checked at start-up (FEEDBACK_SIGNPOSTING_FILE). None: the shipped
    # feedback_app/partnership/signposting.toml.
    SIGNPOSTING_FILE: str | None = None

    # 1:1 evaluations: how long a started evaluation stays valid, and how long a tablet
    # may sit untouched before it locks and needs the worker's PIN.
    EVALUATION_TICKET_HOURS = 12
    WORKER_IDLE_LOCK_SECONDS = 300  # the default; a worker chooses one of the choices per evaluation
    WORKER_IDLE_LOCK_CHOICES = (120, 300, 600)
    # A "still there?" warning comes this long before the lock (half the idle time if shorter).
    WORKER_IDLE_WARNING_SECONDS = 60

    SEND_HSTS = False
    LOG_LEVEL = "INFO"
    # One line per request (method, path, status, time): for development and tests.
    LOG_REQUESTS = True

    # Staff accounts (see services/staff/accounts.py and auth/).
    PASSWORD_HASH_PROFILE = "RFC_9106_LOW_MEMORY"  # an argon2.profiles name (argon2id)
    SIGN_IN_RATE_LIMIT = "10 per minute"
    SIGN_IN_MAX_FAILURES = 5
    SIGN_IN_LOCKOUT_MINUTES = 15
    PIN_MAX_FAILURES = 5
    STAFF_IDLE_TIMEOUT_MINUTES = 30
    STAFF_IDLE_TIMEOUT_ADMIN_MINUTES = 15
    TOTP_ISSUER = "Service feedback"
    # Narratives (services/staff/narrative_access.py): argon2id parameters of a coordinator's
    # password key (RFC 9106's second recommended option; stored beside each locker), and
    # where a signed-in coordinator's unlocked key is kept, encrypted under a key only their
    # session cookie holds: "memory://" (this process) or a Redis URL (every worker). None:
    # the rate limits' storage (Redis in production, REDIS_URL).
    NARRATIVE_ARGON2 = {"memory_cost": 64 * 1024, "iterations": 3, "lanes": 4}
    NARRATIVE_SESSION_STORE: str | None = None
    NARRATIVE_SESSION_PREFIX = "feedback:narrative:"


class DevelopmentConfig(Config):
    ENV_NAME = "development"


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    RATELIMIT_ENABLED = False
    # Still argon2id, with the cheapest parameters: the suite hashes many passwords.
    PASSWORD_HASH_PROFILE = "CHEAPEST"
    NARRATIVE_ARGON2 = {"memory_cost": 8, "iterations": 1, "lanes": 1}


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    SEND_HSTS = True
    PREFERRED_URL_SCHEME = "https"
    PROXY_HOPS = 1  # the shipped nginx; FEEDBACK_PROXY_HOPS changes it
    RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379/0"
    # A Redis that does not answer is given up on quickly (then limits count in-process).
    RATELIMIT_STORAGE_OPTIONS: dict = {"socket_connect_timeout": 1, "socket_timeout": 1}
    LOG_REQUESTS = False
    # The web server refuses to start before 'flask narratives init' (services/operations/startup.py).
    NARRATIVE_KEY_REQUIRED = True
    # Test each pooled connection before use, so that the first request after the database
    # restarts does not fail on a connection that died with it.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_recycle": 1800, "pool_pre_ping": True}


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_from_name(name: str | None) -> type[Config]:
    key = (name or "production").strip().lower()
    if key not in CONFIGS:
        raise ConfigurationError(
            f"FEEDBACK_CONFIG={name!r} is not known; use one of {', '.join(CONFIGS)}"
        )
    return CONFIGS[key]


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever spelling the URL came in."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _read_or_create_secret(path: Path) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text(encoding="ascii").strip()


def environment_settings(environ=os.environ) -> dict:
    """Settings an operator gives in the environment that are not secrets: REDIS_URL (shared
    rate limits), FEEDBACK_PROXY_HOPS (how many proxies to believe), FEEDBACK_RETENTION_YEARS,
    FEEDBACK_BACKUP_PUBLIC_KEY, the survey submission limits FEEDBACK_SUBMISSION_RATE_LIMIT and
    FEEDBACK_EVALUATION_RATE_LIMIT, FEEDBACK_PARTNERSHIP_FILE (the partnership's facts for
    the privacy notice and accessibility statement) and FEEDBACK_SIGNPOSTING_FILE (the
    helplines); both files are checked when the app starts."""
    settings: dict = {}
    if environ.get("REDIS_URL"):
        settings["RATELIMIT_STORAGE_URI"] = environ["REDIS_URL"]
    for variable, setting in (("FEEDBACK_PARTNERSHIP_FILE", "PARTNERSHIP_FILE"), ("FEEDBACK_SIGNPOSTING_FILE", "SIGNPOSTING_FILE")):
        if environ.get(variable, "").strip():
            settings[setting] = environ[variable].strip()
    hops = environ.get("FEEDBACK_PROXY_HOPS", "").strip()
    if hops:
        if not hops.isdigit() or int(hops) > 5:
            raise ConfigurationError(
                f"Cannot start: FEEDBACK_PROXY_HOPS={hops!r} should be how many proxies stand in front of "
                "the app (0 to 5; 1 behind the shipped nginx)."
            )
        settings["PROXY_HOPS"] = int(hops)
    years = environ.get("FEEDBACK_RETENTION_YEARS", "").strip()
    if years:
        if not years.isdigit() or not 1 <= int(years) <= 50:
            raise ConfigurationError(
                f"Cannot start: FEEDBACK_RETENTION_YEARS={years!r} should be how many years a response is kept (1 to 50)."
            )
        settings["RETENTION_YEARS"] = int(years)
    public_key = environ.get("FEEDBACK_BACKUP_PUBLIC_KEY", "").strip()
    if public_key:
        try:
            BackupPublicKey.from_text(public_key)
        except BadBackupKey as exc:
            raise ConfigurationError(
                f"Cannot start: FEEDBACK_BACKUP_PUBLIC_KEY is not usable ({exc}). 'flask backup keygen' prints one."
            ) from exc
        settings["BACKUP_PUBLIC_KEY"] = public_key
    for variable, setting in (
        ("FEEDBACK_SUBMISSION_RATE_LIMIT", "SUBMISSION_RATE_LIMIT"),
        ("FEEDBACK_EVALUATION_RATE_LIMIT", "EVALUATION_SUBMISSION_RATE_LIMIT"),
    ):
        value = environ.get(variable, "").strip()
        if value:
            try:
                parse_many(value)
            except ValueError as exc:
                raise ConfigurationError(
                    f"Cannot start: {variable}={value!r} is not a rate limit; write it like '60 per hour'."
                ) from exc
            settings[setting] = value
    return settings


def keyring_from_environment(environ: os._Environ | dict) -> Keyring | None:
    """The keyring named by FEEDBACK_KEYRING (JSON) or FEEDBACK_KEYRING_FILE (a path)."""
    if environ.get("FEEDBACK_KEYRING"):
        return Keyring.from_json(environ["FEEDBACK_KEYRING"])
    if environ.get("FEEDBACK_KEYRING_FILE"):
        return Keyring.from_file(environ["FEEDBACK_KEYRING_FILE"])
    return None


def load_secrets(settings: dict, env_name: str, instance_path: Path, environ=os.environ) -> dict:
    """Return SECRET_KEY, SQLALCHEMY_DATABASE_URI, KEYRING and KEYRING_FILE for this environment."""
    if env_name == "production":
        return _production_secrets(environ)
    if env_name == "test":
        return {
            "SECRET_KEY": settings.get("SECRET_KEY") or secrets.token_urlsafe(48),
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(
                settings.get("SQLALCHEMY_DATABASE_URI") or "sqlite://"
            ),
            "KEYRING": settings.get("KEYRING") or Keyring.generate(),
            "KEYRING_FILE": settings.get("KEYRING_FILE"),
        }
    return _development_secrets(instance_path, environ)


def _development_secrets(instance_path: Path, environ) -> dict:
    key_file = Path(environ.get("FEEDBACK_KEYRING_FILE") or instance_path / "keyring.json")
    if not key_file.exists():
        Keyring.generate().write_file(key_file)
    try:
        keyring = Keyring.from_file(key_file)
    except KeyringError as exc:
        raise ConfigurationError(f"Cannot start: the key file {key_file} is unusable ({exc}).") from exc
    database_url = environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'feedback.db'}"
    return {
        "SECRET_KEY": _read_or_create_secret(instance_path / "secret_key"),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "KEYRING": keyring,
        "KEYRING_FILE": str(key_file),
    }


def restore_targets(environ=os.environ, instance_path: Path | None = None) -> tuple[str | None, str | None]:
    """Where ``flask backup restore`` writes when not told: DATABASE_URL and
    FEEDBACK_KEYRING_FILE, or outside production the development defaults under ``instance/``.
    Nothing is created here."""
    database_url = environ.get("DATABASE_URL") or None
    keyring_file = environ.get("FEEDBACK_KEYRING_FILE") or None
    if config_from_name(environ.get("FEEDBACK_CONFIG")).ENV_NAME != "production":
        instance_path = instance_path or Path(environ.get("FEEDBACK_INSTANCE_PATH") or PROJECT_ROOT / "instance")
        database_url = database_url or f"sqlite:///{instance_path / 'feedback.db'}"
        keyring_file = keyring_file or str(instance_path / "keyring.json")
    return (normalise_database_url(database_url) if database_url else None), keyring_file


def _production_secrets(environ) -> dict:
    missing = []
    secret_key = environ.get("SECRET_KEY", "")
    if not secret_key:
        missing.append("SECRET_KEY (a random string of at least 32 characters)")
    elif len(secret_key) < 32:
        raise ConfigurationError("Cannot start: SECRET_KEY is too short; use at least 32 random characters.")
    database_url = environ.get("DATABASE_URL", "")
    if not database_url:
        missing.append("DATABASE_URL (postgresql://user@host/dbname)")
    elif not database_url.startswith(("postgres://", "postgresql://", "postgresql+psycopg://")):
        raise ConfigurationError("Cannot start: DATABASE_URL must be a PostgreSQL URL (postgresql://...).")
    try:
        keyring = keyring_from_environment(environ)
    except KeyringError as exc:
        raise ConfigurationError(f"Cannot start: the encryption keyring is malformed: {exc}.") from exc
    if keyring is None:
        missing.append(
            "the encryption keyring (set FEEDBACK_KEYRING to its JSON or FEEDBACK_KEYRING_FILE to "
            "its path; create one with 'flask keys generate')"
        )
    if missing:
        raise ConfigurationError("Cannot start: missing " + "; ".join(missing) + ".")
    return {
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "KEYRING": keyring,
        "KEYRING_FILE": environ.get("FEEDBACK_KEYRING_FILE"),
    }
