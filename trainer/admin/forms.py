"""Forms for inviting and managing people."""
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, IntegerField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from trainer.auth.models import Role
from trainer.topics import TOPICS

ROLE_CHOICES = [(Role.TRAINEE.value, "Trainee"), (Role.SUPERVISOR.value, "Supervisor"),
                (Role.ADMIN.value, "Clinic admin")]


def supervisor_choices(supervisors, blank: str) -> list[tuple[int, str]]:
    """Choices for a supervisor select, with a blank first option (0)."""
    return [(0, blank)] + [(s.id, f"{s.name} ({s.email})") for s in supervisors]


class InviteForm(FlaskForm):
    """Invite a person by email with a role."""

    email = EmailField("Email", validators=[DataRequired("Enter their email."), Length(max=254),
                                            Email("Enter an email address like name@example.org.")])
    name = StringField("Full name", validators=[DataRequired("Enter their name."), Length(max=120)])
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.TRAINEE.value)
    supervisor = SelectField("Primary supervisor (trainees only)", coerce=int, default=0,
                             validators=[Optional()])
    submit = SubmitField("Send invitation")


class RoleForm(FlaskForm):
    """Change a person's role."""

    role = SelectField("Role", choices=ROLE_CHOICES)
    submit = SubmitField("Change role")


class SupervisorForm(FlaskForm):
    """Assign a trainee's primary supervisor from a date."""

    supervisor = SelectField("Primary supervisor", coerce=int, validators=[Optional()])
    starts_on = DateField("Supervision agreement starts on",
                          validators=[InputRequired("Enter the date the agreement starts.")])
    submit = SubmitField("Assign supervisor")


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice rendered as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ExpertiseForm(FlaskForm):
    """A supervisor's topics and how many open consultations they take."""

    topics = MultiCheckboxField("Topics covered", choices=list(TOPICS.items()))
    capacity = IntegerField("Open consultations at most",
                            validators=[InputRequired("Enter a number."),
                                        NumberRange(0, 100, "Enter a number from 0 to 100.")])
    submit = SubmitField("Save expertise")


class ActiveForm(FlaskForm):
    """Deactivate or reactivate an account."""

    submit = SubmitField("Change")
