"""Tables for hour entries, their batch e-signatures and the months supervisors signed."""
import datetime as dt
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.auth.models import User
from trainer.extensions import db
from trainer.timeutil import utcnow


class EntryStatus(StrEnum):
    """An entry waits for sign-off, then is approved or rejected, never both."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class HourSignature(db.Model):
    """A supervisor's e-signature over one batch of decisions: what was signed, and its hash."""

    __tablename__ = "hour_signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    signer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    signed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decision: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(500))
    content: Mapped[dict] = mapped_column(JSON, default=dict)
    content_hash: Mapped[str] = mapped_column(String(64), default="")

    signer: Mapped[User] = relationship()


class HourEntry(db.Model):
    """Time a trainee logged for one supervisor to sign; decided entries never change."""

    __tablename__ = "hour_entries"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status"),
        CheckConstraint("minutes >= 15 AND minutes <= 720 AND minutes % 15 = 0", name="minutes"),
        Index("ix_hour_entries_trainee_status_date", "trainee_id", "status", "date"),
        Index("ix_hour_entries_supervisor_status_date", "supervisor_id", "status", "date"),
        Index("ix_hour_entries_trainee_category_status", "trainee_id", "category", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    date: Mapped[dt.date]
    category: Mapped[str] = mapped_column(String(40))
    minutes: Mapped[int]
    description: Mapped[str] = mapped_column(String(280))
    status: Mapped[str] = mapped_column(String(16), default=EntryStatus.PENDING)
    version: Mapped[int] = mapped_column(default=1)
    revision_of_id: Mapped[int | None] = mapped_column(ForeignKey("hour_entries.id"), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None]
    reason: Mapped[str | None] = mapped_column(String(500))
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("hour_signatures.id"), index=True)

    trainee: Mapped[User] = relationship(foreign_keys=[trainee_id])
    supervisor: Mapped[User] = relationship(foreign_keys=[supervisor_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class SignedMonth(db.Model):
    """A supervisor signed a trainee's whole month: it takes no new or changed entries."""

    __tablename__ = "hour_signed_months"
    __table_args__ = (UniqueConstraint("supervisor_id", "trainee_id", "month", name="one_lock"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    trainee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    signed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("hour_signatures.id"))

    supervisor: Mapped[User] = relationship(foreign_keys=[supervisor_id])
    trainee: Mapped[User] = relationship(foreign_keys=[trainee_id])
