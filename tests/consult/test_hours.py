"""Time spent on a consultation becomes a pending consultation-hours entry for its supervisor, once a day."""
import pytest
from sqlalchemy import select

from tests.conftest import race
from tests.consult.conftest import signed_in
from trainer.audit import AuditEvent
from trainer.consult import hours
from trainer.consult.models import ConsultationHours
from trainer.consult.services import ConsultationError
from trainer.extensions import db
from trainer.hours import services as hour_rules
from trainer.hours.models import EntryStatus, HourEntry
from trainer.mail import OutboxMessage
from trainer.timeutil import utcnow


@pytest.fixture
def in_request(app):
    """The hours domain builds its mail links from a request, as on the site."""
    with app.test_request_context():
        yield


def entries():
    db.session.rollback()
    return db.session.scalars(select(HourEntry).order_by(HourEntry.id)).all()


def test_one_click_logs_pending_consultation_hours(client, login_as, consult, trainee, supervisor):
    c = consult(trainee)
    login_as(trainee)
    page = client.get(f"/consultations/{c.id}").text
    assert "Log as consultation hours" in page and "120 minutes" in page
    response = client.post(f"/consultations/{c.id}/hours", data={"hours-minutes": 45}, follow_redirects=True)
    assert "Logged 45 minutes as consultation hours, waiting for Sol Supervisor" in response.text
    [entry] = entries()
    assert (entry.trainee_id, entry.supervisor_id, entry.category, entry.minutes, entry.status, entry.date) == \
        (trainee.id, supervisor.id, "consultation", 45, EntryStatus.PENDING, utcnow().date())
    assert entry.description == f"Case consultation #{c.id}"
    page = client.get(f"/consultations/{c.id}").text
    assert "45 minutes on" in page and "You logged time for this consultation today" in page
    assert "Log as consultation hours" not in page
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "consult.hours_logged")).all()
    assert event.details == {"entry": entry.id, "minutes": 45}
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.to == supervisor.email,
                                                         OutboxMessage.subject == "Hours wait for your sign-off"))


def test_a_second_log_the_same_day_is_refused(consult, trainee, in_request):
    c = consult(trainee)
    hours.log_consultation_hours(trainee, c, 30)
    with pytest.raises(ConsultationError, match="already logged time for this consultation today"):
        hours.log_consultation_hours(trainee, c, 60)
    assert [e.minutes for e in entries()] == [30]


def test_two_clicks_at_once_make_one_entry(app, consult, trainee):
    c = consult(trainee)
    clients = [signed_in(app, trainee), signed_in(app, trainee)]
    cid = c.id
    race(*(lambda client=client: client.post(f"/consultations/{cid}/hours", data={"hours-minutes": 30})
              for client in clients))
    assert len(entries()) == 1
    assert len(db.session.scalars(select(ConsultationHours)).all()) == 1


@pytest.mark.parametrize("minutes", [0, 10, 135, 720])
def test_only_15_to_120_minutes_in_steps_of_15(consult, trainee, minutes):
    with pytest.raises(ConsultationError, match="15 to 120 minutes"):
        hours.log_consultation_hours(trainee, consult(trainee), minutes)
    assert entries() == []


def test_only_the_trainee_logs(consult, trainee, supervisor):
    with pytest.raises(ConsultationError, match="Only the trainee"):
        hours.log_consultation_hours(supervisor, consult(trainee), 30)


def test_a_supervisor_without_an_agreement_cannot_sign(client, login_as, consult, trainee, make_user):
    colleague = make_user("supervisor", name="Cal Colleague", topics=["court-process"])
    c = consult(trainee, topics=("court-process",))
    assert c.supervisor_id == colleague.id and not hours.can_log(trainee, c)
    login_as(trainee)
    page = client.get(f"/consultations/{c.id}").text
    assert "Cal Colleague has no supervision agreement with you" in page and "/hours/new" in page
    assert "Log as consultation hours" not in page
    response = client.post(f"/consultations/{c.id}/hours", data={"hours-minutes": 30}, follow_redirects=True)
    assert "no supervision agreement" in response.text
    assert entries() == [] and db.session.scalar(select(ConsultationHours.id)) is None


def test_an_entry_deleted_under_hours_can_be_logged_again(consult, trainee, in_request):
    c = consult(trainee)
    entry = hours.log_consultation_hours(trainee, c, 30)
    hour_rules.delete_entry(trainee, entry, entry.version)
    db.session.expunge(entry)  # deleted by a bulk statement; SQLite may hand its id out again
    assert hours.logged(c) == []
    assert hours.log_consultation_hours(trainee, c, 60).minutes == 60


def test_supervisors_do_not_see_the_hours_form(client, login_as, consult, trainee, supervisor):
    c = consult(trainee)
    login_as(supervisor)
    assert "Time spent" not in client.get(f"/consultations/{c.id}").text


def test_a_failure_after_the_entry_leaves_neither_entry_nor_claim(in_request, consult, trainee, monkeypatch):
    c = consult(trainee)
    real_record = hours.audit.record

    def fail_on_link(actor, action, target, **details):
        if action == "consult.hours_logged":
            raise RuntimeError("the database went away")
        return real_record(actor, action, target, **details)
    monkeypatch.setattr(hours.audit, "record", fail_on_link)
    with pytest.raises(RuntimeError):
        hours.log_consultation_hours(trainee, c, 30)
    assert entries() == [] and db.session.scalars(select(ConsultationHours)).all() == []
