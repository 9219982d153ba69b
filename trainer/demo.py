"""Demo accounts and activity for trying the site on a laptop (`flask seed-demo`)."""
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from trainer import audit
from trainer.auth import services as accounts
from trainer.auth.models import Invitation, Role, User
from trainer.auth.tokens import new_token
from trainer.auth.twofactor import new_secret
from trainer.consult import services as consultations
from trainer.content import ContentError
from trainer.extensions import db
from trainer.learn import services as learning
from trainer.learn.models import Course, Module
from trainer.learn.sync import courses_synced, sync_courses
from trainer.hours.demo import seed_hours
from trainer.timeutil import utcnow
from trainer.vignettes.demo import seed_vignettes


@dataclass(frozen=True)
class DemoAccount:
    """A demo sign-in printed by seed-demo."""

    role: str
    email: str
    name: str
    password: str


DEMO_ACCOUNTS = (
    DemoAccount(Role.ADMIN, "admin@demo.clinic", "Avery Admin", "lantern-river-admin-demo"),
    DemoAccount(Role.SUPERVISOR, "supervisor@demo.clinic", "Dr. Sam Supervisor", "harbor-maple-supervisor-demo"),
    DemoAccount(Role.TRAINEE, "trainee@demo.clinic", "Taylor Trainee", "garden-pebble-trainee-demo"),
)
EXTRA_PEOPLE = (
    (Role.SUPERVISOR, "second.supervisor@demo.clinic", "Dr. Robin Second", ["safety-concern", "court-process"]),
    (Role.TRAINEE, "second.trainee@demo.clinic", "Jordan Second", None),
)


def seed() -> bool:
    """Create the demo data once; returns False when it was already there."""
    if accounts.find_user(DEMO_ACCOUNTS[0].email):
        return False
    people = {a.email: accounts.create_account(a.email, a.name, a.role, a.password) for a in DEMO_ACCOUNTS}
    for role, email, name, topics in EXTRA_PEOPLE:
        people[email] = accounts.create_account(email, name, role, DEMO_ACCOUNTS[2].password)
        if topics:
            people[email].topics = topics
    people["second.supervisor@demo.clinic"].on_call = True
    admin = people["admin@demo.clinic"]
    supervisor = people["supervisor@demo.clinic"]
    supervisor.topics = ["resist-refuse", "co-parenting-conflict", "step-family", "other"]
    agreement_start = utcnow().date() - timedelta(days=180)
    for trainee_email in ("trainee@demo.clinic", "second.trainee@demo.clinic"):
        accounts.start_supervision(people[trainee_email], supervisor, agreement_start)
    _, digest = new_token()
    db.session.add(Invitation(email="new.trainee@demo.clinic", name="Casey Newcomer", role=Role.TRAINEE,
                              token_hash=digest, invited_by_id=admin.id,
                              expires_at=utcnow() + timedelta(days=3)))
    for person in people.values():
        if person.needs_two_factor:
            person.totp_secret = new_secret()
    audit.record(None, "demo.seeded", "demo", accounts=len(people))
    db.session.commit()
    seed_learning(people["trainee@demo.clinic"])
    seed_hours(people["trainee@demo.clinic"], people["second.trainee@demo.clinic"], supervisor,
               DEMO_ACCOUNTS[1].password)
    seed_consultation(people["trainee@demo.clinic"], supervisor)
    seed_vignettes(admin)
    return True


def ensure_courses(root: Path) -> str | None:
    """Sync the courses when none are loaded yet (demo progress needs them); says what it did."""
    if courses_synced():
        return None
    try:
        report = sync_courses(root)
    except ContentError as err:
        return (f"The courses in {root} have {len(err.problems)} problem(s) and were not loaded "
                f"(see `flask --app app courses check`); the demo has no learning progress.")
    return f"The courses were not loaded yet, so they were synced from {root}: {report.summary()}."


def _answers(questions: list[dict], wrong: int) -> dict[str, list[str]]:
    """Right answers, except for the first `wrong` questions."""
    answers = {}
    for number, question in enumerate(questions):
        right = number >= wrong
        answers[question["id"]] = [c["id"] for c in question["choices"] if c["correct"] == right][:None if right else 1]
    return answers


def seed_learning(trainee: User, leave_last: int = 1) -> None:
    """Every module but the last read and passed (the first after one failed attempt).

    The demo trainee is then safety-cleared and one module short of the
    course, so the learning journey (read, fail, pass) finishes the course.
    """
    course = db.session.scalar(select(Course).where(Course.retired.is_(False)).order_by(Course.position))
    if course is None:
        return
    modules = db.session.scalars(select(Module).where(
        Module.course_id == course.id, Module.retired.is_(False)).order_by(Module.position)).all()
    done = modules[:len(modules) - leave_last]
    for number, module in enumerate(done):
        start = utcnow() - timedelta(days=7 * (len(done) - number) + 2)
        learning.mark_read(trainee, module, now=start)
        if module.quiz_version is None:
            continue
        tries = ((timedelta(minutes=20), 3), (timedelta(days=1), 0)) if number == 0 else ((timedelta(hours=1), 0),)
        for offset, wrong in tries:
            attempt = learning.open_attempt(trainee, module, now=start + offset)
            learning.submit_attempt(trainee, module, attempt.id, _answers(attempt.quiz_version.questions, wrong),
                                    now=start + offset + timedelta(minutes=12))


DEMO_CASE = consultations.Draft(
    question="How do I pace the first conjoint session when Lily refuses to be in the room with her father?",
    summary=("Lily Moreno (age 11) has refused contact with her father, Daniel Moreno, since the separation in "
             "June 2023. Her mother, Rosa, says Lily panics before each handover outside Oakwood Elementary School. "
             "The order in case 2023-FL-00417 asks for reunification therapy; the GAL is supportive. "
             "Individual sessions with Lily have gone well; Daniel is eager to move faster."),
    topics=("resist-refuse",), people="Lily Moreno, Daniel Moreno, Rosa Moreno")
DEMO_REPLY = ("Good question. Keep the first conjoint session short and structured, with [PERSON-1] choosing "
              "where she sits and an agreed signal for a break. Meet [PERSON-2] alone first to plan what he will "
              "say, and keep individual sessions going alongside.")


def seed_consultation(trainee: User, supervisor: User) -> None:
    """One consultation from the demo trainee, answered by the demo supervisor, through the real rules."""
    preview = consultations.preview_consultation(DEMO_CASE)
    consultation = consultations.create_consultation(trainee, DEMO_CASE, preview.digest,
                                                     now=utcnow() - timedelta(days=1))
    reply = consultations.reply_preview(consultation, DEMO_REPLY, "", "")
    consultations.reply(supervisor, consultation, DEMO_REPLY, "", "", reply.digest, now=utcnow() - timedelta(hours=20))


def demo_codes() -> list[tuple[str, str, str]]:
    """(email, TOTP key, current code) for demo accounts that sign in with a code."""
    import pyotp
    rows = []
    for account in DEMO_ACCOUNTS:
        user = accounts.find_user(account.email)
        if user is not None and user.totp_secret:
            rows.append((user.email, user.totp_secret, pyotp.TOTP(user.totp_secret).now()))
    return rows
