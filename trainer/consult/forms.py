"""Forms for consultations: the new-consultation form with its preview, replies, close, reassign, admin panels.

Error messages never repeat what was typed, so a re-rendered form can only
echo the text back inside its own fields, on the trainee's own no-store page.
"""
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from trainer.admin.forms import MultiCheckboxField
from trainer.topics import TOPICS

PEOPLE_HELP = ("Everyone in the case, by the names you use: children, parents, step-parents, grandparents, "
               "teachers, lawyers, the judge. One per line or separated by commas. Used only to remove them; "
               "never stored.")
MORE_HELP = ("Anything else to take out: a nickname, a street, a club, a number. One per line. Select text in "
             "your original above and use “Remove this too”, or type it here.")
CONFIRM = "I have read the preview: nothing that could identify the family remains."


class ConsultationForm(FlaskForm):
    """A new consultation; the same fields travel back and forth between preview and confirmation."""

    question = TextAreaField("Your question", validators=[DataRequired("Write your question."),
                                                          Length(max=2000, message="At most 2,000 characters.")],
                             description="What you would like the supervisor to help you think through.",
                             render_kw={"rows": 3, "data-remove-source": True})
    summary = TextAreaField("Case summary", validators=[DataRequired("Write a short summary of the case."),
                                                        Length(max=20000, message="At most 20,000 characters.")],
                            description="Who is involved, what has happened, what you have tried. Names, dates "
                                        "and places are removed before anyone else sees it.",
                            render_kw={"rows": 10, "data-remove-source": True})
    topics = MultiCheckboxField("Topics", choices=list(TOPICS.items()),
                                validators=[DataRequired("Choose at least one topic.")])
    urgency = RadioField("Urgency", choices=[("routine", "Routine"), ("urgent", "Urgent safety concern")],
                         default="routine", validators=[InputRequired("Choose the urgency.")])
    people = TextAreaField("People in this case", description=PEOPLE_HELP, render_kw={"rows": 3},
                           validators=[Optional(), Length(max=4000, message="At most 4,000 characters.")])
    more = TextAreaField("More to remove", description=MORE_HELP, render_kw={"rows": 3},
                         validators=[Optional(), Length(max=4000, message="At most 4,000 characters.")])
    digest = HiddenField()
    confirm = BooleanField(CONFIRM)

    @property
    def urgent(self) -> bool:
        """Whether the trainee marked an urgent safety concern."""
        return self.urgency.data == "urgent"


class ReplyForm(FlaskForm):
    """A reply, de-identified and previewed like the case."""

    body = TextAreaField("Your reply", validators=[DataRequired("Write a reply first."),
                                                   Length(max=10000, message="At most 10,000 characters.")],
                         description="Refer to people by their placeholders, like [PERSON-1]; any name you "
                                     "type is removed.", render_kw={"rows": 5, "data-remove-source": True})
    more = TextAreaField("Names and phrases to remove", render_kw={"rows": 2},
                         description="Anything in your reply to be certain to take out, one per line; never stored.",
                         validators=[Optional(), Length(max=4000, message="At most 4,000 characters.")])
    digest = HiddenField()
    confirm = BooleanField(CONFIRM)


class VersionForm(FlaskForm):
    """A button acting on the consultation as it was shown (close)."""

    version = IntegerField(validators=[InputRequired()])


class ReassignForm(VersionForm):
    """Pass a consultation to a colleague, or let the rules choose."""

    supervisor = SelectField("Pass to", coerce=int, default=0, validators=[Optional()])


class HoursForm(FlaskForm):
    """Log time spent on the consultation as consultation hours."""

    minutes = SelectField("Minutes spent", coerce=int, default=30,
                          choices=[(m, f"{m} minutes") for m in range(15, 121, 15)],
                          validators=[InputRequired("Choose how long.")])


class ConflictForm(FlaskForm):
    """Mark a trainee this supervisor must never advise."""

    trainee = SelectField("Trainee", coerce=int, validators=[InputRequired("Choose a trainee.")])
    note = StringField("Why (for admins; optional)", validators=[Optional(), Length(max=200)],
                       description="For example: a family relationship, or a dual role.")


class OnCallForm(FlaskForm):
    """Turn on-call on or off."""

    on_call = HiddenField()
