"""The shipped production settings say what the production layer relies on (a fast check;
tests/production/ runs them for real)."""

from __future__ import annotations

import configparser
import re
import runpy

from feedback_app.config import PROJECT_ROOT, ProductionConfig

DEPLOY = PROJECT_ROOT / "deploy"
NGINX = (DEPLOY / "nginx" / "feedback.conf").read_text(encoding="utf-8")


def _directive(name: str) -> list[str]:
    return re.findall(rf"(?m)^\s*{re.escape(name)}\s+([^;]*);", NGINX)


def test_nginx_buffers_slow_clients_and_keeps_no_addresses():
    assert _directive("proxy_request_buffering") == ["on"]
    assert _directive("proxy_buffering") == ["on"]
    for timeout in ("client_header_timeout", "client_body_timeout", "send_timeout", "keepalive_timeout"):
        (value,) = _directive(timeout)
        assert int(value.rstrip("s")) <= 30, timeout
    assert _directive("access_log") == ["off", "off"]
    assert _directive("proxy_set_header X-Forwarded-For") == ["$remote_addr"]
    assert _directive("proxy_set_header X-Forwarded-Proto") == ["$scheme"]
    assert "$proxy_add_x_forwarded_for" not in NGINX
    assert _directive("ssl_protocols") == ["TLSv1.2 TLSv1.3"]
    assert _directive("proxy_intercept_errors") == ["off"]


def test_nginx_body_limit_matches_the_app():
    (value,) = _directive("client_max_body_size")
    assert value == "2m"
    assert ProductionConfig.MAX_CONTENT_LENGTH == 2 * 1024 * 1024


def test_pages_from_the_app_are_never_compressed():
    assert _directive("gzip") == ["off"]
    assert _directive("gzip_static") == ["on"]
    static = NGINX[NGINX.index("location ^~ /static/"):]
    assert "gzip_static on" in static[: static.index("}")]


def test_every_nginx_error_page_exists_and_has_no_script():
    codes = re.findall(r"error_page (\d+) /_errors/(\d+)\.html;", NGINX)
    assert {code for code, _ in codes} == {"413", "414", "502", "503", "504"}
    for code, page in codes:
        assert code == page
        html = (DEPLOY / "errors" / f"{page}.html").read_text(encoding="utf-8")
        assert 'class="quick-exit"' in html and "<script" not in html


def test_gunicorn_settings_for_production():
    settings = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    assert settings["worker_class"] == "gthread" and settings["threads"] >= 2
    assert settings["workers"] >= 2
    assert settings["accesslog"] is None
    assert settings["bind"].startswith(("127.0.0.1:", "unix:"))
    # nginx stops lines over 8 KB first, so gunicorn's bare 414 is never reached.
    assert settings["limit_request_line"] == 8190
    assert _directive("large_client_header_buffers") == ["4 8k"]
    assert settings["timeout"] > 0 and settings["graceful_timeout"] > 0


def test_systemd_unit_is_hardened():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(DEPLOY / "systemd" / "feedback.service")
    service = unit["Service"]
    assert service["User"] == "feedback"
    assert service["ProtectSystem"] == "strict"
    assert service["PrivateTmp"] == "true"
    assert service["NoNewPrivileges"] == "true"
    assert service["ReadWritePaths"] == "/var/lib/feedback/keys"
    assert service["EnvironmentFile"].startswith("/etc/feedback/")


def test_the_readme_names_every_environment_variable_the_app_reads():
    """An operator following "Running in production" must meet every variable the code reads."""
    sources = [*(PROJECT_ROOT / "feedback_app").rglob("*.py"), PROJECT_ROOT / "wsgi.py", PROJECT_ROOT / "gunicorn.conf.py"]
    pattern = re.compile(r"[\"'](FEEDBACK_[A-Z_]+|SECRET_KEY|DATABASE_URL|REDIS_URL|GUNICORN_[A-Z_]+)[\"']")
    read = {name for path in sources for name in pattern.findall(path.read_text(encoding="utf-8"))}
    assert {"SECRET_KEY", "DATABASE_URL", "FEEDBACK_PROXY_HOPS", "GUNICORN_WORKERS"} <= read  # the search works
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    production = readme[readme.index("## Running in production") :]
    assert sorted(name for name in read if name not in production) == []


def test_the_nightly_backup_unit_writes_only_backups_and_keeps_them_no_longer_than_five_weeks():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(DEPLOY / "systemd" / "feedback-backup.service")
    service = unit["Service"]
    assert service["User"] == "feedback" and service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"] == "/var/backups/feedback" == service["WorkingDirectory"]
    assert service["ExecStart"].endswith("backup create")
    assert "-mtime +35 -delete" in service["ExecStartPost"]
    timer = configparser.ConfigParser(strict=False, interpolation=None)
    timer.read(DEPLOY / "systemd" / "feedback-backup.timer")
    assert timer["Timer"]["OnCalendar"] and timer["Timer"]["Persistent"] == "true"
