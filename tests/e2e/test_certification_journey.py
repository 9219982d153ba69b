"""Trainee and supervisor in Chromium: finish the course, log hours, sign off, claim and verify a certificate."""
import datetime as dt
import re

import pytest
from sqlalchemy import select

from tests.e2e.conftest import check_page, sign_in
from tests.learn.conftest import answers_for
from trainer.auth.services import find_user
from trainer.demo import DEMO_ACCOUNTS
from trainer.extensions import db
from trainer.learn.models import Module, QuizAttempt

pytestmark = pytest.mark.e2e
SUPERVISOR, TRAINEE = DEMO_ACCOUNTS[1], DEMO_ACCOUNTS[2]
MODULE = "/courses/reunification-protocol/consultation-and-supervision"


def open_attempt_answers(server, wrong: int) -> dict[str, list[str]]:
    """The answers to the trainee's open attempt (right except the first `wrong`)."""
    with server.app.app_context():
        user = find_user(TRAINEE.email)
        module = db.session.scalar(select(Module).where(Module.slug == "consultation-and-supervision"))
        attempt = db.session.scalar(select(QuizAttempt).where(
            QuizAttempt.user_id == user.id, QuizAttempt.module_id == module.id,
            QuizAttempt.submitted_at.is_(None)))
        return answers_for(attempt, wrong)


def skip_the_pause(server) -> None:
    """Move the failed attempt back past the pause between attempts."""
    with server.app.app_context():
        user = find_user(TRAINEE.email)
        for attempt in db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user.id)):
            if attempt.submitted_at:
                attempt.submitted_at -= dt.timedelta(minutes=31)
        db.session.commit()


def take_quiz(page, server, wrong: int) -> None:
    page.goto(server.url + MODULE + "/quiz")
    for question, choices in open_attempt_answers(server, wrong).items():
        for choice in choices:
            page.check(f'input[name="answer-{question}"][value="{choice}"]')
    page.get_by_role("button", name="Submit answers").click()


def finish_the_course(page, server):
    page.goto(server.url + "/courses")
    check_page(page, "catalogue")
    page.goto(server.url + MODULE)
    check_page(page, "module")
    page.get_by_role("button", name="Mark as read").first.click()
    page.goto(server.url + MODULE + "/quiz")
    check_page(page, "quiz")
    take_quiz(page, server, wrong=4)
    assert page.get_by_text("Not passed").first.is_visible() or "failed" in page.content().lower()
    check_page(page, "quiz-failed")
    skip_the_pause(server)
    take_quiz(page, server, wrong=0)
    check_page(page, "quiz-passed")
    page.goto(server.url + "/courses")
    assert "8 of 8 modules complete" in page.content()


def log_hours(page, server):
    page.goto(server.url + "/hours/new")
    page.get_by_label("Date of the work").fill((dt.date.today() - dt.timedelta(days=1)).isoformat())
    page.get_by_label("Category").select_option("conjoint")
    page.get_by_label("Minutes").fill("30")
    page.get_by_label("What you did").fill("Maya's conjoint session")
    page.get_by_role("button", name="Log hours").click()
    assert "looks like it contains a name" in page.content()
    check_page(page, "log-hours-refused")
    page.get_by_label("What you did").fill("Conjoint session: short goodbye practice")
    page.get_by_role("button", name="Log hours").click()
    page.wait_for_url(re.compile(r".*/hours.*"))
    check_page(page, "hours-log")


def sign_off(page, server):
    sign_in(page, server, SUPERVISOR.email, SUPERVISOR.password)
    page.goto(server.url + "/supervise/hours")
    check_page(page, "sign-off-queue")
    rows = page.locator("tbody tr")
    for index in range(rows.count()):
        row = rows.nth(index)
        if "Taylor" in row.inner_text() and "Collateral" not in row.inner_text():
            row.locator("input[type=checkbox]").check()
    page.get_by_label("Your password, as your signature").fill(SUPERVISOR.password)
    page.get_by_role("button", name="Sign the selected entries").click()
    assert "Signed" in page.content()
    check_page(page, "signed")
    page.locator("tbody tr", has_text="Collateral").locator("input[type=checkbox]").check()
    page.get_by_role("radio", name="Reject").check()
    page.get_by_label("Reason for rejecting").fill("Scheduling is not collateral contact.")
    page.get_by_label("Your password, as your signature").fill(SUPERVISOR.password)
    page.get_by_role("button", name="Sign the selected entries").click()
    assert "Signed 1 entry" in page.content()


def claim_and_verify(page, public, server):
    page.goto(server.url + "/")
    check_page(page, "trainee-dashboard-met")
    page.goto(server.url + "/certificates")
    page.get_by_role("button", name="Claim the certificate").first.click()
    check_page(page, "certificate-claimed")
    link = page.locator("a[href*='/certificates/verify/']").first.get_attribute("href")
    public.goto(link if link.startswith("http") else server.url + link)
    assert "Valid" in public.content() and TRAINEE.name in public.content()
    check_page(public, "certificate-verify")


def test_trainee_meets_the_program_with_the_supervisors_sign_off(open_page, live_server):
    trainee, supervisor, public = open_page(), open_page(), open_page()
    sign_in(trainee, live_server, TRAINEE.email, TRAINEE.password)
    check_page(trainee, "trainee-dashboard")
    finish_the_course(trainee, live_server)
    log_hours(trainee, live_server)
    sign_off(supervisor, live_server)
    claim_and_verify(trainee, public, live_server)
