"""Races on accounts against gunicorn workers and PostgreSQL: exactly one outcome each."""
from sqlalchemy import func, select

from tests.conftest import TEST_PASSWORD, current_code, race
from tests.integrity.conftest import Browser
from trainer.audit import AuditEvent
from trainer.auth import services as accounts
from trainer.auth.models import User
from trainer.extensions import db


def count(action: str) -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == action))


def test_one_code_two_sign_ins_one_wins(gunicorn, supervisor):
    clients = [Browser(gunicorn), Browser(gunicorn)]
    for client in clients:
        step = client.form_post("/login", {"email": supervisor.email, "password": TEST_PASSWORD})
        assert step.headers["Location"].endswith("/login/code")
    code = current_code(supervisor.email)
    results = race(*[c.prepared_post("/login/code", {"code": code}) for c in clients])
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200, 302], statuses
    loser = next(r for r in results if r.status_code == 200)
    assert "That code is not right" in loser.text
    db.session.rollback()
    assert count("auth.sign_in") == 1


def test_one_invitation_two_acceptances_one_account(gunicorn, admin, app):
    with app.test_request_context(base_url=gunicorn):
        link = accounts.invite_person(admin, "racer@example.org", "Rae Racer", "trainee", None)
    path = link.split(gunicorn, 1)[1]
    clients = [Browser(gunicorn), Browser(gunicorn)]
    data = {"password": "copper-lantern-orchard-64", "confirm": "copper-lantern-orchard-64"}
    results = race(*[c.prepared_post(path, data) for c in clients])
    assert sorted(r.status_code for r in results) in ([302, 410], [200, 302]), [r.status_code for r in results]
    assert all(r.status_code < 500 for r in results)
    db.session.rollback()
    assert db.session.scalar(select(func.count(User.id)).where(User.email == "racer@example.org")) == 1
    assert count("auth.invite_accepted") == 1
