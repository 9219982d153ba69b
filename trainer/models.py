"""Every table, imported in one place so SQLAlchemy and Alembic see them all."""
from trainer.audit import AuditEvent
from trainer.auth.models import Invitation, PasswordReset, SupervisionAgreement, User
from trainer.auth.throttle import LoginFailure
from trainer.certificates.models import Certificate
from trainer.hours.models import HourEntry, HourSignature, SignedMonth
from trainer.learn.models import CourseCompletion, ModuleCompletion
from trainer.mail import OutboxMessage

__all__ = ["AuditEvent", "Certificate", "CourseCompletion", "HourEntry", "HourSignature", "Invitation",
           "LoginFailure", "ModuleCompletion", "OutboxMessage", "PasswordReset", "SignedMonth",
           "SupervisionAgreement", "User"]
