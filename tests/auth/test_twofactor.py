"""Two-step sign-in: required for supervisors and admins, optional for trainees, audited."""
import re

import pyotp
import pytest
from sqlalchemy import select, update

from tests.conftest import TEST_PASSWORD, current_code, login
from trainer.audit import AuditEvent
from trainer.auth.models import User
from trainer.extensions import db


def actions():
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]


def password_step(client, user):
    return client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})


def test_supervisor_needs_the_code_after_the_password(client, supervisor):
    response = password_step(client, supervisor)
    assert response.location.endswith("/login/code")
    assert client.get("/account/security").status_code == 302  # not signed in yet
    wrong = client.post("/login/code", data={"code": "000000"})
    assert "That code is not right" in wrong.text
    ok = client.post("/login/code", data={"code": current_code(supervisor.email)})
    assert ok.status_code == 302 and ok.location == "/"
    assert client.get("/account/security").status_code == 200
    assert actions()[-2:] == ["auth.2fa_failed", "auth.sign_in"]


def test_a_code_works_only_once(make_app, app, supervisor):
    first, second = make_app().test_client(), make_app().test_client()
    code = current_code(supervisor.email)
    for client in (first, second):
        password_step(client, supervisor)
    assert first.post("/login/code", data={"code": code}).status_code == 302
    assert "That code is not right" in second.post("/login/code", data={"code": code}).text


def test_recovery_codes_work_once(client, make_user):
    person = make_user("admin", totp_secret=None)
    assert password_step(client, person).location.endswith("/login/enrol")
    page = client.get("/login/enrol").text
    secret = re.search(r'class="secret">([A-Z2-7]+)<', page).group(1)
    assert 'src="data:image/png;base64,' in page
    codes_page = client.post("/login/enrol", data={"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<code>([0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4})</code>", codes_page.text)
    assert len(codes) == 10
    assert "auth.2fa_enrolled" in actions()
    client.post("/logout")
    password_step(client, person)
    response = client.post("/login/code", data={"code": codes[0].upper()})
    assert response.status_code == 302
    assert "9 remain" in client.get("/").text
    client.post("/logout")
    password_step(client, person)
    assert "That code is not right" in client.post("/login/code", data={"code": codes[0]}).text
    assert "auth.recovery_code_used" in actions()


def test_enrolment_refuses_a_wrong_code(client, make_user):
    person = make_user("supervisor", totp_secret=None)
    password_step(client, person)
    client.get("/login/enrol")
    response = client.post("/login/enrol", data={"code": "123456"})
    assert "does not match" in response.text
    assert db.session.get(User, person.id).totp_secret is None


def test_code_failures_count_toward_the_lock(client, supervisor):
    for _ in range(10):
        password_step(client, supervisor)
        client.post("/login/code", data={"code": "000000"})
    assert "Too many failed sign-ins" in password_step(client, supervisor).text


def test_held_sign_in_expires(client, supervisor):
    password_step(client, supervisor)
    with client.session_transaction() as session:
        session["held"] = {**session["held"], "at": session["held"]["at"] - 301}
    response = client.post("/login/code", data={"code": current_code(supervisor.email)})
    assert response.location.endswith("/login")


def test_code_page_without_a_password_step_goes_back(client):
    assert client.get("/login/code").location.endswith("/login")
    assert client.get("/login/enrol").location.endswith("/login")


def test_trainee_may_turn_it_on_and_off(client, trainee):
    assert login(client, trainee).location == "/"
    assert "Off." in client.get("/account/security").text
    page = client.get("/account/security/enrol").text
    secret = re.search(r'class="secret">([A-Z2-7]+)<', page).group(1)
    client.post("/account/security/enrol", data={"code": pyotp.TOTP(secret).now()})
    client.post("/logout")
    assert password_step(client, trainee).location.endswith("/login/code")
    db.session.execute(update(User).values(totp_last_step=None))
    db.session.commit()
    client.post("/login/code", data={"code": pyotp.TOTP(secret).now()})
    client.post("/account/security/disable")
    assert "Off." in client.get("/account/security").text
    assert "auth.2fa_disabled" in actions()


def test_supervisors_cannot_turn_it_off(client, supervisor):
    login(client, supervisor)
    client.post("/account/security/disable")
    assert db.session.get(User, supervisor.id).totp_secret is not None


@pytest.mark.parametrize("role", ["trainee", "supervisor"])
def test_new_recovery_codes_replace_the_old(client, make_user, role):
    person = make_user(role, totp_secret=pyotp.random_base32())
    login(client, person)
    first = client.post("/account/security/recovery-codes").text
    second = client.post("/account/security/recovery-codes").text
    assert re.findall(r"<code>(.+?)</code>", first) != re.findall(r"<code>(.+?)</code>", second)
    assert "10 unused recovery codes left" in client.get("/account/security").text
