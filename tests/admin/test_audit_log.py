"""The audit log page: admins only, filters, pages, the chain check, and never any content."""
import pytest
from sqlalchemy import update

from trainer import audit
from trainer.audit import AuditEvent
from trainer.extensions import db


@pytest.fixture
def as_admin(client, login_as, admin):
    login_as(admin)
    return client


def add_events(actor, count, action="hours.logged", target="hour_entries:7"):
    for _ in range(count):
        audit.record(actor, action, target, minutes=60)
    db.session.commit()


def test_admin_reads_events_newest_first_with_filters_and_pages(as_admin, admin, trainee):
    add_events(trainee, 55)
    add_events(admin, 1, action="consult.viewed", target="consultations:12")
    first = as_admin.get("/admin/audit")
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
    assert "Page 1 of 2" in first.text and first.text.index("consult.viewed") < first.text.index("hours.logged")
    assert "Page 2 of 2" in as_admin.get("/admin/audit?page=9").text  # clamped, not an error
    hours = as_admin.get("/admin/audit?family=hours.").text
    assert "consult.viewed" not in hours and "55 events" in hours
    by_target = as_admin.get("/admin/audit?target=consultations:12").text
    assert "1 event" in by_target and "consult.viewed" in by_target
    by_actor = as_admin.get(f"/admin/audit?actor={trainee.email.upper()}").text
    assert "consult.viewed" not in by_actor and "hours.logged" in by_actor
    assert "No events match" in as_admin.get("/admin/audit?actor=nobody%25at-all").text  # % is not a wildcard


def test_unknown_family_shows_everything(as_admin, trainee):
    add_events(trainee, 2)
    assert "hours.logged" in as_admin.get("/admin/audit?family=drop table").text


@pytest.mark.parametrize("role", ["trainee", "supervisor"])
def test_only_admins_see_the_log(client, login_as, make_user, role):
    login_as(make_user(role))
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit/verify").status_code == 403


def test_chain_check_reports_an_edited_event(as_admin, trainee):
    add_events(trainee, 3)
    assert "The chain verifies" in as_admin.get("/admin/audit/verify").text
    db.session.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(target="hour_entries:8"))
    db.session.commit()
    page = as_admin.get("/admin/audit/verify").text
    assert "does not verify" in page and "event 2 was changed after it was written" in page


def test_audit_log_link_is_current_only_on_its_pages(as_admin):
    log = as_admin.get("/admin/audit").text
    assert 'aria-current="page">Audit log' in log and 'aria-current="page">People' not in log
    people = as_admin.get("/admin/users").text
    assert 'aria-current="page">People' in people and 'aria-current="page">Audit log' not in people
