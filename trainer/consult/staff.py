"""Supervisors as routing sees them, conflicts of interest and the on-call flag (set by admins)."""
from sqlalchemy import func, select

from trainer import audit
from trainer.auth.models import Role, User
from trainer.consult.models import Consultation, Status, SupervisorConflict
from trainer.consult.routing import Candidate
from trainer.extensions import db


class StaffError(Exception):
    """A rule about conflicts or on-call was broken; the message is shown to the admin."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def open_loads() -> dict[int, int]:
    """Supervisor id → consultations not yet closed."""
    return dict(db.session.execute(
        select(Consultation.supervisor_id, func.count(Consultation.id))
        .where(Consultation.status != Status.CLOSED).group_by(Consultation.supervisor_id)).all())


def candidates_for(trainee_id: int) -> list[Candidate]:
    """Every supervisor, with open load, last assignment and a conflict with this trainee, in four queries."""
    supervisors = db.session.scalars(select(User).where(User.role == Role.SUPERVISOR)).all()
    loads = open_loads()
    last = dict(db.session.execute(select(Consultation.supervisor_id, func.max(Consultation.assigned_at))
                                   .group_by(Consultation.supervisor_id)).all())
    conflicted = set(db.session.scalars(select(SupervisorConflict.supervisor_id)
                                        .where(SupervisorConflict.trainee_id == trainee_id)))
    return [Candidate(id=s.id, active=s.active, topics=frozenset(s.topics or ()), capacity=s.capacity,
                      open_load=loads.get(s.id, 0), on_call=s.on_call, last_assigned_at=last.get(s.id),
                      conflicts=frozenset({trainee_id}) if s.id in conflicted else frozenset())
            for s in supervisors]


def has_conflict(supervisor_id: int, trainee_id: int) -> bool:
    """Whether an admin marked this pair as a conflict."""
    return db.session.scalar(select(SupervisorConflict.id).where(
        SupervisorConflict.supervisor_id == supervisor_id, SupervisorConflict.trainee_id == trainee_id)) is not None


def conflicts_of(supervisor: User) -> list[SupervisorConflict]:
    """A supervisor's conflicts, by trainee name."""
    return list(db.session.scalars(select(SupervisorConflict).join(SupervisorConflict.trainee)
                                   .where(SupervisorConflict.supervisor_id == supervisor.id).order_by(User.name)))


def supervisors_for(trainee_id: int) -> list[User]:
    """Active supervisors without a conflict with this trainee, by name."""
    conflicted = select(SupervisorConflict.supervisor_id).where(SupervisorConflict.trainee_id == trainee_id)
    return list(db.session.scalars(select(User).where(
        User.role == Role.SUPERVISOR, User.active.is_(True), User.id.not_in(conflicted)).order_by(User.name)))


def trainees() -> list[User]:
    """Active trainees, by name (for the conflict form)."""
    return list(db.session.scalars(select(User).where(User.role == Role.TRAINEE, User.active.is_(True))
                                   .order_by(User.name, User.id)))


def add_conflict(admin: User, supervisor: User, trainee: User | None, note: str) -> SupervisorConflict:
    """Mark a conflict; the pair's open consultations move to someone else (the caller commits via moves)."""
    if supervisor.role != Role.SUPERVISOR:
        raise StaffError("Only supervisors have conflicts of interest.", field="trainee")
    if trainee is None or trainee.role != Role.TRAINEE:
        raise StaffError("Choose a trainee from the list.", field="trainee")
    if has_conflict(supervisor.id, trainee.id):
        raise StaffError(f"{trainee.name} is already marked as a conflict.", field="trainee")
    conflict = SupervisorConflict(supervisor_id=supervisor.id, trainee_id=trainee.id, note=note.strip()[:200],
                                  created_by_id=admin.id)
    db.session.add(conflict)
    db.session.flush()
    audit.record(admin, "consult.conflict_added", supervisor, trainee=trainee.id)
    return conflict


def remove_conflict(admin: User, supervisor: User, conflict_id: int) -> None:
    """Remove one of this supervisor's conflicts."""
    conflict = db.session.scalar(select(SupervisorConflict).where(
        SupervisorConflict.id == conflict_id, SupervisorConflict.supervisor_id == supervisor.id))
    if conflict is None:
        raise StaffError("That conflict was already removed.")
    audit.record(admin, "consult.conflict_removed", supervisor, trainee=conflict.trainee_id)
    db.session.delete(conflict)
    db.session.commit()


def set_on_call(admin: User, supervisor: User, on_call: bool) -> None:
    """Put a supervisor on call for urgent safety concerns, or take them off; several may be on call."""
    if supervisor.role != Role.SUPERVISOR:
        raise StaffError("Only supervisors can be on call.")
    if on_call and not supervisor.active:
        raise StaffError("Reactivate this supervisor before putting them on call.")
    supervisor.on_call = on_call
    audit.record(admin, "consult.on_call_changed", supervisor, on_call=on_call)
    db.session.commit()
