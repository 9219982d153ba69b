"""Time spent on a consultation, logged in one click as pending consultation hours for its supervisor to sign."""
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from trainer import audit
from trainer.auth.models import User
from trainer.consult.models import Consultation, ConsultationHours
from trainer.consult.services import ConsultationError
from trainer.extensions import db
from trainer.hours import services as hours
from trainer.hours.models import HourEntry
from trainer.timeutil import utcnow

CATEGORY = "consultation"
MINUTE_CHOICES = tuple(range(15, 121, 15))
ALREADY = ("You already logged time for this consultation today. While it waits for sign-off you can change it "
           "under Hours.")


def can_log(trainee: User, consultation: Consultation) -> bool:
    """The consultation's supervisor can sign the trainee's hours (they have a supervision agreement)."""
    return consultation.trainee_id == trainee.id and consultation.supervisor in hours.supervisors_for(trainee)


def logged(consultation: Consultation) -> list[ConsultationHours]:
    """Time logged from this consultation, oldest first (entries deleted under Hours drop out)."""
    return list(db.session.scalars(select(ConsultationHours).where(
        ConsultationHours.consultation_id == consultation.id, ConsultationHours.hour_entry_id.is_not(None))
        .order_by(ConsultationHours.logged_on, ConsultationHours.id)))


def log_consultation_hours(trainee: User, consultation: Consultation, minutes: int,
                           today: date | None = None) -> HourEntry:
    """Create a pending consultation-hours entry dated today, for the consultation's supervisor to sign."""
    if trainee.id != consultation.trainee_id:
        raise ConsultationError("Only the trainee who asked logs time for a consultation.")
    if minutes not in MINUTE_CHOICES:
        raise ConsultationError("Choose 15 to 120 minutes, in steps of 15.", field="minutes")
    today = today or utcnow().date()
    claim = ConsultationHours(consultation_id=consultation.id, logged_on=today, minutes=minutes)
    db.session.add(claim)
    try:
        db.session.flush()  # claims the day first, so two clicks never make two entries
    except IntegrityError as exc:
        db.session.rollback()
        raise ConsultationError(ALREADY) from exc
    data = hours.EntryData(date=today, category=CATEGORY, minutes=minutes, supervisor_id=consultation.supervisor_id,
                           description=f"Case consultation #{consultation.id}")
    try:
        entry = hours.add_entry(trainee, data)
    except hours.HoursError as err:
        db.session.rollback()
        raise ConsultationError(str(err)) from err
    claim.hour_entry_id = entry.id
    audit.record(trainee, "consult.hours_logged", consultation, entry=entry.id, minutes=minutes)
    db.session.commit()  # the claim, the entry and both audit events, or none of them
    return entry
