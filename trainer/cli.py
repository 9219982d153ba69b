"""Command-line tools: create-user, seed-demo, audit verify, check, outbox, courses check/sync, consult escalate."""
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from trainer import audit, integrity
from trainer.auth import services as accounts
from trainer.auth.models import Role
from trainer.consult.cli import consult_cli
from trainer.deid.cli import deid
from trainer.extensions import db
from trainer.learn.cli import content_root, courses_cli
from trainer.mail import OutboxMessage
from trainer.migrations_cli import migrations
from trainer.vignettes.cli import vignettes_cli


@click.command("create-user")
@click.option("--email", required=True, help="Sign-in email.")
@click.option("--name", required=True, help="Display name.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--password-stdin", is_flag=True, required=True,
              help="Read the password from standard input (never from the command line).")
@with_appcontext
def create_user(email: str, name: str, role: str, password_stdin: bool) -> None:
    """Create an account, reading its password from standard input."""
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        accounts.check_new_password(password, email, name)
        if accounts.find_user(email):
            raise accounts.AccountError(f"An account for {email.strip().lower()} already exists.")
        user = accounts.create_account(email, name, role, password)
        audit.record(None, "cli.user_created", user, role=role)
        db.session.commit()
    except accounts.AccountError as err:
        db.session.rollback()
        raise click.ClickException(str(err)) from err
    click.echo(f"Created {role} {user.email}.")


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Create demo accounts for each role and some demo activity; prints the sign-ins."""
    from trainer.demo import DEMO_ACCOUNTS, ensure_courses, seed
    if message := ensure_courses(content_root(None)):
        click.echo(message)
    created = seed()
    click.echo("Demo data is ready." if created else "Demo data was already present.")
    click.echo("Sign in at http://127.0.0.1:5000/login with:")
    for account in DEMO_ACCOUNTS:
        click.echo(f"  {account.role:<10} {account.email:<28} {account.password}")
    click.echo("The supervisor and the admin also need a code from an authenticator app: add the keys")
    click.echo("below to one, or print the current codes with `flask --app app demo-codes`.")
    _print_demo_codes()


@click.command("demo-codes")
@with_appcontext
def demo_codes_command() -> None:
    """Print the demo accounts' current two-step sign-in codes (not in production)."""
    if current_app.config["APP_ENV"] == "production":
        raise click.ClickException("demo-codes is for demo sites only.")
    _print_demo_codes()


def _print_demo_codes() -> None:
    from trainer.demo import demo_codes
    for email, key, code in demo_codes():
        click.echo(f"  {email:<28} key {key}  code now: {code}")


audit_cli = AppGroup("audit", help="Inspect the audit log.")


@audit_cli.command("verify")
def audit_verify() -> None:
    """Check the audit chain; exit 1 when an event was edited or deleted."""
    report = audit.verify()
    for problem in report.problems:
        click.echo(f"problem: {problem}", err=True)
    click.echo(f"{report.events} events, head {report.head}: {'ok' if report.ok else 'BROKEN'}")
    if not report.ok:
        sys.exit(1)


@click.command("check")
@with_appcontext
def check_command() -> None:
    """Check that hours, signatures, files and the audit log agree; exit 1 on any problem."""
    report = integrity.run_check()
    for finding in report.findings:
        click.echo(f"problem: {finding}")
    click.echo(report.summary())
    if not report.ok:
        sys.exit(1)


@click.command("outbox")
@click.option("--limit", default=10, show_default=True)
@with_appcontext
def outbox(limit: int) -> None:
    """Show the latest queued mail (how to read mail when no SMTP server is set)."""
    rows = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit))
    for row in rows:
        state = "sent" if row.sent_at else (f"failed: {row.error}" if row.error else "not sent")
        click.echo(f"--- #{row.id} to {row.to} ({state}) {row.created_at:%Y-%m-%d %H:%M} UTC")
        click.echo(f"Subject: {row.subject}\n\n{row.body or '(body dropped after delivery)'}\n")


def register(app: Flask) -> None:
    """Add every command to the app's `flask` CLI."""
    for command in (migrations, create_user, seed_demo, demo_codes_command, audit_cli, check_command, outbox,
                    courses_cli, deid, consult_cli, vignettes_cli):
        app.cli.add_command(command)
