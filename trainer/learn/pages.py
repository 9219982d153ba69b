"""What the learning pages show, read in a fixed number of queries (never one per module)."""
from dataclasses import dataclass

from sqlalchemy import and_, func, literal, select

from trainer.auth.models import Role, User
from trainer.extensions import db
from trainer.learn import grading
from trainer.learn.models import (AttemptGrant, Course, Module, ModuleCompletion, ModuleRead, ModuleVersion,
                                  QuizAttempt, QuizVersion)

CURRENT_VERSION = and_(ModuleVersion.module_id == Module.id, ModuleVersion.number == Module.version)
CURRENT_QUIZ = and_(QuizVersion.module_id == Module.id, QuizVersion.number == Module.quiz_version)


@dataclass(frozen=True)
class ModuleStatus:
    """One module of a course, and where a trainee stands with it."""

    id: int
    slug: str
    title: str
    position: int
    minutes: int
    credit_minutes: int
    has_quiz: bool
    allowed: int  # attempts allowed, grants included
    used: int  # attempts submitted
    read: bool
    passed: bool
    complete: bool

    @property
    def status(self) -> str:
        """complete, read (quiz to pass), in-progress (quiz passed or attempted, not read) or not-started."""
        if self.complete:
            return "complete"
        if self.read:
            return "read"
        return "in-progress" if self.passed or self.used else "not-started"

    @property
    def status_text(self) -> str:
        """The status in words."""
        if self.status == "in-progress":
            return "Quiz passed · mark as read" if self.passed else "Quiz attempted"
        return {"complete": "Complete", "read": "Read · quiz to pass", "not-started": "Not started"}[self.status]

    @property
    def exhausted(self) -> bool:
        """The quiz is not passed and no attempt is left."""
        return self.has_quiz and not self.passed and self.used >= self.allowed


@dataclass(frozen=True)
class CourseProgress:
    """A course with each module's status for one person."""

    course: Course
    modules: tuple[ModuleStatus, ...]

    @property
    def done(self) -> int:
        """Modules complete."""
        return sum(m.complete for m in self.modules)

    @property
    def next_module(self) -> ModuleStatus | None:
        """The first module in reading order that is not complete."""
        return next((m for m in self.modules if not m.complete), None)

    @property
    def safety(self) -> ModuleStatus | None:
        """The course's safety module, if it declares one."""
        return next((m for m in self.modules if m.slug == self.course.safety_module), None)


def course_progress(user: User, course_slug: str | None = None) -> list[CourseProgress]:
    """Current courses (or one) with module statuses, in two queries; non-trainees see nothing started."""
    stmt = select(Course).where(Course.retired.is_(False)).order_by(Course.position)
    courses = list(db.session.scalars(stmt.where(Course.slug == course_slug) if course_slug else stmt))
    if not courses:
        return []
    learner = user.id if user.role == Role.TRAINEE else None
    rows = db.session.execute(
        select(Module.id, Module.course_id, Module.slug, Module.position, ModuleVersion.title,
               ModuleVersion.minutes, ModuleVersion.credit_minutes, QuizVersion.max_attempts, *_facts_of(learner))
        .join(ModuleVersion, CURRENT_VERSION).outerjoin(QuizVersion, CURRENT_QUIZ)
        .where(Module.course_id.in_([c.id for c in courses]), Module.retired.is_(False))
        .order_by(Module.position)).all()
    by_course = {c.id: [] for c in courses}
    for row in rows:
        by_course[row.course_id].append(ModuleStatus(
            id=row.id, slug=row.slug, title=row.title, position=row.position, minutes=row.minutes,
            credit_minutes=row.credit_minutes, has_quiz=row.max_attempts is not None,
            allowed=(row.max_attempts or 0) + row.grants, used=row.used, read=bool(row.read),
            passed=bool(row.passed), complete=bool(row.complete)))
    return [CourseProgress(c, tuple(by_course[c.id])) for c in courses]


def _facts_of(learner: int | None) -> tuple:
    """Per-module columns for one trainee (read, attempts used, passed, extra attempts, complete).

    Correlated subqueries, each an index lookup by (user, module), so one query serves every
    module; for anyone who is not a trainee (learner None) they are constants.
    """
    if learner is None:
        return tuple(literal(value).label(name) for name, value in
                     (("read", False), ("used", 0), ("passed", False), ("grants", 0), ("complete", False)))
    attempts = (QuizAttempt.user_id == learner, QuizAttempt.module_id == Module.id)
    return (
        select(ModuleRead.id).where(ModuleRead.user_id == learner, ModuleRead.module_id == Module.id)
        .exists().label("read"),
        select(func.count(QuizAttempt.submitted_at)).where(*attempts).scalar_subquery().label("used"),
        select(QuizAttempt.id).where(*attempts, QuizAttempt.passed.is_(True)).exists().label("passed"),
        select(func.count(AttemptGrant.id)).where(AttemptGrant.user_id == learner,
                                                  AttemptGrant.module_id == Module.id)
        .scalar_subquery().label("grants"),
        select(ModuleCompletion.id).join(Course, Course.slug == ModuleCompletion.course_slug)
        .where(ModuleCompletion.user_id == learner, Course.id == Module.course_id,
               ModuleCompletion.module_slug == Module.slug).exists().label("complete"),
    )


@dataclass(frozen=True)
class ModulePage:
    """Everything a module page shows."""

    course: Course
    module: Module
    version: ModuleVersion
    previous: tuple[str, str] | None  # (slug, title)
    next: tuple[str, str] | None
    read: bool
    passed: bool
    attempts: int

    @property
    def complete(self) -> bool:
        """Read, and its quiz (if any) passed."""
        return self.read and (self.passed or self.module.quiz_version is None)


def find_module(course_slug: str, module_slug: str) -> tuple[Course, Module, ModuleVersion] | None:
    """A current module of a current course by slugs, with its current version."""
    row = db.session.execute(
        select(Course, Module, ModuleVersion).join(Module, Module.course_id == Course.id)
        .join(ModuleVersion, CURRENT_VERSION)
        .where(Course.slug == course_slug, Module.slug == module_slug, Course.retired.is_(False),
               Module.retired.is_(False))).first()
    return tuple(row) if row else None


def module_page(user: User, course_slug: str, module_slug: str) -> ModulePage | None:
    """The module with its stored HTML, neighbours and the trainee's status (four queries with the user's)."""
    found = find_module(course_slug, module_slug)
    if found is None:
        return None
    course, module, version = found
    siblings = db.session.execute(
        select(Module.slug, ModuleVersion.title).join(ModuleVersion, CURRENT_VERSION)
        .where(Module.course_id == course.id, Module.retired.is_(False)).order_by(Module.position)).all()
    index = [s.slug for s in siblings].index(module.slug)
    read, passed, attempts = False, False, 0
    if user.role == Role.TRAINEE:
        submitted = (QuizAttempt.user_id == user.id, QuizAttempt.module_id == module.id,
                     QuizAttempt.submitted_at.is_not(None))
        read, passed, attempts = db.session.execute(select(
            select(ModuleRead.id).where(ModuleRead.user_id == user.id, ModuleRead.module_id == module.id).exists(),
            select(QuizAttempt.id).where(*submitted, QuizAttempt.passed.is_(True)).exists(),
            select(func.count(QuizAttempt.id)).where(*submitted).scalar_subquery())).one()
    return ModulePage(course=course, module=module, version=version,
                      previous=tuple(siblings[index - 1]) if index > 0 else None,
                      next=tuple(siblings[index + 1]) if index + 1 < len(siblings) else None,
                      read=read, passed=passed, attempts=attempts)


def get_attempt(attempt_id: int, module: Module, viewer: User) -> QuizAttempt | None:
    """A submitted attempt the viewer may see: their own, their trainee's, or any for an admin."""
    stmt = (select(QuizAttempt).join(User, User.id == QuizAttempt.user_id)
            .where(QuizAttempt.id == attempt_id, QuizAttempt.module_id == module.id,
                   QuizAttempt.submitted_at.is_not(None)))
    if viewer.role == Role.TRAINEE:
        stmt = stmt.where(QuizAttempt.user_id == viewer.id)
    elif viewer.role == Role.SUPERVISOR:
        stmt = stmt.where(User.supervisor_id == viewer.id)
    return db.session.scalar(stmt)


def get_trainee(user_id: int, viewer: User) -> User | None:
    """A trainee whose progress the viewer may see: themself, their supervisor's, or any for an admin."""
    stmt = select(User).where(User.id == user_id, User.role == Role.TRAINEE)
    if viewer.role == Role.TRAINEE:
        stmt = stmt.where(User.id == viewer.id)
    elif viewer.role == Role.SUPERVISOR:
        stmt = stmt.where(User.supervisor_id == viewer.id)
    return db.session.scalar(stmt)


def attempt_history(user: User) -> list[tuple[QuizAttempt, str, str]]:
    """A trainee's submitted attempts with (course slug, module slug), newest first."""
    return list(db.session.execute(
        select(QuizAttempt, Course.slug, Module.slug).join(Module, Module.id == QuizAttempt.module_id)
        .join(Course, Course.id == Module.course_id)
        .where(QuizAttempt.user_id == user.id, QuizAttempt.submitted_at.is_not(None))
        .order_by(QuizAttempt.submitted_at.desc())).tuples())


@dataclass(frozen=True)
class ChoiceReview:
    """A choice as shown in a result: chosen or not, correct or not, its feedback."""

    id: str
    text: str
    chosen: bool
    correct: bool
    feedback: str


@dataclass(frozen=True)
class QuestionReview:
    """A question as shown in a result."""

    number: int
    prompt: str
    kind: str
    right: bool
    explanation: str
    choices: tuple[ChoiceReview, ...]


def attempt_review(attempt: QuizAttempt) -> list[QuestionReview]:
    """Each question of a submitted attempt, in its version's order, choices in the attempt's order."""
    version = attempt.quiz_version
    result = grading.grade(version.questions, attempt.answers or {}, version.pass_mark)
    reviews = []
    for number, (question, outcome) in enumerate(zip(version.questions, result.results), 1):
        by_id = {c["id"]: c for c in question["choices"]}
        order = attempt.choice_order.get(question["id"], list(by_id))
        reviews.append(QuestionReview(
            number=number, prompt=question["prompt"], kind=question["kind"], right=outcome.right,
            explanation=question["explanation"],
            choices=tuple(ChoiceReview(id=cid, text=by_id[cid]["text"], chosen=cid in outcome.chosen,
                                       correct=by_id[cid]["correct"], feedback=by_id[cid]["feedback"])
                          for cid in order if cid in by_id)))
    return reviews


def attempt_questions(attempt: QuizAttempt) -> list[dict]:
    """The questions of an open attempt as the form shows them: prompt and choice texts, no answer key."""
    questions = []
    for number, question in enumerate(attempt.quiz_version.questions, 1):
        texts = {c["id"]: c["text"] for c in question["choices"]}
        questions.append({"number": number, "id": question["id"], "kind": question["kind"],
                          "prompt": question["prompt"],
                          "choices": [(cid, texts[cid]) for cid in attempt.choice_order[question["id"]]]})
    return questions
