"""Signing in and out, sessions, passwords, resets and invitations over HTTP."""
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import TEST_PASSWORD, login
from trainer.auth.models import Invitation, PasswordReset, User
from trainer.auth.services import SIGN_IN_FAILED
from trainer.extensions import db
from trainer.mail import OutboxMessage
from trainer.timeutil import utcnow

NEW_PASSWORD = "violet-harbor-lantern-93"


def outbox_link(prefix: str) -> str:
    body = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first().body
    return next(word for word in body.split() if prefix in word).split("localhost", 1)[1]


def test_sign_in_lands_on_dashboard(client, trainee):
    response = login(client, trainee)
    assert response.status_code == 302 and response.location == "/"
    assert "Tia Trainee" in client.get("/").text


def test_email_is_case_insensitive(client, trainee):
    assert login(client, "  TRAINEE@Example.ORG ").status_code == 302


@pytest.mark.parametrize("email,password", [
    ("trainee@example.org", "wrong-password-entirely"),
    ("nobody@example.org", TEST_PASSWORD),
])
def test_wrong_password_and_unknown_email_say_the_same(client, trainee, email, password):
    response = login(client, email, password)
    assert response.status_code == 200
    assert SIGN_IN_FAILED in response.text
    assert "Sign in" in response.text


def test_deactivated_account_cannot_sign_in(client, trainee):
    trainee.active = False
    db.session.commit()
    assert SIGN_IN_FAILED in login(client, trainee).text


def test_account_locks_after_ten_failures_across_workers(make_app, trainee, app):
    """Two apps stand in for two gunicorn workers sharing one database."""
    workers = [make_app().test_client(), make_app().test_client()]
    for attempt in range(10):
        login(workers[attempt % 2], trainee, "wrong-password-entirely")
    response = login(workers[0], trainee)
    assert "Too many failed sign-ins" in response.text
    assert "Too many failed sign-ins" in login(workers[1], trainee).text


def test_nine_failures_then_success_clears_the_count(client, trainee):
    for _ in range(9):
        login(client, trainee, "wrong-password-entirely")
    assert login(client, trainee).status_code == 302


def test_address_locks_after_ten_failures_on_many_accounts(client, make_user):
    for n in range(10):
        login(client, f"someone{n}@example.org", "wrong-password-entirely")
    user = make_user("trainee")
    assert "Too many failed sign-ins" in login(client, user).text


def test_redis_throttle_shared_by_workers(make_app, redis_url, app, trainee):
    workers = [make_app(REDIS_URL=redis_url).test_client() for _ in range(2)]
    for attempt in range(10):
        login(workers[attempt % 2], trainee, "wrong-password-entirely")
    assert "Too many failed sign-ins" in login(workers[1], trainee).text


def test_sign_out_is_post_only_and_ends_copied_cookies(client, trainee):
    login(client, trainee)
    copied = client.get_cookie("trainer_session").value
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    client.set_cookie("trainer_session", copied)
    response = client.get("/account/password")
    assert response.status_code == 302 and "/login" in response.location


def test_idle_session_expires_after_thirty_minutes(client, trainee):
    login(client, trainee)
    with client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 31 * 60
    response = client.get("/account/password")
    assert response.status_code == 302 and "/login" in response.location


def test_session_expires_after_twelve_hours_even_when_busy(client, trainee):
    login(client, trainee)
    with client.session_transaction() as session:
        session["login_at"] = int(time.time()) - 12 * 3600 - 1
    assert "/login" in client.get("/account/password").location


def test_remember_me_makes_a_persistent_cookie(client, trainee):
    assert "Expires" not in _session_cookie(login(client, trainee))
    client.post("/logout")
    assert "Expires" in _session_cookie(login(client, trainee, remember="y"))


def _session_cookie(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("trainer_session="))


def test_next_goes_only_to_this_site(client, trainee):
    assert login_with_next(client, trainee, "/account/password") == "/account/password"
    for evil in ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]:
        client.post("/logout")
        assert login_with_next(client, trainee, evil) == "/"


def login_with_next(client, user, target):
    response = client.post("/login?next=" + target.replace("&", "%26"),
                           data={"email": user.email, "password": TEST_PASSWORD})
    return response.location


def test_change_password_ends_other_sessions(make_app, app, trainee):
    here, elsewhere = make_app().test_client(), make_app().test_client()
    login(here, trainee)
    login(elsewhere, trainee)
    response = here.post("/account/password", data={
        "current_password": TEST_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert here.get("/account/password").status_code == 200
    assert "/login" in elsewhere.get("/account/password").location
    here.post("/logout")
    assert login(here, trainee, NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize("data,message", [
    ({"current_password": "not-it-at-all", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
     "current password is not right"),
    ({"current_password": TEST_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"},
     "do not match"),
    ({"current_password": TEST_PASSWORD, "password": "short", "confirm": "short"}, "at least 12"),
    ({"current_password": TEST_PASSWORD, "password": "x" * 129, "confirm": "x" * 129}, "Field cannot be longer"),
    ({"current_password": TEST_PASSWORD, "password": "passwordpassword", "confirm": "passwordpassword"},
     "too easy to guess"),
])
def test_change_password_refuses_bad_input(client, trainee, data, message):
    login(client, trainee)
    response = client.post("/account/password", data=data)
    assert response.status_code == 200
    assert message in response.text
    assert login(client.application.test_client(), trainee).status_code == 302  # old password still works


def test_password_reset_by_one_time_link(client, trainee):
    response = client.post("/password/reset", data={"email": "TRAINEE@example.org"})
    assert "reset link is on its way" in client.get(response.location).text
    link = outbox_link("/password/reset/")
    assert db.session.scalar(select(PasswordReset.token_hash)) not in link  # only the digest is stored
    assert client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert login(client, trainee, NEW_PASSWORD).status_code == 302
    client.post("/logout")
    reused = client.post(link, data={"password": "another-fine-phrase-77", "confirm": "another-fine-phrase-77"})
    assert "expired or was already used" in reused.text


def test_reset_for_unknown_email_says_the_same_and_sends_nothing(client):
    response = client.post("/password/reset", data={"email": "nobody@example.org"})
    assert response.status_code == 302
    assert db.session.scalar(select(OutboxMessage)) is None


def test_expired_reset_link_is_refused(client, trainee):
    client.post("/password/reset", data={"email": trainee.email})
    link = outbox_link("/password/reset/")
    db.session.execute(db.update(PasswordReset).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert "expired or was already used" in response.text


def test_invitation_accept_once(client, login_as, admin, supervisor):
    login_as(admin)
    response = client.post("/admin/users/invite", data={
        "email": "New.Person@Example.org", "name": "Nia New", "role": "trainee", "supervisor": supervisor.id})
    assert response.status_code == 200 and "Invitation sent" in response.text
    link = outbox_link("/invite/")
    client.post("/logout")
    page = client.get(link)
    assert "Nia New" in page.text and "new.person@example.org" in page.text
    assert client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new.person@example.org"))
    assert user.role == "trainee" and user.supervisor_id == supervisor.id
    client.post("/logout")
    assert client.get(link).status_code == 410
    assert client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 410


def test_expired_invitation_is_refused(client, login_as, admin):
    login_as(admin)
    client.post("/admin/users/invite", data={"email": "late@example.org", "name": "Lee Late", "role": "trainee"})
    link = outbox_link("/invite/")
    db.session.execute(db.update(Invitation).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    client.post("/logout")
    assert "expired or was already used" in client.get(link).text


def test_unknown_invite_token(client):
    assert client.get("/invite/not-a-real-token").status_code == 410


@pytest.mark.parametrize("body", [
    b"email=%FF%FE%FD&password=%C3%28",                 # not UTF-8
    "email=😀@example.org&password=🔑🔑🔑".encode(),      # emoji
    b"email=" + b"a" * 5000 + b"&password=x",           # over-long
])
def test_odd_sign_in_input_gets_a_message(client, body):
    response = client.post("/login", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "not right" in response.text or "do not match" in response.text or "longer" in response.text
