"""What other domains may ask about a trainee's learning."""
from sqlalchemy import select

from trainer.extensions import db
from trainer.learn.models import CourseCompletion, ModuleCompletion


def module_completions(user_id: int) -> list[ModuleCompletion]:
    """The trainee's completed modules, oldest first."""
    return list(db.session.scalars(
        select(ModuleCompletion).where(ModuleCompletion.user_id == user_id)
        .order_by(ModuleCompletion.completed_at, ModuleCompletion.id)
    ))


def completed_course_slugs(user_id: int) -> set[str]:
    """Slugs of the courses the trainee has completed."""
    return set(db.session.scalars(
        select(CourseCompletion.course_slug).where(CourseCompletion.user_id == user_id)
    ))
