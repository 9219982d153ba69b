"""Every table, imported in one place so SQLAlchemy and Alembic see them all."""
from trainer.audit import AuditEvent
from trainer.auth.models import Invitation, PasswordReset, SupervisionAgreement, User
from trainer.auth.throttle import LoginFailure
from trainer.mail import OutboxMessage

__all__ = ["AuditEvent", "Invitation", "LoginFailure", "OutboxMessage", "PasswordReset",
           "SupervisionAgreement", "User"]
