"""Every table, imported in one place so SQLAlchemy and Alembic see them all."""
from trainer.audit import AuditEvent
from trainer.auth.models import Invitation, PasswordReset, RecoveryCode, SupervisionAgreement, User
from trainer.auth.throttle import LoginFailure
from trainer.learn.models import CourseCompletion, ModuleCompletion
from trainer.mail import OutboxMessage

__all__ = ["AuditEvent", "CourseCompletion", "Invitation", "LoginFailure", "ModuleCompletion",
           "OutboxMessage", "PasswordReset", "RecoveryCode", "SupervisionAgreement", "User"]
