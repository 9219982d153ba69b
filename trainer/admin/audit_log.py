"""The audit log as clinic admins read it: filtered, newest first, one page at a time."""
from sqlalchemy import select

from trainer.audit import AuditEvent
from trainer.pagination import Page, paginate

PAGE_SIZE = 50

# The filter's choices: each is the prefix of the action names one part of the site writes.
FAMILIES = (
    ("auth.", "Sign-in and accounts"),
    ("admin.", "People and roles"),
    ("access.", "Refused access"),
    ("hours.", "Hours and sign-off"),
    ("certificate.", "Certificates"),
    ("consult.", "Consultations"),
    ("vignette.", "Vignettes"),
    ("learn.", "Learning"),
    ("courses.", "Course content"),
)


def events(family: str = "", actor: str = "", target: str = "", page: int = 1) -> Page:
    """Events of one family of actions, by an actor whose email contains `actor`, on a target that
    starts with `target` (such as `consultations:12`); unknown families are ignored."""
    stmt = select(AuditEvent)
    if family in dict(FAMILIES):
        stmt = stmt.where(AuditEvent.action.startswith(family, autoescape=True))
    if actor.strip():
        stmt = stmt.where(AuditEvent.actor.contains(actor.strip().lower(), autoescape=True))
    if target.strip():
        stmt = stmt.where(AuditEvent.target.startswith(target.strip(), autoescape=True))
    return paginate(stmt.order_by(AuditEvent.seq.desc()), page, PAGE_SIZE)
