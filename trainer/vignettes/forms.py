"""Forms for vignettes: the admin's upload and edit, decisions, a trainee's response, a supervisor's review."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import IntegerField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation
from wtforms.widgets import HiddenInput

from trainer.admin.forms import MultiCheckboxField
from trainer.topics import TOPICS
from trainer.vignettes.document import VignetteText
from trainer.vignettes.responses import RATINGS, RUBRIC
from trainer.vignettes.services import LABELS

ANSWER_PREFIX, FINDING_PREFIX = "answer-", "finding-"


class RequiredUnlessFile(DataRequired):
    """Required, unless the form brings a Markdown file (whose front matter then gives the value)."""

    def __init__(self, message=None):
        super().__init__(message)
        self.field_flags = {}  # not `required` in the page: a file may stand in for every field

    def __call__(self, form, field):
        file = getattr(form, "markdown_file", None)
        if file is not None and getattr(file.data, "filename", ""):
            field.errors = []
            raise StopValidation()
        super().__call__(form, field)


def _choices(key: str) -> list[tuple[str, str]]:
    return list(LABELS[key].items())


class VignetteFields(FlaskForm):
    """What an admin writes: the front matter and the case text."""

    title = StringField("Title", validators=[RequiredUnlessFile("Give the vignette a title."), Length(max=200)])
    family = TextAreaField("Family", validators=[RequiredUnlessFile("Describe the family."), Length(max=2000)],
                           description="Who is in the family, by role and age: “the daughter (11)”, never names.")
    presenting_issue = TextAreaField("Presenting issue", validators=[
        RequiredUnlessFile("Describe the presenting issue."), Length(max=2000)])
    topics = MultiCheckboxField("Topics", choices=list(TOPICS.items()),
                                validators=[RequiredUnlessFile("Choose at least one topic.")])
    age_band = SelectField("Child's age band", choices=_choices("age_band"), default="6-12")
    difficulty = SelectField("Difficulty", choices=_choices("difficulty"), default="intermediate")
    court_stage = SelectField("Court stage", choices=_choices("court_stage"), default="none")
    questions = TextAreaField("Discussion questions", description="One question a line.",
                              validators=[RequiredUnlessFile("Write at least one question."), Length(max=10_000)])
    body = TextAreaField("Case text (Markdown)", validators=[RequiredUnlessFile("Write the case text."),
                                                            Length(max=200_000)],
                         description="Headings with ##, lists, tables. Raw HTML is shown as text.",
                         render_kw={"rows": 16})

    def text(self) -> VignetteText:
        """The fields as a vignette (checked by the service)."""
        questions = tuple(line.strip() for line in (self.questions.data or "").splitlines() if line.strip())
        return VignetteText(self.title.data.strip(), self.family.data.strip(), self.presenting_issue.data.strip(),
                            tuple(self.topics.data or ()), self.age_band.data, self.difficulty.data,
                            self.court_stage.data, questions, (self.body.data or "").replace("\r\n", "\n").strip())

    def fill(self, text: VignetteText) -> None:
        """Show a vignette in the fields."""
        for key in ("title", "family", "presenting_issue", "age_band", "difficulty", "court_stage"):
            getattr(self, key).data = getattr(text, key)
        self.topics.data, self.questions.data, self.body.data = list(text.topics), "\n".join(text.questions), text.body


class NewVignetteForm(VignetteFields):
    """Upload a vignette file or write one, with attachments."""

    markdown_file = FileField("Markdown file", description="A .md file in the courses/ format; "
                                                           "when given, the fields below are not used.")
    slug = StringField("Slug (optional)", validators=[Optional(), Length(max=80)],
                       description="The vignette's address. Left empty, it is made from the title. Never a name.")
    attachments = MultipleFileField("Attachments", description="PDF, PNG, JPEG, MP3 or M4A; up to 10 files "
                                                               "of at most 20 MB each.")
    submit = SubmitField("Save draft and check for identifying details")


class EditVignetteForm(VignetteFields):
    """Change a draft, or start the next version of a published vignette."""

    revision = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    submit = SubmitField("Save draft and check again")


class RevisionForm(FlaskForm):
    """A button acting on a draft, naming the revision it was shown."""

    revision = IntegerField(widget=HiddenInput(), validators=[InputRequired("The form has no revision.")])
    submit = SubmitField("Submit")

    @staticmethod
    def choices(formdata) -> dict[int, str]:
        """finding-<index> radio values (the service refuses unknown indexes and values)."""
        return {int(key.removeprefix(FINDING_PREFIX)): formdata[key] for key in formdata
                if key.startswith(FINDING_PREFIX) and key.removeprefix(FINDING_PREFIX).isdigit()}


class AttachmentsForm(FlaskForm):
    """Add files to a vignette's next version."""

    attachments = MultipleFileField("Add attachments", description="PDF, PNG, JPEG, MP3 or M4A; at most 20 MB each.")
    submit = SubmitField("Upload")


class ResponseForm(FlaskForm):
    """A trainee's answers arrive as answer-<n>; names to remove are used once, never stored."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired("The form has no version.")])
    names = StringField("Names of real people you mention (optional)", validators=[Length(max=500)],
                        description="Separate them with commas. Used only to remove them, never stored.")
    action = StringField(widget=HiddenInput())

    @staticmethod
    def answers(formdata, count: int) -> list[str]:
        """The answers in question order."""
        return [formdata.get(f"{ANSWER_PREFIX}{i}", "") for i in range(count)]

    def known_names(self) -> list[str]:
        """The names typed, one by one."""
        return [name.strip() for name in (self.names.data or "").split(",") if name.strip()]


class ReviewForm(FlaskForm):
    """A supervisor's review: each criterion rated, optional comments, feedback and the decision."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired("The form has no version.")])
    feedback = TextAreaField("Feedback to the trainee", validators=[Length(max=5000)],
                             description="Required when returning the response: say what to revise.")
    decision = RadioField("Decision", choices=[("accepted", "Accept: it counts toward the trainee's program"),
                                               ("returned", "Return for revision")],
                          validators=[InputRequired("Choose to accept or return the response.")])
    submit = SubmitField("Save review")

    def ratings(self) -> dict[str, str]:
        """criterion -> rating."""
        return {key: getattr(self, f"rating_{key}").data for key in RUBRIC}

    def comments(self) -> dict[str, str]:
        """criterion -> comment."""
        return {key: getattr(self, f"comment_{key}").data or "" for key in RUBRIC}


for _key, _label in RUBRIC.items():
    setattr(ReviewForm, f"rating_{_key}", RadioField(_label, choices=list(RATINGS.items()),
                                                     validators=[InputRequired("Rate this criterion.")]))
    setattr(ReviewForm, f"comment_{_key}", TextAreaField("Comment (optional)", validators=[Length(max=1000)],
                                                         render_kw={"rows": 2, "class": "short"}))
