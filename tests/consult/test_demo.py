"""seed-demo leaves one answered consultation between the demo trainee and supervisor, and someone on call."""
from sqlalchemy import select

from trainer.auth.services import find_user
from trainer.consult.models import Consultation, Status
from trainer.extensions import db


def test_seed_demo_has_an_answered_consultation_and_an_on_call_supervisor(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    trainee, supervisor = find_user("trainee@demo.clinic"), find_user("supervisor@demo.clinic")
    c = db.session.scalar(select(Consultation))
    assert (c.trainee_id, c.supervisor_id, c.status, c.route_rule) == \
        (trainee.id, supervisor.id, Status.ANSWERED, "own-supervisor")
    assert [m.author_id for m in c.messages] == [supervisor.id]
    for name in ("Lily", "Moreno", "Daniel", "Rosa", "Oakwood", "2023-FL-00417"):
        assert name not in c.question + c.summary + c.messages[0].body
    assert "[PERSON-1]" in c.summary and c.removed == {"COURT_CASE": 1, "DATE": 1, "PERSON": 7, "SCHOOL": 1}
    assert find_user("second.supervisor@demo.clinic").on_call
