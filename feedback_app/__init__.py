"""Service feedback: a safe, anonymous, multilingual feedback site."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import PROJECT_ROOT, Config, config_from_name, environment_settings, load_secrets


def create_app(config_class: type[Config] | None = None, overrides: dict | None = None) -> Flask:
    """Build the application. Raises ``ConfigurationError`` if it cannot run safely."""
    config_class = config_class or config_from_name(os.environ.get("FEEDBACK_CONFIG"))
    instance_path = Path(os.environ.get("FEEDBACK_INSTANCE_PATH") or PROJECT_ROOT / "instance")
    app = Flask(
        __name__,
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(instance_path),
    )
    app.config.from_object(config_class)
    app.config.update(environment_settings())
    app.config.update(overrides or {})
    app.config.update(load_secrets(app.config, config_class.ENV_NAME, instance_path))
    if app.config["PROXY_HOPS"]:
        # Believe exactly that many proxies for the client's address and scheme, no more:
        # a client cannot choose its own rate-limit key by sending X-Forwarded-For.
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    from . import cli, errors, i18n, logs, models, security, survey_pages  # models registers the tables
    from .extensions import babel, csrf, db, limiter, migrate
    from .services.operations import legal_pages, signposting
    from .services.responses.keyring import EXTENSION_KEY
    from .surveys import registry

    app.extensions[EXTENSION_KEY] = app.config.pop("KEYRING")
    logs.init_app(app)
    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(PROJECT_ROOT / "migrations"), include_object=models.include_in_migrations
    )
    babel.init_app(app, locale_selector=i18n.select_locale)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    registry.init_app(app)
    legal_pages.init_app(app)  # the partnership's facts for /privacy and /accessibility
    signposting.init_app(app)  # the helplines survivors are shown
    survey_pages.init_app(app)

    from . import auth  # noqa: F401
    from .admin import bp as admin_bp
    from .coordinator import bp as coordinator_bp
    from .health import bp as health_bp
    from .survivor import bp as survivor_bp
    from .worker import bp as worker_bp

    auth.init_app(app)  # Flask-Login (user loader, login_view "auth.login") and the idle timeout
    app.register_blueprint(survivor_bp)
    app.register_blueprint(worker_bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(coordinator_bp)
    app.register_blueprint(health_bp)
    return app
