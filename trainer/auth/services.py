"""Account rules: signing in and out, passwords, resets and invitations."""
from datetime import date, timedelta

from flask import current_app, url_for
from sqlalchemy import select, update

from trainer import audit
from trainer.auth.models import Invitation, PasswordReset, Role, SupervisionAgreement, User
from trainer.auth.passwords import check_against_nobody, check_password, hash_password, password_problem
from trainer.auth.throttle import throttle
from trainer.auth.tokens import new_token, token_digest
from trainer.extensions import db
from trainer.mail import send_mail
from trainer.timeutil import utcnow

SIGN_IN_FAILED = "That email and password do not match an active account."
LOCKED = "Too many failed sign-ins. Wait {minutes} minutes, then try again, or reset your password."


class AccountError(Exception):
    """A rule about accounts was broken; the message is shown to the person."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively, so they are kept lower-case."""
    return email.strip().lower()


def find_user(email: str) -> User | None:
    """The account with this email, in any case."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _hash_method() -> str:
    return current_app.config["PASSWORD_HASH_METHOD"]


def authenticate(email: str, password: str, address: str) -> User:
    """Check email and password, counting failures per account and per address.

    Success here is only the first step: the caller finishes with
    complete_sign_in, after a second factor where one is needed.
    """
    email = normalise_email(email)
    check_not_locked(email, address)
    user = find_user(email)
    if user is None:
        check_against_nobody(password, _hash_method())
    if user is None or not user.active or not check_password(user.password_hash, password):
        note_failure(email, address, "auth.sign_in_failed")
        raise AccountError(SIGN_IN_FAILED)
    return user


def _throttle_keys(email: str, address: str) -> tuple[str, str]:
    return f"acct:{normalise_email(email)}", f"addr:{address}"


def check_not_locked(email: str, address: str) -> None:
    """Refuse while the account or the address is cooling down after failures."""
    if any(throttle().is_locked(key) for key in _throttle_keys(email, address)):
        audit.record(None, "auth.sign_in_locked", f"email:{normalise_email(email)}", address=address)
        db.session.commit()
        raise AccountError(LOCKED.format(minutes=current_app.config["LOGIN_COOLDOWN_MINUTES"]))


def note_failure(email: str, address: str, action: str) -> None:
    """Count a failed password or code for the account and the address, and audit it."""
    for key in _throttle_keys(email, address):
        throttle().note_failure(key)
    audit.record(None, action, f"email:{normalise_email(email)}", address=address)
    db.session.commit()


def complete_sign_in(user: User, address: str, method: str) -> None:
    """Record a finished sign-in and forget the account's earlier failures."""
    throttle().clear(_throttle_keys(user.email, address)[0])
    user.last_login_at = utcnow()
    audit.record(user, "auth.sign_in", user, address=address, method=method)
    db.session.commit()


def end_sessions(user: User) -> None:
    """Invalidate every session and cookie this person holds (the caller commits)."""
    db.session.execute(
        update(User).where(User.id == user.id).values(session_version=User.session_version + 1)
    )
    db.session.refresh(user)


def sign_out(user: User) -> None:
    """End this person's sessions everywhere and record it."""
    end_sessions(user)
    audit.record(user, "auth.sign_out", user)
    db.session.commit()


def check_new_password(password: str, email: str = "", name: str = "") -> None:
    """Raise AccountError when a new password breaks the policy."""
    problem = password_problem(password, (email, name))
    if problem:
        raise AccountError(problem, field="password")


def change_password(user: User, current: str, new: str) -> None:
    """Change a password after checking the current one; other sessions end."""
    if not check_password(user.password_hash, current):
        raise AccountError("Your current password is not right.", field="current_password")
    check_new_password(new, user.email, user.name)
    user.password_hash = hash_password(new, _hash_method())
    end_sessions(user)
    audit.record(user, "auth.password_changed", user)
    db.session.commit()


def request_password_reset(email: str) -> None:
    """Mail a one-time reset link when the account exists; say nothing either way."""
    user = find_user(email)
    if user is None or not user.active:
        return
    raw, digest = new_token()
    ttl = timedelta(minutes=current_app.config["RESET_TTL_MINUTES"])
    db.session.add(PasswordReset(user_id=user.id, token_hash=digest, expires_at=utcnow() + ttl))
    link = url_for("auth.reset_password", token=raw, _external=True)
    send_mail(user.email, "Reset your Reunification Trainer password",
              f"Someone asked to reset the password for this account.\n\n"
              f"To choose a new password, open this link within "
              f"{ttl.seconds // 60} minutes:\n{link}\n\n"
              f"If it was not you, ignore this message; your password stays the same.")
    audit.record(user, "auth.reset_requested", user)
    db.session.commit()


def reset_password(raw_token: str, new: str) -> User:
    """Set a new password with a reset token, once, before it expires."""
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == token_digest(raw_token)))
    if reset is None or reset.used_at or reset.expires_at < utcnow() or not reset.user.active:
        raise AccountError("This reset link has expired or was already used. Ask for a new one.")
    user = reset.user
    check_new_password(new, user.email, user.name)
    claimed = db.session.execute(
        update(PasswordReset).where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
    ).rowcount
    if not claimed:
        raise AccountError("This reset link has expired or was already used. Ask for a new one.")
    user.password_hash = hash_password(new, _hash_method())
    end_sessions(user)
    audit.record(user, "auth.password_reset", user)
    db.session.commit()
    return user


def invite_person(admin: User, email: str, name: str, role: str, supervisor_id: int | None) -> str:
    """Create an invitation and mail its link; returns the link for the admin to share."""
    email = normalise_email(email)
    if find_user(email):
        raise AccountError("Someone with this email already has an account.", field="email")
    raw, digest = new_token()
    ttl = timedelta(hours=current_app.config["INVITE_TTL_HOURS"])
    invitation = Invitation(
        email=email, name=name.strip(), role=role, token_hash=digest, invited_by_id=admin.id,
        supervisor_id=supervisor_id if role == Role.TRAINEE else None, expires_at=utcnow() + ttl,
    )
    db.session.add(invitation)
    db.session.flush()
    link = url_for("auth.accept_invite", token=raw, _external=True)
    send_mail(email, "You are invited to Reunification Trainer",
              f"{admin.name} invited you to join Reunification Trainer as a {role}.\n\n"
              f"Open this link within {ttl.days or 1} day(s) to choose your password:\n{link}\n")
    audit.record(admin, "auth.invited", invitation, email=email, role=role)
    db.session.commit()
    return link


def pending_invitation(raw_token: str) -> Invitation:
    """The open invitation for this token, or AccountError when it is spent or stale."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == token_digest(raw_token)))
    if invitation is None or invitation.accepted_at or invitation.expires_at < utcnow():
        raise AccountError("This invitation has expired or was already used. Ask the clinic for a new one.")
    return invitation


def accept_invite(raw_token: str, password: str) -> User:
    """Turn an invitation into an account with the chosen password, exactly once."""
    invitation = pending_invitation(raw_token)
    check_new_password(password, invitation.email, invitation.name)
    claimed = db.session.execute(
        update(Invitation).where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(accepted_at=utcnow())
    ).rowcount
    if not claimed or find_user(invitation.email):
        db.session.rollback()
        raise AccountError("This invitation has expired or was already used. Ask the clinic for a new one.")
    user = create_account(invitation.email, invitation.name, invitation.role, password)
    supervisor = db.session.get(User, invitation.supervisor_id) if invitation.supervisor_id else None
    if supervisor and supervisor.active and supervisor.role == Role.SUPERVISOR:
        start_supervision(user, supervisor, utcnow().date())
    audit.record(user, "auth.invite_accepted", user, invitation=invitation.id)
    db.session.commit()
    return user


def create_account(email: str, name: str, role: str, password: str) -> User:
    """Add an account (the caller has checked the password and commits)."""
    if role not in set(Role):
        raise AccountError(f"Role must be one of: {', '.join(Role)}.", field="role")
    user = User(email=normalise_email(email), name=name.strip(), role=role,
                password_hash=hash_password(password, _hash_method()))
    db.session.add(user)
    db.session.flush()
    return user


def start_supervision(trainee: User, supervisor: User, starts_on: date) -> None:
    """Make supervisor the trainee's primary one, with an agreement from starts_on."""
    trainee.supervisor_id = supervisor.id
    agreement = db.session.scalar(select(SupervisionAgreement).where(
        SupervisionAgreement.trainee_id == trainee.id,
        SupervisionAgreement.supervisor_id == supervisor.id,
        SupervisionAgreement.ends_on.is_(None)))
    if agreement is None:
        db.session.add(SupervisionAgreement(trainee_id=trainee.id, supervisor_id=supervisor.id,
                                            starts_on=starts_on))
