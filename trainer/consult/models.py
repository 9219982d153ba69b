"""Consultation tables: only de-identified text is ever stored here, never what the trainee typed."""
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.auth.models import User
from trainer.extensions import db
from trainer.hours.models import HourEntry
from trainer.timeutil import utcnow


class Status(StrEnum):
    """open: waiting for the supervisor; answered: the supervisor replied last; closed."""

    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


class Consultation(db.Model):
    """A trainee's de-identified question about a case, routed to one supervisor."""

    __tablename__ = "consultations"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'answered', 'closed')", name="status"),
        Index("ix_consultations_supervisor_status_due", "supervisor_id", "status", "due_at"),
        Index("ix_consultations_trainee_created", "trainee_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    question: Mapped[str] = mapped_column(Text)  # de-identified
    summary: Mapped[str] = mapped_column(Text)  # de-identified
    topics: Mapped[list] = mapped_column(JSON, default=list)
    urgent: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default=Status.OPEN)
    removed: Mapped[dict] = mapped_column(JSON, default=dict)  # kind -> count of redactions, never the text
    route_rule: Mapped[str] = mapped_column(String(32))
    route_reason: Mapped[str] = mapped_column(String(600))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime]
    escalated_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    trainee: Mapped[User] = relationship(foreign_keys=[trainee_id])
    supervisor: Mapped[User] = relationship(foreign_keys=[supervisor_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    messages: Mapped[list["Message"]] = relationship(back_populates="consultation", order_by="Message.id")

    @property
    def removed_total(self) -> int:
        """How many details were taken out of the question and summary."""
        return sum(self.removed.values())


class Message(db.Model):
    """A de-identified reply in a consultation's thread."""

    __tablename__ = "consultation_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)  # de-identified
    removed: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    consultation: Mapped[Consultation] = relationship(back_populates="messages")
    author: Mapped[User] = relationship()


class SupervisorConflict(db.Model):
    """A supervisor must never advise on this trainee's cases (a dual role, a relationship)."""

    __tablename__ = "supervisor_conflicts"
    __table_args__ = (UniqueConstraint("supervisor_id", "trainee_id", name="one_per_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    trainee: Mapped[User] = relationship(foreign_keys=[trainee_id])


class ConsultationHours(db.Model):
    """Time a trainee logged from a consultation as an hour entry: at most one per consultation and day."""

    __tablename__ = "consultation_hours"
    __table_args__ = (UniqueConstraint("consultation_id", "logged_on", name="one_per_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    hour_entry_id: Mapped[int | None] = mapped_column(ForeignKey("hour_entries.id", ondelete="CASCADE"), unique=True)
    logged_on: Mapped[date]
    minutes: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    entry: Mapped["HourEntry | None"] = relationship()
