"""Every table, imported in one place so SQLAlchemy and Alembic see them all."""
from trainer.audit import AuditEvent
from trainer.auth.models import Invitation, PasswordReset, RecoveryCode, SupervisionAgreement, User
from trainer.auth.throttle import LoginFailure
from trainer.certificates.models import Certificate
from trainer.consult.models import Consultation, ConsultationHours, Message, SupervisorConflict
from trainer.hours.models import HourEntry, HourSignature, SignedMonth
from trainer.learn.models import (AttemptGrant, Course, CourseCompletion, Module, ModuleCompletion, ModuleRead,
                                  ModuleVersion, QuizAttempt, QuizVersion, Vignette)
from trainer.mail import OutboxMessage
from trainer.vignettes.models import (Attachment, DeidDecision, PendingDeletion, Response, Review,
                                      VignetteDraft, VignetteVersion)

__all__ = ["AttemptGrant", "AuditEvent", "Certificate", "Consultation", "ConsultationHours", "Course",
           "CourseCompletion", "HourEntry", "HourSignature", "Invitation", "LoginFailure", "Message", "Module",
           "ModuleCompletion", "ModuleRead", "ModuleVersion", "OutboxMessage", "PasswordReset", "QuizAttempt",
           "QuizVersion", "RecoveryCode", "SignedMonth", "SupervisionAgreement", "SupervisorConflict", "User",
           "Vignette"]
__all__ += ["Attachment", "DeidDecision", "PendingDeletion", "Response", "Review", "VignetteDraft",
            "VignetteVersion"]
