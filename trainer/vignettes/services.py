"""Vignette rules shared by every page: the library, who may see what, and what counts toward a program."""
from dataclasses import dataclass

from sqlalchemy import String, cast, func, or_, select

from trainer.admin.services import Page
from trainer.auth.models import Role, User
from trainer.content.model import AGE_BANDS, COURT_STAGES, DIFFICULTIES
from trainer.extensions import db
from trainer.learn.models import Course, Vignette
from trainer.learn.pages import find_module
from trainer.learn.progress import safety_cleared
from trainer.topics import TOPICS
from trainer.vignettes.models import Attachment, Response, VignetteDraft

PAGE_SIZE = 12
ADMIN_PAGE_SIZE = 25
FILTERS = {"topic": tuple(TOPICS), "age_band": AGE_BANDS, "difficulty": DIFFICULTIES, "court_stage": COURT_STAGES}
LABELS = {
    "topic": TOPICS,
    "age_band": {"under-6": "Under 6", "6-12": "6–12", "13-17": "13–17"},
    "difficulty": {"introductory": "Introductory", "intermediate": "Intermediate", "advanced": "Advanced"},
    "court_stage": {"none": "No court involvement", "pre-filing": "Before filing",
                    "active-litigation": "Active litigation", "court-ordered": "Court-ordered",
                    "post-judgment": "After judgment"},
}


class VignetteError(Exception):
    """A vignette rule was broken; the message is shown to the person."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class LibraryQuery:
    """A search of the library: words, and one value per tag (empty means any)."""

    q: str = ""
    topic: str = ""
    age_band: str = ""
    difficulty: str = ""
    court_stage: str = ""

    @classmethod
    def from_args(cls, args) -> "LibraryQuery":
        """Read the query string, dropping tag values that are not in the vocabularies."""
        tags = {key: args.get(key, "") for key in FILTERS if args.get(key, "") in FILTERS[key]}
        return cls(q=args.get("q", "").strip()[:100], **tags)


def library(query: LibraryQuery, page: int = 1) -> Page:
    """Published vignettes, course and uploaded in one list, matching the query, one page at a time."""
    stmt = select(Vignette).where(Vignette.status == "published")
    if query.q:
        like = f"%{query.q.lower()}%"
        stmt = stmt.where(or_(func.lower(Vignette.title).like(like), func.lower(Vignette.family).like(like),
                              func.lower(Vignette.presenting_issue).like(like)))
    if query.topic:
        stmt = stmt.where(cast(Vignette.topics, String).like(f'%"{query.topic}"%'))
    for key in ("age_band", "difficulty", "court_stage"):
        if getattr(query, key):
            stmt = stmt.where(getattr(Vignette, key) == getattr(query, key))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    items = db.session.scalars(stmt.order_by(Vignette.source, Vignette.course_slug, Vignette.position,
                                             Vignette.title).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    return Page(items=list(items), page=page, pages=pages, total=total)


def find_published(slug: str) -> Vignette | None:
    """A vignette in the library, by slug."""
    return db.session.scalar(select(Vignette).where(Vignette.slug == slug, Vignette.status == "published"))


def may_open(user: User) -> bool:
    """Whether the person may open vignettes (trainees after the safety module)."""
    return safety_cleared(user)


def visible_attachments(vignette: Vignette) -> list[Attachment]:
    """The attachments of the vignette's published version, in the order they were added."""
    return list(db.session.scalars(select(Attachment).where(
        Attachment.vignette_id == vignette.id, Attachment.version <= vignette.version).order_by(Attachment.id)))


def get_attachment(attachment_id: int, slug: str, user: User) -> Attachment | None:
    """An attachment the person may download: admins any, others only a published version's, once cleared."""
    stmt = select(Attachment).join(Vignette, Vignette.id == Attachment.vignette_id).where(
        Attachment.id == attachment_id, Vignette.slug == slug)
    if user.role != Role.ADMIN:
        if not may_open(user):
            return None
        stmt = stmt.where(Vignette.status == "published", Attachment.version <= Vignette.version)
    return db.session.scalar(stmt)


def accepted_count(user_id: int) -> int:
    """How many different vignettes the trainee has an accepted response to (what programs count)."""
    return db.session.scalar(select(func.count(func.distinct(Response.vignette_id))).where(
        Response.trainee_id == user_id, Response.status == "accepted"))


def accepted_counts(user_ids: list[int]) -> dict[int, int]:
    """accepted_count for many trainees in one grouped query (those with none are left out)."""
    if not user_ids:
        return {}
    return dict(db.session.execute(
        select(Response.trainee_id, func.count(func.distinct(Response.vignette_id)))
        .where(Response.trainee_id.in_(user_ids), Response.status == "accepted").group_by(Response.trainee_id)).all())


def statuses_for(user: User, vignette_ids: list[int]) -> dict[int, str]:
    """The trainee's latest response status per vignette (for library cards)."""
    if user.role != Role.TRAINEE or not vignette_ids:
        return {}
    rows = db.session.execute(select(Response.vignette_id, Response.status).where(
        Response.trainee_id == user.id, Response.vignette_id.in_(vignette_ids)).order_by(Response.id))
    return {vignette_id: status for vignette_id, status in rows}


@dataclass(frozen=True)
class TraineeSummary:
    """The trainee dashboard's vignette panel."""

    accepted: int
    returned: list[tuple[str, str]]  # (slug, title) of responses waiting for a revision
    open_drafts: int


def trainee_summary(user: User) -> TraineeSummary:
    """Accepted vignettes, and responses waiting for the trainee (returned or still drafts), in one query."""
    rows = db.session.execute(select(Response.status, Response.vignette_id, Vignette.slug, Vignette.title,
                                     Vignette.status.label("vignette_status"))
                              .join(Vignette, Vignette.id == Response.vignette_id)
                              .where(Response.trainee_id == user.id,
                                     Response.status.in_(("accepted", "returned", "draft")))
                              .order_by(Response.updated_at)).all()
    return TraineeSummary(accepted=len({r.vignette_id for r in rows if r.status == "accepted"}),
                          returned=[(r.slug, r.title) for r in rows
                                    if r.status == "returned" and r.vignette_status == "published"],
                          open_drafts=sum(1 for r in rows if r.status == "draft"))


def waiting_for_review(user: User) -> int:
    """Submitted responses this supervisor is to review."""
    return db.session.scalar(select(func.count(Response.id)).where(
        Response.supervisor_id == user.id, Response.status == "submitted"))


def label(key: str, value: str) -> str:
    """A tag value in words."""
    return LABELS[key].get(value, value)


def safety_module() -> tuple[str, str, str] | None:
    """(course slug, module slug, title) of the first current course's safety module, if any."""
    for course, module in db.session.execute(select(Course.slug, Course.safety_module).where(
            Course.retired.is_(False), Course.safety_module.is_not(None)).order_by(Course.position)):
        found = find_module(course, module)
        if found:
            return course, module, found[2].title
    return None


def admin_list(status: str = "", page: int = 1) -> Page:
    """Every vignette for the admin, drafts first, with its pending draft if any."""
    stmt = select(Vignette, VignetteDraft).outerjoin(VignetteDraft, VignetteDraft.vignette_id == Vignette.id)
    if status:
        stmt = stmt.where(Vignette.status == status)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    pages = max(1, -(-total // ADMIN_PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = db.session.execute(stmt.order_by(Vignette.status != "draft", Vignette.source.desc(),
                                            Vignette.updated_at.desc(), Vignette.id)
                              .limit(ADMIN_PAGE_SIZE).offset((page - 1) * ADMIN_PAGE_SIZE)).all()
    return Page(items=[tuple(r) for r in rows], page=page, pages=pages, total=total)
