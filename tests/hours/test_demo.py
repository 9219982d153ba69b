"""The demo journey the README promises: log, sign, watch progress move, meet the program, claim, verify."""
import datetime as dt

from sqlalchemy import select

from tests.conftest import login
from tests.learn.conftest import answers_for
from tests.learn.test_views import form_data, open_attempt_id
from trainer.auth.services import find_user
from trainer.certificates.models import Certificate
from trainer.demo import DEMO_ACCOUNTS
from trainer.extensions import db
from trainer.hours.models import HourEntry
from trainer.hours.reports import standing_for
from trainer.learn.models import QuizAttempt
from trainer.timeutil import utcnow

TRAINEE, SUPERVISOR = DEMO_ACCOUNTS[2], DEMO_ACCOUNTS[1]


def foundations(user):
    return next(p for p in standing_for(user).programs if p.progress.program_id == "reunification-foundations")


def sign(client, entries, decision, reason=""):
    return client.post("/supervise/hours", data={"entries": [f"{e.id}:{e.version}" for e in entries],
                                                 "decision": decision, "reason": reason,
                                                 "password": SUPERVISOR.password}, follow_redirects=True)


def finish_the_last_module(client):
    """Read the one module the demo leaves, fail its quiz once, then pass it."""
    base = "/courses/reunification-protocol/consultation-and-supervision"
    client.post(base + "/read")
    for wrong in (3, 0):
        attempt = db.session.get(QuizAttempt, open_attempt_id(client.get(base + "/quiz")))
        client.post(base + "/quiz", data=form_data(attempt, answers_for(attempt, wrong)))
        attempt.submitted_at -= dt.timedelta(minutes=31)  # past the pause after a failed attempt
        db.session.commit()


def test_seeded_demo_is_close_to_the_foundations_program_and_the_journey_meets_it(app, runner, make_app):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    trainee, supervisor = find_user(TRAINEE.email), find_user(SUPERVISOR.email)
    start = foundations(trainee).progress
    assert not start.met_all
    assert [(r.label, r.approved, r.pending, r.met) for r in start.rows] == [
        ("The Reunification Protocol course", 0, 0, False), ("Direct reunification work", 18.5, 1.0, False),
        ("Supervision", 5.0, 1.0, False), ("Supervision per direct hour", 0.27, 0.308, True)]
    mine = db.session.scalars(select(HourEntry).where(HourEntry.trainee_id == trainee.id)).all()
    assert sorted({e.status for e in mine}) == ["approved", "pending", "rejected"]
    assert [e.reason for e in mine if e.status == "rejected"] == [
        "Two entries describe this session; the one of the same day already counts it."]

    as_trainee, as_supervisor = make_app().test_client(), make_app().test_client()
    login(as_trainee, TRAINEE.email, TRAINEE.password)
    login(as_supervisor, SUPERVISOR.email, SUPERVISOR.password)
    finish_the_last_module(as_trainee)
    logged = as_trainee.post("/hours/new", data={
        "date": (utcnow().date() - dt.timedelta(days=1)).isoformat(), "category": "conjoint", "minutes": "30",
        "supervisor": supervisor.id, "description": "Conjoint session: short goodbye practice"})
    assert logged.status_code == 302
    pending = db.session.scalars(select(HourEntry).where(HourEntry.trainee_id == trainee.id,
                                                         HourEntry.status == "pending")).all()
    scheduling = [e for e in pending if e.category == "collateral"]
    assert "Signed 3 entries." in sign(as_supervisor, [e for e in pending if e not in scheduling], "approve").text
    assert "Signed 1 entry." in sign(as_supervisor, scheduling, "reject", "Scheduling is not collateral").text

    assert foundations(trainee).progress.rows[0].met  # the course, finished over HTTP
    assert foundations(trainee).progress.met_all
    assert "Claim your certificate" in as_trainee.get("/").text
    assert "Your certificate is ready" in as_trainee.post(
        "/certificates/claim", data={"program": "reunification-foundations"}, follow_redirects=True).text
    code = db.session.scalar(select(Certificate.code))
    page = make_app().test_client().get(f"/certificates/verify/{code}").text
    assert TRAINEE.name in page and "Valid" in page
