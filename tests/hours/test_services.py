"""Logging rules: every check with its message, edits before sign-off only, corrections, mail."""
import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.hours.conftest import DAY
from trainer.audit import AuditEvent
from trainer.auth.models import SupervisionAgreement
from trainer.extensions import db
from trainer.hours import demo, services
from trainer.hours.models import HourEntry, SignedMonth
from trainer.hours.services import EntryData, HoursError
from trainer.mail import OutboxMessage
from trainer.timeutil import utcnow


def data(supervisor, **fields) -> EntryData:
    values = {"date": DAY, "category": "conjoint", "minutes": 60, "supervisor_id": supervisor.id,
              "description": "Conjoint session: structured play and a repair conversation", **fields}
    return EntryData(**values)


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def test_log_hours_records_a_pending_entry_audits_and_mails_only_a_count(ctx, trainee, supervisor):
    entry = services.log_hours(trainee, data(supervisor))
    assert (entry.status, entry.version, entry.trainee_id, entry.supervisor_id) == ("pending", 1, trainee.id,
                                                                                    supervisor.id)
    assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.seq.desc())) == "hours.logged"
    mail = db.session.scalar(select(OutboxMessage))
    assert mail.to == supervisor.email and "1 new hour entry waits for your sign-off (1 in all)" in mail.body
    assert "repair" not in mail.body and trainee.name not in mail.body


@pytest.mark.parametrize("fields,field,message", [
    ({"minutes": 10}, "minutes", "between 15 minutes and 12 hours"),
    ({"minutes": 735}, "minutes", "between 15 minutes and 12 hours"),
    ({"minutes": 50}, "minutes", "in steps of 15"),
    ({"minutes": 0}, "minutes", "in steps of 15"),
    ({"category": "didactic"}, "category", "Choose a category from the list."),
    ({"category": "knitting"}, "category", "Choose a category from the list."),
    ({"date": dt.date.today() + dt.timedelta(days=2)}, "date", "cannot be in the future"),
    ({"description": "   "}, "description", "Describe the work in a few words"),
    ({"description": "x" * 281}, "description", "Keep the description to 280 characters; it has 281."),
    ({"supervisor_id": 999_999}, "supervisor", "no supervision agreement with that person"),
])
def test_each_rule_names_its_field(ctx, trainee, supervisor, fields, field, message):
    with pytest.raises(HoursError) as caught:
        services.log_hours(trainee, data(supervisor, **fields))
    assert [(p.field, message in str(p)) for p in caught.value.problems] == [(field, True)]
    assert db.session.scalar(select(func.count(HourEntry.id))) == 0


def test_every_problem_is_reported_at_once(ctx, trainee, supervisor):
    with pytest.raises(HoursError) as caught:
        services.log_hours(trainee, data(supervisor, minutes=50, category="x", description=""))
    assert {p.field for p in caught.value.problems} == {"minutes", "category", "description"}


def test_720_minutes_and_today_are_fine(ctx, trainee, supervisor):
    assert services.log_hours(trainee, data(supervisor, minutes=720, date=utcnow().date())).minutes == 720


def test_supervisor_without_agreement_or_before_it_began(ctx, make_user, trainee, supervisor):
    other = make_user("supervisor")
    with pytest.raises(HoursError, match="no supervision agreement") as caught:
        services.log_hours(trainee, data(other))
    assert caught.value.field == "supervisor"
    db.session.add(SupervisionAgreement(trainee_id=trainee.id, supervisor_id=other.id,
                                        starts_on=dt.date(2025, 4, 1), ends_on=dt.date(2025, 6, 30)))
    db.session.commit()
    with pytest.raises(HoursError, match="covers work from 1 April 2025 on") as caught:
        services.log_hours(trainee, data(other, date=dt.date(2025, 3, 31)))
    assert caught.value.field == "date"
    with pytest.raises(HoursError, match="covers work from"):
        services.log_hours(trainee, data(other, date=dt.date(2025, 7, 1)))
    assert services.log_hours(trainee, data(other, date=dt.date(2025, 6, 30))).supervisor_id == other.id


def test_inactive_supervisor_or_a_trainee_cannot_sign(ctx, make_user, trainee, supervisor):
    peer = make_user("trainee")
    db.session.add(SupervisionAgreement(trainee_id=trainee.id, supervisor_id=peer.id, starts_on=dt.date(2020, 1, 1)))
    supervisor.active = False
    db.session.commit()
    for person in (peer, supervisor):
        with pytest.raises(HoursError, match="no supervision agreement"):
            services.log_hours(trainee, data(person))


def test_supervisors_for_lists_the_primary_first(ctx, make_user, trainee, supervisor):
    other = make_user("supervisor", name="Aaron Earlier")
    db.session.add(SupervisionAgreement(trainee_id=trainee.id, supervisor_id=other.id, starts_on=dt.date(2020, 1, 1)))
    db.session.commit()
    assert [s.id for s in services.supervisors_for(trainee)] == [supervisor.id, other.id]


def test_edit_bumps_the_version_and_a_stale_version_is_refused(ctx, trainee, supervisor, add_entry):
    entry = add_entry(trainee, supervisor)
    services.edit_entry(trainee, entry, 1, data(supervisor, minutes=90))
    assert (entry.minutes, entry.version) == (90, 2)
    with pytest.raises(HoursError, match="signed or changed since you opened it"):
        services.edit_entry(trainee, entry, 1, data(supervisor, minutes=120))
    db.session.refresh(entry)
    assert (entry.minutes, entry.version) == (90, 2)


@pytest.mark.parametrize("status", ["approved", "rejected"])
def test_decided_entries_never_change(ctx, trainee, supervisor, add_entry, status):
    entry = add_entry(trainee, supervisor, status=status, decided_by_id=supervisor.id)
    with pytest.raises(HoursError, match="signed or changed"):
        services.edit_entry(trainee, entry, entry.version, data(supervisor, minutes=720))
    with pytest.raises(HoursError, match="signed or changed"):
        services.delete_entry(trainee, entry, entry.version)
    db.session.refresh(entry)
    assert (entry.minutes, entry.status, entry.version) == (60, status, 1)


def test_delete_a_pending_entry(ctx, trainee, supervisor, add_entry):
    entry = add_entry(trainee, supervisor)
    services.delete_entry(trainee, entry, 1)
    assert db.session.scalar(select(func.count(HourEntry.id))) == 0


def test_another_trainees_entry_is_a_404(ctx, make_user, trainee, supervisor, add_entry):
    from werkzeug.exceptions import NotFound
    theirs = add_entry(make_user("trainee", supervisor=supervisor), supervisor)
    with pytest.raises(NotFound):
        services.get_entry_or_404(theirs.id, trainee)


def test_a_rejected_entry_is_corrected_once_as_a_new_revision(ctx, trainee, supervisor, add_entry):
    rejected = add_entry(trainee, supervisor, status="rejected", reason="Wrong category")
    fixed = services.resubmit_entry(trainee, rejected, data(supervisor, category="individual-child"))
    assert (fixed.revision_of_id, fixed.status, fixed.category) == (rejected.id, "pending", "individual-child")
    db.session.refresh(rejected)
    assert rejected.status == "rejected"
    with pytest.raises(HoursError, match="already corrected"):
        services.resubmit_entry(trainee, rejected, data(supervisor))
    pending = add_entry(trainee, supervisor)
    with pytest.raises(HoursError, match="Only a rejected entry"):
        services.resubmit_entry(trainee, pending, data(supervisor))


def test_a_signed_month_refuses_new_and_changed_entries(ctx, trainee, supervisor, add_entry):
    entry = add_entry(trainee, supervisor, date=dt.date(2025, 3, 3))
    db.session.add(SignedMonth(supervisor_id=supervisor.id, trainee_id=trainee.id, month="2025-03"))
    db.session.commit()
    for attempt in (lambda: services.log_hours(trainee, data(supervisor, date=dt.date(2025, 3, 20))),
                    lambda: services.edit_entry(trainee, entry, 1, data(supervisor, date=dt.date(2025, 4, 2))),
                    lambda: services.delete_entry(trainee, entry, 1)):
        with pytest.raises(HoursError, match="March 2025 is signed and locked"):
            attempt()
    assert services.log_hours(trainee, data(supervisor, date=dt.date(2025, 4, 2))).id


def test_description_problem():
    assert services.description_problem("Co-parenting session about handovers") is None
    assert "few words" in services.description_problem("")
    assert "280 characters" in services.description_problem("a" * 300)
    assert "a name" in services.description_problem("Phone call with Grandma Rosa about Tuesday pick-ups")


def test_accepted_vignette_count_comes_from_the_vignettes(app, trainee):
    assert services.accepted_vignette_count(trainee.id) == 0  # tests/vignettes count real acceptances


@pytest.mark.parametrize("row", [*demo.APPROVED, *demo.PENDING, *demo.SECOND_TRAINEE, demo.REJECTED[0]])
def test_demo_descriptions_pass_the_de_identification_check(row):
    assert services.description_problem(row[3]) is None


@pytest.mark.parametrize("text,month", [("2026-03", "2026-03"), (" 2026-3 ", "2026-03"), ("2026-13", None),
                                        ("march", None), ("", None), (None, None)])
def test_parse_month(text, month):
    assert services.parse_month(text) == month


def test_month_bounds():
    assert services.month_bounds("2025-12") == (dt.date(2025, 12, 1), dt.date(2026, 1, 1))
    assert services.month_bounds("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 3, 1))
