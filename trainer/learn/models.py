"""Learning tables: progress other domains read (hours counts didactic credit), and synced content."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.auth.models import User
from trainer.extensions import db
from trainer.learn.grading import needed_to_pass
from trainer.timeutil import utcnow


class ModuleCompletion(db.Model):
    """A trainee completed a module (read it and passed its quiz); credits didactic time."""

    __tablename__ = "module_completions"
    __table_args__ = (UniqueConstraint("user_id", "course_slug", "module_slug", name="one_per_module"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_slug: Mapped[str] = mapped_column(String(80))
    module_slug: Mapped[str] = mapped_column(String(80))
    module_title: Mapped[str] = mapped_column(String(200))
    credit_minutes: Mapped[int]
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)


class CourseCompletion(db.Model):
    """A trainee completed every module of a course."""

    __tablename__ = "course_completions"
    __table_args__ = (UniqueConstraint("user_id", "course_slug", name="one_per_course"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_slug: Mapped[str] = mapped_column(String(80))
    course_title: Mapped[str] = mapped_column(String(200))
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Course(db.Model):
    """A course synced from courses/<slug>/course.yml; retired when its folder is removed."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    required: Mapped[bool] = mapped_column(default=False)
    safety_module: Mapped[str | None] = mapped_column(String(80))
    position: Mapped[int]
    retired: Mapped[bool] = mapped_column(default=False)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Module(db.Model):
    """A module of a course; its content lives in versions, `version` names the current one."""

    __tablename__ = "modules"
    __table_args__ = (UniqueConstraint("course_id", "slug", name="one_slug_per_course"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    position: Mapped[int]
    retired: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int]  # ModuleVersion.number shown now
    quiz_version: Mapped[int | None]  # QuizVersion.number taken now; None: no quiz
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship()


class ModuleVersion(db.Model):
    """A module's content as synced, rendered once to sanitised HTML; a new row per changed hash."""

    __tablename__ = "module_versions"
    __table_args__ = (UniqueConstraint("module_id", "number", name="one_number_per_module"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int]
    credit_minutes: Mapped[int]  # round(credit_hours * 60)
    objectives: Mapped[list] = mapped_column(JSON)
    html: Mapped[str] = mapped_column(Text)
    toc: Mapped[list] = mapped_column(JSON)  # [{"level", "id", "title"}]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class QuizVersion(db.Model):
    """A module's quiz as synced, answer key included; attempts keep the version they were taken on."""

    __tablename__ = "quiz_versions"
    __table_args__ = (UniqueConstraint("module_id", "number", name="one_quiz_number_per_module"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    pass_mark: Mapped[float]
    max_attempts: Mapped[int]
    cooldown_minutes: Mapped[int]
    shuffle: Mapped[bool]
    # [{"id", "kind", "prompt", "explanation", "choices": [{"id", "text", "correct", "feedback"}]}]
    questions: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def needed_to_pass(self) -> int:
        """Questions that must be right to pass."""
        return needed_to_pass(len(self.questions), self.pass_mark)


class ModuleRead(db.Model):
    """A trainee marked a module as read."""

    __tablename__ = "module_reads"
    __table_args__ = (UniqueConstraint("user_id", "module_id", name="one_read_per_module"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    read_at: Mapped[datetime] = mapped_column(default=utcnow)


class QuizAttempt(db.Model):
    """One attempt at a module's quiz: opened with its own choice order, closed once by submitting."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (UniqueConstraint("user_id", "module_id", "number", name="one_attempt_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    quiz_version_id: Mapped[int] = mapped_column(ForeignKey("quiz_versions.id"), index=True)
    number: Mapped[int]  # 1, 2, … per trainee and module
    choice_order: Mapped[dict] = mapped_column(JSON)  # question id -> choice ids as shown
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    answers: Mapped[dict | None] = mapped_column(JSON)  # question id -> chosen choice ids
    score: Mapped[int | None]  # questions answered right
    total: Mapped[int]
    passed: Mapped[bool | None]

    quiz_version: Mapped[QuizVersion] = relationship()
    user: Mapped[User] = relationship()


class AttemptGrant(db.Model):
    """A supervisor or admin allowed a trainee one attempt beyond a quiz's maximum."""

    __tablename__ = "attempt_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Vignette(db.Model):
    """A case vignette: the library's table, read by the vignettes domain.

    - `slug` is unique across all vignettes and is the vignette's stable id.
    - `source` is 'course' for vignettes synced from courses/<course>/vignettes/
      (`courses sync` creates and updates only those); other sources are left alone.
      'upload' marks vignettes a clinic admin added in the site (trainer.vignettes).
    - `status` is 'published' or 'retired' (a synced file was removed); retired
      vignettes stay for the responses that reference them. Uploads are also
      'draft' (never published yet) or 'archived' (taken out of the library).
    - `version` starts at 1 and grows each time the content hash changes;
      `html` is the case text rendered by trainer.content.markdown. An upload's
      row shows its published version (version 0 and the draft's text before that).
    """

    __tablename__ = "vignettes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    source: Mapped[str] = mapped_column(String(16), default="course")
    status: Mapped[str] = mapped_column(String(16), default="published", index=True)
    course_slug: Mapped[str | None] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    family: Mapped[str] = mapped_column(Text)
    presenting_issue: Mapped[str] = mapped_column(Text)
    topics: Mapped[list] = mapped_column(JSON)
    age_band: Mapped[str] = mapped_column(String(16))
    difficulty: Mapped[str] = mapped_column(String(16))
    court_stage: Mapped[str] = mapped_column(String(24))
    questions: Mapped[list] = mapped_column(JSON)
    html: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # uploads: the admin
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
