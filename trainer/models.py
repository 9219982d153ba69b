"""Every table, imported in one place so SQLAlchemy and Alembic see them all."""
from trainer.audit import AuditEvent
from trainer.auth.models import Invitation, PasswordReset, RecoveryCode, SupervisionAgreement, User
from trainer.auth.throttle import LoginFailure
from trainer.consult.models import Consultation, Message, SupervisorConflict
from trainer.learn.models import (AttemptGrant, Course, CourseCompletion, Module, ModuleCompletion, ModuleRead,
                                  ModuleVersion, QuizAttempt, QuizVersion, Vignette)
from trainer.mail import OutboxMessage

__all__ = ["AttemptGrant", "AuditEvent", "Consultation", "Course", "CourseCompletion", "Invitation", "LoginFailure",
           "Message", "Module", "ModuleCompletion", "ModuleRead", "ModuleVersion", "OutboxMessage", "PasswordReset",
           "QuizAttempt", "QuizVersion", "RecoveryCode", "SupervisionAgreement", "SupervisorConflict", "User",
           "Vignette"]
