"""Learning rules: reading, attempts (limits, cool-off, forged submissions), completion, grants, gates."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.learn.conftest import COURSE, answers_for, module, snapshot
from trainer.extensions import db
from trainer.learn import services
from trainer.learn.models import CourseCompletion, ModuleCompletion, QuizAttempt
from trainer.learn.progress import completed_course_slugs, module_completions, safety_cleared
from trainer.timeutil import utcnow

pytestmark = pytest.mark.usefixtures("synced")


def take(user, slug, wrong=0, now=None):
    """Open and submit an attempt; returns it."""
    row = module(slug)
    attempt = services.open_attempt(user, row, now=now)
    return services.submit_attempt(user, row, attempt.id, answers_for(attempt, wrong), now=now)


def completions(user) -> list[tuple[str, int]]:
    return [(c.module_slug, c.credit_minutes) for c in module_completions(user.id)]


def test_a_module_completes_when_read_and_passed_in_either_order(trainee):
    assert not services.mark_read(trainee, module("what-is-reunification"))
    assert take(trainee, "what-is-reunification").passed
    assert completions(trainee) == [("what-is-reunification", 60)]
    take(trainee, "safety-first")
    assert completions(trainee) == [("what-is-reunification", 60)]
    assert services.mark_read(trainee, module("safety-first"))
    assert completions(trainee) == [("what-is-reunification", 60), ("safety-first", 90)]


def test_marking_as_read_twice_records_once(trainee):
    services.mark_read(trainee, module("safety-first"))
    services.mark_read(trainee, module("safety-first"))
    take(trainee, "safety-first")
    assert not services.mark_read(trainee, module("safety-first"))
    assert len(completions(trainee)) == 1


def test_failing_credits_nothing(trainee):
    services.mark_read(trainee, module("safety-first"))
    attempt = take(trainee, "safety-first", wrong=3)
    assert not attempt.passed and attempt.score == attempt.total - 3
    assert completions(trainee) == []


def test_completing_every_module_completes_the_course(trainee):
    slugs = ["what-is-reunification", "safety-first", "family-systems", "co-parenting", "parent-child-repair",
             "pacing-and-process", "working-with-courts", "consultation-and-supervision"]
    for slug in slugs:
        services.mark_read(trainee, module(slug))
        assert completed_course_slugs(trainee.id) == set()
        take(trainee, slug)
    assert completed_course_slugs(trainee.id) == {COURSE}
    assert sum(c.credit_minutes for c in module_completions(trainee.id)) == 600
    assert db.session.scalar(select(CourseCompletion.course_title)) == "The Reunification Protocol"


def test_the_open_attempt_is_reused_with_its_choice_order(trainee):
    first = services.open_attempt(trainee, module("safety-first"))
    again = services.open_attempt(trainee, module("safety-first"))
    assert first.id == again.id and first.number == 1
    questions = first.quiz_version.questions
    assert set(first.choice_order) == {q["id"] for q in questions}
    for question in questions:
        assert sorted(first.choice_order[question["id"]]) == sorted(c["id"] for c in question["choices"])


def test_attempts_run_out_and_a_grant_adds_one(trainee, supervisor):
    start = utcnow() - timedelta(days=3)
    for n in range(3):
        take(trainee, "safety-first", wrong=3, now=start + timedelta(hours=n))
    with pytest.raises(services.LearningError, match="used all 3 attempts.*supervisor"):
        services.open_attempt(trainee, module("safety-first"))
    services.grant_attempt(supervisor, trainee, module("safety-first"))
    assert take(trainee, "safety-first").number == 4
    with pytest.raises(services.LearningError, match="passed this quiz"):
        services.open_attempt(trainee, module("safety-first"))


def test_only_the_trainees_supervisor_or_an_admin_grants(trainee, make_user, admin):
    other = make_user("supervisor")
    start = utcnow() - timedelta(days=3)
    for n in range(3):
        take(trainee, "safety-first", wrong=3, now=start + timedelta(hours=n))
    with pytest.raises(services.LearningError, match="Only the trainee's supervisor"):
        services.grant_attempt(other, trainee, module("safety-first"))
    services.grant_attempt(admin, trainee, module("safety-first"))
    with pytest.raises(services.LearningError, match="still has attempts left"):
        services.grant_attempt(admin, trainee, module("safety-first"))


def test_a_failed_attempt_starts_a_cool_off(trainee):
    failed_at = utcnow() - timedelta(minutes=10)
    take(trainee, "safety-first", wrong=3, now=failed_at)
    with pytest.raises(services.LearningError, match="30-minute pause"):
        services.open_attempt(trainee, module("safety-first"))
    later = failed_at + timedelta(minutes=31)
    assert services.open_attempt(trainee, module("safety-first"), now=later).number == 2


def forged_attempt(user, slug, number, **fields):
    """An open attempt row written straight to the database, as no honest page would."""
    row = module(slug)
    version = services.current_quiz(row)
    attempt = QuizAttempt(user_id=user.id, module_id=row.id, quiz_version_id=version.id, number=number,
                          choice_order={q["id"]: [c["id"] for c in q["choices"]] for q in version.questions},
                          total=len(version.questions), **fields)
    db.session.add(attempt)
    db.session.commit()
    return attempt


def refused(user, slug, attempt_id, answers, match):
    """Submitting is refused with a message, and nothing at all is recorded."""
    before = snapshot()
    with pytest.raises(services.LearningError, match=match):
        services.submit_attempt(user, module(slug), attempt_id, answers)
    assert snapshot() == before


def test_forged_choice_ids_are_refused(trainee):
    attempt = services.open_attempt(trainee, module("safety-first"))
    answers = answers_for(attempt)
    first = next(iter(answers))
    refused(trainee, "safety-first", attempt.id, {**answers, first: ["zz"]}, "choices that are not part")
    refused(trainee, "safety-first", attempt.id, {**answers, "invented": ["a"]}, "questions that are not in")


def test_answers_for_another_persons_attempt_are_refused(trainee, make_user, supervisor):
    other = make_user("trainee", supervisor=supervisor)
    theirs = services.open_attempt(other, module("safety-first"))
    refused(trainee, "safety-first", theirs.id, answers_for(theirs), "not open")


def test_answers_for_another_modules_attempt_are_refused(trainee):
    attempt = services.open_attempt(trainee, module("family-systems"))
    refused(trainee, "safety-first", attempt.id, answers_for(attempt), "not open")


def test_a_submitted_attempt_cannot_be_submitted_again(trainee):
    attempt = take(trainee, "safety-first", wrong=3, now=utcnow() - timedelta(hours=2))
    refused(trainee, "safety-first", attempt.id, answers_for(attempt), "not open")
    assert not db.session.get(QuizAttempt, attempt.id).passed


def test_a_submission_beyond_the_attempt_limit_is_refused(trainee):
    start = utcnow() - timedelta(days=3)
    for n in range(3):
        take(trainee, "safety-first", wrong=3, now=start + timedelta(hours=n))
    extra = forged_attempt(trainee, "safety-first", 4)
    refused(trainee, "safety-first", extra.id, answers_for(extra), "used all 3 attempts")


def test_a_submission_inside_the_cool_off_is_refused(trainee):
    take(trainee, "safety-first", wrong=3, now=utcnow() - timedelta(minutes=5))
    early = forged_attempt(trainee, "safety-first", 2)
    refused(trainee, "safety-first", early.id, answers_for(early), "You can try again from")


def test_unanswered_questions_keep_the_attempt_open(trainee):
    attempt = services.open_attempt(trainee, module("safety-first"))
    answers = answers_for(attempt)
    answers.pop(next(iter(answers)))
    with pytest.raises(services.UnansweredError, match="question 1 has no answer"):
        services.submit_attempt(trainee, module("safety-first"), attempt.id, answers)
    assert db.session.get(QuizAttempt, attempt.id).submitted_at is None


def test_a_stale_second_submission_is_refused_by_the_conditional_update(trainee, monkeypatch):
    """Two submissions that both read the attempt as open: only the first one's result stands."""
    attempt = services.open_attempt(trainee, module("safety-first"))
    services.mark_read(trainee, module("safety-first"))
    stale = db.session.get(QuizAttempt, attempt.id)
    monkeypatch.setattr(services, "_find_open_attempt", lambda *_: stale)
    monkeypatch.setattr(services, "_refuse_new_attempt", lambda _state: None)
    services.submit_attempt(trainee, module("safety-first"), attempt.id, answers_for(attempt, wrong=3))
    with pytest.raises(services.LearningError, match="already submitted; its result stands"):
        services.submit_attempt(trainee, module("safety-first"), attempt.id, answers_for(attempt))
    saved = db.session.get(QuizAttempt, attempt.id)
    assert saved.passed is False and db.session.scalar(select(func.count(ModuleCompletion.id))) == 0


def test_an_old_attempt_keeps_its_quiz_version(trainee, content_copy):
    from trainer.learn.sync import sync_courses
    attempt = take(trainee, "safety-first", wrong=3, now=utcnow() - timedelta(hours=2))
    content_copy.replace(f"{COURSE}/quizzes/safety-first.yml", "Screen each parent separately",
                         "Screen every parent on their own")
    sync_courses(content_copy.root)
    old = db.session.get(QuizAttempt, attempt.id)
    assert module("safety-first").quiz_version == 2 and old.quiz_version.number == 1
    assert "Screen each parent separately" in str(old.quiz_version.questions)
    assert services.open_attempt(trainee, module("safety-first")).quiz_version.number == 2


def test_safety_gate(trainee, supervisor, admin):
    assert safety_cleared(supervisor) and safety_cleared(admin)
    assert not safety_cleared(trainee)
    take(trainee, "safety-first")
    assert not safety_cleared(trainee)  # passed but not read
    services.mark_read(trainee, module("safety-first"))
    assert safety_cleared(trainee)


def test_safety_gate_ignores_retired_courses(trainee):
    module("safety-first").course.retired = True
    db.session.commit()
    assert safety_cleared(trainee)


def test_a_module_without_a_quiz_is_complete_when_read(trainee, content_copy):
    from trainer.learn.sync import sync_courses
    content_copy.path(f"{COURSE}/quizzes/pacing-and-process.yml").unlink()
    sync_courses(content_copy.root)
    assert module("pacing-and-process").quiz_version is None
    assert services.mark_read(trainee, module("pacing-and-process"))
    assert completions(trainee) == [("pacing-and-process", 60)]
