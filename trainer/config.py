"""Settings read from the environment, with embedded defaults for a laptop."""
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Environment variables read as settings; each is documented in README.md.
ENV_SETTINGS = (
    "DATABASE_URL", "SECRET_KEY", "UPLOAD_FOLDER", "STORAGE_BACKEND",
    "S3_BUCKET", "S3_ENDPOINT_URL", "S3_REGION", "REDIS_URL",
    "MAIL_SERVER", "MAIL_PORT", "MAIL_FROM", "MAIL_USE_TLS", "MAIL_USERNAME",
    "MAIL_PASSWORD", "PREFERRED_URL_SCHEME", "BEHIND_PROXY", "COURSES_PATH",
    "CLINIC_NAME", "TRUSTED_HOSTS", "APP_ENV",
    "CONSULT_DUE_URGENT_HOURS", "CONSULT_DUE_ROUTINE_HOURS", "CONSULT_OWN_MARGIN", "RATELIMIT_ENABLED",
)
INT_SETTINGS = {"MAIL_PORT", "CONSULT_DUE_URGENT_HOURS", "CONSULT_DUE_ROUTINE_HOURS", "CONSULT_OWN_MARGIN"}
BOOL_SETTINGS = {"BEHIND_PROXY", "MAIL_USE_TLS", "RATELIMIT_ENABLED"}


def defaults(instance_path: Path) -> dict:
    """The embedded defaults: SQLite, local storage, in-memory rate limits."""
    return {
        "DATABASE_URL": f"sqlite:///{instance_path / 'trainer.sqlite3'}",
        "UPLOAD_FOLDER": str(instance_path / "uploads"),
        "STORAGE_BACKEND": "local",
        "S3_BUCKET": None,
        "S3_ENDPOINT_URL": None,
        "S3_REGION": "us-east-1",
        "REDIS_URL": None,
        "MAIL_SERVER": None,
        "MAIL_PORT": 25,
        "MAIL_FROM": "Reunification Trainer <no-reply@localhost>",
        "MAIL_USE_TLS": False,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "PREFERRED_URL_SCHEME": "http",
        "BEHIND_PROXY": False,
        "COURSES_PATH": str(ROOT / "courses"),
        "CLINIC_NAME": "Reunification Trainer Clinic",
        "TRUSTED_HOSTS": None,
        "APP_ENV": "development",
        "PASSWORD_HASH_METHOD": "scrypt",
        "SESSION_IDLE_MINUTES": 30,
        "SESSION_MAX_HOURS": 12,
        "LOGIN_MAX_FAILURES": 10,
        "LOGIN_COOLDOWN_MINUTES": 15,
        "INVITE_TTL_HOURS": 72,
        "RESET_TTL_MINUTES": 30,
        "MAX_CONTENT_LENGTH": 25 * 1024 * 1024,
        "CONSULT_DUE_URGENT_HOURS": 4,
        "CONSULT_DUE_ROUTINE_HOURS": 72,
        "CONSULT_OWN_MARGIN": 1,
        "VIGNETTE_ATTACHMENT_MAX_BYTES": 20 * 1024 * 1024,  # each file; the upload routes allow 10 of them
        "VIGNETTE_ATTACHMENTS_MAX": 10,
        "RATELIMIT_ENABLED": True,  # off only for benchmarks, whose load comes from one address
    }


def from_environment(environ=os.environ) -> dict:
    """Settings present in the environment, converted to their types."""
    found = {}
    for key in ENV_SETTINGS:
        if key not in environ or environ[key] == "":
            continue
        value = environ[key]
        if key in INT_SETTINGS:
            value = int(value)
        elif key in BOOL_SETTINGS:
            value = value.lower() in {"1", "true", "yes", "on"}
        found[key] = value
    return found


def instance_secret_key(instance_path: Path) -> str:
    """Read the secret key kept in the instance folder, creating it once."""
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def flask_settings(settings: dict) -> dict:
    """Derive Flask's and the extensions' own keys from our settings."""
    secure = settings["PREFERRED_URL_SCHEME"] == "https"
    url = settings["DATABASE_URL"]
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "SESSION_COOKIE_NAME": "trainer_session",
        "PERMANENT_SESSION_LIFETIME": settings["SESSION_MAX_HOURS"] * 3600,
        "RATELIMIT_STORAGE_URI": settings["REDIS_URL"] or "memory://",
        "RATELIMIT_HEADERS_ENABLED": False,
        "WTF_CSRF_TIME_LIMIT": settings["SESSION_MAX_HOURS"] * 3600,
    }
