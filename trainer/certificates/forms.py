"""Forms for claiming and revoking certificates."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import InputRequired, Length


class ClaimForm(FlaskForm):
    """Claim the certificate of one program."""

    program = HiddenField()
    submit = SubmitField("Claim the certificate")


class RevokeForm(FlaskForm):
    """Revoke a certificate, with a reason for the audit log."""

    reason = StringField("Reason", validators=[InputRequired("Give the reason for revoking."),
                                               Length(max=500, message="Keep the reason to 500 characters.")])
    submit = SubmitField("Revoke")
