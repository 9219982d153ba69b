"""Vignette tables beyond the library row (trainer.learn.models.Vignette): drafts, published
versions, attachments, de-identification decisions, trainee responses and supervisor reviews."""
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.auth.models import User
from trainer.extensions import db
from trainer.learn.models import Vignette
from trainer.timeutil import utcnow

RESPONSE_STATUSES = ("draft", "submitted", "returned", "accepted")


class _Content:
    """The columns an author writes, shared by drafts and published versions."""

    title: Mapped[str] = mapped_column(String(200))
    family: Mapped[str] = mapped_column(Text)
    presenting_issue: Mapped[str] = mapped_column(Text)
    topics: Mapped[list] = mapped_column(JSON)
    age_band: Mapped[str] = mapped_column(String(16))
    difficulty: Mapped[str] = mapped_column(String(16))
    court_stage: Mapped[str] = mapped_column(String(24))
    questions: Mapped[list] = mapped_column(JSON)
    markdown: Mapped[str] = mapped_column(Text)  # the case text as written (after redactions)
    html: Mapped[str] = mapped_column(Text)  # rendered by trainer.content.markdown


class VignetteDraft(_Content, db.Model):
    """The unpublished next version of an uploaded vignette, with its de-identification findings.

    `findings` holds [{"field", "start", "end", "kind", "rule", "placeholder", "decision"}]:
    offsets into this draft's own text; decision is None (undecided) or "not_identifying".
    Accepted redactions are applied to the text at once and leave the list.
    `revision` grows with every change, so a form opened on an older draft is refused.
    """

    __tablename__ = "vignette_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    vignette_id: Mapped[int] = mapped_column(ForeignKey("vignettes.id"), unique=True)
    version: Mapped[int]  # the number it gets when published
    revision: Mapped[int] = mapped_column(default=1)
    findings: Mapped[list] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    vignette: Mapped[Vignette] = relationship()

    @property
    def undecided(self) -> int:
        """Findings still waiting for the admin's decision."""
        return sum(1 for f in self.findings if f["decision"] is None)


class VignetteVersion(_Content, db.Model):
    """A published version of an uploaded vignette, never changed afterwards."""

    __tablename__ = "vignette_versions"
    __table_args__ = (UniqueConstraint("vignette_id", "version", name="one_number_per_vignette"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vignette_id: Mapped[int] = mapped_column(ForeignKey("vignettes.id"), index=True)
    version: Mapped[int]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attachment(db.Model):
    """A file of a vignette, stored under a generated key; shown from the version it was added in."""

    __tablename__ = "vignette_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    vignette_id: Mapped[int] = mapped_column(ForeignKey("vignettes.id"), index=True)
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    filename: Mapped[str] = mapped_column(String(120))  # sanitised, for display and download only
    content_type: Mapped[str] = mapped_column(String(64))  # from the file's first bytes
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]  # the vignette version it first appears in
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DeidDecision(db.Model):
    """An admin's decision on one de-identification finding: which rule fired, never the text."""

    __tablename__ = "vignette_deid_decisions"
    __table_args__ = (CheckConstraint("decision IN ('accepted', 'not_identifying')", name="decision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vignette_id: Mapped[int] = mapped_column(ForeignKey("vignettes.id"), index=True)
    version: Mapped[int]
    field: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    rule: Mapped[str] = mapped_column(String(64))
    placeholder: Mapped[str] = mapped_column(String(32))
    decision: Mapped[str] = mapped_column(String(16))
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class PendingDeletion(db.Model):
    """A stored object to delete once `due_at` has passed, unless a row claims it by then.

    Two kinds: an object whose upload failed and that the store could not delete at
    once (due now), and every upload's key, queued before its bytes are stored and
    unqueued in the transaction that saves its attachment row (due after a grace
    period), so a process killed between the two leaves nothing that no one deletes.
    """

    __tablename__ = "vignette_pending_deletions"

    id: Mapped[int] = mapped_column(primary_key=True)
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.current_timestamp(), index=True)


class Response(db.Model):
    """A trainee's answers to one version of a vignette; de-identified before it is stored.

    `answers` is [{"question", "answer"}] with the questions of the version answered.
    `version` grows with every change: updates are conditional on it.
    """

    __tablename__ = "vignette_responses"
    __table_args__ = (
        UniqueConstraint("trainee_id", "vignette_id", "vignette_version", name="one_per_version"),
        CheckConstraint("status IN ('draft', 'submitted', 'returned', 'accepted')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vignette_id: Mapped[int] = mapped_column(ForeignKey("vignettes.id"), index=True)
    vignette_version: Mapped[int]
    trainee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    answers: Mapped[list] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    version: Mapped[int] = mapped_column(default=1)
    submissions: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]

    vignette: Mapped[Vignette] = relationship()
    trainee: Mapped[User] = relationship(foreign_keys=[trainee_id])
    supervisor: Mapped[User | None] = relationship(foreign_keys=[supervisor_id])
    reviews: Mapped[list["Review"]] = relationship(order_by="Review.id", back_populates="response")


class Review(db.Model):
    """A supervisor's decision on one submission, with the answers it judged and the rubric."""

    __tablename__ = "vignette_reviews"
    __table_args__ = (CheckConstraint("decision IN ('returned', 'accepted')", name="decision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("vignette_responses.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submission: Mapped[int]
    answers: Mapped[list] = mapped_column(JSON)
    rubric: Mapped[dict] = mapped_column(JSON)  # criterion -> {"rating", "comment"}
    decision: Mapped[str] = mapped_column(String(16))
    feedback: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    response: Mapped[Response] = relationship(back_populates="reviews")
    reviewer: Mapped[User] = relationship()
