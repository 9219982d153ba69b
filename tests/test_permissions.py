"""Every route × every role (and anonymous) → the expected status."""
from datetime import timedelta

import pytest

from tests.conftest import login
from tests.learn.conftest import synced  # noqa: F401  (fixture: the shipped courses, synced)
from trainer.consult.models import Consultation, Status
from trainer.extensions import db
from trainer.timeutil import utcnow

ROLES = ("anonymous", "trainee", "supervisor", "admin")
LOGIN = 302  # sent to the sign-in page
ELSEWHERE = 302  # sent to the page for their role
OK, FORBIDDEN, NOT_FOUND = 200, 403, 404

# path: (anonymous, trainee, supervisor, admin)
GET_TABLE = {
    "/": (OK, OK, OK, OK),
    "/healthz": (OK, OK, OK, OK),
    "/login": (OK, LOGIN, LOGIN, LOGIN),
    "/password/reset": (OK, OK, OK, OK),
    "/account/password": (LOGIN, OK, OK, OK),
    "/account/security": (LOGIN, OK, OK, OK),
    "/admin/users": (LOGIN, FORBIDDEN, FORBIDDEN, OK),
    "/admin/users/invite": (LOGIN, FORBIDDEN, FORBIDDEN, OK),
    "/admin/users/{trainee}": (LOGIN, FORBIDDEN, FORBIDDEN, OK),
    "/courses": (LOGIN, OK, OK, OK),
    "/courses/{course}": (LOGIN, OK, OK, OK),
    "/courses/{course}/{module}": (LOGIN, OK, OK, OK),
    "/courses/{course}/{module}/quiz": (LOGIN, OK, FORBIDDEN, FORBIDDEN),
    "/courses/progress/{trainee}": (LOGIN, OK, OK, OK),
    "/consultations": (LOGIN, OK, ELSEWHERE, OK),
    "/consultations/new": (LOGIN, OK, FORBIDDEN, FORBIDDEN),
    "/consultations/{consultation}": (LOGIN, OK, OK, NOT_FOUND),  # admins see metadata only, in the list
    "/supervise/consultations": (LOGIN, FORBIDDEN, OK, FORBIDDEN),
}
PLACEHOLDERS = {"{trainee}": "<int:user_id>", "{course}": "<course>", "{module}": "<module>",
                "{consultation}": "<int:consultation_id>"}
# Routes that take a token or are POST-only are covered by their own tests.
NOT_IN_TABLE = {"/static/<path:filename>", "/invite/<token>", "/password/reset/<token>", "/logout",
                "/login/code", "/login/enrol", "/account/security/enrol", "/account/security/recovery-codes",
                "/account/security/disable",
                "/admin/users/<int:user_id>/role", "/admin/users/<int:user_id>/active",
                "/admin/users/<int:user_id>/supervisor", "/admin/users/<int:user_id>/expertise",
                # tests/learn/test_views.py: POST-only, or needs a submitted attempt
                "/courses/<course>/<module>/read", "/courses/<course>/<module>/quiz/attempts/<int:attempt_id>",
                "/courses/progress/<int:user_id>/<course>/<module>/grant",
                # below: POST-only consultation actions
                "/consultations/<int:consultation_id>/reply", "/consultations/<int:consultation_id>/close",
                "/consultations/<int:consultation_id>/reassign", "/admin/users/<int:user_id>/conflicts",
                "/admin/users/<int:user_id>/conflicts/<int:conflict_id>/remove", "/admin/users/<int:user_id>/on-call"}


@pytest.fixture
def people(admin, supervisor, trainee):
    return {"admin": admin, "supervisor": supervisor, "trainee": trainee}


@pytest.fixture
def consultation(people):
    """A consultation of the trainee's, routed to the supervisor (stored directly: the trainee is not cleared)."""
    row = Consultation(trainee_id=people["trainee"].id, supervisor_id=people["supervisor"].id, question="[PERSON-1]?",
                       summary="About [PERSON-1].", topics=["other"], route_rule="own-supervisor", route_reason="test",
                       due_at=utcnow() + timedelta(days=3))
    db.session.add(row)
    db.session.commit()
    return row


@pytest.mark.parametrize("role", ROLES)
def test_get_permissions(client, people, synced, consultation, role):
    if role != "anonymous":
        login(client, people[role])
    for template, expected in GET_TABLE.items():
        path = template.format(trainee=people["trainee"].id, course="reunification-protocol", module="safety-first",
                               consultation=consultation.id)
        status = client.get(path).status_code
        assert status == expected[ROLES.index(role)], f"{role} GET {path}: {status}"


@pytest.mark.parametrize("role", ["anonymous", "trainee", "supervisor"])
@pytest.mark.parametrize("action", ["role", "active", "supervisor", "expertise"])
def test_only_admins_post_admin_actions(client, people, role, action):
    if role != "anonymous":
        login(client, people[role])
    response = client.post(f"/admin/users/{people['trainee'].id}/{action}", data={"role-role": "admin"})
    assert response.status_code == (LOGIN if role == "anonymous" else FORBIDDEN)
    assert people["trainee"].role == "trainee"


@pytest.mark.parametrize("role", ["anonymous", "trainee", "supervisor"])
@pytest.mark.parametrize("action", ["conflicts", "on-call", "conflicts/1/remove"])
def test_only_admins_post_consultation_admin_actions(client, people, role, action):
    if role != "anonymous":
        login(client, people[role])
    response = client.post(f"/admin/users/{people['supervisor'].id}/{action}",
                           data={"on_call": "1", "conflict-trainee": people["trainee"].id})
    assert response.status_code == (LOGIN if role == "anonymous" else FORBIDDEN)
    assert not people["supervisor"].on_call


@pytest.mark.parametrize("outsider", ["other-trainee", "other-supervisor", "admin"])
@pytest.mark.parametrize("action", ["", "/reply", "/close", "/reassign"])
def test_outsiders_get_404_on_a_consultation(client, people, make_user, consultation, outsider, action):
    person = {"other-trainee": lambda: make_user("trainee"), "other-supervisor": lambda: make_user("supervisor"),
              "admin": lambda: people["admin"]}[outsider]()
    login(client, person)
    data = {"body": "hello", "action": "send", "confirm": "y", "close-version": 1, "re-version": 1}
    response = client.post(f"/consultations/{consultation.id}{action}", data=data) if action else \
        client.get(f"/consultations/{consultation.id}")
    expected = FORBIDDEN if action == "/reassign" and outsider != "other-supervisor" else NOT_FOUND
    assert response.status_code == expected
    db.session.refresh(consultation)
    assert (consultation.status, consultation.supervisor_id, consultation.messages) == \
        (Status.OPEN, people["supervisor"].id, [])


def test_only_the_assigned_supervisor_reassigns(client, people, consultation):
    login(client, people["trainee"])
    response = client.post(f"/consultations/{consultation.id}/reassign", data={"re-version": 1})
    assert response.status_code == FORBIDDEN


def test_table_covers_every_route(app):
    """A new route must be added to the table (or to its own tests) to pass."""
    listed = set(NOT_IN_TABLE)
    for template in GET_TABLE:
        for placeholder, converter in PLACEHOLDERS.items():
            template = template.replace(placeholder, converter)
        listed.add(template)
    missing = {rule.rule for rule in app.url_map.iter_rules()} - listed
    assert not missing, f"routes without a permission row: {sorted(missing)}"
