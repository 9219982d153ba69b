"""`flask consult escalate`: overdue open consultations move on, with new due times and mail; exit 0."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from trainer.audit import AuditEvent
from trainer.consult import services
from trainer.consult.escalation import escalate_overdue
from trainer.consult.models import Status
from trainer.extensions import db
from trainer.mail import OutboxMessage
from trainer.timeutil import utcnow


@pytest.fixture
def colleague(make_user):
    return make_user("supervisor", name="Cal Colleague", topics=["resist-refuse"])


def overdue(consultation, hours=1):
    consultation.due_at = utcnow() - timedelta(hours=hours)
    db.session.commit()


def subjects(user):
    return [m.subject for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == user.email))]


def test_overdue_consultations_go_to_a_colleague(runner, consult, trainee, supervisor, colleague):
    late, on_time = consult(trainee), consult(trainee)
    overdue(late)
    result = runner.invoke(args=["consult", "escalate"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == ("1 overdue consultation(s): 1 reassigned, 0 kept (nobody else can take them), "
                                     "0 skipped (changed meanwhile).")
    db.session.refresh(late)
    assert (late.supervisor_id, late.escalated_count, late.status) == (colleague.id, 1, Status.OPEN)
    assert late.due_at > utcnow() + timedelta(hours=71) and late.route_reason.startswith("escalated when overdue")
    assert db.session.get(type(on_time), on_time.id).supervisor_id == supervisor.id
    assert "A consultation is waiting for you" in subjects(colleague)
    assert "Your consultation has a new supervisor" in subjects(trainee)
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "consult.escalated")).all()
    assert event.actor == "system" and event.details["previous"] == supervisor.id
    assert event.details["supervisor"] == colleague.id


def test_the_trainee_sees_the_new_supervisor_and_due_time(client, login_as, consult, trainee, colleague):
    late = consult(trainee)
    overdue(late)
    escalate_overdue()
    login_as(trainee)
    page = client.get(f"/consultations/{late.id}").text
    assert "Cal Colleague" in page and "passed on 1× when overdue" in page and "(in 2 days)" in page


def test_with_nobody_else_it_stays_and_everyone_is_told(runner, consult, trainee, supervisor):
    late = consult(trainee)
    overdue(late)
    result = runner.invoke(args=["consult", "escalate"])
    assert result.exit_code == 0 and "0 reassigned, 1 kept" in result.output
    db.session.refresh(late)
    assert (late.supervisor_id, late.escalated_count, late.route_rule) == (supervisor.id, 1, "kept")
    assert late.due_at > utcnow()
    assert subjects(supervisor).count("A consultation is waiting for you") == 2  # assigned, then the reminder
    assert "Your consultation is taking longer" in subjects(trainee)


def test_answered_closed_and_not_yet_due_are_left_alone(runner, consult, trainee, supervisor, colleague):
    answered, closed = consult(trainee), consult(trainee)
    services.reply(supervisor, answered, "Noted.", "", "", services.reply_preview(answered, "Noted.", "", "").digest)
    services.close(trainee, closed, closed.version)
    overdue(answered)
    overdue(closed)
    assert escalate_overdue() == escalate_overdue().__class__(0, 0, 0)
    assert runner.invoke(args=["consult", "escalate"]).output.startswith("0 overdue consultation(s)")


def test_urgent_ones_get_the_urgent_window_again(consult, trainee, supervisor, colleague):
    colleague.on_call = True
    db.session.commit()
    late = consult(trainee, urgent=True)
    overdue(late, hours=5)
    escalate_overdue()
    db.session.refresh(late)
    assert late.supervisor_id == supervisor.id  # the on-call supervisor is excluded now; the own one takes it
    assert utcnow() + timedelta(hours=3) < late.due_at <= utcnow() + timedelta(hours=4)


def test_a_second_run_finds_nothing_new(consult, trainee, colleague):
    overdue(consult(trainee))
    assert escalate_overdue().reassigned == 1
    assert escalate_overdue() == escalate_overdue().__class__()
