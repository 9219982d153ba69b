"""Consultation rules: preview, create, reply, close, reassign, escalate, and lookups scoped by who asks.

What the trainee types arrives as a Draft and lives only in the request: it
is de-identified here, and only the result is stored, audited or mailed.
Nothing raw goes into an exception message, a log line or the session.
"""
import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from trainer import audit
from trainer.auth.models import Role, User
from trainer.consult import notify, staff
from trainer.consult.highlight import (Part, highest_person, join_parts, kind_counts, phrases, split_parts,
                                       unremoved)
from trainer.consult.models import Consultation, Message, Status
from trainer.consult.routing import Policy, Request, Route, route
from trainer.deid import deidentify
from trainer.extensions import db
from trainer.learn.progress import safety_cleared
from trainer.timeutil import utcnow
from trainer.topics import TOPICS

CHANGED = "The text changed after the preview. Check this new preview, then confirm again."
STALE = "Someone changed this consultation a moment ago. Reload the page to see where it stands."


class ConsultationError(Exception):
    """A consultation rule was broken; the message (never the typed text) is shown to the person."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class PreviewChanged(ConsultationError):
    """The text to confirm is not the text that was previewed."""


@dataclass(frozen=True)
class Draft:
    """What the trainee typed; repr hides it so no log or traceback can print it."""

    question: str = field(repr=False)
    summary: str = field(repr=False)
    topics: tuple[str, ...] = ()
    urgent: bool = False
    people: str = field(default="", repr=False)
    more: str = field(default="", repr=False)


@dataclass(frozen=True)
class Preview:
    """De-identified parts, what kinds were removed, asked-for phrases still there, a digest to confirm."""

    parts: tuple[Part, ...]
    removed: dict
    unremoved: tuple[str, ...]  # "“More to remove”, entry 2": where, never what
    digest: str

    @property
    def total(self) -> int:
        """How many details were removed."""
        return sum(self.removed.values())


def preview_texts(texts: list[str], people: str, more: str, after_person: int = 0) -> Preview:
    """De-identify texts in one go with the typed names and phrases as known names."""
    text, bounds = join_parts(texts, after_person)
    result = deidentify(text, phrases(people, more))
    parts = tuple(split_parts(text, result.findings, bounds))
    joined = "\n".join(p.text for p in parts)
    fields = (("People in this case", people), ("More to remove", more))
    left = tuple(f"“{label}”, entry {n}" for label, typed in fields for n in unremoved(joined, phrases(typed)))
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), joined.encode(), hashlib.sha256).hexdigest()
    return Preview(parts, kind_counts(result.findings), left, digest)


def preview_consultation(draft: Draft) -> Preview:
    """The preview of a new consultation's question and summary."""
    return preview_texts([draft.question, draft.summary], draft.people, draft.more)


def _checked(preview: Preview, digest: str | None) -> Preview:
    """Refuse to store a preview the person did not see, or one with asked-for phrases left."""
    if preview.unremoved:
        raise ConsultationError(f"Some of what you asked to remove is still in the text ({'; '.join(preview.unremoved)}"
                                "): the remover takes out names and words, not the numbers in them. Edit the "
                                "text itself, then check again.", field="more")
    if not digest or not hmac.compare_digest(digest, preview.digest):
        raise PreviewChanged(CHANGED)
    return preview


def due_after(urgent: bool, now: datetime) -> datetime:
    """When a consultation waiting for its supervisor is due (settings in hours)."""
    key = "CONSULT_DUE_URGENT_HOURS" if urgent else "CONSULT_DUE_ROUTINE_HOURS"
    return now + timedelta(hours=current_app.config[key])


def choose_supervisor(trainee: User, topics, urgent: bool, exclude=frozenset()) -> Route:
    """Route with the pure rules over every supervisor's current load."""
    request = Request(trainee.id, trainee.supervisor_id, frozenset(topics), urgent, frozenset(exclude))
    return route(request, staff.candidates_for(trainee.id), Policy(current_app.config["CONSULT_OWN_MARGIN"]))


def create_consultation(trainee: User, draft: Draft, digest: str | None, now: datetime | None = None):
    """Store the de-identified consultation, route it, audit the route and tell the people concerned."""
    if trainee.role != Role.TRAINEE or not safety_cleared(trainee):
        raise ConsultationError("Complete the safety module before asking for a consultation.")
    if not draft.topics or set(draft.topics) - set(TOPICS):
        raise ConsultationError("Choose at least one topic from the list.", field="topics")
    preview = _checked(preview_consultation(draft), digest)
    question, summary = preview.parts
    chosen = choose_supervisor(trainee, draft.topics, draft.urgent)
    if chosen.supervisor_id is None:
        raise ConsultationError("No supervisor can take consultations right now. Try again later, "
                                "or ask the clinic admin.")
    now = now or utcnow()
    removed = preview.removed
    consultation = Consultation(
        trainee_id=trainee.id, supervisor_id=chosen.supervisor_id, question=question.text, summary=summary.text,
        topics=sorted(draft.topics), urgent=draft.urgent, status=Status.OPEN, removed=removed,
        route_rule=chosen.rule, route_reason=chosen.reason[:600], assigned_at=now,
        due_at=due_after(draft.urgent, now), created_at=now, updated_at=now)
    db.session.add(consultation)
    db.session.flush()
    audit.record(trainee, "consult.routed", consultation, supervisor=chosen.supervisor_id, rule=chosen.rule,
                 reason=chosen.reason, urgent=draft.urgent, topics=sorted(draft.topics), removed=removed)
    notify.assigned(consultation, consultation.supervisor)
    if draft.urgent:
        notify.urgent_routed(consultation, current_app.config["CONSULT_DUE_URGENT_HOURS"])
    db.session.commit()
    return consultation


def reply_preview(consultation: Consultation, body: str, people: str, more: str) -> Preview:
    """A reply de-identified like the case, new people numbered after the thread's."""
    after = highest_person([consultation.question, consultation.summary, *(m.body for m in consultation.messages)])
    return preview_texts([body], people, more, after)


def _participant(consultation: Consultation, user: User) -> User:
    """The other side of the thread; raises unless user takes part."""
    if user.id == consultation.trainee_id:
        return consultation.supervisor
    if user.id == consultation.supervisor_id:
        return consultation.trainee
    raise ConsultationError("Only the trainee and the assigned supervisor take part in this thread.")


def reply(user: User, consultation: Consultation, body: str, people: str, more: str, digest: str | None,
          now: datetime | None = None) -> Message:
    """Add a de-identified reply; the supervisor answering marks it answered, the trainee reopens it."""
    other = _participant(consultation, user)
    if not body.strip():
        raise ConsultationError("Write a reply first.", field="body")
    preview = _checked(reply_preview(consultation, body, people, more), digest)
    now = now or utcnow()
    by_trainee = user.id == consultation.trainee_id
    values = {"status": Status.OPEN if by_trainee else Status.ANSWERED, "updated_at": now}
    if by_trainee:
        values["due_at"] = due_after(consultation.urgent, now)
    moved = db.session.execute(update(Consultation).where(
        Consultation.id == consultation.id, Consultation.status != Status.CLOSED)
        .values(version=Consultation.version + 1, **values)).rowcount
    if not moved:
        raise ConsultationError("This consultation is closed; start a new one to ask more.")
    message = Message(consultation_id=consultation.id, author_id=user.id, body=preview.parts[0].text,
                      removed=preview.removed, created_at=now)
    db.session.add(message)
    db.session.flush()
    audit.record(user, "consult.replied", consultation, message=message.id, removed=preview.removed)
    notify.new_message(consultation, other)
    db.session.commit()
    return message


def close(user: User, consultation: Consultation, version: int | None, now: datetime | None = None) -> None:
    """Close a consultation once, whoever of the two clicks first."""
    other = _participant(consultation, user)
    now = now or utcnow()
    closed = db.session.execute(update(Consultation).where(
        Consultation.id == consultation.id, Consultation.version == version, Consultation.status != Status.CLOSED)
        .values(status=Status.CLOSED, closed_at=now, closed_by_id=user.id, updated_at=now,
                version=Consultation.version + 1)).rowcount
    if not closed:
        db.session.rollback()
        raise ConsultationError(STALE)
    audit.record(user, "consult.closed", consultation)
    notify.closed(consultation, other)
    db.session.commit()


def move(actor, consultation: Consultation, version: int, chosen: Route, action: str, now: datetime,
         escalated: bool = False) -> bool:
    """Hand a consultation to chosen.supervisor_id unless someone changed it since `version` (caller commits)."""
    old = consultation.supervisor_id
    values = {"supervisor_id": chosen.supervisor_id, "route_rule": chosen.rule, "route_reason": chosen.reason[:600],
              "assigned_at": now, "updated_at": now, "version": Consultation.version + 1}
    if consultation.status == Status.OPEN:
        values["due_at"] = due_after(consultation.urgent, now)
    if escalated:
        values["escalated_count"] = Consultation.escalated_count + 1
    changed = db.session.execute(update(Consultation).where(
        Consultation.id == consultation.id, Consultation.version == version, Consultation.status != Status.CLOSED)
        .values(**values)).rowcount
    if not changed:
        db.session.rollback()
        return False
    db.session.refresh(consultation)
    audit.record(actor, action, consultation, supervisor=chosen.supervisor_id, previous=old, rule=chosen.rule,
                 reason=chosen.reason)
    return True


def _passed_on(user: User, consultation: Consultation, target_id: int) -> Route:
    """The route for a supervisor passing a consultation on: to a colleague, or by the rules (0)."""
    if not target_id:
        chosen = choose_supervisor(consultation.trainee, consultation.topics, consultation.urgent, {user.id})
        if chosen.supervisor_id is None:
            raise ConsultationError("Nobody else can take this consultation right now.", field="supervisor")
        return Route(chosen.supervisor_id, chosen.rule, f"passed on by #{user.id}: {chosen.reason}")
    target = db.session.get(User, target_id)
    if target is None or target.role != Role.SUPERVISOR or not target.active or target.id == user.id:
        raise ConsultationError("Choose another active supervisor.", field="supervisor")
    if staff.has_conflict(target.id, consultation.trainee_id):
        raise ConsultationError(f"{target.name} has a conflict of interest with this trainee.", field="supervisor")
    return Route(target.id, "reassigned", f"passed on by #{user.id} to #{target.id}")


def reassign(user: User, consultation: Consultation, version: int | None, target_id: int,
             now: datetime | None = None) -> User:
    """The assigned supervisor passes a consultation to a colleague (or lets the rules choose)."""
    if user.id != consultation.supervisor_id:
        raise ConsultationError("Only the assigned supervisor can pass a consultation on.")
    if consultation.status == Status.CLOSED:
        raise ConsultationError("This consultation is closed.")
    chosen = _passed_on(user, consultation, target_id)
    if not move(user, consultation, version, chosen, "consult.reassigned", now or utcnow()):
        raise ConsultationError(STALE)
    notify.assigned(consultation, consultation.supervisor)
    notify.moved(consultation, consultation.trainee)
    db.session.commit()
    return consultation.supervisor


def add_conflict(admin: User, supervisor: User, trainee: User | None, note: str, now: datetime | None = None) -> int:
    """Mark a conflict of interest and move the pair's open consultations elsewhere; returns how many moved."""
    staff.add_conflict(admin, supervisor, trainee, note)
    now, moved = now or utcnow(), 0
    pending = db.session.scalars(select(Consultation).where(
        Consultation.supervisor_id == supervisor.id, Consultation.trainee_id == trainee.id,
        Consultation.status != Status.CLOSED)).all()
    for consultation in pending:
        chosen = choose_supervisor(trainee, consultation.topics, consultation.urgent, {supervisor.id})
        if chosen.supervisor_id is None:
            continue
        chosen = Route(chosen.supervisor_id, chosen.rule, f"conflict of interest marked: {chosen.reason}")
        if not move(admin, consultation, consultation.version, chosen, "consult.reassigned", now):
            raise staff.StaffError(STALE)
        notify.assigned(consultation, consultation.supervisor)
        notify.moved(consultation, trainee)
        moved += 1
    db.session.commit()
    return moved
