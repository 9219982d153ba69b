"""Reunification Trainer: the application factory."""
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from trainer import config as settings
from trainer import logs
from trainer.extensions import csrf, db, limiter, login_manager

class TrainerFlask(Flask):
    """Flask with exception logging that never writes what a person typed."""

    def log_exception(self, exc_info) -> None:
        self.logger.error("unhandled %s", logs.describe_exception(exc_info[1]))


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, hooks, error pages, CLI."""
    app = TrainerFlask(
        __name__,
        template_folder=str(settings.ROOT / "templates"),
        static_folder=str(settings.ROOT / "static"),
        instance_path=str(settings.ROOT / "instance"),
    )
    load_settings(app, config or {})
    register_extensions(app)
    register_blueprints(app)
    register_hooks(app)
    register_error_pages(app)
    register_cli(app)
    return app


def load_settings(app: Flask, overrides: dict) -> None:
    """Defaults, then the environment, then the caller's mapping."""
    merged = settings.defaults(Path(app.instance_path)) | settings.from_environment() | overrides
    production = merged["APP_ENV"] == "production"
    if not merged.get("SECRET_KEY"):
        if production:
            raise RuntimeError("SECRET_KEY must be set when APP_ENV=production.")
        merged["SECRET_KEY"] = settings.instance_secret_key(Path(app.instance_path))
    if production and app.debug:
        raise RuntimeError("The debugger must never run when APP_ENV=production.")
    app.config.update(merged)
    app.config.update({k: v for k, v in settings.flask_settings(merged).items() if k not in overrides})
    if isinstance(app.config["TRUSTED_HOSTS"], str):
        app.config["TRUSTED_HOSTS"] = [h.strip() for h in app.config["TRUSTED_HOSTS"].split(",") if h.strip()]
    if app.config["BEHIND_PROXY"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    logs.configure()


def register_extensions(app: Flask) -> None:
    """Bind the extensions created in trainer.extensions."""
    from trainer import models, sqlite  # noqa: F401  (models: every table known to Alembic)
    from trainer.security import SessionInterface
    sqlite.install()
    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    app.session_interface = SessionInterface()


def register_blueprints(app: Flask) -> None:
    """One blueprint per domain."""
    from trainer.admin.views import bp as admin_bp
    from trainer.auth.views import bp as auth_bp
    from trainer.certificates.views import bp as certificates_bp
    from trainer.consult.views import bp as consult_bp
    from trainer.hours.admin_views import bp as hours_admin_bp
    from trainer.hours.views import bp as hours_bp
    from trainer.learn.views import bp as learn_bp
    from trainer.main.views import bp as main_bp
    from trainer.vignettes import admin_views, review_views, views as vignette_views
    for blueprint in (main_bp, auth_bp, admin_bp, learn_bp, hours_bp, hours_admin_bp, certificates_bp, consult_bp):
        app.register_blueprint(blueprint)
    for blueprint in (vignette_views.bp, review_views.bp, admin_views.bp):
        app.register_blueprint(blueprint)


def register_hooks(app: Flask) -> None:
    """Session limits before each request; security headers and refusals audited after; template globals."""
    from trainer import navigation
    from trainer.security import audit_refusal, enforce_session_limits, set_security_headers, tag_request
    app.before_request(tag_request)
    app.before_request(enforce_session_limits)
    app.after_request(audit_refusal)  # hooks run in reverse, so this runs last: it rolls refused requests back
    app.after_request(set_security_headers)
    navigation.register(app)


def register_error_pages(app: Flask) -> None:
    """Plain pages for errors that say what happened and nothing about internals."""
    from trainer.errors import register
    register(app)


def register_cli(app: Flask) -> None:
    """The `flask` commands."""
    from trainer.cli import register
    register(app)
