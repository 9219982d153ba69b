"""Forms for learning: mark as read, a quiz submission, granting an attempt."""
from flask_wtf import FlaskForm
from wtforms import IntegerField, SubmitField
from wtforms.validators import InputRequired
from wtforms.widgets import HiddenInput

ANSWER_PREFIX = "answer-"


class ReadForm(FlaskForm):
    """The "mark as read" button."""

    submit = SubmitField("Mark as read")


class QuizForm(FlaskForm):
    """A quiz submission: the attempt it answers; each question's choices arrive as answer-<question id>."""

    attempt = IntegerField(widget=HiddenInput(), validators=[InputRequired("The form has no attempt.")])
    submit = SubmitField("Submit answers")

    @staticmethod
    def answers(formdata) -> dict[str, list[str]]:
        """Every answer-<question id> field, as lists of choice ids (unknown ids are for the service to refuse)."""
        return {key.removeprefix(ANSWER_PREFIX): formdata.getlist(key)
                for key in formdata if key.startswith(ANSWER_PREFIX)}


class GrantForm(FlaskForm):
    """A supervisor or admin grants one more quiz attempt."""

    submit = SubmitField("Grant one more attempt")
