"""Learning rules: reading, quiz attempts (limits, cool-off, one result each), completion, grants."""
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, OperationalError

from trainer import audit
from trainer.auth.models import Role, User
from trainer.extensions import db
from trainer.learn import grading
from trainer.learn.models import (AttemptGrant, Course, CourseCompletion, Module, ModuleCompletion, ModuleRead,
                                  ModuleVersion, QuizAttempt, QuizVersion)
from trainer.timeutil import utcnow


class LearningError(Exception):
    """A learning rule was broken; the message is shown to the person."""


class UnansweredError(LearningError):
    """Some questions have no answer; the form is shown again with what was chosen."""

    def __init__(self, numbers: list[int]):
        listed = ", ".join(str(n) for n in numbers)
        super().__init__(f"Answer every question before submitting (question{'s' if len(numbers) > 1 else ''} "
                         f"{listed} {'have' if len(numbers) > 1 else 'has'} no answer).")
        self.numbers = numbers


@dataclass(frozen=True)
class QuizState:
    """Where a trainee stands with a module's quiz."""

    version: QuizVersion
    attempts: list[QuizAttempt]  # oldest first
    allowed: int
    open_attempt: QuizAttempt | None
    passed: QuizAttempt | None
    next_allowed_at: datetime | None  # end of a cool-off still running

    @property
    def used(self) -> int:
        """Submitted attempts."""
        return sum(1 for a in self.attempts if a.submitted_at)

    @property
    def exhausted(self) -> bool:
        """No attempts left and not passed."""
        return not self.passed and self.used >= self.allowed


def _insert_ignore(model, **values) -> bool:
    """Insert a row unless it breaks a unique constraint; True when a row was added."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(model).values(**values).on_conflict_do_nothing().returning(model.id)
    return db.session.execute(stmt).scalar() is not None


def current_quiz(module: Module) -> QuizVersion | None:
    """The quiz version the module asks for now, if it has a quiz."""
    if module.quiz_version is None:
        return None
    return db.session.scalar(select(QuizVersion).where(QuizVersion.module_id == module.id,
                                                       QuizVersion.number == module.quiz_version))


def quiz_state(user: User, module: Module, now: datetime | None = None) -> QuizState | None:
    """The trainee's attempts, limits and cool-off for this module's quiz (None: no quiz)."""
    version = current_quiz(module)
    if version is None:
        return None
    now = now or utcnow()
    attempts = list(db.session.scalars(select(QuizAttempt).where(
        QuizAttempt.user_id == user.id, QuizAttempt.module_id == module.id).order_by(QuizAttempt.number)))
    grants = db.session.scalar(select(func.count(AttemptGrant.id)).where(
        AttemptGrant.user_id == user.id, AttemptGrant.module_id == module.id))
    submitted = [a for a in attempts if a.submitted_at]
    wait_until = None
    if submitted and not submitted[-1].passed and version.cooldown_minutes:
        wait_until = submitted[-1].submitted_at + timedelta(minutes=version.cooldown_minutes)
    return QuizState(version=version, attempts=attempts, allowed=version.max_attempts + grants,
                     open_attempt=next((a for a in attempts if not a.submitted_at), None),
                     passed=next((a for a in attempts if a.passed), None),
                     next_allowed_at=wait_until if wait_until and wait_until > now else None)


def _refuse_new_attempt(state: QuizState) -> None:
    if state.passed:
        raise LearningError("You have passed this quiz; there is nothing more to take.")
    if state.exhausted:
        raise LearningError(f"You have used all {state.allowed} attempts at this quiz. Your supervisor "
                            f"or a clinic admin can grant you another attempt.")
    if state.next_allowed_at:
        raise LearningError(f"You can try again from {state.next_allowed_at:%Y-%m-%d %H:%M} UTC, "
                            f"after the {state.version.cooldown_minutes}-minute pause between attempts.")


def open_attempt(user: User, module: Module, now: datetime | None = None) -> QuizAttempt:
    """The trainee's open attempt, or a new one with its own choice order; LearningError when none may start."""
    for _ in range(3):  # a concurrent writer can make a read-then-write transaction fail; start again
        state = quiz_state(user, module, now)
        if state is None:
            raise LearningError("This module has no quiz.")
        if state.open_attempt:
            return state.open_attempt
        _refuse_new_attempt(state)
        version = state.version
        attempt = QuizAttempt(user_id=user.id, module_id=module.id, quiz_version_id=version.id,
                              number=(state.attempts[-1].number if state.attempts else 0) + 1,
                              choice_order=grading.choice_order(version.questions, secrets.randbits(32),
                                                                version.shuffle),
                              total=len(version.questions), started_at=now or utcnow())
        db.session.add(attempt)
        try:
            db.session.commit()
            return attempt
        except (IntegrityError, OperationalError):
            db.session.rollback()
    raise LearningError("The quiz could not be opened just now. Reload the page to try again.")


def _find_open_attempt(user: User, module: Module, attempt_id: int) -> QuizAttempt | None:
    return db.session.scalar(select(QuizAttempt).where(
        QuizAttempt.id == attempt_id, QuizAttempt.user_id == user.id, QuizAttempt.module_id == module.id,
        QuizAttempt.submitted_at.is_(None)))


def submit_attempt(user: User, module: Module, attempt_id: int, answers: dict,
                   now: datetime | None = None) -> QuizAttempt:
    """Grade and close an open attempt, once; LearningError for anything an honest form would not send."""
    now = now or utcnow()
    attempt = _find_open_attempt(user, module, attempt_id)
    if attempt is None:
        raise LearningError("That attempt is not open: it was already submitted, or it is not yours. "
                            "Nothing was recorded.")
    state = quiz_state(user, module, now)
    if state is None:
        raise LearningError("This module has no quiz any more. Nothing was recorded.")
    _refuse_new_attempt(state)  # passed already, out of attempts, or inside the cool-off
    questions = attempt.quiz_version.questions
    try:
        checked = grading.check_answers(questions, answers)
    except grading.AnswerError as err:
        raise LearningError(f"{err} Nothing was recorded; reload the quiz and answer it there.") from err
    if missing := grading.unanswered(questions, checked):
        raise UnansweredError(missing)
    result = grading.grade(questions, checked, attempt.quiz_version.pass_mark)
    _close(attempt, checked, result, now)
    if result.passed:
        _complete_if_done(user, module, now)
    db.session.commit()
    return attempt


def _close(attempt: QuizAttempt, checked: dict, result: grading.Grade, now: datetime) -> None:
    """Record the result only if the attempt is still open, so two submissions give one result."""
    closed = db.session.execute(
        update(QuizAttempt).where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(submitted_at=now, answers={k: list(v) for k, v in checked.items()}, score=result.score,
                passed=result.passed)
    ).rowcount
    if not closed:
        db.session.rollback()
        raise LearningError("That attempt was already submitted; its result stands. Nothing else was recorded.")


def mark_read(user: User, module: Module, now: datetime | None = None) -> bool:
    """Record that the trainee read the module; True when that completed it."""
    now = now or utcnow()
    _insert_ignore(ModuleRead, user_id=user.id, module_id=module.id, read_at=now)
    completed = _complete_if_done(user, module, now)
    db.session.commit()
    return completed


def _complete_if_done(user: User, module: Module, now: datetime) -> bool:
    """Credit the module once it is read and its quiz passed; then the course, once all are complete."""
    read = db.session.scalar(select(ModuleRead.id).where(ModuleRead.user_id == user.id,
                                                         ModuleRead.module_id == module.id))
    passed = module.quiz_version is None or db.session.scalar(select(QuizAttempt.id).where(
        QuizAttempt.user_id == user.id, QuizAttempt.module_id == module.id, QuizAttempt.passed.is_(True)))
    if not (read and passed):
        return False
    version = db.session.scalar(select(ModuleVersion).where(ModuleVersion.module_id == module.id,
                                                            ModuleVersion.number == module.version))
    course = db.session.get(Course, module.course_id)
    added = _insert_ignore(ModuleCompletion, user_id=user.id, course_slug=course.slug, module_slug=module.slug,
                           module_title=version.title, credit_minutes=version.credit_minutes, completed_at=now)
    if added:
        audit.record(user, "learn.module_completed", f"module:{course.slug}/{module.slug}",
                     credit_minutes=version.credit_minutes)
        _complete_course_if_done(user, course, now)
    return added


def _complete_course_if_done(user: User, course: Course, now: datetime) -> None:
    slugs = set(db.session.scalars(select(Module.slug).where(Module.course_id == course.id,
                                                             Module.retired.is_(False))))
    done = set(db.session.scalars(select(ModuleCompletion.module_slug).where(
        ModuleCompletion.user_id == user.id, ModuleCompletion.course_slug == course.slug)))
    if slugs <= done and _insert_ignore(CourseCompletion, user_id=user.id, course_slug=course.slug,
                                        course_title=course.title, completed_at=now):
        audit.record(user, "learn.course_completed", f"course:{course.slug}")


def grant_attempt(actor: User, trainee: User, module: Module) -> None:
    """Allow a trainee who used every attempt one more; only their supervisor or an admin may."""
    if actor.role != Role.ADMIN and trainee.supervisor_id != actor.id:
        raise LearningError("Only the trainee's supervisor or a clinic admin can grant an attempt.")
    state = quiz_state(trainee, module)
    if state is None or not state.exhausted:
        raise LearningError("This trainee still has attempts left (or has passed); no grant is needed.")
    db.session.add(AttemptGrant(user_id=trainee.id, module_id=module.id, granted_by_id=actor.id))
    audit.record(actor, "learn.attempt_granted", trainee, module=module.slug)
    db.session.commit()
