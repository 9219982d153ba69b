"""Forms for signing in, passwords and invitations."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from trainer.auth.passwords import MAX_LENGTH

PASSWORD_HELP = "At least 12 characters. A few unrelated words make a strong, memorable password."


class LoginForm(FlaskForm):
    """Sign in with email and password."""

    email = EmailField("Email", validators=[DataRequired("Enter your email."), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField("Password", validators=[DataRequired("Enter your password."),
                                                     Length(max=MAX_LENGTH)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField("Keep me signed in on this device (up to 12 hours)")
    submit = SubmitField("Sign in")


class NewPasswordForm(FlaskForm):
    """Choose a new password, typed twice."""

    password = PasswordField("New password", description=PASSWORD_HELP,
                             validators=[DataRequired("Enter a new password."), Length(max=MAX_LENGTH)],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("Repeat the new password",
                            validators=[DataRequired("Repeat the new password."),
                                        EqualTo("password", "The two passwords do not match.")],
                            render_kw={"autocomplete": "new-password"})
    submit = SubmitField("Save password")


class ChangePasswordForm(NewPasswordForm):
    """Change a password, confirming the current one."""

    current_password = PasswordField("Current password",
                                     validators=[DataRequired("Enter your current password."),
                                                 Length(max=MAX_LENGTH)],
                                     render_kw={"autocomplete": "current-password"})


class ResetRequestForm(FlaskForm):
    """Ask for a password-reset link."""

    email = EmailField("Email", validators=[DataRequired("Enter your email."), Length(max=254),
                                            Email("Enter an email address like name@example.org.")])
    submit = SubmitField("Send me a reset link")


class EmptyForm(FlaskForm):
    """A form with only its CSRF token, for buttons like Sign out."""

    submit = SubmitField("Submit")


class CodeForm(FlaskForm):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = StringField("Code", validators=[DataRequired("Enter the code."), Length(max=32)],
                       description="The 6-digit code your authenticator app shows now, or a recovery code.",
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True})
    submit = SubmitField("Continue")
