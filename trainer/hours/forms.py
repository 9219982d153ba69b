"""Forms for logging hours, signing them off and the admin's hour tools."""
from flask_wtf import FlaskForm
from wtforms import (DateField, HiddenField, IntegerField, PasswordField, RadioField, SelectField,
                     SelectMultipleField, StringField, SubmitField, TextAreaField)
from wtforms.validators import InputRequired, Length, Optional

from trainer.auth.passwords import MAX_LENGTH
from trainer.hours.services import DESCRIPTION_MAX

DESCRIPTION_HELP = (f"Up to {DESCRIPTION_MAX} characters. Describe the work, not the family: no names, places, "
                    "schools or dates that could identify anyone.")


class EntryForm(FlaskForm):
    """Log (or correct) one entry of certification hours."""

    date = DateField("Date of the work", validators=[InputRequired("Enter the date of the work.")])
    category = SelectField("Category", validate_choice=False)
    minutes = IntegerField("Minutes", description="15 to 720, in steps of 15 (60 minutes is 1 hour).",
                           validators=[InputRequired("Enter the minutes, for example 60.")],
                           render_kw={"min": 15, "max": 720, "step": 15, "inputmode": "numeric"})
    supervisor = SelectField("Supervisor who signs", coerce=int, validate_choice=False,
                             validators=[InputRequired("Choose the supervisor who signs.")])
    description = TextAreaField("What you did", description=DESCRIPTION_HELP,
                                render_kw={"maxlength": DESCRIPTION_MAX, "rows": 3, "required": True})
    version = HiddenField()
    submit = SubmitField("Log hours")


class DeleteForm(FlaskForm):
    """Delete a pending entry at the version shown."""

    version = HiddenField()
    submit = SubmitField("Delete")


class DecisionForm(FlaskForm):
    """Approve or reject a batch of entries, signed with the supervisor's password."""

    entries = SelectMultipleField("Entries", validate_choice=False)
    month_entries = SelectMultipleField("Entries of the month", validate_choice=False)
    trainee = HiddenField()
    month = HiddenField()
    decision = RadioField("Decision", choices=[("approve", "Approve"), ("reject", "Reject")], default="approve",
                          validate_choice=False)
    reason = TextAreaField("Reason for rejecting", description="Needed to reject; the trainee sees it.",
                           validators=[Optional(), Length(max=500, message="Keep the reason to 500 characters.")],
                           render_kw={"rows": 2, "maxlength": 500})
    password = PasswordField("Your password, as your signature",
                             validators=[InputRequired("Enter your password to sign."), Length(max=MAX_LENGTH)],
                             render_kw={"autocomplete": "current-password"})
    scope = HiddenField(default="selected")
    submit = SubmitField("Sign the selected entries")


class ReopenForm(FlaskForm):
    """Reopen a signed month, with a reason for the audit log."""

    reason = StringField("Reason", validators=[InputRequired("Say why the month is reopened."),
                                               Length(max=500, message="Keep the reason to 500 characters.")])
    submit = SubmitField("Reopen month")


class ReassignForm(FlaskForm):
    """Pass a pending entry to another supervisor."""

    supervisor = SelectField("New supervisor", coerce=int, validate_choice=False,
                             validators=[InputRequired("Choose a supervisor.")])
    version = HiddenField()
    submit = SubmitField("Reassign")
