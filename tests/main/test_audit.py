"""The audit chain: appended in order, verified, recorded for account events."""
from sqlalchemy import event, select

from tests.conftest import login
from trainer import audit
from trainer.audit import AuditEvent
from trainer.extensions import db


def actions():
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]


def test_events_chain_and_verify(app, admin):
    first = audit.record(admin, "test.one", "thing:1", n=1)
    second = audit.record(None, "test.two", admin)
    db.session.commit()
    assert second.prev_hash == first.hash and second.seq == first.seq + 1
    assert second.target == f"users:{admin.id}" and second.actor == "system"
    assert audit.verify().ok and audit.verify().events == 2


def test_sign_in_out_and_failures_are_recorded(client, trainee):
    login(client, trainee, "wrong-password-entirely")
    login(client, trainee)
    client.post("/logout")
    assert actions() == ["auth.sign_in_failed", "auth.sign_in", "auth.sign_out"]
    failed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.sign_in_failed"))
    assert "password" not in str(failed.details)


def test_role_changes_and_invitations_are_recorded(client, login_as, admin, make_user):
    person = make_user("trainee")
    login_as(admin)
    client.post(f"/admin/users/{person.id}/role", data={"role-role": "supervisor"})
    client.post("/admin/users/invite", data={"email": "x@example.org", "name": "X Y", "role": "admin"})
    assert actions()[-2:] == ["admin.role_changed", "auth.invited"]
    assert audit.verify().ok


def test_record_now_outlasts_the_callers_rollback(app, admin):
    with app.test_request_context("/", method="GET"):
        db.session.scalar(select(AuditEvent.id))  # a GET's read transaction is open
        audit.record_now(admin, "test.viewed", "thing:1")
        db.session.rollback()
    audit.record(admin, "test.after", "thing:2")
    db.session.commit()
    assert actions() == ["test.viewed", "test.after"]
    assert audit.verify().ok


def test_record_now_takes_the_lock_that_orders_the_chain_even_on_a_get(app, admin):
    statements = []

    def note(_conn, _cursor, statement, *_args):
        statements.append(statement)
    event.listen(db.engine, "before_cursor_execute", note)
    try:
        with app.test_request_context("/", method="GET"):
            audit.record_now(admin, "test.viewed", "thing:1")
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    lock = "BEGIN IMMEDIATE" if db.engine.dialect.name == "sqlite" else "pg_advisory_xact_lock"
    assert any(lock in s for s in statements), statements
