"""`consult escalate`: open consultations past their due time go to someone else, with new due times."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from trainer.consult import notify
from trainer.consult.models import Consultation, Status
from trainer.consult.routing import Route
from trainer.consult.services import choose_supervisor, move
from trainer.extensions import db
from trainer.timeutil import utcnow


@dataclass(frozen=True)
class Escalation:
    """What one `consult escalate` run did."""

    reassigned: int = 0
    kept: int = 0
    skipped: int = 0

    def summary(self) -> str:
        """One line for the cron log."""
        total = self.reassigned + self.kept + self.skipped
        return (f"{total} overdue consultation(s): {self.reassigned} reassigned, {self.kept} kept (nobody else "
                f"can take them), {self.skipped} skipped (changed meanwhile).")


def escalate_overdue(now: datetime | None = None) -> Escalation:
    """Every open consultation past its due time goes to someone else when anyone qualifies, with new due times."""
    now = now or utcnow()
    ids = db.session.scalars(select(Consultation.id).where(
        Consultation.status == Status.OPEN, Consultation.due_at < now).order_by(Consultation.due_at)).all()
    outcomes = [_escalate(db.session.get(Consultation, cid), now) for cid in ids]
    return Escalation(*(outcomes.count(kind) for kind in ("reassigned", "kept", "skipped")))


def _escalate(consultation: Consultation, now: datetime) -> str:
    """Escalate one overdue consultation in its own transaction; says which way it went."""
    old = consultation.supervisor_id
    chosen = choose_supervisor(consultation.trainee, consultation.topics, consultation.urgent, {old})
    if chosen.supervisor_id is None:
        chosen = Route(old, "kept", f"nobody else can take it, so it stays with #{old}")
    chosen = Route(chosen.supervisor_id, chosen.rule, f"escalated when overdue: {chosen.reason}")
    if not move(None, consultation, consultation.version, chosen, "consult.escalated", now, escalated=True):
        return "skipped"
    kept = consultation.supervisor_id == old
    notify.assigned(consultation, consultation.supervisor, escalated=not kept, reminder=kept)
    notify.moved(consultation, consultation.trainee, kept=kept)
    db.session.commit()
    return "kept" if kept else "reassigned"
