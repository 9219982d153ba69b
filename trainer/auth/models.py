"""Tables for people, their roles, supervision agreements and one-time tokens."""
from datetime import date, datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db
from trainer.timeutil import utcnow


class Role(StrEnum):
    """The three kinds of people the site serves."""

    TRAINEE = "trainee"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


ROLE_CHECK = "role IN ('trainee', 'supervisor', 'admin')"


class User(UserMixin, db.Model):
    """A person who can sign in; emails are stored lower-case."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(ROLE_CHECK, name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    topics: Mapped[list] = mapped_column(JSON, default=list)
    capacity: Mapped[int] = mapped_column(default=10)
    on_call: Mapped[bool] = mapped_column(default=False)  # takes urgent safety consultations first
    session_version: Mapped[int] = mapped_column(default=0)
    totp_secret: Mapped[str | None] = mapped_column(String(32))
    totp_last_step: Mapped[int | None]  # the last time step accepted, so no code works twice
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    supervisor: Mapped["User | None"] = relationship(remote_side=[id], foreign_keys=[supervisor_id])

    @property
    def is_active(self) -> bool:
        """Deactivated people cannot sign in or keep a session."""
        return self.active

    def get_id(self) -> str:
        """The session id carries the session version, so bumping it ends every session."""
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: str) -> bool:
        """Whether this person has one of the given roles."""
        return self.role in roles

    @property
    def needs_two_factor(self) -> bool:
        """Supervisors and admins must sign in with a second factor."""
        return self.role in (Role.SUPERVISOR, Role.ADMIN)


class SupervisionAgreement(db.Model):
    """A supervisor agreed to supervise a trainee from a date; hours start there."""

    __tablename__ = "supervision_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    supervisor: Mapped[User] = relationship(foreign_keys=[supervisor_id])
    trainee: Mapped[User] = relationship(foreign_keys=[trainee_id])


class Invitation(db.Model):
    """An emailed, single-use, expiring invitation to join with a role."""

    __tablename__ = "invitations"
    __table_args__ = (CheckConstraint(ROLE_CHECK, name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]

    invited_by: Mapped[User] = relationship(foreign_keys=[invited_by_id])


class PasswordReset(db.Model):
    """A one-time password-reset token; only its hash is stored."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """A one-time code that stands in for the authenticator; only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]
