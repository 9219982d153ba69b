"""Sign-off: conditional decisions, the e-signature and its hash, month locks, reopening, reassignment."""
import datetime as dt

import pytest
from sqlalchemy import func, select, update

from tests.conftest import TEST_PASSWORD
from trainer.audit import AuditEvent
from trainer.auth.models import SupervisionAgreement
from trainer.extensions import db
from trainer.hours import signoff
from trainer.hours.models import HourEntry, HourSignature, SignedMonth
from trainer.hours.services import HoursError
from trainer.mail import OutboxMessage


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def decide(supervisor, entries, decision="approve", reason="", password=TEST_PASSWORD, **kw):
    return signoff.decide_entries(supervisor, password, [(e.id, e.version) for e in entries], decision, reason, **kw)


def test_approving_a_batch_signs_each_entry_once_with_one_hashed_signature(ctx, trainee, supervisor, add_entry):
    entries = [add_entry(trainee, supervisor, minutes=m) for m in (60, 90, 30)]
    result = decide(supervisor, entries)
    assert result.decided == tuple(e.id for e in entries) and result.refused == ()
    signature = db.session.get(HourSignature, result.signature_id)
    assert signature.signer_id == supervisor.id and signature.decision == "approved"
    assert [item["minutes"] for item in signature.content["entries"]] == [60, 90, 30]
    assert signature.content_hash == signoff.canonical_hash(signature.content) and len(signature.content_hash) == 64
    for entry in entries:
        db.session.refresh(entry)
        assert (entry.status, entry.decided_by_id, entry.signature_id) == ("approved", supervisor.id, signature.id)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "hours.approved")).all()
    assert sorted(e.target for e in events) == sorted(f"hour_entries:{e.id}" for e in entries)
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to == trainee.email))
    assert "decided 3 of your hour entries: 3 approved, 0 rejected" in mail.body and "Conjoint" not in mail.body


def test_rejecting_needs_a_reason_which_the_entry_keeps(ctx, trainee, supervisor, add_entry):
    entry = add_entry(trainee, supervisor)
    with pytest.raises(HoursError, match="Say why") as caught:
        decide(supervisor, [entry], "reject", "  ")
    assert caught.value.field == "reason"
    decide(supervisor, [entry], "reject", "Logged twice")
    db.session.refresh(entry)
    assert (entry.status, entry.reason) == ("rejected", "Logged twice")


def test_wrong_password_signs_nothing(ctx, trainee, supervisor, add_entry):
    entry = add_entry(trainee, supervisor)
    with pytest.raises(HoursError, match="password is not right") as caught:
        decide(supervisor, [entry], password="not-my-password")
    assert caught.value.field == "password"
    db.session.refresh(entry)
    assert entry.status == "pending" and count(HourSignature) == 0 and count(AuditEvent) == 0


@pytest.mark.parametrize("make_bad", ["decided", "stale_version", "other_supervisor", "own_entry", "unknown"])
def test_forged_picks_change_nothing_and_are_reported(ctx, make_user, trainee, supervisor, add_entry, make_bad):
    other = make_user("supervisor")
    good = add_entry(trainee, supervisor)
    picks = {
        "decided": lambda: (add_entry(trainee, supervisor, status="approved").id, 1),
        "stale_version": lambda: (add_entry(trainee, supervisor, version=3).id, 2),
        "other_supervisor": lambda: (add_entry(trainee, other).id, 1),
        "own_entry": lambda: (add_entry(supervisor, supervisor).id, 1),
        "unknown": lambda: (999_999, 1),
    }
    bad = picks[make_bad]()
    result = signoff.decide_entries(supervisor, TEST_PASSWORD, [bad, (good.id, 1)], "approve")
    assert result.decided == (good.id,) and result.refused == (bad[0],)
    forged = db.session.get(HourEntry, bad[0])
    if forged:
        db.session.refresh(forged)
        assert forged.signature_id is None and forged.decided_by_id is None
    assert db.session.get(HourSignature, result.signature_id).content["entries"][0]["id"] == good.id


def test_a_batch_where_nothing_is_left_signs_nothing(ctx, trainee, supervisor, add_entry):
    entry = add_entry(trainee, supervisor, status="approved")
    result = decide(supervisor, [entry])
    assert result == signoff.BatchResult(decided=(), refused=(entry.id,))
    assert count(HourSignature) == 0 and count(AuditEvent) == 0


@pytest.mark.parametrize("role", ["trainee", "admin"])
def test_only_supervisors_sign(ctx, make_user, trainee, supervisor, add_entry, role):
    person = make_user(role)
    entry = add_entry(trainee, person)
    with pytest.raises(HoursError, match="Only supervisors"):
        decide(person, [entry])


def test_empty_and_oversized_batches(ctx, supervisor):
    with pytest.raises(HoursError, match="Select at least one"):
        signoff.decide_entries(supervisor, TEST_PASSWORD, [], "approve")
    with pytest.raises(HoursError, match="at most 500"):
        signoff.decide_entries(supervisor, TEST_PASSWORD, [(i, 1) for i in range(501)], "approve")
    with pytest.raises(HoursError, match="approve or reject"):
        signoff.decide_entries(supervisor, TEST_PASSWORD, [(1, 1)], "maybe")


def test_a_changed_entry_no_longer_matches_its_signature(ctx, trainee, supervisor, add_entry):
    entry = add_entry(trainee, supervisor)
    signature = db.session.get(HourSignature, decide(supervisor, [entry]).signature_id)
    db.session.refresh(entry)
    assert signoff.signature_intact(signature, [entry])
    db.session.execute(update(HourEntry).where(HourEntry.id == entry.id).values(minutes=720))
    db.session.commit()
    db.session.refresh(entry)
    assert not signoff.signature_intact(signature, [entry])


def test_whole_month_approval_locks_the_month(ctx, trainee, supervisor, add_entry):
    march = [add_entry(trainee, supervisor, date=dt.date(2025, 3, d)) for d in (3, 17)]
    result = decide(supervisor, march, whole_month=(trainee.id, "2025-03"))
    assert result.locked_month == "2025-03"
    lock = db.session.scalar(select(SignedMonth))
    assert (lock.supervisor_id, lock.trainee_id, lock.month, lock.signature_id) == (
        supervisor.id, trainee.id, "2025-03", result.signature_id)
    assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.seq.desc())) == "hours.month_signed"


def test_a_month_with_entries_left_waiting_stays_open(ctx, trainee, supervisor, add_entry):
    first = add_entry(trainee, supervisor, date=dt.date(2025, 3, 3))
    add_entry(trainee, supervisor, date=dt.date(2025, 3, 20))  # arrived after the page loaded
    result = decide(supervisor, [first], whole_month=(trainee.id, "2025-03"))
    assert result.decided == (first.id,) and result.locked_month is None and result.month_left_open
    assert count(SignedMonth) == 0


def test_rejections_never_lock_a_month(ctx, trainee, supervisor, add_entry):
    entry = add_entry(trainee, supervisor)
    assert decide(supervisor, [entry], "reject", "No", whole_month=(trainee.id, "2025-03")).locked_month is None


def test_reopening_a_month_needs_a_reason_and_is_audited(ctx, admin, trainee, supervisor):
    lock = SignedMonth(supervisor_id=supervisor.id, trainee_id=trainee.id, month="2025-03")
    db.session.add(lock)
    db.session.commit()
    lock_id = lock.id
    with pytest.raises(HoursError, match="Say why"):
        signoff.reopen_month(admin, lock_id, "")
    assert signoff.reopen_month(admin, lock_id, "Session date was mistyped") == ("2025-03", trainee.name)
    assert count(SignedMonth) == 0
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "hours.month_reopened"))
    assert event.details["reason"] == "Session date was mistyped" and event.actor_id == admin.id
    with pytest.raises(HoursError, match="no longer locked"):
        signoff.reopen_month(admin, lock_id, "again")


def test_reassigning_moves_a_pending_entry_and_bumps_its_version(ctx, admin, make_user, trainee, supervisor,
                                                                  add_entry):
    other = make_user("supervisor")
    entry = add_entry(trainee, supervisor)
    with pytest.raises(HoursError, match="supervision agreement with this trainee"):
        signoff.reassign_entry(admin, entry.id, 1, other.id)
    db.session.add(SupervisionAgreement(trainee_id=trainee.id, supervisor_id=other.id, starts_on=dt.date(2025, 6, 1)))
    db.session.commit()
    moved = signoff.reassign_entry(admin, entry.id, 1, other.id)
    assert (moved.supervisor_id, moved.version) == (other.id, 2)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "hours.reassigned"))
    assert event.details == {"old": supervisor.id, "new": other.id}
    assert db.session.scalar(select(OutboxMessage.to).order_by(OutboxMessage.id.desc())) == other.email
    with pytest.raises(HoursError, match="signed or changed"):
        signoff.reassign_entry(admin, entry.id, 1, supervisor.id)
    assert decide(supervisor, [moved]).refused == (entry.id,)  # the old supervisor can no longer sign it


def test_reassign_refuses_the_trainee_themselves_and_decided_entries(ctx, admin, trainee, supervisor, add_entry):
    entry = add_entry(trainee, supervisor, status="approved")
    with pytest.raises(HoursError, match="supervision agreement"):
        signoff.reassign_entry(admin, entry.id, 1, trainee.id)
    with pytest.raises(HoursError, match="signed or changed"):
        signoff.reassign_entry(admin, entry.id, 1, supervisor.id)
