"""Vignette journey in Chromium with the demo accounts: the admin uploads a vignette with a PDF and an
audio file, decides the findings and publishes; the trainee responds; the supervisor returns it with
feedback and accepts the revision. Every page passes axe and fits the width."""
import pytest
from sqlalchemy import select

from tests.e2e.conftest import check_page, sign_in
from tests.learn.conftest import answers_for
from tests.vignettes import samples
from tests.vignettes.conftest import vtext
from trainer.auth.services import find_user
from trainer.demo import DEMO_ACCOUNTS
from trainer.extensions import db
from trainer.learn import services as learning
from trainer.learn.models import Module
from trainer.learn.progress import safety_cleared
from trainer.vignettes.document import to_markdown

pytestmark = pytest.mark.e2e
ACCOUNTS = {a.role: a for a in DEMO_ACCOUNTS}


def person(open_page, server, role):
    """A browser of this person's own, signed in."""
    page = open_page()
    sign_in(page, server, ACCOUNTS[role].email, ACCOUNTS[role].password)
    return page


def clear_safety_module(server):
    """The trainee completes the safety module (read, quiz passed), as they would before vignettes."""
    with server.app.app_context():
        trainee = find_user(ACCOUNTS["trainee"].email)
        if safety_cleared(trainee):
            return
        module = db.session.scalar(select(Module).where(Module.slug == "safety-first"))
        learning.mark_read(trainee, module)
        attempt = learning.open_attempt(trainee, module)
        learning.submit_attempt(trainee, module, attempt.id, answers_for(attempt))


def upload(page, server, tmp_path, title):
    (tmp_path / "case.md").write_text(to_markdown(vtext(title=title)))
    (tmp_path / "Referral letter.pdf").write_bytes(samples.PDF)
    (tmp_path / "Intake call.mp3").write_bytes(samples.MP3_ID3)
    page.get_by_role("link", name="Vignettes").first.click()
    check_page(page, "vignettes-admin-list")
    page.get_by_role("link", name="Add a vignette").click()
    check_page(page, "vignettes-upload-form")
    page.get_by_label("Markdown file").set_input_files(str(tmp_path / "case.md"))
    page.get_by_label("Attachments").set_input_files([str(tmp_path / "Referral letter.pdf"),
                                                      str(tmp_path / "Intake call.mp3")])
    page.get_by_role("button", name="Save draft and check for identifying details").click()
    assert page.get_by_text("Draft saved. Decide each highlighted finding, then publish.").is_visible()
    check_page(page, "vignettes-deid-review")


def decide_and_publish(page):
    for number, fieldset in enumerate(page.locator("fieldset.decision").all()):
        fieldset.get_by_label("Not identifying: keep it" if number == 0 else "Redact", exact=False).check()
    page.get_by_role("button", name="Save decisions").click()
    assert page.get_by_text("All are decided.").is_visible()
    page.get_by_role("button", name="Publish version 1").click()
    assert page.get_by_text("Version 1 is published in the library.").is_visible()
    check_page(page, "vignettes-published")


def respond(page, server, title, answers, first=True):
    page.goto(server.url + "/vignettes")
    check_page(page, "vignettes-library")
    page.get_by_role("link", name=title).click()
    check_page(page, "vignettes-vignette")
    assert page.get_by_role("link", name="Referral letter.pdf").is_visible()
    page.get_by_role("link", name="Write a response" if first else "Read the feedback and revise").click()
    check_page(page, "vignettes-response-form" if first else "vignettes-feedback")
    for number, text in enumerate(answers):
        page.get_by_label(f"Question {number + 1}", exact=False).fill(text)
    page.get_by_role("button", name="Preview and submit").click()
    check_page(page, "vignettes-preview")
    page.get_by_role("button", name="Submit to").click()
    assert page.get_by_text("Submitted to Dr. Sam Supervisor for review.").is_visible()


def review(page, server, decision):
    page.goto(server.url + "/supervise/vignettes")
    check_page(page, "vignettes-review-queue")
    page.locator("a.button.small").first.click()
    check_page(page, "vignettes-review")
    for criterion in page.locator("fieldset.criterion").all():
        criterion.get_by_label("Met", exact=True).check()
    if decision == "returned":
        page.get_by_label("Feedback to the trainee").fill("Say what you would screen for first.")
    page.get_by_label("Accept" if decision == "accepted" else "Return for revision", exact=False).check()
    page.get_by_role("button", name="Save review").click()
    assert page.get_by_text("Response accepted." if decision == "accepted" else "Response returned").is_visible()


def test_upload_publish_respond_return_and_accept(open_page, live_server, tmp_path):
    title = "The handover, seen in a browser"
    admin = person(open_page, live_server, "admin")
    upload(admin, live_server, tmp_path, title)
    decide_and_publish(admin)
    clear_safety_module(live_server)
    trainee = person(open_page, live_server, "trainee")
    respond(trainee, live_server, title, ["Fear, loyalty, or the handover itself.", "Ask Maria Lopez."])
    supervisor = person(open_page, live_server, "supervisor")
    review(supervisor, live_server, "returned")
    respond(trainee, live_server, title, ["Fear, loyalty, or the handover itself.",
                                          "Both parents apart, after a safety screen."], first=False)
    review(supervisor, live_server, "accepted")
    trainee.goto(live_server.url + "/")
    check_page(trainee, "vignettes-trainee-dashboard")
    assert trainee.get_by_text("accepted response (each vignette counts once").is_visible()
