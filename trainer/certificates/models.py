"""The certificates table: one per trainee and program, verifiable by an unguessable code."""
import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.auth.models import User
from trainer.extensions import db
from trainer.timeutil import utcnow


class Certificate(db.Model):
    """A certificate a trainee claimed; revoking keeps the row so verification says so."""

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("user_id", "program_id", name="one_per_program"),
        CheckConstraint("status IN ('valid', 'revoked')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    program_id: Mapped[str] = mapped_column(String(80))
    program_title: Mapped[str] = mapped_column(String(200))
    holder_name: Mapped[str] = mapped_column(String(120))
    code: Mapped[str] = mapped_column(String(32), unique=True)
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    completed_on: Mapped[dt.date]
    supervisor_name: Mapped[str | None] = mapped_column(String(120))
    storage_key: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="valid")
    revoked_at: Mapped[dt.datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(String(500))

    holder: Mapped[User] = relationship(foreign_keys=[user_id])
