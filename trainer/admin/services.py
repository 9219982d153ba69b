"""Rules for managing people: roles, activation, supervision and expertise."""
from datetime import date

from sqlalchemy import func, or_, select

from trainer import audit
from trainer.auth.models import Role, User
from trainer.auth.services import AccountError, end_sessions, start_supervision
from trainer.extensions import db
from trainer.pagination import Page, paginate
from trainer.topics import TOPICS

PAGE_SIZE = 25


def list_people(query: str = "", role: str = "", page: int = 1) -> Page:
    """People matching a search and role, newest first, one page at a time."""
    stmt = select(User)
    if query:
        like = f"%{query.strip().lower()}%"
        stmt = stmt.where(or_(User.email.like(like), func.lower(User.name).like(like)))
    if role in set(Role):
        stmt = stmt.where(User.role == role)
    return paginate(stmt.order_by(User.name, User.id), page, PAGE_SIZE)


def active_supervisors() -> list[User]:
    """Supervisors who can take trainees, by name."""
    return list(db.session.scalars(
        select(User).where(User.role == Role.SUPERVISOR, User.active.is_(True)).order_by(User.name)
    ))


def trainee_count(supervisor: User) -> int:
    """How many trainees have this person as their primary supervisor."""
    return db.session.scalar(select(func.count(User.id)).where(User.supervisor_id == supervisor.id))


def change_role(admin: User, person: User, role: str) -> None:
    """Give someone another role; their sessions end so the change takes effect at once."""
    if person.id == admin.id:
        raise AccountError("You cannot change your own role; ask another admin.", field="role")
    if role not in set(Role):
        raise AccountError("Choose a role from the list.", field="role")
    if role == person.role:
        return
    if person.role == Role.SUPERVISOR and trainee_count(person):
        raise AccountError("Assign this supervisor's trainees to someone else first.", field="role")
    old = person.role
    person.role = role
    if role != Role.TRAINEE:
        person.supervisor_id = None
    end_sessions(person)
    audit.record(admin, "admin.role_changed", person, old=old, new=role)
    db.session.commit()


def set_active(admin: User, person: User, active: bool) -> None:
    """Deactivate (ending every session) or reactivate an account."""
    if person.id == admin.id and not active:
        raise AccountError("You cannot deactivate your own account.")
    if person.active == active:
        return
    person.active = active
    end_sessions(person)
    audit.record(admin, "admin.activated" if active else "admin.deactivated", person)
    db.session.commit()


def assign_supervisor(admin: User, trainee: User, supervisor: User | None, starts_on: date) -> None:
    """Make supervisor the trainee's primary supervisor from starts_on (None clears it)."""
    if trainee.role != Role.TRAINEE:
        raise AccountError("Only trainees have a supervisor.", field="supervisor")
    if supervisor is None:
        trainee.supervisor_id = None
    elif supervisor.role != Role.SUPERVISOR or not supervisor.active:
        raise AccountError("Choose an active supervisor.", field="supervisor")
    else:
        start_supervision(trainee, supervisor, starts_on)
    audit.record(admin, "admin.supervisor_assigned", trainee,
                 supervisor=supervisor.id if supervisor else None, starts_on=starts_on)
    db.session.commit()


def set_expertise(admin: User, supervisor: User, topics: list[str], capacity: int) -> None:
    """Record the topics a supervisor covers and how many open cases they take."""
    if supervisor.role != Role.SUPERVISOR:
        raise AccountError("Only supervisors have topics and capacity.", field="topics")
    unknown = set(topics) - set(TOPICS)
    if unknown:
        raise AccountError("Choose topics from the list.", field="topics")
    if not 0 <= capacity <= 100:
        raise AccountError("Capacity is a number from 0 to 100.", field="capacity")
    supervisor.topics = sorted(topics)
    supervisor.capacity = capacity
    audit.record(admin, "admin.expertise_changed", supervisor, topics=sorted(topics), capacity=capacity)
    db.session.commit()
