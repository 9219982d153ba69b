"""Every route × every role (and anonymous) → the expected status."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import login
from tests.learn.conftest import synced  # noqa: F401  (fixture: the shipped courses, synced)
from trainer.consult.models import Consultation, Status
from trainer.extensions import db
from trainer.hours.models import HourEntry
from trainer.learn.models import Vignette
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
    "/admin/audit": (LOGIN, FORBIDDEN, FORBIDDEN, OK),
    "/admin/audit/verify": (LOGIN, FORBIDDEN, FORBIDDEN, OK),
    "/courses": (LOGIN, OK, OK, OK),
    "/courses/{course}": (LOGIN, OK, OK, OK),
    "/courses/{course}/{module}": (LOGIN, OK, OK, OK),
    "/courses/{course}/{module}/quiz": (LOGIN, OK, FORBIDDEN, FORBIDDEN),
    "/courses/progress/{trainee}": (LOGIN, OK, OK, OK),
    "/hours": (LOGIN, OK, FORBIDDEN, FORBIDDEN),
    "/hours/new": (LOGIN, OK, FORBIDDEN, FORBIDDEN),
    "/hours/export.csv": (LOGIN, OK, FORBIDDEN, FORBIDDEN),
    "/hours/report.pdf": (LOGIN, OK, FORBIDDEN, FORBIDDEN),
    "/supervise/hours": (LOGIN, FORBIDDEN, OK, FORBIDDEN),
    "/supervise/trainees/{trainee}": (LOGIN, FORBIDDEN, OK, OK),
    "/admin/reports": (LOGIN, FORBIDDEN, FORBIDDEN, OK),
    "/admin/reports.csv": (LOGIN, FORBIDDEN, FORBIDDEN, OK),
    "/admin/hours": (LOGIN, FORBIDDEN, FORBIDDEN, OK),
    "/certificates": (LOGIN, OK, FORBIDDEN, FORBIDDEN),
    "/admin/certificates": (LOGIN, FORBIDDEN, FORBIDDEN, OK),
    "/consultations": (LOGIN, OK, ELSEWHERE, OK),
    "/consultations/new": (LOGIN, OK, FORBIDDEN, FORBIDDEN),
    "/consultations/{consultation}": (LOGIN, OK, OK, NOT_FOUND),  # admins see metadata only, in the list
    "/supervise/consultations": (LOGIN, FORBIDDEN, OK, FORBIDDEN),
    # vignettes: this trainee has not completed the safety module, so the library shows its lock
    # and the pages behind it are 403 (tests/vignettes/test_views.py covers a cleared trainee)
    "/vignettes": (LOGIN, OK, OK, OK),
    "/vignettes/{vignette}": (LOGIN, FORBIDDEN, OK, OK),
    "/vignettes/{vignette}/response": (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "/supervise/vignettes": (LOGIN, FORBIDDEN, OK, OK),
    "/admin/vignettes": (LOGIN, FORBIDDEN, FORBIDDEN, OK),
    "/admin/vignettes/new": (LOGIN, FORBIDDEN, FORBIDDEN, OK),
    "/admin/vignettes/{vignette_id}": (LOGIN, FORBIDDEN, FORBIDDEN, OK),
}
# Routes that take a token or are POST-only are covered by their own tests.
NOT_IN_TABLE = {"/static/<path:filename>", "/invite/<token>", "/password/reset/<token>", "/logout",
                "/login/code", "/login/enrol", "/account/security/enrol", "/account/security/recovery-codes",
                "/account/security/disable",
                "/admin/users/<int:user_id>/role", "/admin/users/<int:user_id>/active",
                "/admin/users/<int:user_id>/supervisor", "/admin/users/<int:user_id>/expertise",
                # tests/learn/test_views.py: POST-only, or needs a submitted attempt
                "/courses/<course>/<module>/read", "/courses/<course>/<module>/quiz/attempts/<int:attempt_id>",
                "/courses/progress/<int:user_id>/<course>/<module>/grant",
                # hours and certificates: entry, lock and certificate routes are tested per object
                "/hours/<int:entry_id>/edit", "/hours/<int:entry_id>/delete", "/hours/<int:entry_id>/resubmit",
                "/admin/hours/months/<int:lock_id>/reopen", "/admin/hours/entries/<int:entry_id>/reassign",
                "/certificates/claim", "/certificates/<int:cert_id>/download", "/certificates/verify/<code>",
                "/admin/certificates/<int:cert_id>/revoke",
                # below: POST-only consultation actions
                "/consultations/<int:consultation_id>/reply", "/consultations/<int:consultation_id>/close",
                "/consultations/<int:consultation_id>/reassign", "/consultations/<int:consultation_id>/hours",
                "/admin/users/<int:user_id>/conflicts",
                "/admin/users/<int:user_id>/conflicts/<int:conflict_id>/remove", "/admin/users/<int:user_id>/on-call",
                # tests/vignettes/test_views.py: need an uploaded vignette, a file or a response, or are POST-only
                "/vignettes/<slug>/files/<int:attachment_id>", "/supervise/vignettes/<int:response_id>",
                "/admin/vignettes/<int:vignette_id>/edit", "/admin/vignettes/<int:vignette_id>/export.md",
                "/admin/vignettes/<int:vignette_id>/decisions", "/admin/vignettes/<int:vignette_id>/publish",
                "/admin/vignettes/<int:vignette_id>/discard", "/admin/vignettes/<int:vignette_id>/archive",
                "/admin/vignettes/<int:vignette_id>/restore", "/admin/vignettes/<int:vignette_id>/attachments",
                "/admin/vignettes/<int:vignette_id>/attachments/<int:attachment_id>/remove"}


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
    vignette_id = db.session.scalar(select(Vignette.id).where(Vignette.slug == "weekend-refusal"))
    for template, expected in GET_TABLE.items():
        path = template.format(trainee=people["trainee"].id, course="reunification-protocol", module="safety-first",
                               vignette="weekend-refusal", vignette_id=vignette_id, consultation=consultation.id)
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


# POST routes of hours and certificates: (path, roles allowed past the role check)
POST_TABLE = {
    "/hours/new": {"trainee"},
    "/hours/1/edit": {"trainee"},
    "/hours/1/delete": {"trainee"},
    "/hours/1/resubmit": {"trainee"},
    "/supervise/hours": {"supervisor"},
    "/admin/hours/months/1/reopen": {"admin"},
    "/admin/hours/entries/1/reassign": {"admin"},
    "/certificates/claim": {"trainee"},
    "/admin/certificates/1/revoke": {"admin"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", sorted(POST_TABLE))
def test_hours_and_certificate_posts_check_the_role(client, people, role, path):
    if role != "anonymous":
        login(client, people[role])
    response = client.post(path, data={})
    if role == "anonymous":
        assert response.status_code == LOGIN and "/login" in response.location
    elif role in POST_TABLE[path]:
        assert response.status_code not in (FORBIDDEN, 500) and "/login" not in (response.location or "")
    else:
        assert response.status_code == FORBIDDEN


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
@pytest.mark.parametrize("action", ["", "/reply", "/close", "/reassign", "/hours"])
def test_outsiders_get_404_on_a_consultation(client, people, make_user, consultation, outsider, action):
    person = {"other-trainee": lambda: make_user("trainee"), "other-supervisor": lambda: make_user("supervisor"),
              "admin": lambda: people["admin"]}[outsider]()
    login(client, person)
    data = {"body": "hello", "action": "send", "confirm": "y", "close-version": 1, "re-version": 1, "hours-minutes": 30}
    response = client.post(f"/consultations/{consultation.id}{action}", data=data) if action else \
        client.get(f"/consultations/{consultation.id}")
    role_only = {"/reassign": "other-supervisor", "/hours": "other-trainee"}  # others fail the role check first
    expected = FORBIDDEN if action in role_only and outsider != role_only[action] else NOT_FOUND
    assert response.status_code == expected
    db.session.refresh(consultation)
    assert (consultation.status, consultation.supervisor_id, consultation.messages) == \
        (Status.OPEN, people["supervisor"].id, [])
    assert db.session.scalar(select(HourEntry.id)) is None


def test_only_the_assigned_supervisor_reassigns(client, people, consultation):
    login(client, people["trainee"])
    response = client.post(f"/consultations/{consultation.id}/reassign", data={"re-version": 1})
    assert response.status_code == FORBIDDEN


def _shape(path: str) -> str:
    """A route with its variable parts blanked: /courses/<course> and /courses/{course} agree."""
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", path)


def test_table_covers_every_route(app):
    """A new route must be added to the table (or to its own tests) to pass."""
    listed = {_shape(path) for path in [*GET_TABLE, *NOT_IN_TABLE]}
    missing = {rule.rule for rule in app.url_map.iter_rules() if _shape(rule.rule) not in listed}
    assert not missing, f"routes without a permission row: {sorted(missing)}"
