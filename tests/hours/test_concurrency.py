"""Races: real concurrent requests (separate apps, connections and sessions) never decide twice."""
import datetime as dt
import re

from sqlalchemy import func, select

from tests.conftest import TEST_PASSWORD, race
from trainer.audit import AuditEvent
from trainer.auth.models import SupervisionAgreement
from trainer.extensions import db
from trainer.hours.models import HourSignature

ROUNDS = 5
SIGNED = "Signed 1 entry."
LOST = "already decided or changed since you loaded the page"
EDIT = {"date": "2025-03-10", "category": "conjoint", "minutes": "90", "description": "Edited while signing"}


def decision(client, entry_id, choice="approve", version=1):
    return lambda: client.post("/supervise/hours", data={
        "entries": f"{entry_id}:{version}", "decision": choice, "reason": "Not this one",
        "password": TEST_PASSWORD}, follow_redirects=True)


def hour_events(entry_id) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.target == f"hour_entries:{entry_id}", AuditEvent.action.in_(["hours.approved",
                                                                                "hours.rejected"]))))


def signatures() -> int:
    return db.session.scalar(select(func.count(HourSignature.id)))


def assert_one_winner(responses, entry_id):
    texts = [r.text for r in responses]
    assert all(r.status_code == 200 for r in responses)
    assert sum(SIGNED in t for t in texts) == 1 and sum(LOST in t for t in texts) == 1
    assert len(hour_events(entry_id)) == 1


def test_two_tabs_approve_and_reject_at_once(postgres_only, client_for, trainee, supervisor, add_entry):
    tab_a, tab_b = client_for(supervisor), client_for(supervisor)
    for _ in range(ROUNDS):
        entry = add_entry(trainee, supervisor)
        responses = race(decision(tab_a, entry.id, "approve"), decision(tab_b, entry.id, "reject"))
        assert_one_winner(responses, entry.id)
        db.session.refresh(entry)
        winner = "approved" if SIGNED in responses[0].text else "rejected"
        assert entry.status == winner and entry.signature_id is not None
    assert signatures() == ROUNDS


def test_a_double_click_signs_once(postgres_only, client_for, trainee, supervisor, add_entry):
    tab = client_for(supervisor)
    other_tab = client_for(supervisor)
    for _ in range(ROUNDS):
        entry = add_entry(trainee, supervisor)
        assert_one_winner(race(decision(tab, entry.id), decision(other_tab, entry.id)), entry.id)
    assert signatures() == ROUNDS


def test_reassignment_racing_approval_leaves_one_outcome(postgres_only, client_for, make_user, admin, trainee,
                                                         supervisor, add_entry):
    second = make_user("supervisor")
    db.session.add(SupervisionAgreement(trainee_id=trainee.id, supervisor_id=second.id, starts_on=dt.date(2020, 1, 1)))
    db.session.commit()
    signer, clinic = client_for(supervisor), client_for(admin)
    for _ in range(ROUNDS):
        entry = add_entry(trainee, supervisor)
        path, to = f"/admin/hours/entries/{entry.id}/reassign", second.id
        approve, moved = race(decision(signer, entry.id), lambda: clinic.post(
            path, data={"supervisor": to, "version": "1"}, follow_redirects=True))
        db.session.refresh(entry)
        if SIGNED in approve.text:
            assert entry.status == "approved" and entry.supervisor_id == supervisor.id
            assert "signed or changed" in moved.text
        else:
            assert LOST in approve.text and "now waits for" in moved.text
            assert (entry.status, entry.supervisor_id, entry.version) == ("pending", second.id, 2)


def test_an_edit_racing_an_approval_never_changes_a_signed_entry(postgres_only, client_for, trainee, supervisor,
                                                                 add_entry):
    signer, owner = client_for(supervisor), client_for(trainee)
    for _ in range(ROUNDS):
        entry = add_entry(trainee, supervisor)
        path, form = f"/hours/{entry.id}/edit", {**EDIT, "supervisor": supervisor.id, "version": "1"}
        approve, edit = race(decision(signer, entry.id), lambda: owner.post(path, data=form))
        db.session.refresh(entry)
        if SIGNED in approve.text:
            assert edit.status_code == 400 and "signed or changed" in edit.text
            assert (entry.status, entry.minutes, entry.version) == ("approved", 60, 1)
        else:
            assert LOST in approve.text and edit.status_code == 302
            assert (entry.status, entry.minutes, entry.version) == ("pending", 90, 2)
            assert entry.signature_id is None


def test_approving_a_version_the_trainee_has_since_edited_is_refused(client_for, trainee, supervisor, add_entry):
    entry = add_entry(trainee, supervisor)
    signer, owner = client_for(supervisor), client_for(trainee)
    loaded = re.search(r'name="entries" value="(\d+:\d+)"', signer.get("/supervise/hours").text).group(1)
    assert loaded == f"{entry.id}:1"
    assert owner.post(f"/hours/{entry.id}/edit", data={**EDIT, "supervisor": supervisor.id,
                                                       "version": "1"}).status_code == 302
    stale = signer.post("/supervise/hours", data={"entries": loaded, "decision": "approve",
                                                  "password": TEST_PASSWORD}, follow_redirects=True)
    assert LOST in stale.text
    db.session.refresh(entry)
    assert (entry.status, entry.version, entry.minutes) == ("pending", 2, 90)
    assert hour_events(entry.id) == [] and signatures() == 0
    assert "Edited while signing" in stale.text  # the reloaded queue shows the new version to sign
