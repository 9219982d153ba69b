"""Sign in and out, passwords, resets and invitations."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from trainer.auth import services
from trainer.auth.forms import ChangePasswordForm, EmptyForm, LoginForm, NewPasswordForm, ResetRequestForm
from trainer.extensions import limiter
from trainer.forms import apply_error
from trainer.security import end_session, safe_next, start_session

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def login():
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data, request.remote_addr or "-")
        except services.AccountError as err:
            form.form_errors.append(str(err))
        else:
            start_session(user, remember=form.remember.data)
            flash(f"Welcome, {user.name}.", "success")
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    return render_template("auth/login.html", form=form)


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
            user = services.accept_invite(token, form.password.data)
        except services.AccountError as err:
            apply_error(form, err)
        else:
            start_session(user, remember=False)
            flash("Welcome to Reunification Trainer. Your account is ready.", "success")
            return redirect(url_for("main.index"))
    return render_template("auth/accept_invite.html", form=form, invitation=invitation)
