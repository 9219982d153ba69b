"""Tables of learning progress that other domains read (hours counts didactic credit)."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trainer.extensions import db
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
