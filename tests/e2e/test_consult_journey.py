"""Consultation journey in Chromium: a note full of identifiers in, only placeholders out, a reply, the hour logged."""
import pytest

from tests.e2e.conftest import check_page, sign_in
from trainer.demo import DEMO_ACCOUNTS

pytestmark = pytest.mark.e2e
TRAINEE = next(a for a in DEMO_ACCOUNTS if a.role == "trainee")
SUPERVISOR = next(a for a in DEMO_ACCOUNTS if a.role == "supervisor")
SUMMARY = ("Emma Johnson (age 9) has refused visits with her father Mark Johnson since March 3, 2024. Her "
           "grandmother calls her Bug; Bug told me she is scared of the car rides. She attends Lincoln Elementary "
           "School. Docket No. 2023-DR-01234 is before Judge Harriet Okafor. Next hearing on 11/14/2024.")
IDENTIFIERS = ("Emma", "Johnson", "Mark", "Bug", "March 3", "Lincoln", "2023-DR-01234", "Harriet", "11/14/2024")
SELECT_BUG = """() => {
  const walker = document.createTreeWalker(document.querySelector('.preview'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf('Bug');
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at); range.setEnd(node, at + 3);
      window.getSelection().removeAllRanges(); window.getSelection().addRange(range);
      return true;
    }
  }
  return false;
}"""


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_trainee_asks_supervisor_answers(page, live_server):
    sign_in(page, live_server, TRAINEE.email, TRAINEE.password)
    page.get_by_role("link", name="Consultations").first.click()
    check_page(page, "consult-list")
    page.get_by_role("link", name="Ask for a consultation").first.click()
    page.get_by_label("Your question").fill("Should I pause the Saturday visits for Emma?")
    page.get_by_label("Case summary").fill(SUMMARY)
    page.get_by_label("People in this case").fill("Emma Johnson, Mark Johnson")
    page.get_by_label("Resist/refuse dynamics").check()
    check_page(page, "consult-new")
    page.get_by_role("button", name="Preview the de-identified text").click()
    preview = page.locator(".preview")
    for placeholder in ("[PERSON-1]", "[DATE]", "[SCHOOL]", "[CASE-NUMBER]"):
        assert placeholder in preview.inner_text()
    assert "court or docket number" in preview.inner_text().lower()
    check_page(page, "consult-preview")
    assert page.evaluate(SELECT_BUG)
    page.get_by_role("button", name="Remove this too").click()
    assert page.get_by_label("More to remove").input_value() == "Bug"
    page.get_by_role("button", name="Check again").click()
    assert "Bug" not in page.locator(".preview").inner_text()
    page.get_by_label("I have read the preview").check()
    page.get_by_role("button", name="Send to a supervisor").click()
    assert page.get_by_text("Sent to Dr. Sam Supervisor").is_visible()
    check_page(page, "consult-thread-trainee")
    thread = page.url
    sign_out(page)

    sign_in(page, live_server, SUPERVISOR.email, SUPERVISOR.password)
    assert page.get_by_role("heading", name="Consultations waiting for you").is_visible()
    page.get_by_role("link", name="Consultations", exact=True).first.click()
    check_page(page, "consult-supervise")
    page.goto(thread)
    case = page.locator(".case").inner_text()
    assert not [i for i in IDENTIFIERS if i in case] and "[PERSON-1]" in case
    page.get_by_label("Your reply").fill("Ask [PERSON-1] what makes the car rides hard before changing anything.")
    page.get_by_role("button", name="Preview the reply").click()
    check_page(page, "consult-reply-preview")
    page.get_by_label("I have read the preview").check()
    page.get_by_role("button", name="Send reply").click()
    assert page.get_by_text("Reply sent.").is_visible()
    sign_out(page)

    sign_in(page, live_server, TRAINEE.email, TRAINEE.password)
    page.goto(thread)
    assert "what makes the car rides hard" in page.locator(".message").last.inner_text()
    assert page.get_by_text("Answered", exact=True).first.is_visible()
    page.get_by_label("Minutes spent").select_option("60")
    page.get_by_role("button", name="Log as consultation hours").click()
    assert page.get_by_text("Logged 60 minutes as consultation hours").is_visible()
    check_page(page, "consult-thread-hours")
