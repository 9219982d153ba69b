"""Supervisor sign-off: batch decisions as e-signatures, month locks, reopening and reassignment."""
import hashlib
import json
from collections import Counter
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import delete, func, select, update

from trainer import audit
from trainer.auth.models import Role, SupervisionAgreement, User
from trainer.auth.passwords import check_password
from trainer.extensions import db
from trainer.hours.models import EntryStatus, HourEntry, HourSignature, SignedMonth
from trainer.hours.services import CHANGED, HoursError, check_month_open, month_bounds, month_of
from trainer.mail import send_mail
from trainer.timeutil import utcnow

DECISIONS = {"approve": EntryStatus.APPROVED, "reject": EntryStatus.REJECTED}
MAX_BATCH = 500
REASON_MAX = 500


@dataclass(frozen=True)
class BatchResult:
    """What a batch signed, what it could not, and whether it locked a month."""

    decided: tuple[int, ...]
    refused: tuple[int, ...]
    signature_id: int | None = None
    locked_month: str | None = None
    month_left_open: bool = False


def canonical_hash(content: dict) -> str:
    """sha256 of the canonical JSON of what was signed."""
    body = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def _record(entry: HourEntry) -> dict:
    return {"id": entry.id, "version": entry.version, "trainee_id": entry.trainee_id,
            "supervisor_id": entry.supervisor_id, "date": entry.date.isoformat(), "category": entry.category,
            "minutes": entry.minutes, "description": entry.description}


def signed_content(signature: HourSignature, entries: list[HourEntry]) -> dict:
    """Exactly what a signature covers: signer, time, decision and every entry's content and version."""
    return {"signer_id": signature.signer_id, "signed_at": signature.signed_at.isoformat(),
            "decision": signature.decision, "reason": signature.reason,
            "entries": [_record(e) for e in sorted(entries, key=lambda e: e.id)]}


def signature_intact(signature: HourSignature, entries: list[HourEntry]) -> bool:
    """Whether the signature's record is unchanged and these entries still read exactly as signed."""
    if canonical_hash(signature.content) != signature.content_hash:
        return False
    signed = {item["id"]: item for item in signature.content.get("entries", [])}
    return all(signed.get(entry.id) == _record(entry) for entry in entries)


def _check_batch(supervisor: User, password: str, picks, decision: str, reason: str) -> None:
    if supervisor.role != Role.SUPERVISOR:
        raise HoursError("Only supervisors sign hours.")
    if decision not in DECISIONS:
        raise HoursError("Choose approve or reject.", field="decision")
    if not picks:
        raise HoursError("Select at least one entry to sign.", field="entries")
    if len(picks) > MAX_BATCH:
        raise HoursError(f"Sign at most {MAX_BATCH} entries at a time.", field="entries")
    if decision == "reject" and not reason:
        raise HoursError("Say why you reject the entries, so the trainee can correct them.", field="reason")
    if len(reason) > REASON_MAX:
        raise HoursError(f"Keep the reason to {REASON_MAX} characters.", field="reason")
    if not check_password(supervisor.password_hash, password or ""):
        raise HoursError("That password is not right, so nothing was signed. Enter your own password to sign.",
                         field="password")


def _claim(supervisor: User, signature: HourSignature, picks, status: str, reason: str | None) -> list[int]:
    """One conditional UPDATE per entry, in id order so concurrent batches lock rows alike."""
    won = []
    for entry_id, version in sorted(set(picks)):
        claimed = db.session.execute(
            update(HourEntry).where(
                HourEntry.id == entry_id, HourEntry.status == EntryStatus.PENDING, HourEntry.version == version,
                HourEntry.supervisor_id == supervisor.id, HourEntry.trainee_id != supervisor.id)
            .values(status=status, decided_by_id=supervisor.id, decided_at=signature.signed_at,
                    reason=reason, signature_id=signature.id)
            .execution_options(synchronize_session=False)).rowcount
        if claimed:
            won.append(entry_id)
    return won


def decide_entries(supervisor: User, password: str, picks: list[tuple[int, int]], decision: str,
                   reason: str = "", whole_month: tuple[int, str] | None = None) -> BatchResult:
    """Sign a batch: entries still pending at the version loaded are decided, the rest reported back.

    Each entry is decided on its own terms, so one stale entry does not undo the
    others; the signature records exactly the entries it decided.
    """
    reason = (reason or "").strip()
    _check_batch(supervisor, password, picks, decision, reason)
    signature = HourSignature(signer_id=supervisor.id, signed_at=utcnow(), decision=DECISIONS[decision],
                              reason=reason or None)
    db.session.add(signature)
    db.session.flush()
    won = _claim(supervisor, signature, picks, DECISIONS[decision], reason or None)
    refused = tuple(sorted({entry_id for entry_id, _ in picks} - set(won)))
    if not won:
        db.session.rollback()
        return BatchResult(decided=(), refused=refused)
    entries = _seal(supervisor, signature, won)
    locked, left_open = (None, False)
    if whole_month and decision == "approve":
        locked, left_open = _lock_month(supervisor, signature, entries, whole_month)
    _tell_trainees(entries)
    db.session.commit()
    return BatchResult(decided=tuple(won), refused=refused, signature_id=signature.id,
                       locked_month=locked, month_left_open=left_open)


def _seal(supervisor: User, signature: HourSignature, won: list[int]) -> list[HourEntry]:
    """Record exactly what was decided in the signature, hash it, and audit each decision."""
    entries = db.session.scalars(select(HourEntry).where(HourEntry.id.in_(won))
                                 .execution_options(populate_existing=True)).all()
    signature.content = signed_content(signature, entries)
    signature.content_hash = canonical_hash(signature.content)
    for entry in entries:
        audit.record(supervisor, f"hours.{signature.decision}", entry, signature=signature.id,
                     version=entry.version, hash=signature.content_hash)
    return list(entries)


def _lock_month(supervisor: User, signature: HourSignature, entries: list[HourEntry],
                whole_month: tuple[int, str]) -> tuple[str | None, bool]:
    """Lock the trainee's month once nothing in it waits for this supervisor any more."""
    trainee_id, month = whole_month
    if not any(e.trainee_id == trainee_id and month_of(e.date) == month for e in entries):
        return None, False
    first, after = month_bounds(month)
    waiting = db.session.scalar(select(func.count(HourEntry.id)).where(
        HourEntry.supervisor_id == supervisor.id, HourEntry.trainee_id == trainee_id,
        HourEntry.status == EntryStatus.PENDING, HourEntry.date >= first, HourEntry.date < after))
    if waiting:
        return None, True
    if db.session.scalar(select(SignedMonth.id).where(
            SignedMonth.supervisor_id == supervisor.id, SignedMonth.trainee_id == trainee_id,
            SignedMonth.month == month)):
        return month, False
    db.session.add(SignedMonth(supervisor_id=supervisor.id, trainee_id=trainee_id, month=month,
                               signed_at=signature.signed_at, signature_id=signature.id))
    audit.record(supervisor, "hours.month_signed", f"users:{trainee_id}", month=month, signature=signature.id)
    return month, False


def _tell_trainees(entries: list[HourEntry]) -> None:
    by_trainee = Counter((e.trainee_id, e.status) for e in entries)
    for trainee_id in sorted({e.trainee_id for e in entries}):
        trainee = db.session.get(User, trainee_id)
        approved, rejected = by_trainee[(trainee_id, "approved")], by_trainee[(trainee_id, "rejected")]
        send_mail(trainee.email, "Your supervisor signed hours",
                  f"Your supervisor decided {approved + rejected} of your hour entries: "
                  f"{approved} approved, {rejected} rejected.\n\n"
                  f"See them at {url_for('hours.log', _external=True)}\n")


def reopen_month(admin: User, lock_id: int, reason: str) -> tuple[str, str]:
    """Lift a month lock with a reason (audited); returns the month and the trainee's name."""
    reason = (reason or "").strip()
    if not reason:
        raise HoursError("Say why the month is reopened; the reason goes to the audit log.", field="reason")
    if len(reason) > REASON_MAX:
        raise HoursError(f"Keep the reason to {REASON_MAX} characters.", field="reason")
    lock = db.session.get(SignedMonth, lock_id)
    gone = lock and db.session.execute(delete(SignedMonth).where(SignedMonth.id == lock_id)
                                       .execution_options(synchronize_session=False)).rowcount
    if not gone:
        db.session.rollback()
        raise HoursError("That month is no longer locked.")
    opened = (lock.month, lock.trainee.name)
    audit.record(admin, "hours.month_reopened", f"users:{lock.trainee_id}", month=lock.month,
                 supervisor=lock.supervisor_id, reason=reason)
    db.session.commit()
    return opened


def _new_supervisor(entry: HourEntry, supervisor_id: int) -> User:
    person = db.session.get(User, supervisor_id) if supervisor_id else None
    agreed = person is not None and db.session.scalar(select(func.count(SupervisionAgreement.id)).where(
        SupervisionAgreement.trainee_id == entry.trainee_id, SupervisionAgreement.supervisor_id == person.id))
    if not agreed or not person.active or person.role != Role.SUPERVISOR or person.id == entry.trainee_id:
        raise HoursError("Choose an active supervisor who has a supervision agreement with this trainee.",
                         field="supervisor")
    check_month_open(entry.trainee_id, person.id, entry.date)
    return person


def reassign_entry(admin: User, entry_id: int, version: int, supervisor_id: int) -> HourEntry:
    """Move a pending entry to another of the trainee's supervisors (audited)."""
    entry = db.session.get(HourEntry, entry_id)
    if entry is None:
        raise HoursError("That entry does not exist.")
    person = _new_supervisor(entry, supervisor_id)
    previous = entry.supervisor_id
    moved = db.session.execute(
        update(HourEntry).where(HourEntry.id == entry_id, HourEntry.status == EntryStatus.PENDING,
                                HourEntry.version == version)
        .values(supervisor_id=person.id, version=HourEntry.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    if not moved:
        db.session.rollback()
        raise HoursError(CHANGED)
    audit.record(admin, "hours.reassigned", entry, old=previous, new=person.id)
    send_mail(person.email, "Hours wait for your sign-off",
              f"A clinic admin passed 1 hour entry to you for sign-off.\n\n"
              f"Review it at {url_for('hours.queue', _external=True)}\n")
    db.session.commit()
    db.session.refresh(entry)
    return entry
