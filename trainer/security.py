"""Cross-cutting protections: sessions, the role decorator, safe redirects, headers, refusals audited."""
import time
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, flash, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user, login_user, logout_user

from trainer import audit
from trainer.extensions import db, login_manager
from trainer.logs import new_request_id

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
       "form-action 'self'")


def roles_required(*roles: str):
    """Allow a view only to signed-in people with one of the roles (403 otherwise)."""
    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorate


def safe_next(target: str | None) -> str | None:
    """Return target only when it is a path on this site, else None."""
    if not target or "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _now() -> int:
    return int(time.time())


def start_session(user, remember: bool) -> None:
    """Begin a fresh session; 'remember' keeps it across browser restarts, within limits."""
    session.clear()
    login_user(user)
    session.permanent = remember
    session["login_at"] = session["seen_at"] = _now()


HOLD_SECONDS = 300


def hold_sign_in(user, remember: bool, next_url: str | None) -> None:
    """Remember, briefly, who passed the password step and waits for a second factor."""
    session.clear()
    session["held"] = {"uid": user.id, "ver": user.session_version, "at": _now(),
                       "remember": remember, "next": safe_next(next_url)}


def held_sign_in():
    """The person waiting for a second factor and their choices, or (None, {})."""
    from trainer.auth.models import User
    from trainer.extensions import db
    held = session.get("held") or {}
    if not held or _now() - held.get("at", 0) > HOLD_SECONDS:
        return None, {}
    user = db.session.get(User, held["uid"])
    if user is None or not user.active or user.session_version != held["ver"]:
        return None, {}
    return user, held


def end_session() -> None:
    """Forget the signed-in person in this browser."""
    logout_user()
    session.clear()


def tag_request() -> None:
    """Give the request an id that its log lines and error page share."""
    g.request_id = new_request_id()


def enforce_session_limits():
    """Sign out after the idle limit or the absolute limit, whichever comes first."""
    if not current_user.is_authenticated or request.endpoint == "static":
        return None
    config, now = current_app.config, _now()
    login_at, seen_at = session.get("login_at", 0), session.get("seen_at", 0)
    idle = now - seen_at > config["SESSION_IDLE_MINUTES"] * 60
    too_long = now - login_at > config["SESSION_MAX_HOURS"] * 3600
    if idle or too_long:
        end_session()
        flash("You were signed out after a time without activity. Please sign in again.", "info")
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
    if now - seen_at > 60:  # refresh at most once a minute to spare cookie churn
        session["seen_at"] = now
    return None


def set_security_headers(response):
    """Headers every response carries; signed-in pages are never cached."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if current_user.is_authenticated and request.endpoint != "static":
        headers["Cache-Control"] = "no-store"
    return response


HIDDEN = "not-found-or-not-yours"


@dataclass(frozen=True)
class Actor:
    """The acting person's id and email, detached from any session."""

    id: int
    email: str


def audit_refusal(response):
    """Record a 403, and a 404 a signed-in person met on a real route, as `access.denied`.

    Lookups are scoped to who asks, so on a matched route a 404 is how a
    foreign object is refused; unmatched addresses (scanners) are not recorded.
    """
    reason = _refusal_reason(response.status_code)
    if reason:
        actor = _actor()
        db.session.rollback()  # a refused request keeps nothing, and its locks would block the event
        audit.record_now(actor, "access.denied", request.path[:128], reason=reason,
                         endpoint=request.endpoint, method=request.method, address=request.remote_addr or "-")
    return response


def _refusal_reason(status: int) -> str | None:
    if status == 403:
        return "forbidden"
    if status == 404 and request.url_rule is not None and request.endpoint != "static" \
            and current_user.is_authenticated:
        return HIDDEN
    return None


def _actor():
    """Who asked, as plain values (the request's objects expire when it rolls back)."""
    if not current_user.is_authenticated:
        return "anonymous"
    return Actor(id=current_user.id, email=current_user.email)


class SessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions marked Secure on HTTPS, including behind a proxy that says so."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


@login_manager.user_loader
def load_user(session_id: str):
    """Load the person for a session id `id:version`; an old version is no session."""
    from trainer.auth.models import User
    from trainer.extensions import db
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user
