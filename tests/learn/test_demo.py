"""seed-demo gives the demo trainee some learning progress, syncing the courses first when needed."""
from sqlalchemy import select

from trainer.auth.services import find_user
from trainer.extensions import db
from trainer.learn.models import ModuleRead, QuizAttempt
from trainer.learn.progress import module_completions, safety_cleared


def test_seed_demo_syncs_courses_when_missing_and_seeds_progress(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "The courses were not loaded yet, so they were synced" in result.output
    trainee = find_user("trainee@demo.clinic")
    completed = [c.module_slug for c in module_completions(trainee.id)]
    assert len(completed) == 7 and completed[:2] == ["what-is-reunification", "safety-first"]
    assert "consultation-and-supervision" not in completed  # left for the demo journey
    first = db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == trainee.id)
                               .order_by(QuizAttempt.id).limit(2)).all()
    assert [a.passed for a in first] == [False, True]
    assert len(db.session.scalars(select(ModuleRead).where(ModuleRead.user_id == trainee.id)).all()) == 7
    assert safety_cleared(trainee)


def test_seed_demo_uses_courses_already_synced(runner, synced):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0 and "not loaded yet" not in result.output
