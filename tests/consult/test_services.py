"""Consultation rules without HTTP: create, route, reply, close, reassign, conflicts, on call, summaries."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.consult.conftest import IDENTIFIERS, NOTE, draft
from trainer.audit import AuditEvent
from trainer.consult import queries, services, staff
from trainer.consult.models import Consultation, Message, Status, SupervisorConflict
from trainer.extensions import db
from trainer.mail import OutboxMessage
from trainer.timeutil import utcnow


def events(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)).all()


def mail_to(user):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == user.email)).all()


@pytest.fixture
def colleague(make_user):
    return make_user("supervisor", name="Cal Colleague", topics=["resist-refuse", "court-process", "safety-concern"])


def test_create_stores_only_deidentified_text_and_routes_to_the_own_supervisor(consult, trainee, supervisor):
    c = consult(trainee)
    assert c.supervisor_id == supervisor.id and c.route_rule == "own-supervisor"
    assert c.question.startswith("Should I pause the Saturday visits for [PERSON-1] while her father [PERSON-2]")
    assert "[SCHOOL]" in c.summary and "[CASE-NUMBER]" in c.summary and "[PHONE]" in c.summary
    for identifier in IDENTIFIERS:
        assert identifier not in c.question + c.summary
    assert c.removed["PERSON"] == 7 and c.removed_total == sum(c.removed.values())
    assert c.status == Status.OPEN and c.version == 1 and c.topics == ["resist-refuse"]
    assert timedelta(hours=71) < c.due_at - c.created_at <= timedelta(hours=72)


def test_routing_is_audited_with_rule_and_reason_but_no_text(consult, trainee, supervisor):
    c = consult(trainee)
    [event] = events("consult.routed")
    assert event.target == f"consultations:{c.id}" and event.actor_id == trainee.id
    assert event.details["rule"] == "own-supervisor" and event.details["supervisor"] == supervisor.id
    assert event.details["reason"] == c.route_reason and "covers resist-refuse" in c.route_reason
    assert event.details["removed"] == c.removed
    assert set(event.details) == {"supervisor", "rule", "reason", "urgent", "topics", "removed"}


def test_the_supervisor_is_mailed_without_content(consult, trainee, supervisor):
    consult(trainee)
    [mail] = mail_to(supervisor)
    assert mail.subject == "A consultation is waiting for you"
    assert "due" not in mail.subject and "[PERSON" not in mail.body and "pause" not in mail.body


def test_topics_outside_the_supervisor_go_to_a_colleague(consult, trainee, colleague):
    c = consult(trainee, topics=("court-process",))
    assert c.supervisor_id == colleague.id and c.route_rule == "topic-match"
    assert "does not cover court-process" in c.route_reason


def test_urgent_goes_on_call_and_tells_every_active_admin(consult, trainee, colleague, admin, make_user):
    colleague.on_call = True
    retired = make_user("admin", active=False)
    db.session.commit()
    c = consult(trainee, urgent=True, topics=("safety-concern",))
    assert (c.supervisor_id, c.route_rule, c.urgent) == (colleague.id, "on-call", True)
    assert timedelta(hours=3, minutes=59) < c.due_at - c.created_at <= timedelta(hours=4)
    [alert] = mail_to(admin)
    assert alert.subject == "Urgent consultation routed"
    assert "routed to Cal Colleague; due in 4 hours" in alert.body and "[PERSON" not in alert.body
    assert mail_to(retired) == []


def test_due_times_come_from_the_settings(make_app, make_user):
    app = make_app(CONSULT_DUE_ROUTINE_HOURS=10)
    with app.app_context():
        from tests.conftest import clean_database
        clean_database()
        sup = make_user("supervisor", topics=["resist-refuse"])
        trainee = make_user("trainee", supervisor=sup)
        d = draft()
        c = services.create_consultation(trainee, d, services.preview_consultation(d).digest)
        assert c.due_at - c.created_at == timedelta(hours=10)


def test_only_safety_cleared_trainees_may_ask(consult, trainee, supervisor, synced):
    with pytest.raises(services.ConsultationError, match="safety module"):
        consult(trainee)
    assert db.session.scalar(select(Consultation.id)) is None


def test_supervisors_cannot_ask(consult, supervisor):
    with pytest.raises(services.ConsultationError):
        consult(supervisor)


def test_a_preview_that_was_not_seen_is_not_stored(trainee, supervisor):
    d = draft()
    with pytest.raises(services.PreviewChanged):
        services.create_consultation(trainee, d, "0" * 64)
    other = services.preview_consultation(draft({**NOTE, "summary": NOTE["summary"] + " More."})).digest
    with pytest.raises(services.PreviewChanged):
        services.create_consultation(trainee, d, other)
    assert db.session.scalar(select(Consultation.id)) is None


def test_asked_for_phrases_left_in_the_text_block_sending(trainee, supervisor):
    d = draft({**NOTE, "summary": NOTE["summary"] + " They meet in Room 14B.", "more": "Bug\nRoom 14B"})
    with pytest.raises(services.ConsultationError, match="“More to remove”, entry 2") as caught:
        services.create_consultation(trainee, d, services.preview_consultation(d).digest)
    assert caught.value.field == "more" and "14B" not in str(caught.value)


def test_unknown_topics_are_refused(trainee, supervisor):
    d = draft(topics=("astrology",))
    with pytest.raises(services.ConsultationError, match="topic"):
        services.create_consultation(trainee, d, services.preview_consultation(d).digest)


def test_nobody_to_route_to_is_an_error_and_nothing_is_saved(make_user):
    trainee = make_user("trainee")
    d = draft()
    with pytest.raises(services.ConsultationError, match="No supervisor"):
        services.create_consultation(trainee, d, services.preview_consultation(d).digest)
    assert db.session.scalar(select(Consultation.id)) is None and db.session.scalar(select(OutboxMessage.id)) is None


def test_draft_repr_hides_the_typed_text():
    assert "Emma" not in repr(draft()) and "resist-refuse" in repr(draft())


def _reply(user, c, body, more=""):
    return services.reply(user, c, body, "", more, services.reply_preview(c, body, "", more).digest)


def test_replies_flip_the_status_and_number_new_people_after_the_case(consult, trainee, supervisor):
    c = consult(trainee)
    message = _reply(supervisor, c, "Has [PERSON-1] met Grandpa Joe Smith yet?", "Joe Smith")
    assert message.body == "Has [PERSON-1] met Grandpa [PERSON-5] yet?"
    assert c.status == Status.ANSWERED and message.removed == {"PERSON": 1}
    [mail] = [m for m in mail_to(trainee) if m.subject == "New message in your consultation"]
    assert "Grandpa" not in mail.body and "[PERSON" not in mail.body
    c.due_at = utcnow() - timedelta(days=1)
    db.session.commit()
    _reply(trainee, c, "Not yet, she asked about it on Monday.")
    assert c.status == Status.OPEN and c.due_at > utcnow() + timedelta(hours=71)
    assert [e.details["message"] for e in events("consult.replied")] == [m.id for m in c.messages]


def test_replies_are_for_the_two_participants_of_an_open_consultation(consult, trainee, supervisor, colleague):
    c = consult(trainee)
    with pytest.raises(services.ConsultationError, match="Only the trainee"):
        _reply(colleague, c, "Let me weigh in.")
    with pytest.raises(services.ConsultationError, match="Write a reply"):
        services.reply(trainee, c, "   ", "", "", None)
    services.close(trainee, c, c.version)
    with pytest.raises(services.ConsultationError, match="closed"):
        _reply(supervisor, c, "One more thought.")
    assert db.session.scalar(select(Message.id)) is None


def test_close_once_with_the_version_shown(consult, trainee, supervisor):
    c = consult(trainee)
    shown = c.version
    services.close(supervisor, c, shown)
    assert (c.status, c.closed_by_id, c.version) == (Status.CLOSED, supervisor.id, shown + 1)
    with pytest.raises(services.ConsultationError, match="changed this consultation"):
        services.close(trainee, c, shown)
    assert len(events("consult.closed")) == 1
    assert [m.subject for m in mail_to(trainee)] == ["A consultation was closed"]


def test_reassign_to_a_colleague(consult, trainee, supervisor, colleague):
    c = consult(trainee)
    target = services.reassign(supervisor, c, c.version, colleague.id)
    assert target == colleague and c.supervisor_id == colleague.id and c.route_rule == "reassigned"
    [event] = events("consult.reassigned")
    assert event.details["previous"] == supervisor.id and event.details["supervisor"] == colleague.id
    assert [m.subject for m in mail_to(colleague)] == ["A consultation is waiting for you"]
    assert "Your consultation has a new supervisor" in [m.subject for m in mail_to(trainee)]


def test_reassign_by_the_rules_skips_the_current_supervisor(consult, trainee, supervisor, colleague):
    c = consult(trainee)
    services.reassign(supervisor, c, c.version, 0)
    assert c.supervisor_id == colleague.id and c.route_reason.startswith(f"passed on by #{supervisor.id}")


@pytest.mark.parametrize("problem", ["self", "conflict", "inactive", "trainee", "stale", "not-mine"])
def test_reassign_refusals_change_nothing(consult, trainee, supervisor, colleague, make_user, admin, problem):
    c = consult(trainee)
    actor, target, version = supervisor, colleague.id, c.version
    if problem == "self":
        target = supervisor.id
    elif problem == "conflict":
        db.session.add(SupervisorConflict(supervisor_id=colleague.id, trainee_id=trainee.id, created_by_id=admin.id))
        db.session.commit()
    elif problem == "inactive":
        target = make_user("supervisor", active=False).id
    elif problem == "trainee":
        target = make_user("trainee").id
    elif problem == "stale":
        version -= 1
    else:
        actor = colleague
    with pytest.raises(services.ConsultationError):
        services.reassign(actor, c, version, target)
    db.session.rollback()
    assert db.session.get(Consultation, c.id).supervisor_id == supervisor.id and events("consult.reassigned") == []


def test_a_new_conflict_moves_open_consultations_away(consult, trainee, supervisor, colleague, admin):
    c = consult(trainee)
    moved = services.add_conflict(admin, supervisor, trainee, "Related by marriage")
    assert moved == 1 and c.supervisor_id == colleague.id
    assert "conflict of interest marked" in c.route_reason
    assert [e.details["trainee"] for e in events("consult.conflict_added")] == [trainee.id]
    assert services.choose_supervisor(trainee, ["resist-refuse"], False).supervisor_id == colleague.id
    with pytest.raises(staff.StaffError, match="already"):
        services.add_conflict(admin, supervisor, trainee, "")


def test_conflicts_and_on_call_are_for_supervisors(admin, supervisor, trainee):
    with pytest.raises(staff.StaffError):
        staff.add_conflict(admin, trainee, trainee, "")
    with pytest.raises(staff.StaffError):
        staff.set_on_call(admin, trainee, True)
    staff.set_on_call(admin, supervisor, True)
    assert supervisor.on_call and events("consult.on_call_changed")[0].details == {"on_call": True}
    conflict = staff.add_conflict(admin, supervisor, trainee, "note")
    db.session.commit()
    staff.remove_conflict(admin, supervisor, conflict.id)
    assert staff.conflicts_of(supervisor) == []
    with pytest.raises(staff.StaffError):
        staff.remove_conflict(admin, supervisor, conflict.id)


def test_candidates_carry_load_last_assignment_and_conflicts(consult, trainee, supervisor, colleague, admin):
    consult(trainee)
    db.session.add(SupervisorConflict(supervisor_id=colleague.id, trainee_id=trainee.id, created_by_id=admin.id))
    db.session.commit()
    found = {c.id: c for c in staff.candidates_for(trainee.id)}
    assert found[supervisor.id].open_load == 1 and found[supervisor.id].last_assigned_at is not None
    assert found[colleague.id].open_load == 0 and found[colleague.id].conflicts == frozenset({trainee.id})


def test_summaries_for_the_dashboards(consult, trainee, supervisor):
    first = consult(trainee)
    consult(trainee)
    _reply(supervisor, first, "Thanks, thinking.")
    assert queries.trainee_summary(trainee) == {"open": 2, "answered": 1}
    summary = queries.supervisor_summary(supervisor)
    assert summary["waiting"] == 1 and summary["overdue"] == 0 and summary["nearest_due"] is not None
    assert queries.supervisor_summary(supervisor, now=utcnow() + timedelta(days=4))["overdue"] == 1


def test_lists_are_scoped(consult, trainee, supervisor, colleague, make_user, admin):
    mine = consult(trainee)
    other = make_user("trainee", supervisor=colleague)
    theirs = consult(other, topics=("court-process",))
    assert [c.id for c in queries.list_for_trainee(trainee).items] == [mine.id]
    assert [c.id for c in queries.list_for_supervisor(supervisor).items] == [mine.id]
    assert [c.id for c in queries.list_for_supervisor(colleague, "all").items] == [theirs.id]
    assert {c.id for c in queries.list_all(admin).items} == {mine.id, theirs.id}
