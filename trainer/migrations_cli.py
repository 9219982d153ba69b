"""`flask db …` (Flask-Migrate), loaded only when a db command runs.

Alembic takes about half a second to import; the site itself never needs it,
so create_app registers this stand-in group and the real one is imported on use.
"""
import click
from flask import Flask, g
from flask.cli import ScriptInfo, with_appcontext

from trainer.config import ROOT
from trainer.extensions import db

MIGRATIONS = str(ROOT / "trainer" / "migrations")


def bind_migrations(app: Flask) -> None:
    """Tell Flask-Migrate about the app (idempotent); commands and tests call this first."""
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate
        Migrate(app, db, directory=MIGRATIONS, render_as_batch=True)


class MigrationsGroup(click.Group):
    """Forwards to Flask-Migrate's `db` group, importing it on first use."""

    def _real(self, ctx: click.Context) -> click.Group:
        bind_migrations(ctx.ensure_object(ScriptInfo).load_app())
        from flask_migrate.cli import db as group
        return group

    def list_commands(self, ctx):
        return self._real(ctx).list_commands(ctx)

    def get_command(self, ctx, name):
        return self._real(ctx).get_command(ctx, name)


@click.group("db", cls=MigrationsGroup)
@click.option("-d", "--directory", default=None, help="Migration script folder (default: trainer/migrations).")
@click.option("-x", "--x-arg", multiple=True, help="Extra arguments for env.py.")
@with_appcontext
def migrations(directory, x_arg) -> None:
    """Create and upgrade the database schema (Alembic via Flask-Migrate)."""
    g.directory, g.x_arg = directory, x_arg  # read by Flask-Migrate's commands, as its own group does
