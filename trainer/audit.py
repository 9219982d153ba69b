"""Append-only audit log whose events are chained by hash, so edits and deletions show."""
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from trainer import sqlite
from trainer.extensions import db
from trainer.timeutil import utcnow

GENESIS = "0" * 64
PG_CHAIN_LOCK = 7_274_271  # advisory lock id that serialises appends on PostgreSQL


class AuditEvent(db.Model):
    """One audited action: who did what to which target, never the content."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str] = mapped_column(String(128), index=True)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


def _digest(prev_hash: str, seq: int, at: datetime, actor_id, actor: str,
            action: str, target: str, details: dict) -> str:
    body = json.dumps(
        [seq, at.isoformat(), actor_id, actor, action, target, details],
        sort_keys=True, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def target_of(thing) -> str:
    """Name a target: strings pass through, rows become `table:id`."""
    if isinstance(thing, str):
        return thing
    return f"{thing.__tablename__}:{thing.id}"


def record(actor, action: str, target, **details) -> AuditEvent:
    """Append an event to the chain in the current transaction (the caller commits)."""
    return _append(db.session, actor, action, target, details)


def record_now(actor, action: str, target, **details) -> None:
    """Append an event in a short transaction of its own, committed at once.

    For events that must outlast the request's own transaction: refusals
    (their request is rolled back) and views on GET (which commit nothing).
    The caller's transaction must hold no chain or write lock, so call it
    before any record() in the same request, or after a rollback.
    """
    with Session(sqlite.writer(db.engine)) as session, session.begin():
        _append(session, actor, action, target, details)


def _append(session, actor, action: str, target, details: dict) -> AuditEvent:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_CHAIN_LOCK})
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
    actor_id = getattr(actor, "id", None)
    label = getattr(actor, "email", None) or (actor if isinstance(actor, str) else "system")
    details = json.loads(json.dumps(details, default=str))
    at = utcnow()
    event = AuditEvent(
        seq=seq, at=at, actor_id=actor_id, actor=label, action=action,
        target=target_of(target), details=details, prev_hash=prev,
        hash=_digest(prev, seq, at, actor_id, label, action, target_of(target), details),
    )
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    """What `audit verify` found."""

    events: int
    head: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify() -> ChainReport:
    """Walk the chain in order and report every edited, missing or reordered event."""
    problems = []
    prev, expected_seq, count = GENESIS, 1, 0
    rows = db.session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars()
    for event in rows:
        count += 1
        if event.seq != expected_seq:
            problems.append(f"event {expected_seq} is missing (next is {event.seq})")
        if event.prev_hash != prev:
            problems.append(f"event {event.seq} does not follow the event before it")
        digest = _digest(event.prev_hash, event.seq, event.at, event.actor_id, event.actor,
                         event.action, event.target, event.details)
        if digest != event.hash:
            problems.append(f"event {event.seq} was changed after it was written")
        prev, expected_seq = event.hash, event.seq + 1
    return ChainReport(events=count, head=prev, problems=tuple(problems))
