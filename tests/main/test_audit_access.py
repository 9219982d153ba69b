"""Refusals are audited as `access.denied`, in a transaction of their own; no route edits the log."""
import ast
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select

from trainer import audit
from trainer.audit import AuditEvent
from trainer.auth.models import User
from trainer.consult.models import Consultation
from trainer.extensions import db
from trainer.timeutil import utcnow

CASE_TEXT = "About [PERSON-1] and the weekend visits."


def denials() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "access.denied")))


@pytest.fixture
def foreign_consultation(make_user, supervisor):
    """A consultation of another trainee's (stored directly: the rules are tested elsewhere)."""
    owner = make_user("trainee", supervisor=supervisor)
    row = Consultation(trainee_id=owner.id, supervisor_id=supervisor.id, question="[PERSON-1]?", summary=CASE_TEXT,
                       topics=["other"], route_rule="own-supervisor", route_reason="test",
                       due_at=utcnow() + timedelta(days=3))
    db.session.add(row)
    db.session.commit()
    return row


def test_another_trainees_consultation_is_one_denial_without_content(client, login_as, trainee, foreign_consultation):
    login_as(trainee)
    path = f"/consultations/{foreign_consultation.id}"
    assert client.get(path).status_code == 404
    [event] = denials()
    assert (event.actor_id, event.actor, event.target) == (trainee.id, trainee.email, path)
    assert event.details == {"reason": "not-found-or-not-yours", "endpoint": "consult.thread", "method": "GET",
                             "address": "127.0.0.1"}
    assert "PERSON" not in str(event.details) and "weekend" not in str(event.details)
    assert audit.verify().ok


@pytest.mark.parametrize("path, endpoint", [("/supervise/hours", "hours.queue"), ("/admin/users", "admin.users")])
def test_a_page_for_another_role_is_one_denial(client, login_as, trainee, path, endpoint):
    login_as(trainee)
    assert client.get(path).status_code == 403
    [event] = denials()
    assert (event.actor_id, event.target, event.details["reason"]) == (trainee.id, path, "forbidden")
    assert (event.details["endpoint"], event.details["method"]) == (endpoint, "GET")
    assert audit.verify().ok


def test_a_refused_post_keeps_nothing_but_its_denial(client, login_as, trainee, make_user):
    """On SQLite a POST holds the write lock from its first query; the refusal must not wait on it."""
    person = make_user("trainee")
    login_as(trainee)
    assert client.post(f"/admin/users/{person.id}/role", data={"role-role": "admin"}).status_code == 403
    [event] = denials()
    assert (event.target, event.details["method"]) == (f"/admin/users/{person.id}/role", "POST")
    assert db.session.get(User, person.id).role == "trainee"
    assert audit.verify().ok


def test_addresses_no_route_answers_are_not_recorded(client, login_as, trainee):
    login_as(trainee)
    assert client.get("/wp-login.php").status_code == 404
    assert client.get("/static/no-such-file.css").status_code == 404
    assert denials() == []


def test_anonymous_lookups_that_miss_are_not_recorded(client):
    assert client.get("/certificates/verify/NO-SUCH-CODE").status_code == 404
    assert denials() == []


def test_denials_chain_with_the_requests_own_events(client, login_as, trainee, foreign_consultation):
    login_as(trainee)
    client.get("/admin/users")
    client.get(f"/consultations/{foreign_consultation.id}")
    client.post("/logout")
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    assert actions == ["auth.sign_in", "access.denied", "access.denied", "auth.sign_out"]
    assert audit.verify().ok


# -- no route edits or deletes audit rows ------------------------------------------------------------

TRAINER = Path(__file__).resolve().parents[2] / "trainer"


EDITS = {"update", "delete", "merge", "bulk_update_mappings", "bulk_save_objects"}


def _called(call: ast.Call) -> str | None:
    return getattr(call.func, "id", None) or getattr(call.func, "attr", None)


def _naming_the_log() -> dict[str, Path]:
    """Modules that name the audit table, beyond the table list and the migration that creates it."""
    found = {path.relative_to(TRAINER).as_posix(): path for path in TRAINER.rglob("*.py")
             if "AuditEvent" in path.read_text() or "audit_events" in path.read_text()}
    return {name: path for name, path in found.items()
            if name != "models.py" and not name.startswith("migrations/versions/")}


def test_whatever_names_the_audit_table_only_reads_or_appends():
    modules = _naming_the_log()
    assert {"audit.py", "admin/audit_log.py"} <= modules.keys()
    for name, path in modules.items():
        calls = [node for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Call)]
        assert not {_called(c) for c in calls} & EDITS, name
        raw_sql = [c.args[0].value for c in calls if _called(c) == "text" and isinstance(c.args[0], ast.Constant)]
        assert all(sql.lstrip().upper().startswith("SELECT") for sql in raw_sql), name


ROLES = ("trainee", "supervisor", "admin")


@pytest.mark.parametrize("role", ROLES)
def test_no_route_updates_or_deletes_audit_rows(app, client, make_user, login_as, role):
    """Every route, asked by GET and POST as each role, leaves every existing event as it was."""
    login_as(make_user(role))
    before = {(e.seq, e.hash) for e in db.session.scalars(select(AuditEvent))}
    touched = []

    def note(_conn, _cursor, statement, *_args):
        words = statement.lstrip().upper().split()
        if words[:1] in (["UPDATE"], ["DELETE"]) and "AUDIT_EVENTS" in statement.upper():
            touched.append(statement)
    event.listen(db.engine, "before_cursor_execute", note)
    try:
        for rule in app.url_map.iter_rules():
            if rule.endpoint in ("static", "auth.logout"):
                continue
            path = re.sub(r"<[^>]+>", "1", rule.rule)  # ids and slugs alike; most answer 404
            for method in sorted({"GET", "POST"} & rule.methods):
                client.open(path, method=method, data={})
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert touched == []
    assert before <= {(e.seq, e.hash) for e in db.session.scalars(select(AuditEvent))}
    assert audit.verify().ok
