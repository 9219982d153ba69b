"""The create-user, seed-demo, outbox and audit commands."""
import pytest
from sqlalchemy import select, update

from tests.conftest import login
from trainer.audit import AuditEvent
from trainer.auth.models import User
from trainer.demo import DEMO_ACCOUNTS
from trainer.extensions import db

ARGS = ["create-user", "--email", "New@Example.org", "--name", "Nell New", "--role", "supervisor",
        "--password-stdin"]


def test_create_user_reads_the_password_from_stdin(runner, client):
    result = runner.invoke(args=ARGS, input="quiet-meadow-ferry-81\n")
    assert result.exit_code == 0, result.output
    assert "Created supervisor new@example.org" in result.output
    assert login(client, "new@example.org", "quiet-meadow-ferry-81").status_code == 302


@pytest.mark.parametrize("password,message", [("", "Enter a password"), ("short", "at least 12"),
                                              ("passwordpassword", "too easy to guess")])
def test_create_user_refuses_weak_passwords(runner, password, message):
    result = runner.invoke(args=ARGS, input=password + "\n")
    assert result.exit_code == 1
    assert message in result.output
    assert db.session.scalar(select(User)) is None


def test_create_user_refuses_a_duplicate(runner, supervisor):
    result = runner.invoke(args=[*ARGS[:2], supervisor.email.upper(), *ARGS[3:]], input="quiet-meadow-ferry-81\n")
    assert result.exit_code == 1 and "already exists" in result.output


def test_create_user_refuses_an_unknown_role(runner):
    result = runner.invoke(args=[*ARGS[:6], "wizard", "--password-stdin"], input="quiet-meadow-ferry-81\n")
    assert result.exit_code == 2


def test_seed_demo_prints_sign_ins_that_work_and_runs_once(runner, client):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and "Demo data is ready" in first.output
    for account in DEMO_ACCOUNTS:
        assert account.email in first.output and account.password in first.output
        assert login(client, account.email, account.password).status_code == 302
        client.post("/logout")
    again = runner.invoke(args=["seed-demo"])
    assert "already present" in again.output
    assert db.session.scalar(select(db.func.count(User.id))) == 5


def test_audit_verify_detects_edits_and_deletions(runner):
    runner.invoke(args=["seed-demo"])
    runner.invoke(args=ARGS, input="quiet-meadow-ferry-81\n")
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and ": ok" in ok.output
    db.session.execute(update(AuditEvent).where(AuditEvent.seq == 1).values(action="demo.changed"))
    db.session.commit()
    edited = runner.invoke(args=["audit", "verify"])
    assert edited.exit_code == 1 and "event 1 was changed" in edited.output
    db.session.execute(update(AuditEvent).where(AuditEvent.seq == 1).values(action="demo.seeded"))
    db.session.execute(db.delete(AuditEvent).where(AuditEvent.seq == 1))
    db.session.commit()
    deleted = runner.invoke(args=["audit", "verify"])
    assert deleted.exit_code == 1 and "does not follow" in deleted.output


def test_outbox_command_shows_queued_mail(runner, client, trainee):
    client.post("/password/reset", data={"email": trainee.email})
    result = runner.invoke(args=["outbox"])
    assert "Reset your Reunification Trainer password" in result.output and "/password/reset/" in result.output


def test_deid_check_is_a_site_command(runner):
    result = runner.invoke(args=["deid", "check", "--json"], input="Call Jake Miller at 555-201-3344 on Tuesday.")
    assert result.exit_code == 0, result.output
    assert "Jake" not in result.output.split('"findings"')[0] and "[PHONE]" in result.output
