"""Admin journey in Chromium: invite a supervisor (who accepts and sets up two-step sign-in), read the
reports and the audit log."""
import re

import pyotp
import pytest

from tests.e2e.conftest import check_page, sign_in
from trainer.demo import DEMO_ACCOUNTS

pytestmark = pytest.mark.e2e
ADMIN = next(a for a in DEMO_ACCOUNTS if a.role == "admin")


def test_admin_invites_a_person(page, live_server):
    page.goto(live_server.url + "/login")
    check_page(page, "login")
    sign_in(page, live_server, ADMIN.email, ADMIN.password)
    check_page(page, "admin-dashboard")
    page.get_by_role("link", name="Invite a person").first.click()
    email = "invitee@demo.clinic"
    page.get_by_role("button", name="Send invitation").click()
    assert page.get_by_text("Enter their email.").is_visible()
    check_page(page, "admin-invite-errors")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Full name").fill("Ivy Invitee")
    page.get_by_label("Role").select_option("supervisor")
    page.get_by_role("button", name="Send invitation").click()
    assert page.get_by_role("heading", name="Invitation sent").is_visible()
    link = page.get_by_label("Invitation link").input_value()
    assert "/invite/" in link
    page.goto(live_server.url + "/admin/users?q=taylor")
    check_page(page, "admin-people")
    page.get_by_role("link", name="Taylor Trainee").click()
    check_page(page, "admin-person")
    read_reports_and_audit_log(page, email)
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_text("You are signed out.").is_visible()
    accept_invite_and_enrol(page, live_server, link, email)


def read_reports_and_audit_log(page, invited_email):
    page.get_by_role("link", name="Reports").click()
    assert page.get_by_role("heading", name="Cohort report").is_visible()
    check_page(page, "admin-reports")
    page.get_by_role("link", name="Audit log").click()
    assert page.get_by_role("heading", name="Audit log").is_visible()
    page.get_by_label("What").select_option("auth.")
    page.get_by_role("button", name="Filter").click()
    assert f"email: {invited_email}" in page.locator("table").inner_text()  # the invitation, just sent
    check_page(page, "admin-audit-log")
    page.get_by_role("link", name="Check the chain").click()
    assert page.get_by_text("The chain verifies.").is_visible()
    check_page(page, "admin-audit-chain")


def accept_invite_and_enrol(page, live_server, link, email):
    page.goto(link)
    check_page(page, "accept-invite")
    page.get_by_label("New password", exact=True).fill("amber-willow-compass-58")
    page.get_by_label("Repeat the new password").fill("amber-willow-compass-58")
    page.get_by_role("button", name="Create my account").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("amber-willow-compass-58")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", name="Set up two-step sign-in").is_visible()
    check_page(page, "enrol-two-step")
    secret = page.locator("code.secret").inner_text()
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    check_page(page, "recovery-codes")
    assert len(re.findall(r"[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}", page.content())) == 10
    page.get_by_role("link", name="I have saved them").click()
    assert page.get_by_role("heading", name="Welcome, Ivy Invitee").is_visible()
