"""Races on sign-off, quizzes and consultations against gunicorn workers and PostgreSQL.

Each race fires two real HTTP requests from two signed-in browsers at the same moment, several rounds
over: exactly one outcome, the loser told it lost in words, never a 5xx.
"""
import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.conftest import TEST_PASSWORD, current_code, race
from tests.consult.conftest import consult  # noqa: F401  (fixture)
from tests.hours.conftest import add_entry  # noqa: F401  (fixture)
from tests.integrity.conftest import Browser
from tests.learn.conftest import answers_for, module, render_once, synced  # noqa: F401  (fixtures)
from trainer.audit import AuditEvent
from trainer.consult.models import Consultation
from trainer.extensions import db
from trainer.hours.models import HourEntry, HourSignature
from trainer.learn import services as learning
from trainer.learn.models import QuizAttempt
from trainer.timeutil import utcnow

ROUNDS = 4
LOST = "already decided or changed since you loaded the page"


def browser_for(base: str, user) -> Browser:
    """A browser of its own, signed in through the real forms (with a code for supervisors)."""
    browser = Browser(base)
    step = browser.form_post("/login", {"email": user.email, "password": TEST_PASSWORD})
    if step.headers["Location"].endswith("/login/code"):
        step = browser.form_post("/login/code", {"code": current_code(user.email)})
    assert step.status_code == 302 and "/login" not in step.headers["Location"], "sign-in failed"
    return browser


def landed(browser: Browser, response) -> str:
    """The page a redirect lands on (where the flash message is)."""
    assert response.status_code == 302, response.status_code
    return browser.get(browser.base + response.headers["Location"]).text


def decisions_of(entry_id: int) -> list[str]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.target == f"hour_entries:{entry_id}", AuditEvent.action.in_(["hours.approved", "hours.rejected"]))))


@pytest.fixture
def sign_off(gunicorn, supervisor):
    """Two browsers of the supervisor, each with the sign-off form loaded."""
    tabs = [browser_for(gunicorn, supervisor), browser_for(gunicorn, supervisor)]

    def decide(tab, entry_id, choice, version=1):
        return tab.prepared_post("/supervise/hours", {"entries": f"{entry_id}:{version}", "decision": choice,
                                                      "reason": "Not collateral contact", "password": TEST_PASSWORD})
    return tabs, decide


@pytest.mark.parametrize("choices", [("approve", "approve"), ("approve", "reject")])
def test_two_decisions_on_one_entry_give_one(sign_off, trainee, supervisor, add_entry, choices):  # noqa: F811
    tabs, decide = sign_off
    for _ in range(ROUNDS):
        entry = add_entry(trainee, supervisor)
        responses = race(*[decide(tab, entry.id, choice) for tab, choice in zip(tabs, choices)])
        pages = [landed(tab, r) for tab, r in zip(tabs, responses)]
        assert sum("Signed 1 entry." in p for p in pages) == 1 and sum(LOST in p for p in pages) == 1
        assert len(decisions_of(entry.id)) == 1
    assert db.session.scalar(select(func.count(HourSignature.id))) == ROUNDS


def test_approving_an_entry_edited_after_the_form_loaded_is_refused(sign_off, gunicorn, trainee, supervisor,
                                                                    add_entry):  # noqa: F811
    tabs, decide = sign_off
    entry = add_entry(trainee, supervisor)
    approve = decide(tabs[0], entry.id, "approve")  # the form is loaded at version 1
    owner = browser_for(gunicorn, trainee)
    edited = owner.form_post(f"/hours/{entry.id}/edit", {"date": entry.date.isoformat(), "category": "conjoint",
                                                         "minutes": "90", "description": "Edited while signing",
                                                         "supervisor": supervisor.id, "version": "1"})
    assert edited.status_code == 302
    assert LOST in landed(tabs[0], approve())
    db.session.rollback()
    entry = db.session.get(HourEntry, entry.id)
    assert (entry.status, entry.version, entry.minutes, entry.signature_id) == ("pending", 2, 90, None)
    assert decisions_of(entry.id) == []


def test_two_submissions_of_the_last_allowed_attempt_give_one_result(gunicorn, synced, trainee):  # noqa: F811
    safety = module("safety-first")
    learning.mark_read(trainee, safety)
    allowed = learning.quiz_state(trainee, safety).version.max_attempts
    for days_ago in range(allowed - 1, 0, -1):  # earlier failures, each long past the pause before the next
        past = utcnow() - dt.timedelta(days=days_ago)
        attempt = learning.open_attempt(trainee, safety, now=past)
        learning.submit_attempt(trainee, safety, attempt.id, answers_for(attempt, wrong=3), now=past)
    last = learning.open_attempt(trainee, safety)
    answers = answers_for(last)
    form = {"attempt": last.id, **{f"answer-{q}": ids for q, ids in answers.items()}}
    path = "/courses/reunification-protocol/safety-first/quiz"
    devices = [browser_for(gunicorn, trainee), browser_for(gunicorn, trainee)]
    responses = race(*[device.prepared_post(path, form) for device in devices])
    assert all(r.status_code == 302 for r in responses), [r.status_code for r in responses]
    pages = [landed(device, r) for device, r in zip(devices, responses)]
    assert sum("Passed: " in p for p in pages) == 1
    assert sum("already submitted" in p or "not open" in p for p in pages) == 1
    db.session.rollback()
    submitted = db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == trainee.id,
                                                             QuizAttempt.submitted_at.is_not(None))).all()
    assert len(submitted) == allowed and [a.passed for a in submitted].count(True) == 1


def test_two_hand_offs_of_one_consultation_give_one(gunicorn, consult, trainee, supervisor, make_user):  # noqa: F811
    colleagues = [make_user("supervisor", topics=["resist-refuse"]) for _ in range(2)]
    tabs = [browser_for(gunicorn, supervisor), browser_for(gunicorn, supervisor)]
    for _ in range(ROUNDS):
        case = consult(trainee)
        path, version = f"/consultations/{case.id}", case.version
        responses = race(*[tab.prepared_post(path, {"re-supervisor": colleague.id, "re-version": version},
                                             action=f"{path}/reassign") for tab, colleague in zip(tabs, colleagues)])
        # The loser is told it changed, or (when the winner committed before its lookup) that it has moved on.
        pages = [r.text if r.status_code == 404 else landed(tab, r) for tab, r in zip(tabs, responses)]
        assert sum("Passed to " in p for p in pages) == 1
        assert sum("Someone changed this consultation a moment ago" in p or "may have been passed on" in p
                   for p in pages) == 1
        db.session.rollback()
        moved = db.session.get(Consultation, case.id)
        assert moved.supervisor_id in {c.id for c in colleagues} and moved.version == version + 1
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "consult.reassigned", AuditEvent.target == f"consultations:{case.id}")) == 1
