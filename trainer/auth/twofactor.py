"""Second factor: TOTP from an authenticator app, with one-time recovery codes."""
import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from sqlalchemy import or_, select, update

from trainer import audit
from trainer.auth.models import RecoveryCode, User
from trainer.auth.services import AccountError, check_not_locked, note_failure
from trainer.extensions import db
from trainer.timeutil import utcnow

ISSUER = "Reunification Trainer"
STEP = 30
RECOVERY_CODES = 10
BAD_CODE = "That code is not right. Use the current code from your app, or one of your recovery codes."


def new_secret() -> str:
    """A fresh TOTP secret (base32)."""
    return pyotp.random_base32()


def provisioning_uri(email: str, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_data_uri(email: str, secret: str) -> str:
    """The enrolment QR code as a PNG data URI (no inline markup needed)."""
    return segno.make(provisioning_uri(email, secret), error="m").png_data_uri(scale=5, border=2)


def _matching_step(secret: str, code: str, now: float) -> int | None:
    totp = pyotp.TOTP(secret)
    current = int(now // STEP)
    for step in (current - 1, current, current + 1):  # one step of clock drift either way
        if hmac.compare_digest(totp.at(step * STEP), code):
            return step
    return None


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _normalise(code: str) -> str:
    return "".join(code.split()).lower()


def _claim_step(user: User, step: int) -> bool:
    """Accept a time step at most once, even for two requests at the same moment."""
    return bool(db.session.execute(
        update(User).where(User.id == user.id,
                           or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
    ).rowcount)


def enrol(user: User, secret: str, code: str) -> list[str]:
    """Turn on TOTP after checking one code; returns fresh recovery codes, shown once."""
    step = _matching_step(secret, _normalise(code), time.time())
    if step is None:
        raise AccountError("That code does not match. Check the time on your phone and try the newest code.",
                           field="code")
    user.totp_secret = secret
    user.totp_last_step = step
    codes = _replace_recovery_codes(user)
    audit.record(user, "auth.2fa_enrolled", user)
    db.session.commit()
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(2)}-{secrets.token_hex(2)}-{secrets.token_hex(2)}" for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(c)) for c in codes)
    return codes


def regenerate_recovery_codes(user: User) -> list[str]:
    """Replace every recovery code with new ones."""
    codes = _replace_recovery_codes(user)
    audit.record(user, "auth.recovery_codes_replaced", user)
    db.session.commit()
    return codes


def verify(user: User, code: str, address: str) -> str:
    """Check a TOTP or recovery code for a pending sign-in; returns the method used."""
    check_not_locked(user.email, address)
    code = _normalise(code)
    step = _matching_step(user.totp_secret, code, time.time()) if code.isdigit() else None
    if step is not None and _claim_step(user, step):
        return "totp"
    if step is None and _use_recovery_code(user, code):
        audit.record(user, "auth.recovery_code_used", user, left=remaining_recovery_codes(user))
        return "recovery_code"
    db.session.rollback()
    note_failure(user.email, address, "auth.2fa_failed")
    raise AccountError(BAD_CODE, field="code")


def _use_recovery_code(user: User, code: str) -> bool:
    return bool(db.session.execute(
        update(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _digest(code),
                                   RecoveryCode.used_at.is_(None)).values(used_at=utcnow())
    ).rowcount)


def remaining_recovery_codes(user: User) -> int:
    """How many unused recovery codes the person has."""
    return len(db.session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


def disable(user: User) -> None:
    """Turn TOTP off (only where it is optional)."""
    if user.needs_two_factor:
        raise AccountError("Supervisors and admins must keep two-step sign-in on.")
    user.totp_secret = None
    user.totp_last_step = None
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record(user, "auth.2fa_disabled", user)
    db.session.commit()
