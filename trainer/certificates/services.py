"""Certificate rules: claim when every requirement is met, verify by code, revoke with a reason."""
import hashlib
import io
import re
import secrets

from flask import abort, current_app, url_for
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from trainer import audit
from trainer.auth.models import Role, User
from trainer.certificates.models import Certificate
from trainer.extensions import db
from trainer.hours import calculator
from trainer.hours.models import EntryStatus, HourEntry
from trainer.hours.documents import CertificateDoc
from trainer.hours.reports import trainee_records
from trainer.hours.services import catalog
from trainer.learn.models import CourseCompletion, ModuleCompletion
from trainer.pagination import Page, paginate
from trainer.storage import StorageError, new_key, storage
from trainer.timeutil import utcnow

CODE = re.compile(r"^[A-Za-z0-9_-]{16}$")
PAGE_SIZE = 25


class CertificateError(Exception):
    """A certificate rule was broken; the message is shown to the person."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _completed_on(user: User):
    last_entry = db.session.scalar(select(func.max(HourEntry.date)).where(
        HourEntry.trainee_id == user.id, HourEntry.status == EntryStatus.APPROVED))
    last_learning = [db.session.scalar(select(func.max(model.completed_at)).where(model.user_id == user.id))
                     for model in (CourseCompletion, ModuleCompletion)]
    dates = [d for d in [last_entry, *[t.date() for t in last_learning if t]] if d]
    return max(dates) if dates else utcnow().date()


def _document(user: User, program, records: calculator.Records, code: str) -> CertificateDoc:
    labels = {c.id: c.label for c in catalog().categories}
    hours = tuple((labels.get(c, c), m) for c, m in sorted(records.approved_minutes.items()) if m)
    supervisor = user.supervisor.name if user.supervisor else "—"
    return CertificateDoc(name=user.name, program=program.title, hours=hours, completed_on=_completed_on(user),
                          issued_on=utcnow().date(), clinic=current_app.config["CLINIC_NAME"],
                          supervisor=supervisor, code=code,
                          verify_url=url_for("certificates.verify", code=code, _external=True))


def _issue(user: User, program, records: calculator.Records) -> Certificate:
    """Draw the PDF, store it, and add the (uncommitted) certificate row."""
    code = secrets.token_urlsafe(12)
    doc = _document(user, program, records, code)
    from trainer.hours.pdf import certificate_pdf  # fpdf2 is slow to import; only needed here
    data = certificate_pdf(doc)
    key = new_key("certificates")
    try:
        storage().put(key, io.BytesIO(data), "application/pdf", filename="certificate.pdf")
    except StorageError as exc:
        raise CertificateError("The certificate could not be stored just now, so it was not issued. "
                               "Try again in a moment.") from exc
    cert = Certificate(user_id=user.id, program_id=program.id, program_title=program.title, holder_name=user.name,
                       code=code, completed_on=doc.completed_on, supervisor_name=doc.supervisor, storage_key=key,
                       content_hash=hashlib.sha256(data).hexdigest())
    db.session.add(cert)
    return cert


def claim_certificate(user: User, program_id: str) -> Certificate:
    """Issue the program's certificate when every requirement is met (checked here, again)."""
    program = catalog().program(program_id or "")
    if user.role != Role.TRAINEE or program is None:
        raise CertificateError("Choose a program from the list.")
    existing = db.session.scalar(select(Certificate).where(Certificate.user_id == user.id,
                                                           Certificate.program_id == program.id))
    if existing:
        raise CertificateError("You already have this certificate." if existing.status == "valid" else
                               "This certificate was revoked. Ask the clinic admin about it.")
    records, _, _ = trainee_records(user.id)
    if not calculator.progress(program, records).met_all:
        raise CertificateError("Not every requirement of this program is met yet.")
    cert = _issue(user, program, records)
    key = cert.storage_key
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        storage().delete(key)
        raise CertificateError("You already have this certificate.") from exc
    audit.record(user, "certificate.issued", cert, program=program.id, hash=cert.content_hash)
    db.session.commit()
    return cert


def certificates_of(user: User) -> list[Certificate]:
    """A trainee's certificates, newest first."""
    return list(db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)
                                   .order_by(Certificate.issued_at.desc())))


def get_certificate_or_404(cert_id: int, user: User) -> Certificate:
    """A certificate its holder (or an admin) may download; anyone else gets a 404."""
    stmt = select(Certificate).where(Certificate.id == cert_id)
    if user.role != Role.ADMIN:
        stmt = stmt.where(Certificate.user_id == user.id)
    return db.session.scalar(stmt) or abort(404)


def find_by_code(code: str) -> Certificate:
    """The certificate with this verification code, or a 404."""
    if not CODE.match(code or ""):
        abort(404)
    return db.session.scalar(select(Certificate).where(Certificate.code == code)) or abort(404)


def list_certificates(page: int = 1) -> Page:
    """Every certificate, newest first, one page at a time (for admins)."""
    return paginate(select(Certificate).order_by(Certificate.issued_at.desc(), Certificate.id.desc()), page,
                    PAGE_SIZE)


def revoke_certificate(admin: User, cert_id: int, reason: str) -> None:
    """Revoke a valid certificate with a reason; verification then says revoked."""
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise CertificateError("Give a reason of up to 500 characters; it goes to the audit log.", field="reason")
    revoked = db.session.execute(
        update(Certificate).where(Certificate.id == cert_id, Certificate.status == "valid")
        .values(status="revoked", revoked_at=utcnow(), revoked_by_id=admin.id, revoke_reason=reason)
        .execution_options(synchronize_session=False)).rowcount
    if not revoked:
        db.session.rollback()
        raise CertificateError("That certificate is already revoked.")
    audit.record(admin, "certificate.revoked", f"certificates:{cert_id}", reason=reason)
    db.session.commit()
