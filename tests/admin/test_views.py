"""Admin pages for people: list, invite, roles, activation, supervision, expertise."""
from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import login
from trainer.auth.models import Invitation, SupervisionAgreement
from trainer.extensions import db


@pytest.fixture
def as_admin(client, login_as, admin):
    login_as(admin)
    return client


def test_people_list_search_filter_and_pages(as_admin, make_user):
    for _ in range(30):
        make_user("trainee")
    make_user("supervisor", name="Zed Findable")
    first = as_admin.get("/admin/users")
    assert "Page 1 of 2" in first.text and "32 people" in first.text
    assert "Page 2 of 2" in as_admin.get("/admin/users?page=2").text
    assert "Page 2 of 2" in as_admin.get("/admin/users?page=99").text  # clamped, not an error
    found = as_admin.get("/admin/users?q=findable")
    assert "Zed Findable" in found.text and "1 person" in found.text
    assert "No people match" in as_admin.get("/admin/users?q=nobody-at-all").text
    assert "32 people" not in as_admin.get("/admin/users?role=supervisor").text


@pytest.mark.parametrize("data,message", [
    ({"email": "not-an-email", "name": "A B", "role": "trainee"}, "Enter an email address"),
    ({"email": "admin@example.org", "name": "A B", "role": "trainee"}, "already has an account"),
    ({"email": "a@example.org", "name": "", "role": "trainee"}, "Enter their name"),
    ({"email": "a@example.org", "name": "x" * 200, "role": "trainee"}, "longer than 120"),
    ({"email": "a@example.org", "name": "A B", "role": "wizard"}, "Not a valid choice"),
])
def test_invite_refuses_bad_input(as_admin, data, message):
    response = as_admin.post("/admin/users/invite", data=data)
    assert response.status_code == 200 and message in response.text
    assert db.session.scalar(select(Invitation)) is None


def test_admin_cannot_change_own_role_or_deactivate_self(as_admin, admin):
    assert "cannot change your own role" in as_admin.post(
        f"/admin/users/{admin.id}/role", data={"role-role": "trainee"}).text
    assert "cannot deactivate your own" in as_admin.post(f"/admin/users/{admin.id}/active").text
    assert admin.role == "admin" and admin.active


def test_supervisor_with_trainees_keeps_role_until_reassigned(as_admin, supervisor, trainee):
    response = as_admin.post(f"/admin/users/{supervisor.id}/role", data={"role-role": "trainee"})
    assert response.status_code == 400 and "Assign this supervisor" in response.text
    assert supervisor.role == "supervisor"


def test_role_change_ends_the_persons_sessions(make_app, as_admin, trainee):
    theirs = make_app().test_client()
    login(theirs, trainee)
    as_admin.post(f"/admin/users/{trainee.id}/role", data={"role-role": "supervisor"})
    assert trainee.role == "supervisor" and trainee.supervisor_id is None
    assert "/login" in theirs.get("/account/password").location


def test_deactivate_signs_out_and_reactivate(make_app, as_admin, trainee):
    theirs = make_app().test_client()
    login(theirs, trainee)
    as_admin.post(f"/admin/users/{trainee.id}/active")
    assert not trainee.active
    assert "/login" in theirs.get("/account/password").location
    as_admin.post(f"/admin/users/{trainee.id}/active")
    assert trainee.active


def test_assign_supervisor_records_an_agreement(as_admin, make_user, supervisor):
    person = make_user("trainee")
    response = as_admin.post(f"/admin/users/{person.id}/supervisor",
                             data={"sup-supervisor": supervisor.id, "sup-starts_on": "2026-03-01"})
    assert response.status_code == 302
    assert person.supervisor_id == supervisor.id
    agreement = db.session.scalar(select(SupervisionAgreement).where(SupervisionAgreement.trainee_id == person.id))
    assert agreement.starts_on == date(2026, 3, 1)


def test_assign_refuses_a_non_supervisor(as_admin, make_user):
    person, other = make_user("trainee"), make_user("trainee")
    response = as_admin.post(f"/admin/users/{person.id}/supervisor",
                             data={"sup-supervisor": other.id, "sup-starts_on": "2026-03-01"})
    assert response.status_code == 400 and "Not a valid choice" in response.text
    assert person.supervisor_id is None


def test_expertise_saves_topics_and_capacity(as_admin, supervisor):
    response = as_admin.post(f"/admin/users/{supervisor.id}/expertise",
                             data={"exp-topics": ["safety-concern", "court-process"], "exp-capacity": "7"})
    assert response.status_code == 302
    assert supervisor.topics == ["court-process", "safety-concern"] and supervisor.capacity == 7
    bad = as_admin.post(f"/admin/users/{supervisor.id}/expertise", data={"exp-capacity": "500"})
    assert bad.status_code == 400 and "from 0 to 100" in bad.text


def test_unknown_person_is_404(as_admin):
    assert as_admin.get("/admin/users/99999").status_code == 404
