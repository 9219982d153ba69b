"""Sign in and out, passwords, resets and invitations."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from trainer.auth import services, twofactor
from trainer.auth.forms import (ChangePasswordForm, CodeForm, EmptyForm, LoginForm, NewPasswordForm,
                                ResetRequestForm)
from trainer.extensions import limiter
from trainer.forms import apply_error
from trainer.security import end_session, held_sign_in, hold_sign_in, safe_next, start_session

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def login():
    """Sign in with email and password (then a second factor where needed)."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data, _address())
        except services.AccountError as err:
            form.form_errors.append(str(err))
        else:
            next_url = request.args.get("next")
            if user.totp_secret or user.needs_two_factor:
                hold_sign_in(user, form.remember.data, next_url)
                return redirect(url_for("auth.verify_code" if user.totp_secret else "auth.enrol_at_sign_in"))
            return _finish(user, form.remember.data, next_url, "password")
    return render_template("auth/login.html", form=form)


def _address() -> str:
    return request.remote_addr or "-"


def _finish(user, remember: bool, next_url: str | None, method: str):
    services.complete_sign_in(user, _address(), method)
    start_session(user, remember=remember)
    flash(f"Welcome, {user.name}.", "success")
    if method == "recovery_code":
        flash(f"You used a recovery code; {twofactor.remaining_recovery_codes(user)} remain. "
              "Make new ones from your account page if you are running low.", "warning")
    return redirect(safe_next(next_url) or url_for("main.index"))


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def verify_code():
    """The second step: a code from the authenticator app or a recovery code."""
    user, held = held_sign_in()
    if user is None or not user.totp_secret:
        flash("Please sign in again.", "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            method = twofactor.verify(user, form.code.data, _address())
        except services.AccountError as err:
            apply_error(form, err)
        else:
            return _finish(user, held["remember"], held["next"], method)
    return render_template("auth/verify_code.html", form=form)


@bp.route("/login/enrol", methods=["GET", "POST"])
def enrol_at_sign_in():
    """Supervisors and admins set up two-step sign-in before their first session."""
    user, held = held_sign_in()
    if user is None or user.totp_secret:
        flash("Please sign in again.", "info")
        return redirect(url_for("auth.login"))
    secret = session["held"].setdefault("secret", twofactor.new_secret())
    session.modified = True
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = twofactor.enrol(user, secret, form.code.data)
        except services.AccountError as err:
            apply_error(form, err)
        else:
            services.complete_sign_in(user, _address(), "totp")
            start_session(user, remember=held["remember"])
            return render_template("auth/recovery_codes.html", codes=codes, first_time=True)
    return render_template("auth/enrol.html", form=form, secret=secret,
                           qr=twofactor.qr_data_uri(user.email, secret), required=True)


@bp.post("/logout")
@login_required
def logout():
    """Sign out here and end the session everywhere."""
    if EmptyForm().validate_on_submit():
        services.sign_out(current_user)
        end_session()
        flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password; other sessions end."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except services.AccountError as err:
            apply_error(form, err)
        else:
            start_session(current_user._get_current_object(), remember=False)
            flash("Your password is changed. Other devices have been signed out.", "success")
            return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/password/reset", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def request_reset():
    """Ask for a reset link by email."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash("If that email has an account, a reset link is on its way. It works for 30 minutes.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/request_reset.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password with a one-time link."""
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except services.AccountError as err:
            apply_error(form, err)
        else:
            flash("Your password is changed. Sign in with it now.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str):
    """Accept an invitation by choosing a password."""
    try:
        invitation = services.pending_invitation(token)
    except services.AccountError as err:
        return render_template("auth/invite_invalid.html", message=str(err)), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            services.accept_invite(token, form.password.data)
        except services.AccountError as err:
            apply_error(form, err)
        else:
            flash("Your account is ready. Sign in with your new password.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/accept_invite.html", form=form, invitation=invitation)


@bp.get("/account/security")
@login_required
def security():
    """Two-step sign-in status, recovery codes and the password link."""
    return render_template("auth/security.html", form=EmptyForm(),
                           remaining=twofactor.remaining_recovery_codes(current_user))


@bp.route("/account/security/enrol", methods=["GET", "POST"])
@login_required
def enrol():
    """Turn on two-step sign-in from the account page."""
    if current_user.totp_secret:
        return redirect(url_for("auth.security"))
    secret = session.setdefault("enrol_secret", twofactor.new_secret())
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = twofactor.enrol(current_user, secret, form.code.data)
        except services.AccountError as err:
            apply_error(form, err)
        else:
            session.pop("enrol_secret", None)
            return render_template("auth/recovery_codes.html", codes=codes, first_time=True)
    return render_template("auth/enrol.html", form=form, secret=secret, required=False,
                           qr=twofactor.qr_data_uri(current_user.email, secret))


@bp.post("/account/security/recovery-codes")
@login_required
def new_recovery_codes():
    """Replace the recovery codes and show the new ones once."""
    if not current_user.totp_secret or not EmptyForm().validate_on_submit():
        return redirect(url_for("auth.security"))
    codes = twofactor.regenerate_recovery_codes(current_user)
    return render_template("auth/recovery_codes.html", codes=codes, first_time=False)


@bp.post("/account/security/disable")
@login_required
def disable_two_factor():
    """Turn two-step sign-in off where it is optional."""
    if EmptyForm().validate_on_submit():
        try:
            twofactor.disable(current_user)
        except services.AccountError as err:
            flash(str(err), "error")
        else:
            flash("Two-step sign-in is off.", "info")
    return redirect(url_for("auth.security"))
