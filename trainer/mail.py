"""Outgoing mail: every message goes to the outbox table, and over SMTP when configured.

Messages are delivered only after the transaction that wrote them commits,
so a rolled-back use case never sends mail.
"""
import logging
import smtplib
from datetime import datetime
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import String, Text, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from trainer.extensions import db
from trainer.timeutil import utcnow

log = logging.getLogger(__name__)
PENDING = "outbox_pending"


class OutboxMessage(db.Model):
    """A message the site sent or tried to send; the body is dropped once delivered."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(String(200))


def send_mail(to: str, subject: str, body: str) -> OutboxMessage:
    """Queue a message in the current transaction; it goes out when that commits."""
    message = OutboxMessage(to=to, subject=subject, body=body)
    db.session.add(message)
    db.session.flush()
    db.session.info.setdefault(PENDING, []).append(message.id)
    log.info("mail queued id=%s subject=%r", message.id, subject)
    return message


def deliver(ids: list[int]) -> None:
    """Send queued messages over SMTP when MAIL_SERVER is set; record the outcome."""
    config = current_app.config
    if not config["MAIL_SERVER"] or not ids:
        return
    with db.engine.begin() as conn:
        rows = conn.execute(select(OutboxMessage).where(OutboxMessage.id.in_(ids))).all()
        for row in rows:
            outcome = {"sent_at": utcnow(), "body": None}
            try:
                _smtp_send(config, row.to, row.subject, row.body or "")
            except (OSError, smtplib.SMTPException) as exc:
                log.warning("mail id=%s not delivered: %s", row.id, type(exc).__name__)
                outcome = {"error": type(exc).__name__}
            conn.execute(update(OutboxMessage).where(OutboxMessage.id == row.id).values(**outcome))


def _smtp_send(config, to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    ids = session.info.pop(PENDING, [])
    if ids:
        deliver(ids)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)
