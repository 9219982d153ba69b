"""Two clicks, two tabs or two people acting on one consultation at once give one outcome."""

import pytest
from sqlalchemy import select

from tests.conftest import race
from tests.consult.conftest import signed_in
from trainer.audit import AuditEvent
from trainer.consult.models import Consultation, Status
from trainer.extensions import db


@pytest.fixture
def colleague(make_user):
    return make_user("supervisor", name="Cal Colleague", topics=["resist-refuse"])


def test_close_and_reassign_at_once_give_one_outcome(app, consult, trainee, supervisor, colleague):
    c = consult(trainee)
    trainee_side, supervisor_side = signed_in(app, trainee), signed_in(app, supervisor)
    cid, version, target = c.id, c.version, colleague.id  # threads must not touch the test's session
    responses = race(lambda: trainee_side.post(f"/consultations/{cid}/close", data={"close-version": version}),
            lambda: supervisor_side.post(f"/consultations/{cid}/reassign",
                                         data={"re-version": version, "re-supervisor": target}))
    assert all(r.status_code == 302 and "/login" not in r.location for r in responses)
    db.session.rollback()  # a fresh snapshot: the threads committed after ours began
    c = db.session.get(Consultation, cid)
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.in_(["consult.closed", "consult.reassigned"]))).all()
    assert len(actions) == 1 and c.version == version + 1
    if actions == ["consult.closed"]:
        assert (c.status, c.supervisor_id) == (Status.CLOSED, supervisor.id)
    else:
        assert (c.status, c.supervisor_id) == (Status.OPEN, colleague.id)


def test_two_clicks_on_close_close_it_once(app, consult, trainee, supervisor):
    c = consult(trainee)
    clients = [signed_in(app, trainee), signed_in(app, trainee)]
    cid, version = c.id, c.version
    race(*(lambda client=client: client.post(f"/consultations/{cid}/close", data={"close-version": version})
              for client in clients))
    db.session.rollback()
    assert len(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "consult.closed")).all()) == 1
