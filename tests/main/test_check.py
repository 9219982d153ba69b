"""`flask --app app check`: the demo data passes; each invariant, broken on purpose, is named and exits 1."""
import datetime as dt
import io

import pytest
from sqlalchemy import select, text

from trainer import audit
from trainer.auth.services import find_user
from trainer.certificates.models import Certificate
from trainer.certificates.services import claim_certificate
from trainer.demo import DEMO_ACCOUNTS
from trainer.extensions import db
from trainer.hours import services as hours
from trainer.hours.models import EntryStatus, HourEntry
from trainer.hours.signoff import decide_entries
from trainer.learn import services as learning
from trainer.learn.models import Module
from trainer.storage import new_key, storage
from trainer.vignettes.models import Attachment

SUPERVISOR_PASSWORD = DEMO_ACCOUNTS[1].password


def finish_course(trainee) -> None:
    """Read the one module the demo trainee has left and pass its quiz."""
    last = db.session.scalars(select(Module).where(Module.retired.is_(False)).order_by(Module.position)).all()[-1]
    learning.mark_read(trainee, last)
    attempt = learning.open_attempt(trainee, last)
    answers = {q["id"]: [c["id"] for c in q["choices"] if c["correct"]] for q in attempt.quiz_version.questions}
    learning.submit_attempt(trainee, last, attempt.id, answers)


def finish_foundations() -> Certificate:
    """The README's walk-through: the course finished, 30 more direct minutes, every pending entry approved,
    and the certificate claimed."""
    trainee, supervisor = find_user("trainee@demo.clinic"), find_user("supervisor@demo.clinic")
    finish_course(trainee)
    hours.log_hours(trainee, hours.EntryData(date=dt.date.today() - dt.timedelta(days=1), category="conjoint",
                                             minutes=30, supervisor_id=supervisor.id,
                                             description="Conjoint session: a short, calm goodbye"))
    waiting = db.session.scalars(select(HourEntry).where(HourEntry.trainee_id == trainee.id,
                                                         HourEntry.status == EntryStatus.PENDING)).all()
    decide_entries(supervisor, SUPERVISOR_PASSWORD, [(e.id, e.version) for e in waiting], "approve")
    return claim_certificate(trainee, "reunification-foundations")


@pytest.fixture
def demo(app, runner):
    """seed-demo's data plus a claimed certificate, so every rule has rows to look at."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.test_request_context():
        finish_foundations()
    return app


def check(runner) -> tuple[int, list[str]]:
    result = runner.invoke(args=["check"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output.splitlines()


def sql(statement: str, **params) -> None:
    db.session.execute(text(statement), params)
    db.session.commit()


def an_entry(status: str) -> HourEntry:
    return db.session.scalar(select(HourEntry).where(HourEntry.status == status).order_by(HourEntry.id))


def test_the_demo_data_is_consistent(demo, runner):
    code, lines = check(runner)
    assert code == 0, lines
    assert lines == [lines[-1]] and lines[-1].startswith("check: consistent; looked at ")
    assert db.session.scalar(select(Certificate.id)) and db.session.scalar(select(Attachment.id))


def test_an_entry_approved_behind_the_signature_s_back(demo, runner):
    entry = an_entry("pending")
    sql("UPDATE hour_entries SET status = 'approved' WHERE id = :id", id=entry.id)
    code, lines = check(runner)
    assert code == 1
    assert f"problem: decisions: entry {entry.id} is approved without a decider, a time and a signature" in lines
    assert f"problem: decision-events: entry {entry.id} is approved with 0 decision events in the audit log " \
           "(one hours.approved expected)" in lines
    assert any(line.startswith("problem: totals: trainee ") for line in lines)
    assert lines[-1].startswith("check: 3 problem(s); looked at ")


def test_a_decision_taken_back_leaves_its_signature_and_event_behind(demo, runner):
    entry = an_entry("rejected")
    sql("UPDATE hour_entries SET status = 'pending', decided_by_id = NULL, decided_at = NULL, signature_id = NULL "
        "WHERE id = :id", id=entry.id)
    code, lines = check(runner)
    assert code == 1
    assert f"problem: decisions: a signature records entry {entry.id}, which is not decided" in lines
    assert f"problem: decision-events: the audit log records hours.rejected for hour_entries:{entry.id}, " \
           "which is not a decided entry" in lines


def test_a_trainee_deciding_their_own_entry(demo, runner):
    entry = an_entry("approved")
    sql("UPDATE hour_entries SET decided_by_id = trainee_id WHERE id = :id", id=entry.id)
    code, lines = check(runner)
    assert code == 1
    assert f"problem: deciders: entry {entry.id} was decided by its own trainee (user {entry.trainee_id})" in lines


def test_approved_minutes_changed_after_signing(demo, runner):
    entry = an_entry("approved")
    signed = db.session.scalar(text("SELECT SUM(minutes) FROM hour_entries WHERE status = 'approved' "
                                    "AND trainee_id = :t AND category = :c"), {"t": entry.trainee_id,
                                                                               "c": entry.category})
    sql("UPDATE hour_entries SET minutes = minutes + 15 WHERE id = :id", id=entry.id)
    code, lines = check(runner)
    assert code == 1
    assert f"problem: totals: trainee {entry.trainee_id}, {entry.category}: {signed + 15} approved minutes in " \
           f"entries, {signed} in signatures" in lines
    assert any(line.startswith(f"problem: decisions: signature {entry.signature_id} no longer matches what was "
                               "signed") for line in lines)


def test_a_pending_entry_inside_a_locked_month(demo, runner):
    entry = an_entry("pending")
    month = f"{entry.date:%Y-%m}"
    waiting = db.session.scalar(text("SELECT COUNT(*) FROM hour_entries WHERE status = 'pending' AND trainee_id = :t "
                                     "AND supervisor_id = :s AND date >= :first AND date < :after"),
                                {"t": entry.trainee_id, "s": entry.supervisor_id, "first": entry.date.replace(day=1),
                                 "after": (entry.date.replace(day=28) + dt.timedelta(days=4)).replace(day=1)})
    sql("INSERT INTO hour_signed_months (supervisor_id, trainee_id, month, signed_at) VALUES (:s, :t, :m, :now)",
        s=entry.supervisor_id, t=entry.trainee_id, m=month, now=dt.datetime(2025, 1, 1))
    code, lines = check(runner)
    assert code == 1
    assert f"problem: month-locks: {month} of trainee {entry.trainee_id} is locked by supervisor " \
           f"{entry.supervisor_id}, yet {waiting} {'entry' if waiting == 1 else 'entries'} there still wait" in lines


def test_a_lost_object_and_an_orphan_object(demo, runner):
    attachment, certificate = db.session.scalar(select(Attachment)), db.session.scalar(select(Certificate))
    storage().delete(attachment.storage_key)
    storage().delete(certificate.storage_key)
    orphan = new_key("vignettes")
    storage().put(orphan, io.BytesIO(b"%PDF-1.4 left behind"), "application/pdf")
    code, lines = check(runner)
    assert code == 1
    assert [line for line in lines if line.startswith("problem:")] == [
        f"problem: files: attachment {attachment.id} (vignette {attachment.vignette_id}) has no stored object "
        f"({attachment.storage_key})",
        f"problem: files: stored object {orphan} belongs to no row and is not queued for deletion",
        f"problem: files: certificate {certificate.id} has no stored object ({certificate.storage_key})"]


def test_an_object_queued_for_deletion_is_not_an_orphan(demo, runner):
    queued = new_key("vignettes")
    storage().put(queued, io.BytesIO(b"%PDF-1.4 waiting for the sweep"), "application/pdf")
    sql("INSERT INTO vignette_pending_deletions (storage_key, created_at) VALUES (:k, :now)",
        k=queued, now=dt.datetime(2025, 1, 1))
    code, lines = check(runner)
    assert code == 0, lines
    assert "(1 queued for deletion)" in lines[-1]


def test_a_decision_audited_twice(demo, runner):
    entry = an_entry("approved")
    audit.record(None, "hours.approved", entry, signature=entry.signature_id)
    db.session.commit()
    code, lines = check(runner)
    assert code == 1
    assert [line for line in lines if line.startswith("problem:")] == [
        f"problem: decision-events: entry {entry.id} is approved with 2 decision events in the audit log "
        "(one hours.approved expected)"]


def test_a_deleted_decision_event_shows_twice(demo, runner):
    seq = db.session.scalar(text("SELECT seq FROM audit_events WHERE action = 'hours.approved' ORDER BY seq"))
    sql("DELETE FROM audit_events WHERE seq = :seq", seq=seq)
    code, lines = check(runner)
    assert code == 1
    assert any(line.startswith("problem: decision-events: entry ") for line in lines)
    assert f"problem: audit-chain: event {seq} is missing (next is {seq + 1})" in lines


def test_an_edited_audit_event(demo, runner):
    sql("UPDATE audit_events SET actor = 'someone-else@example.org' WHERE seq = 2")
    code, lines = check(runner)
    assert code == 1
    assert "problem: audit-chain: event 2 was changed after it was written" in lines


def test_an_empty_site_is_consistent(runner):
    code, lines = check(runner)
    assert code == 0 and lines == ["check: consistent; looked at 0 decided entries in 0 signatures, 0 deciders, "
                                   "0 approved totals, 0 locked months, 0 file rows and 0 stored objects "
                                   "(0 queued for deletion), 0 decision events, 0 audit events"]
