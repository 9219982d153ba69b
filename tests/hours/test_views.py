"""Hours pages over HTTP: logging with clear errors, forged posts refused, the queue, exports, admin tools."""
import csv
import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from tests.conftest import TEST_PASSWORD
from tests.hours.conftest import DAY
from trainer.auth.models import SupervisionAgreement
from trainer.extensions import db
from trainer.hours.models import HourEntry, SignedMonth

GOOD = {"date": "2025-03-10", "category": "conjoint", "minutes": "60",
        "description": "Conjoint session: structured play and a repair conversation"}


def entries() -> int:
    return db.session.scalar(select(func.count(HourEntry.id)))


@pytest.fixture
def as_trainee(client, login_as, trainee):
    return login_as(trainee)


@pytest.fixture
def as_supervisor(client, login_as, supervisor):
    return login_as(supervisor)


def test_log_hours_defaults_to_the_primary_supervisor(as_trainee, trainee, supervisor):
    page = as_trainee.get("/hours/new")
    assert page.status_code == 200 and f'<option selected value="{supervisor.id}">' in page.text
    response = as_trainee.post("/hours/new", data={**GOOD, "supervisor": supervisor.id})
    assert response.status_code == 302 and response.location == "/hours"
    entry = db.session.scalar(select(HourEntry))
    assert (entry.trainee_id, entry.supervisor_id, entry.minutes) == (trainee.id, supervisor.id, 60)


@pytest.mark.parametrize("change,message", [
    ({"minutes": "50"}, "in steps of 15"),
    ({"minutes": "725"}, "between 15 minutes and 12 hours"),
    ({"minutes": "abc"}, "Not a valid integer value"),
    ({"minutes": ""}, "Enter the minutes"),
    ({"date": (dt.date.today() + dt.timedelta(days=3)).isoformat()}, "cannot be in the future"),
    ({"date": "2019-12-31"}, "covers work from 1 January 2020 on"),
    ({"date": "31/02/2025"}, "Not a valid date value"),
    ({"description": "x" * 300}, "Keep the description to 280 characters; it has 300."),
    ({"description": ""}, "Describe the work in a few words"),
    ({"description": "Conjoint session with Maya Okafor and her dad at Lincoln Elementary"},
     "This looks like it contains a name, a school. Describe the work, not the family"),
    ({"description": "Court report for case FC-2024-01873, hearing 03/14/2026"}, "a case number, a date"),
    ({"category": "didactic"}, "Choose a category from the list."),
    ({"supervisor": "not-a-number"}, "Invalid Choice"),
])
def test_bad_input_gets_a_clear_message_and_saves_nothing(as_trainee, supervisor, change, message):
    response = as_trainee.post("/hours/new", data={**GOOD, "supervisor": supervisor.id, **change})
    assert response.status_code == 400 and message in response.text
    assert entries() == 0


def test_a_supervisor_without_an_agreement_is_a_form_error(as_trainee, make_user):
    stranger = make_user("supervisor")
    response = as_trainee.post("/hours/new", data={**GOOD, "supervisor": stranger.id})
    assert response.status_code == 400 and "no supervision agreement with that person" in response.text
    assert 'id="supervisor-error"' in response.text and entries() == 0


def test_no_agreement_at_all_is_explained(client, login_as, make_user):
    login_as(make_user("trainee"))
    assert "You have no supervision agreement yet" in client.get("/hours/new").text


@pytest.mark.parametrize("method,path", [("get", "/hours/{id}/edit"), ("post", "/hours/{id}/edit"),
                                         ("post", "/hours/{id}/delete"), ("get", "/hours/{id}/resubmit"),
                                         ("post", "/hours/{id}/resubmit")])
def test_another_trainees_entry_is_a_404_and_stays_unchanged(as_trainee, make_user, supervisor, add_entry,
                                                             method, path):
    theirs = add_entry(make_user("trainee", supervisor=supervisor), supervisor, status="rejected")
    response = getattr(as_trainee, method)(path.format(id=theirs.id),
                                           data={**GOOD, "supervisor": supervisor.id, "version": 1})
    assert response.status_code == 404
    db.session.refresh(theirs)
    assert (theirs.version, theirs.status, entries()) == (1, "rejected", 1)


def test_edit_with_the_version_shown_and_a_tampered_version(as_trainee, trainee, supervisor, add_entry):
    entry = add_entry(trainee, supervisor)
    assert 'name="version" type="hidden" value="1"' in as_trainee.get(f"/hours/{entry.id}/edit").text
    tampered = as_trainee.post(f"/hours/{entry.id}/edit", data={**GOOD, "minutes": "90", "version": "7",
                                                                "supervisor": supervisor.id})
    assert tampered.status_code == 400 and "signed or changed since you opened it" in tampered.text
    db.session.refresh(entry)
    assert (entry.minutes, entry.version) == (60, 1)
    saved = as_trainee.post(f"/hours/{entry.id}/edit", data={**GOOD, "minutes": "90", "version": "1",
                                                             "supervisor": supervisor.id})
    assert saved.status_code == 302
    db.session.refresh(entry)
    assert (entry.minutes, entry.version) == (90, 2)


def test_a_decided_entry_cannot_be_edited_or_deleted(as_trainee, trainee, supervisor, add_entry):
    entry = add_entry(trainee, supervisor, status="approved", decided_by_id=supervisor.id)
    page = as_trainee.get(f"/hours/{entry.id}/edit", follow_redirects=True)
    assert "This entry is decided, so it cannot change" in page.text
    forced = as_trainee.post(f"/hours/{entry.id}/edit", data={**GOOD, "minutes": "720", "version": "1",
                                                              "supervisor": supervisor.id})
    assert forced.status_code == 400 and "signed or changed" in forced.text
    gone = as_trainee.post(f"/hours/{entry.id}/delete", data={"version": "1"}, follow_redirects=True)
    assert "signed or changed" in gone.text
    db.session.refresh(entry)
    assert (entry.minutes, entry.status, entries()) == (60, "approved", 1)


def test_delete_a_pending_entry_at_its_version(as_trainee, trainee, supervisor, add_entry):
    entry = add_entry(trainee, supervisor)
    stale = as_trainee.post(f"/hours/{entry.id}/delete", data={"version": "0"}, follow_redirects=True)
    assert "signed or changed" in stale.text and entries() == 1
    assert "The entry is deleted" in as_trainee.post(f"/hours/{entry.id}/delete", data={"version": "1"},
                                                     follow_redirects=True).text
    assert entries() == 0


def test_correct_a_rejected_entry(as_trainee, trainee, supervisor, add_entry):
    rejected = add_entry(trainee, supervisor, status="rejected", reason="Wrong category, this was co-parenting",
                         decided_by_id=supervisor.id)
    page = as_trainee.get(f"/hours/{rejected.id}/resubmit")
    assert "Wrong category, this was co-parenting" in page.text
    sent = as_trainee.post(f"/hours/{rejected.id}/resubmit", data={**GOOD, "category": "co-parenting",
                                                                   "supervisor": supervisor.id})
    assert sent.status_code == 302
    fixed = db.session.scalar(select(HourEntry).where(HourEntry.revision_of_id == rejected.id))
    assert fixed.category == "co-parenting" and fixed.status == "pending"
    log = as_trainee.get("/hours").text
    assert "Corrected" in log and "Correct and send again" not in log
    again = as_trainee.post(f"/hours/{rejected.id}/resubmit", data={**GOOD, "supervisor": supervisor.id})
    assert again.status_code == 400 and "already corrected" in again.text and entries() == 2
    pending = add_entry(trainee, supervisor)
    assert as_trainee.get(f"/hours/{pending.id}/resubmit").status_code == 302


def test_log_filters_by_status_and_month_and_shows_module_credit(as_trainee, trainee, supervisor, add_entry,
                                                                  complete_course):
    add_entry(trainee, supervisor, date=dt.date(2025, 3, 3), description="March pending work")
    add_entry(trainee, supervisor, date=dt.date(2025, 4, 3), description="April approved work", status="approved",
              decided_by_id=supervisor.id, decided_at=dt.datetime(2025, 4, 5))
    complete_course(trainee, modules=[90], when=dt.datetime(2025, 4, 20, 9, 0))
    everything = as_trainee.get("/hours").text
    assert "March pending work" in everything and "April approved work" in everything
    assert "Completed module: Module 0" in everything and "credited from a module" in everything
    approved = as_trainee.get("/hours?status=approved").text
    assert "March pending work" not in approved and "Completed module" in approved
    pending = as_trainee.get("/hours?status=pending").text
    assert "March pending work" in pending and "Completed module" not in pending
    march = as_trainee.get("/hours?month=2025-03").text
    assert "March pending work" in march and "April approved work" not in march and "Completed module" not in march
    bad = as_trainee.get("/hours?month=soon&status=weird")
    assert bad.status_code == 200 and "Choose a month like" in bad.text and "March pending work" in bad.text


def test_the_log_pages(as_trainee, trainee, supervisor, add_entry):
    for day in range(1, 31):
        add_entry(trainee, supervisor, date=dt.date(2025, 3, day), description=f"Work of day {day:02d}")
    first, second = as_trainee.get("/hours").text, as_trainee.get("/hours?page=2").text
    assert "Page 1 of 2" in first and "Work of day 30" in first and "Work of day 01" not in first
    assert "Work of day 01" in second and as_trainee.get("/hours?page=99").status_code == 200


def test_totals_per_category(as_trainee, trainee, supervisor, add_entry):
    add_entry(trainee, supervisor, minutes=90, status="approved")
    add_entry(trainee, supervisor, minutes=30)
    page = as_trainee.get("/hours").text
    row = page.split("Conjoint parent–child session</th>")[1].split("</tr>")[0]
    assert [cell.split(">")[1].split("<")[0] for cell in row.split("<td")[1:]] == ["1.5", "0.5", "0"]


def test_csv_export_has_decisions_and_neutralised_cells(as_trainee, trainee, supervisor, add_entry,
                                                         complete_course):
    add_entry(trainee, supervisor, status="approved", description='=HYPERLINK("http://evil")',
              decided_by_id=supervisor.id, decided_at=dt.datetime(2025, 3, 11, 9, 30))
    add_entry(trainee, supervisor, description="still pending")
    complete_course(trainee, modules=[60])
    response = as_trainee.get("/hours/export.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["source"] for r in rows] == ["module", "logged"]
    logged = rows[1]
    assert logged["description"] == "'=HYPERLINK(\"http://evil\")" and logged["decided_by"] == supervisor.name
    assert logged["decided_at"] == "2025-03-11T09:30:00" and "still pending" not in response.text


def test_transcript_pdf(as_trainee, trainee, supervisor, add_entry):
    add_entry(trainee, supervisor, status="approved", decided_by_id=supervisor.id)
    response = as_trainee.get("/hours/report.pdf")
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_dashboard_panel_shows_progress_and_the_chart(as_trainee, trainee, supervisor, add_entry):
    add_entry(trainee, supervisor, minutes=600, status="approved")
    page = as_trainee.get("/").text
    assert "Certification progress" in page and '<svg class="hours-chart"' in page
    assert "10 of 20 h approved" in page and "Not enough recent activity" in page


def test_queue_shows_only_this_supervisors_pending_entries(as_supervisor, make_user, trainee, supervisor,
                                                          add_entry):
    other = make_user("supervisor")
    add_entry(trainee, supervisor, description="Mine to sign")
    add_entry(make_user("trainee", supervisor=other), other, description="Someone else's")
    add_entry(trainee, supervisor, description="Already approved", status="approved")
    page = as_supervisor.get("/supervise/hours").text
    assert "Mine to sign" in page and "Someone else" not in page and "Already approved" not in page
    assert f"{trainee.name} (1 waiting)" in page


def test_queue_filters_and_whole_month_button(as_supervisor, make_user, trainee, supervisor, add_entry):
    second = make_user("trainee", supervisor=supervisor, name="Second Person")
    add_entry(trainee, supervisor, date=dt.date(2025, 3, 4), description="March one")
    add_entry(trainee, supervisor, date=dt.date(2025, 4, 4), description="April one")
    add_entry(second, supervisor, date=dt.date(2025, 3, 5), description="Second's March")
    unfiltered = as_supervisor.get("/supervise/hours").text
    assert "lock the month" not in unfiltered and "filter by one trainee and one month" in unfiltered
    march = as_supervisor.get(f"/supervise/hours?trainee={trainee.id}&month=2025-03").text
    assert "March one" in march and "April one" not in march and "Second's March" not in march
    assert "Approve all 1 entries of 2025-03 and lock the month" in march


def test_approve_from_the_queue(as_supervisor, trainee, supervisor, add_entry):
    entry = add_entry(trainee, supervisor)
    response = as_supervisor.post("/supervise/hours", data={"entries": f"{entry.id}:1", "decision": "approve",
                                                            "password": TEST_PASSWORD, "scope": "selected"},
                                  follow_redirects=True)
    assert "Signed 1 entry." in response.text and "Nothing waits for your signature" in response.text
    db.session.refresh(entry)
    assert entry.status == "approved"


def test_whole_month_from_the_queue_locks_it(as_supervisor, trainee, supervisor, add_entry):
    march = [add_entry(trainee, supervisor, date=dt.date(2025, 3, d)) for d in (2, 9)]
    response = as_supervisor.post(
        f"/supervise/hours?trainee={trainee.id}&month=2025-03",
        data={"month_entries": [f"{e.id}:1" for e in march], "decision": "reject", "password": TEST_PASSWORD,
              "scope": "month"}, follow_redirects=True)
    assert "Signed 2 entries." in response.text and "2025-03 is signed and locked" in response.text
    assert {e.status for e in db.session.scalars(select(HourEntry))} == {"approved"}
    assert db.session.scalar(select(SignedMonth)).month == "2025-03"


@pytest.mark.parametrize("data,message", [
    ({"password": "wrong-password-entirely"}, "That password is not right, so nothing was signed."),
    ({"password": ""}, "Enter your password to sign."),
    ({"entries": "12; DROP TABLE"}, "The form was changed in a way the page does not allow"),
    ({"entries": []}, "Select at least one entry to sign."),
    ({"decision": "reject", "reason": ""}, "Say why you reject the entries"),
    ({"decision": "reject", "reason": "x" * 501}, "Keep the reason to 500 characters."),
])
def test_bad_sign_off_posts_sign_nothing(as_supervisor, trainee, supervisor, add_entry, data, message):
    entry = add_entry(trainee, supervisor)
    form = {"entries": f"{entry.id}:1", "decision": "approve", "password": TEST_PASSWORD, **data}
    response = as_supervisor.post("/supervise/hours", data=form)
    assert response.status_code == 400 and message in response.text
    db.session.refresh(entry)
    assert entry.status == "pending" and entry.signature_id is None


@pytest.mark.parametrize("forgery", ["decided", "tampered_version", "not_mine"])
def test_forged_picks_are_reported_not_signed(as_supervisor, make_user, trainee, supervisor, add_entry, forgery):
    other = make_user("supervisor")
    target = {"decided": lambda: add_entry(trainee, supervisor, status="rejected", reason="no"),
              "tampered_version": lambda: add_entry(trainee, supervisor),
              "not_mine": lambda: add_entry(make_user("trainee", supervisor=other), other)}[forgery]()
    version = 2 if forgery == "tampered_version" else 1
    response = as_supervisor.post("/supervise/hours", data={"entries": f"{target.id}:{version}",
                                                            "decision": "approve", "password": TEST_PASSWORD},
                                  follow_redirects=True)
    assert "1 entry was already decided or changed since you loaded the page" in response.text
    db.session.refresh(target)
    assert target.signature_id is None and target.status == ("rejected" if forgery == "decided" else "pending")


@pytest.mark.parametrize("role,status", [("trainee", 403), ("admin", 403)])
def test_only_supervisors_post_to_the_queue(client, login_as, make_user, trainee, supervisor, add_entry, role,
                                            status):
    entry = add_entry(trainee, supervisor)
    login_as(trainee if role == "trainee" else make_user("admin"))
    response = client.post("/supervise/hours", data={"entries": f"{entry.id}:1", "decision": "approve",
                                                     "password": TEST_PASSWORD})
    assert response.status_code == status
    db.session.refresh(entry)
    assert entry.status == "pending"


def test_trainee_progress_for_own_trainees_only(client, login_as, make_user, trainee, supervisor):
    stranger = make_user("trainee", supervisor=make_user("supervisor"))
    login_as(supervisor)
    assert trainee.name in client.get(f"/supervise/trainees/{trainee.id}").text
    assert client.get(f"/supervise/trainees/{stranger.id}").status_code == 404
    assert client.get(f"/supervise/trainees/{supervisor.id}").status_code == 404


def test_supervisor_dashboard_counts_waiting_entries(as_supervisor, trainee, supervisor, add_entry):
    add_entry(trainee, supervisor)
    add_entry(trainee, supervisor)
    assert "2 waiting" in as_supervisor.get("/").text


@pytest.fixture
def as_admin(client, login_as, admin):
    return login_as(admin)


def test_cohort_report_and_csv(as_admin, make_user, trainee, supervisor, add_entry, complete_course):
    evil = make_user("trainee", name="=cmd|' /C calc'!A0", supervisor=supervisor)
    add_entry(trainee, supervisor, minutes=600, status="approved")
    add_entry(evil, supervisor, minutes=120)
    complete_course(trainee)
    page = as_admin.get("/admin/reports").text
    assert trainee.name in page and "2 trainees" in page and "1 of 4 met" in page
    response = as_admin.get("/admin/reports.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:6] == ["name", "email", "supervisor", "approved_hours", "pending_hours", "last_work"]
    by_email = {row[1]: row for row in rows[1:]}
    assert by_email[evil.email][0] == "'=cmd|' /C calc'!A0" and by_email[evil.email][4] == "2.0"
    assert by_email[trainee.email][3] == "10.0" and by_email[trainee.email][6] == "1/4"


def test_admin_reopens_a_month_and_reassigns_an_entry(as_admin, make_user, trainee, supervisor, add_entry):
    other = make_user("supervisor", name="Other Supervisor")
    db.session.add(SupervisionAgreement(trainee_id=trainee.id, supervisor_id=other.id, starts_on=DAY))
    lock = SignedMonth(supervisor_id=supervisor.id, trainee_id=trainee.id, month="2025-02")
    db.session.add(lock)
    db.session.commit()
    entry = add_entry(trainee, supervisor)
    page = as_admin.get("/admin/hours").text
    assert "2025-02" in page and "Other Supervisor" in page
    assert "Say why the month is reopened" in as_admin.post(f"/admin/hours/months/{lock.id}/reopen",
                                                            data={"reason": ""}, follow_redirects=True).text
    assert "2025-02 is open again" in as_admin.post(f"/admin/hours/months/{lock.id}/reopen",
                                                    data={"reason": "Mistyped date"}, follow_redirects=True).text
    moved = as_admin.post(f"/admin/hours/entries/{entry.id}/reassign",
                          data={"supervisor": other.id, "version": "1"}, follow_redirects=True)
    assert "now waits for Other Supervisor" in moved.text
    assert as_admin.post("/admin/hours/entries/999999/reassign", data={"supervisor": other.id}).status_code == 404
