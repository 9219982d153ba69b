"""What a supervisor sees: their pending entries, by trainee and month, and their trainees."""
from dataclasses import dataclass

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from trainer.auth.models import Role, SupervisionAgreement, User
from trainer.extensions import db
from trainer.hours.models import EntryStatus, HourEntry, SignedMonth
from trainer.hours.services import month_bounds
from trainer.pagination import Page, paginate

PAGE_SIZE = 100
ADMIN_PAGE_SIZE = 25


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue; `whole_month` when every entry of one trainee's month is on it."""

    entries: list[HourEntry]
    page: int
    pages: int
    total: int
    whole_month: bool


@dataclass(frozen=True)
class Waiting:
    """A trainee with entries waiting for this supervisor."""

    id: int
    name: str
    entries: int
    minutes: int


def waiting_by_trainee(supervisor: User) -> list[Waiting]:
    """Trainees with pending entries for this supervisor, with counts, in one grouped query."""
    rows = db.session.execute(
        select(User.id, User.name, func.count(HourEntry.id), func.sum(HourEntry.minutes))
        .join(HourEntry, HourEntry.trainee_id == User.id)
        .where(HourEntry.supervisor_id == supervisor.id, HourEntry.status == EntryStatus.PENDING)
        .group_by(User.id, User.name).order_by(User.name)).all()
    return [Waiting(*row) for row in rows]


def queue_page(supervisor: User, trainee_id: int | None = None, month: str | None = None,
               page: int = 1) -> QueuePage:
    """This supervisor's pending entries (never anyone else's), oldest work first."""
    where = [HourEntry.supervisor_id == supervisor.id, HourEntry.status == EntryStatus.PENDING]
    if trainee_id:
        where.append(HourEntry.trainee_id == trainee_id)
    if month:
        first, after = month_bounds(month)
        where += [HourEntry.date >= first, HourEntry.date < after]
    total = db.session.scalar(select(func.count(HourEntry.id)).where(*where))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    entries = db.session.scalars(
        select(HourEntry).options(joinedload(HourEntry.trainee)).where(*where)
        .order_by(HourEntry.date, HourEntry.id).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    whole = bool(trainee_id and month and total and pages == 1)
    return QueuePage(entries=list(entries), page=page, pages=pages, total=total, whole_month=whole)


def get_supervised_trainee_or_404(trainee_id: int, viewer: User) -> User:
    """A trainee this supervisor has an agreement with (admins see anyone); others are a 404."""
    stmt = select(User).where(User.id == trainee_id, User.role == Role.TRAINEE)
    if viewer.role != Role.ADMIN:
        stmt = stmt.where(select(SupervisionAgreement.id).where(
            SupervisionAgreement.trainee_id == User.id,
            SupervisionAgreement.supervisor_id == viewer.id).exists())
    return db.session.scalar(stmt) or abort(404)



def signed_months(page: int = 1) -> Page:
    """Month locks, most recently signed first."""
    stmt = select(SignedMonth).options(joinedload(SignedMonth.trainee), joinedload(SignedMonth.supervisor)) \
        .order_by(SignedMonth.signed_at.desc(), SignedMonth.id.desc())
    return paginate(stmt, page, ADMIN_PAGE_SIZE)


def all_pending(page: int = 1) -> Page:
    """Every pending entry in the clinic, oldest work first, for reassignment."""
    stmt = select(HourEntry).options(joinedload(HourEntry.trainee), joinedload(HourEntry.supervisor)) \
        .where(HourEntry.status == EntryStatus.PENDING).order_by(HourEntry.date, HourEntry.id)
    return paginate(stmt, page, ADMIN_PAGE_SIZE)


def supervisor_options(trainee_ids: set[int]) -> dict[int, list[User]]:
    """For each trainee, the active supervisors they have an agreement with, in one query."""
    rows = db.session.execute(
        select(SupervisionAgreement.trainee_id, User).join(User, User.id == SupervisionAgreement.supervisor_id)
        .where(SupervisionAgreement.trainee_id.in_(trainee_ids), User.active.is_(True),
               User.role == Role.SUPERVISOR).order_by(User.name)).all()
    options: dict[int, list[User]] = {}
    for trainee_id, person in rows:
        if person not in options.setdefault(trainee_id, []):
            options[trainee_id].append(person)
    return options
