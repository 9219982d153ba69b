"""Shared fixtures: an isolated app per test, role fixtures, a login helper, real services."""
import os
import re
import threading
import socket
from contextlib import contextmanager
from pathlib import Path

import pyotp
import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import event, text, update

from trainer import create_app
from trainer.auth import services as accounts
from trainer.auth.models import User
from trainer.extensions import db

TEST_PASSWORD = "correct-horse-battery-staple-42"
SQLITE_FILE = Path(os.environ.get("TEST_SQLITE_DIR", "/tmp")) / f"trainer-test-{os.getpid()}.sqlite3"
DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{SQLITE_FILE}"
_schema_ready = False


def require_service(reason: str):
    """Skip when a service is missing, except in CI, where every service must be there."""
    if os.environ.get("REQUIRE_SERVICES"):
        pytest.fail(f"required service missing in CI: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_settings(tmp_path: Path, **overrides) -> dict:
    """Settings for an app under test: fast hashing, isolated files and database."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": DATABASE_URL,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "STORAGE_BACKEND": "local",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "MAIL_SERVER": None,
        "REDIS_URL": None,
        "SERVER_NAME": None,
        "APP_ENV": "development",
        **overrides,
    }


def clean_database() -> None:
    """Empty every table (ids restart at 1) so each test starts from a clean schema.

    DELETE plus a sequence reset is about ten times faster than TRUNCATE on
    PostgreSQL for tables this small, and the suite runs it before every test.
    """
    global _schema_ready
    if not _schema_ready:
        db.drop_all()
        db.create_all()
        _schema_ready = True
        return
    tables = db.metadata.sorted_tables
    for table in reversed(tables):
        db.session.execute(table.delete())
    if db.engine.dialect.name == "postgresql":
        serial = [t.name for t in tables if "id" in t.c and t.c.id.primary_key and t.c.id.autoincrement]
        db.session.execute(text("SELECT " + ", ".join(
            f"setval(pg_get_serial_sequence('{name}', 'id'), 1, false)" for name in serial)))
    db.session.commit()


class FreshClient(FlaskClient):
    """A test client after whose requests the test's own session sees what they wrote."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        _end_transaction()
        return response

    def resolve_redirect(self, response, buffered=False):
        # Requests share the test's session; a server would have ended the first one's
        # transaction (and its SQLite write lock) before the browser followed the redirect.
        _end_transaction()
        return super().resolve_redirect(response, buffered=buffered)


def _end_transaction() -> None:
    if has_app_context():
        db.session.rollback()  # end the test's read snapshot; setup is always committed


@pytest.fixture
def make_app(tmp_path):
    """Build apps with test settings; each one is torn down after the test."""
    built = []

    def make(**overrides):
        app = create_app(app_settings(tmp_path, **overrides))
        app.test_client_class = FreshClient
        built.append(app)
        return app

    yield make
    for app in built:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    """An app on a clean database, with an app context pushed."""
    app = make_app()
    with app.app_context():
        clean_database()
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Create accounts: make_user(role, email=..., name=..., supervisor=...)."""
    counter = iter(range(1, 10_000))

    def make(role="trainee", email=None, name=None, supervisor=None, **fields):
        n = next(counter)
        user = accounts.create_account(email or f"{role}{n}@example.org", name or f"{role.title()} {n}",
                                       role, TEST_PASSWORD)
        if user.needs_two_factor:
            user.totp_secret = pyotp.random_base32()
        for key, value in fields.items():
            setattr(user, key, value)
        if supervisor is not None:
            from datetime import date
            accounts.start_supervision(user, supervisor, date(2020, 1, 1))
        db.session.commit()
        return user

    return make


@pytest.fixture
def admin(make_user):
    return make_user("admin", email="admin@example.org", name="Ada Admin")


@pytest.fixture
def supervisor(make_user):
    return make_user("supervisor", email="supervisor@example.org", name="Sol Supervisor",
                     topics=["resist-refuse", "other"])


@pytest.fixture
def trainee(make_user, supervisor):
    return make_user("trainee", email="trainee@example.org", name="Tia Trainee", supervisor=supervisor)


class QueryLog:
    """SQL statements seen while counting (transaction control and PRAGMAs left out)."""

    def __init__(self):
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)


NOT_QUERIES = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA")


@pytest.fixture
def count_queries(app):
    """`with count_queries() as log:` … `len(log)` is how many SQL statements ran inside the block."""
    @contextmanager
    def counting():
        log = QueryLog()

        def note(_conn, _cursor, statement, *_args):
            if not statement.lstrip().upper().startswith(NOT_QUERIES):
                log.statements.append(statement)
        event.listen(db.engine, "before_cursor_execute", note)
        try:
            yield log
        finally:
            event.remove(db.engine, "before_cursor_execute", note)
    return counting


def login(client, user_or_email, password=TEST_PASSWORD, **extra):
    """Sign in through the real forms, with a TOTP code when asked; returns the last response."""
    email = getattr(user_or_email, "email", user_or_email)
    response = client.post("/login", data={"email": email, "password": password, **extra})
    if response.status_code == 302 and response.location.endswith("/login/code"):
        response = client.post("/login/code", data={"code": current_code(email)})
    return response


def current_code(email: str) -> str:
    """The user's current TOTP code, as if a later time step had come (codes work once)."""
    user = accounts.find_user(email)
    db.session.execute(update(User).where(User.id == user.id).values(totp_last_step=None))
    db.session.commit()
    return pyotp.TOTP(user.totp_secret).now()


@pytest.fixture
def login_as(client):
    """Sign the test client in as a person."""
    def do(user):
        response = login(client, user)
        assert response.status_code == 302, "sign-in failed in a fixture"
        return client
    return do


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token from a page's form."""
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


pytest_plugins = ["tests.services"]


def race(*calls) -> list:
    """Run the calls at the same moment, each on its own thread; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()
    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
