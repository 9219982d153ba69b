"""Demo accounts and activity for trying the site on a laptop (`flask seed-demo`)."""
from dataclasses import dataclass
from datetime import timedelta

from trainer import audit
from trainer.auth import services as accounts
from trainer.auth.models import Invitation, Role
from trainer.auth.tokens import new_token
from trainer.extensions import db
from trainer.hours.demo import seed_hours
from trainer.timeutil import utcnow


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
    audit.record(None, "demo.seeded", "demo", accounts=len(people))
    db.session.commit()
    seed_hours(people["trainee@demo.clinic"], people["second.trainee@demo.clinic"], supervisor,
               DEMO_ACCOUNTS[1].password)
    return True
