"""The production stack for tests and benchmarks: nginx (the shipped site configuration,
HTTPS with a throwaway certificate) in front of gunicorn (``gunicorn.conf.py``, the app
with ``FEEDBACK_CONFIG=production``), a fresh PostgreSQL database migrated for the run, and
a private Redis. Everything on free high ports on loopback, torn down afterwards.

The shipped ``deploy/nginx/feedback.conf`` is changed only where a test run must differ:
ports, paths, certificate. Each replacement must match, so a change to the shipped file
that the tests would silently miss stops the run instead.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SITE_CONF = PROJECT_ROOT / "deploy" / "nginx" / "feedback.conf"
DEFAULT_POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
PRODUCTION_PATH = "/srv/feedback/app"


class StackError(RuntimeError):
    pass


def find_nginx() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.path.exists(p)), None
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                text = log.read_text(errors="replace") if log.exists() else ""
                raise StackError(f"{what} did not start:\n{text[-4000:]}")
            time.sleep(0.1)


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A throwaway certificate for localhost and 127.0.0.1 (``cryptography``)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


def _replace(text: str, old: str, new: str, *, regex: bool = False) -> str:
    changed, count = (re.subn(old, new, text) if regex else (text.replace(old, new), text.count(old)))
    if count == 0:
        raise StackError(f"deploy/nginx/feedback.conf no longer contains {old!r}: update tests/production/stack.py")
    return changed


def render_site(*, http_port: int, https_port: int, app_port: int, root: Path, cert: Path, key: Path,
                error_log: Path) -> str:
    """The shipped site with test ports, this checkout's paths and the throwaway certificate."""
    text = SITE_CONF.read_text(encoding="utf-8")
    text = _replace(text, r"(?m)^\s*listen \[::\]:\d+.*\n", "", regex=True)
    text = _replace(text, "listen 80;", f"listen 127.0.0.1:{http_port};")
    text = _replace(text, "listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
    text = _replace(text, "return 301 https://$host$request_uri;", f"return 301 https://$host:{https_port}$request_uri;")
    text = _replace(text, "server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    text = _replace(text, r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", regex=True)
    text = _replace(text, r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", regex=True)
    text = _replace(text, "/var/log/nginx/feedback-error.log crit;", f"{error_log} warn;")
    text = _replace(text, f"{PRODUCTION_PATH}/", f"{root}/")
    return text


def nginx_main_conf(site: str, directory: Path) -> str:
    """A minimal nginx.conf around the site (what Debian's /etc/nginx/nginx.conf provides)."""
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {directory / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}worker_processes 1;
pid {directory / 'nginx.pid'};
error_log {directory / 'nginx-error.log'} warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
{temp}
{site}
}}
"""


@dataclass
class Stack:
    directory: Path
    https_port: int
    http_port: int
    app_port: int
    redis_port: int
    database_url: str
    database_name: str
    server_url: str
    secret_key: str
    keyring_file: Path
    env: dict
    processes: dict = field(default_factory=dict)
    logs: dict = field(default_factory=dict)
    database_relay: object | None = None  # a TcpRelay when the app reaches PostgreSQL through one
    # The recovery key 'flask narratives init' printed: tests read survivors' words with it,
    # as the partnership would with the key from its safe.
    narrative_recovery_key: str = ""

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def app_url(self) -> str:
        """gunicorn directly, without nginx (for comparisons only)."""
        return f"http://127.0.0.1:{self.app_port}"

    # -- processes -------------------------------------------------------------------------
    def _start(self, name: str, command: list[str], env: dict | None = None) -> subprocess.Popen:
        log = open(self.directory / f"{name}.log", "ab")
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        log.close()
        self.processes[name] = process
        self.logs[name] = self.directory / f"{name}.log"
        return process

    def log_text(self, name: str) -> str:
        path = self.logs.get(name) or self.directory / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def start_redis(self) -> None:
        process = self._start("redis", [
            shutil.which("redis-server") or "redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", str(self.directory),
        ])
        wait_for_port(self.redis_port, process, "redis-server", self.logs["redis"])

    def stop_redis(self) -> None:
        self._stop("redis")

    def start_gunicorn(self) -> None:
        process = self._start("gunicorn", [
            sys.executable, "-m", "gunicorn", "-c", str(PROJECT_ROOT / "gunicorn.conf.py"),
            "--bind", f"127.0.0.1:{self.app_port}", "wsgi:app",
        ], self.env)
        wait_for_port(self.app_port, process, "gunicorn", self.logs["gunicorn"], timeout=60)

    def stop_gunicorn(self) -> None:
        self._stop("gunicorn", timeout=40)

    def start_nginx(self, nginx: str) -> None:
        conf = self.directory / "nginx.conf"
        test = subprocess.run([nginx, "-t", "-c", str(conf), "-e", str(self.directory / "nginx-error.log")],
                              capture_output=True, text=True)
        if test.returncode != 0:
            raise StackError(f"nginx -t failed:\n{test.stdout}{test.stderr}")
        process = self._start("nginx", [nginx, "-c", str(conf), "-e", str(self.directory / "nginx-error.log")])
        wait_for_port(self.https_port, process, "nginx", self.directory / "nginx-error.log")

    def expected_workers(self) -> int:
        """What gunicorn.conf.py starts: GUNICORN_WORKERS, or twice the CPU count (at least 2)."""
        return int(self.env.get("GUNICORN_WORKERS") or 0) or max(2, (os.cpu_count() or 1) * 2)

    def gunicorn_workers(self) -> list[int]:
        master = self.processes["gunicorn"].pid
        children = Path(f"/proc/{master}/task/{master}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def _stop(self, name: str, timeout: float = 15) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

    def stop(self) -> None:
        for name in ("nginx", "gunicorn", "redis"):
            self._stop(name)


def start_stack(*, server_url: str | None = None, submission_rate_limit: str = "1000 per hour",
                extra_env: dict | None = None, database_relay: bool = False) -> Stack:
    """Start everything; the caller must call ``stop_stack`` (also on error).

    With ``database_relay`` the app reaches PostgreSQL through a ``TcpRelay`` that tests can
    cut (``stack.database_relay.cut()``) to make the database unreachable."""
    from feedback_app.crypto import Keyring
    from tests.helpers.databases import create_postgres_database

    nginx = find_nginx()
    if nginx is None:
        raise StackError("nginx is not installed (scripts/setup --production installs it)")
    server_url = server_url or os.environ.get("TEST_POSTGRES_SERVER") or DEFAULT_POSTGRES_SERVER
    # nginx's workers run as nobody when the tests run as root: they must reach this directory.
    directory = Path(tempfile.mkdtemp(prefix="feedback-production-"))
    directory.chmod(0o755)
    database_url, name = create_postgres_database(server_url, prefix="feedback_production")
    keyring_file = directory / "keys" / "keyring.json"
    keyring_file.parent.mkdir(mode=0o700)
    Keyring.generate().write_file(keyring_file)
    secret_key = secrets.token_urlsafe(48)
    ports = [free_port() for _ in range(4)]
    while len(set(ports)) < 4:
        ports = [free_port() for _ in range(4)]
    https_port, http_port, app_port, redis_port = ports
    env = dict(
        os.environ,
        FEEDBACK_CONFIG="production",
        SECRET_KEY=secret_key,
        DATABASE_URL=database_url,
        FEEDBACK_KEYRING_FILE=str(keyring_file),
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        FEEDBACK_PROXY_HOPS="1",
        FEEDBACK_INSTANCE_PATH=str(directory / "instance"),
        FEEDBACK_SUBMISSION_RATE_LIMIT=submission_rate_limit,
        PYTHONPATH=str(PROJECT_ROOT),
        **(extra_env or {}),
    )
    env.pop("FEEDBACK_KEYRING", None)
    stack = Stack(directory, https_port, http_port, app_port, redis_port, database_url, name, server_url,
                  secret_key, keyring_file, env)
    try:
        if database_relay:
            from sqlalchemy.engine import make_url

            from tests.production.tcp_proxy import TcpRelay

            url = make_url(database_url)
            stack.database_relay = TcpRelay(url.host or "127.0.0.1", url.port or 5432)
            relayed = url.set(host="127.0.0.1", port=stack.database_relay.port).render_as_string(hide_password=False)
            env["DATABASE_URL"] = relayed
        migrate = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
        )
        if migrate.returncode != 0:
            raise StackError(f"flask db upgrade failed:\n{migrate.stdout}{migrate.stderr}")
        # As an operator sets up a site: the narrative key pair (its recovery key printed once).
        narratives = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "narratives", "init"],
            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
        )
        if narratives.returncode != 0:
            raise StackError(f"flask narratives init failed:\n{narratives.stdout}{narratives.stderr}")
        stack.narrative_recovery_key = next(
            line.strip() for line in narratives.stdout.splitlines() if line.strip().startswith("FBREC1-")
        )
        cert, key = self_signed_certificate(directory)
        site = render_site(http_port=http_port, https_port=https_port, app_port=app_port, root=PROJECT_ROOT,
                           cert=cert, key=key, error_log=directory / "site-error.log")
        (directory / "nginx.conf").write_text(nginx_main_conf(site, directory))
        subprocess.run([sys.executable, str(PROJECT_ROOT / "scripts" / "error-pages")], check=True, capture_output=True)
        subprocess.run([str(PROJECT_ROOT / "scripts" / "compress-static")], check=True, capture_output=True)
        stack.start_redis()
        stack.start_gunicorn()
        stack.start_nginx(nginx)
    except BaseException:
        stop_stack(stack)
        raise
    return stack


def stop_stack(stack: Stack) -> None:
    from tests.helpers.databases import drop_postgres_database

    try:
        stack.stop()
        if stack.database_relay is not None:
            stack.database_relay.close()
    finally:
        try:
            drop_postgres_database(stack.server_url, stack.database_name)
        finally:
            shutil.rmtree(stack.directory, ignore_errors=True)


def tls_context() -> ssl.SSLContext:
    """Accepts the throwaway certificate (tests only)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context
