"""What the consultation pages read: lookups and lists, every one scoped by who asks."""
from datetime import datetime

from flask import abort, make_response
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from trainer import audit
from trainer.admin.services import PAGE_SIZE
from trainer.auth.models import Role, User
from trainer.consult.models import Consultation, Status
from trainer.errors import render_error
from trainer.extensions import db
from trainer.pagination import Page, paginate
from trainer.timeutil import utcnow

NOT_YOURS = "This consultation is not open to you"
MAY_HAVE_MOVED = ("If it was with you a moment ago, it may have been passed on to a colleague: your list of "
                  "consultations shows where things stand.")
SHOW = {"waiting": (Status.OPEN,), "answered": (Status.ANSWERED,), "closed": (Status.CLOSED,),
        "all": tuple(Status)}


def get_consultation_or_404(consultation_id: int, user: User) -> Consultation:
    """A consultation its trainee or assigned supervisor asks for; anyone else gets a 404.

    The 404 says why it may have happened, in the same words whether or not the
    consultation exists: a supervisor who loses a race to pass it on, or who
    passed it on in another tab, reads that it has moved rather than "not found".
    """
    found = db.session.scalar(select(Consultation).where(
        Consultation.id == consultation_id,
        or_(Consultation.trainee_id == user.id, Consultation.supervisor_id == user.id)))
    if found is None:
        abort(make_response(render_error(404, NOT_YOURS, MAY_HAVE_MOVED)))
    return found


def view_consultation(consultation_id: int, user: User) -> Consultation:
    """Open a thread, recording who read it (never what it says) in a transaction of its own."""
    consultation = get_consultation_or_404(consultation_id, user)
    audit.record_now(user, "consult.viewed", consultation)
    return consultation


def _page(stmt, page: int) -> Page:
    """A page of consultations with both people loaded (every list shows one or both: no query per row)."""
    return paginate(stmt.options(joinedload(Consultation.trainee), joinedload(Consultation.supervisor)),
                    page, PAGE_SIZE)


def list_for_trainee(user: User, page: int = 1) -> Page:
    """The trainee's own consultations, newest first."""
    return _page(select(Consultation).where(Consultation.trainee_id == user.id)
                 .order_by(Consultation.created_at.desc(), Consultation.id.desc()), page)


def list_for_supervisor(user: User, show: str = "waiting", page: int = 1) -> Page:
    """Consultations routed to this supervisor: waiting ones by due time, others latest first."""
    stmt = select(Consultation).where(Consultation.supervisor_id == user.id,
                                      Consultation.status.in_(SHOW.get(show, SHOW["waiting"])))
    if show in ("waiting", "") or show not in SHOW:
        stmt = stmt.order_by(Consultation.due_at, Consultation.id)
    else:
        stmt = stmt.order_by(Consultation.updated_at.desc(), Consultation.id.desc())
    return _page(stmt, page)


def list_all(user: User, show: str = "all", page: int = 1) -> Page:
    """Every consultation's metadata for admins (the thread itself stays with its two participants)."""
    if user.role != Role.ADMIN:
        abort(403)
    stmt = select(Consultation).where(Consultation.status.in_(SHOW.get(show, SHOW["all"])))
    return _page(stmt.order_by(Consultation.created_at.desc(), Consultation.id.desc()), page)


def trainee_summary(user: User) -> dict:
    """For the trainee dashboard: consultations not closed, and how many have an answer waiting."""
    counts = dict(db.session.execute(select(Consultation.status, func.count(Consultation.id))
                                     .where(Consultation.trainee_id == user.id).group_by(Consultation.status)).all())
    return {"open": counts.get(Status.OPEN, 0) + counts.get(Status.ANSWERED, 0),
            "answered": counts.get(Status.ANSWERED, 0)}


def supervisor_summary(user: User, now: datetime | None = None) -> dict:
    """For the supervisor dashboard: how many wait for them, the nearest due time, how many are overdue."""
    waiting = (Consultation.supervisor_id == user.id, Consultation.status == Status.OPEN)
    count, nearest = db.session.execute(select(func.count(Consultation.id), func.min(Consultation.due_at))
                                        .where(*waiting)).one()
    overdue = db.session.scalar(select(func.count(Consultation.id)).where(*waiting,
                                                                           Consultation.due_at < (now or utcnow())))
    return {"waiting": count, "nearest_due": nearest, "overdue": overdue}
