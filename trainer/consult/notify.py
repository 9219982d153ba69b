"""Consultation mail: says that something happened and where to look, never what anyone wrote."""
from datetime import datetime

from flask import url_for
from sqlalchemy import select

from trainer.auth.models import Role, User
from trainer.consult.models import Consultation
from trainer.extensions import db
from trainer.mail import send_mail

SIGN_IN = "Sign in to Reunification Trainer and open Consultations to read it."


def link(endpoint: str, **values) -> str:
    """An absolute link when the site's address is known (a request or SERVER_NAME), else a pointer."""
    try:
        return url_for(endpoint, _external=True, **values)
    except RuntimeError:
        return SIGN_IN


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def assigned(consultation: Consultation, supervisor: User, escalated: bool = False, reminder: bool = False) -> None:
    """Tell a supervisor a consultation is theirs now (or still theirs, overdue), and when it is due."""
    kind = "An urgent safety consultation" if consultation.urgent else "A consultation"
    if reminder:
        how = "is past its due time and nobody else can take it; it stays with you"
    elif escalated:
        how = "was passed to you because it was not answered in time"
    else:
        how = "is waiting for you"
    send_mail(supervisor.email, f"{kind} is waiting for you",
              f"{kind} from a trainee {how}.\nPlease answer by {_when(consultation.due_at)}.\n\n"
              f"{link('consult.thread', consultation_id=consultation.id)}\n\n"
              "The case details are on the site only, never in mail.")


def new_message(consultation: Consultation, recipient: User) -> None:
    """Tell a participant there is a new message (never its content)."""
    send_mail(recipient.email, "New message in your consultation",
              "There is a new message in one of your consultations.\n\n"
              f"{link('consult.thread', consultation_id=consultation.id)}")


def closed(consultation: Consultation, recipient: User) -> None:
    """Tell the other participant a consultation was closed."""
    send_mail(recipient.email, "A consultation was closed",
              f"A consultation you take part in was closed.\n\n"
              f"{link('consult.thread', consultation_id=consultation.id)}")


def moved(consultation: Consultation, trainee: User, kept: bool = False) -> None:
    """Tell the trainee who has their consultation now and when it is due."""
    if kept:
        subject, first = "Your consultation is taking longer", (
            f"Your consultation was not answered in time. It stays with {consultation.supervisor.name}, "
            "who has been reminded")
    else:
        subject, first = "Your consultation has a new supervisor", (
            f"Your consultation is now with {consultation.supervisor.name}")
    send_mail(trainee.email, subject, f"{first}; it is due by {_when(consultation.due_at)}.\n\n"
              f"{link('consult.thread', consultation_id=consultation.id)}")


def urgent_routed(consultation: Consultation, hours: int) -> None:
    """Tell every active admin an urgent consultation was routed, to whom and when it is due."""
    admins = db.session.scalars(select(User).where(User.role == Role.ADMIN, User.active.is_(True)))
    for admin in admins:
        send_mail(admin.email, "Urgent consultation routed",
                  f"An urgent consultation was routed to {consultation.supervisor.name}; due in {hours} hours "
                  f"({_when(consultation.due_at)}).\n\n{link('consult.index')}")
