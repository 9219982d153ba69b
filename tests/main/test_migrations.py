"""Alembic migrations build the same schema as the models, on SQLite and PostgreSQL."""
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from tests.conftest import DATABASE_URL
from trainer.extensions import db
from trainer.migrations_cli import bind_migrations


def migrate_and_compare(make_app, url):
    app = make_app(DATABASE_URL=url)
    bind_migrations(app)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), db.metadata)
        tables = set(inspect(db.engine).get_table_names())
        downgrade(revision="base")
        left = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    return diffs, tables, left


def test_sqlite_migrations_match_models(make_app, tmp_path):
    diffs, tables, left = migrate_and_compare(make_app, f"sqlite:///{tmp_path / 'm.sqlite3'}")
    assert diffs == []
    assert {t.name for t in db.metadata.sorted_tables} <= tables
    assert left == set()


@pytest.fixture
def scratch_postgres(postgres_only):
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    name = f"mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield DATABASE_URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_postgres_migrations_match_models(make_app, scratch_postgres):
    diffs, tables, left = migrate_and_compare(make_app, scratch_postgres)
    assert diffs == []
    assert {t.name for t in db.metadata.sorted_tables} <= tables
    assert left == set()
