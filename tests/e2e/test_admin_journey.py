"""Admin journey in Chromium: sign in, invite a person, find them, sign out."""
import pytest

from tests.e2e.conftest import check_page, sign_in
from trainer.demo import DEMO_ACCOUNTS

pytestmark = pytest.mark.e2e
ADMIN = next(a for a in DEMO_ACCOUNTS if a.role == "admin")


def test_admin_invites_a_person(page, live_server):
    page.goto(live_server + "/login")
    check_page(page, "login")
    sign_in(page, live_server, ADMIN.email, ADMIN.password)
    check_page(page, "admin-dashboard")
    page.get_by_role("link", name="Invite a person").first.click()
    email = f"invitee-{page.width}@demo.clinic"
    page.get_by_role("button", name="Send invitation").click()
    assert page.get_by_text("Enter their email.").is_visible()
    check_page(page, "admin-invite-errors")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Full name").fill("Ivy Invitee")
    page.get_by_role("button", name="Send invitation").click()
    assert page.get_by_role("heading", name="Invitation sent").is_visible()
    assert "/invite/" in page.get_by_label("Invitation link").input_value()
    page.goto(live_server + "/admin/users?q=taylor")
    check_page(page, "admin-people")
    page.get_by_role("link", name="Taylor Trainee").click()
    check_page(page, "admin-person")
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_text("You are signed out.").is_visible()
