"""What each role's dashboard shows."""
from sqlalchemy import func, select

from trainer.auth.models import Invitation, Role, User
from trainer.consult.queries import supervisor_summary, trainee_summary
from trainer.extensions import db
from trainer.learn.pages import course_progress
from trainer.hours.queue import waiting_by_trainee
from trainer.hours.reports import standing_for
from trainer.timeutil import utcnow
from trainer.vignettes import services as vignette_services


def for_user(user: User) -> tuple[str, dict]:
    """The dashboard template and its context for this person's role."""
    builders = {Role.TRAINEE: _trainee, Role.SUPERVISOR: _supervisor, Role.ADMIN: _admin}
    return builders[Role(user.role)](user)


def _trainee(user: User) -> tuple[str, dict]:
    return "main/dashboard_trainee.html", {"supervisor": user.supervisor, "learning": course_progress(user),
                                           "standing": standing_for(user), "consultations": trainee_summary(user),
                                           "vignettes": vignette_services.trainee_summary(user)}


def _supervisor(user: User) -> tuple[str, dict]:
    trainees = db.session.scalars(
        select(User).where(User.supervisor_id == user.id, User.active.is_(True)).order_by(User.name)
    ).all()
    waiting = {w.id: w.entries for w in waiting_by_trainee(user)}
    return "main/dashboard_supervisor.html", {"trainees": trainees, "waiting": waiting,
                                              "consultations": supervisor_summary(user),
                                              "reviews_waiting": vignette_services.waiting_for_review(user)}


def _admin(user: User) -> tuple[str, dict]:
    counts = dict(db.session.execute(
        select(User.role, func.count(User.id)).where(User.active.is_(True)).group_by(User.role)
    ).all())
    open_invites = db.session.scalar(select(func.count(Invitation.id)).where(
        Invitation.accepted_at.is_(None), Invitation.expires_at > utcnow()))
    unassigned = db.session.scalar(select(func.count(User.id)).where(
        User.role == Role.TRAINEE, User.active.is_(True), User.supervisor_id.is_(None)))
    return "main/dashboard_admin.html", {"counts": counts, "open_invites": open_invites,
                                         "unassigned": unassigned}
