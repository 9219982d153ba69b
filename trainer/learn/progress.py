"""What other domains may ask about a trainee's learning."""
from sqlalchemy import select, tuple_

from trainer.auth.models import Role
from trainer.extensions import db
from trainer.learn.models import Course, CourseCompletion, ModuleCompletion


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


def safety_cleared(user) -> bool:
    """Whether the person may open vignettes and ask for consultations.

    Supervisors and admins always may. A trainee may once they have completed the
    `safety_module` of every synced, current course that declares one.
    """
    if user.role != Role.TRAINEE:
        return True
    gates = db.session.execute(select(Course.slug, Course.safety_module).where(
        Course.retired.is_(False), Course.safety_module.is_not(None))).all()
    if not gates:
        return True
    done = db.session.scalar(select(db.func.count(ModuleCompletion.id)).where(
        ModuleCompletion.user_id == user.id,
        tuple_(ModuleCompletion.course_slug, ModuleCompletion.module_slug).in_([tuple(g) for g in gates])))
    return done == len(gates)
