"""Hour-logging rules: what an entry may say, who signs it, and edits before sign-off."""
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import abort, current_app, url_for
from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.exc import IntegrityError

from trainer import audit
from trainer.auth.models import Role, SupervisionAgreement, User
from trainer.content import load_programs
from trainer.content.model import HourCategory, Programs
from trainer.deid import LABELS, deidentify
from trainer.extensions import db
from trainer.hours.models import EntryStatus, HourEntry, SignedMonth
from trainer.mail import send_mail
from trainer.timeutil import utcnow
from trainer.vignettes.services import accepted_count

MIN_MINUTES, MAX_MINUTES, STEP_MINUTES = 15, 720, 15
DESCRIPTION_MAX = 280
LATEST_OFFSET = dt.timedelta(hours=14)  # the easternmost time zone: no earlier place has reached that date
CHANGED = "This entry was signed or changed since you opened it. Reload it to see where it stands."


class HoursError(Exception):
    """A rule about hours was broken; the message is shown to the person."""

    def __init__(self, message: str, field: str | None = None, problems: list | None = None):
        super().__init__(message)
        self.field = field
        self.problems = problems or [self]


@dataclass(frozen=True)
class EntryData:
    """What a trainee typed into the entry form."""

    date: dt.date
    category: str
    minutes: int
    supervisor_id: int
    description: str


def catalog() -> Programs:
    """Hour categories and programs from courses/programs.yml, read again only when it changes."""
    path = Path(current_app.config["COURSES_PATH"]) / "programs.yml"
    stat = path.stat()
    return _programs(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _programs(path: str, _mtime_ns: int, _size: int) -> Programs:
    return load_programs(Path(path))


def loggable_categories() -> tuple[HourCategory, ...]:
    """Categories a trainee logs by hand (automatic ones are credited)."""
    return tuple(c for c in catalog().categories if not c.automatic)


def description_problem(text: str) -> str | None:
    """Why a description cannot be kept, or None: empty, too long, or identifying a family."""
    text = (text or "").strip()
    if not text:
        return "Describe the work in a few words, without names or other identifying details."
    if len(text) > DESCRIPTION_MAX:
        return f"Keep the description to {DESCRIPTION_MAX} characters; it has {len(text)}."
    found = deidentify(text).kinds()
    if found:
        details = ", ".join(LABELS[kind] for kind in sorted(found))
        return (f"This looks like it contains {details}. Describe the work, not the family: "
                "roles and ages are fine (\"the father\", \"the child, 9\"), names, places and dates are not.")
    return None


def accepted_vignette_count(user_id: int) -> int:
    """Vignettes with an accepted response from the trainee (each vignette counts once)."""
    return accepted_count(user_id)


def month_of(day: dt.date) -> str:
    """The month key of a date: YYYY-MM."""
    return f"{day:%Y-%m}"


def parse_month(text: str | None) -> str | None:
    """A YYYY-MM month key from user input, or None when it is not one."""
    try:
        return month_of(dt.datetime.strptime((text or "").strip(), "%Y-%m").date())
    except ValueError:
        return None


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """The first day of a YYYY-MM month and the first day of the next."""
    first = dt.datetime.strptime(month, "%Y-%m").date()
    after = (first + dt.timedelta(days=32)).replace(day=1)
    return first, after


def get_entry_or_404(entry_id: int, user: User) -> HourEntry:
    """One of this trainee's own entries; anyone else's is a 404."""
    entry = db.session.scalar(select(HourEntry).where(HourEntry.id == entry_id, HourEntry.trainee_id == user.id))
    return entry or abort(404)


def supervisors_for(trainee: User) -> list[User]:
    """Active supervisors the trainee has an agreement with, the primary one first."""
    agreed = select(SupervisionAgreement.id).where(SupervisionAgreement.supervisor_id == User.id,
                                                   SupervisionAgreement.trainee_id == trainee.id).exists()
    people = db.session.scalars(
        select(User).where(agreed, User.active.is_(True), User.role == Role.SUPERVISOR, User.id != trainee.id)
        .order_by(User.name)).all()
    return sorted(people, key=lambda person: person.id != trainee.supervisor_id)


def _supervisor_problem(trainee: User, data: EntryData) -> HoursError | None:
    agreements = db.session.scalars(select(SupervisionAgreement).where(
        SupervisionAgreement.trainee_id == trainee.id,
        SupervisionAgreement.supervisor_id == data.supervisor_id)).all()
    person = db.session.get(User, data.supervisor_id)
    if not agreements or person is None or not person.active or person.role != Role.SUPERVISOR \
            or person.id == trainee.id:
        return HoursError("Choose one of your supervisors; you have no supervision agreement with that person.",
                          field="supervisor")
    if not any(a.starts_on <= data.date and (a.ends_on is None or data.date <= a.ends_on) for a in agreements):
        first = min(a.starts_on for a in agreements)
        return HoursError(f"Your supervision agreement with {person.name} covers work from {first.day} {first:%B %Y}"
                          " on; choose a date inside it.", field="date")
    return None


def check_month_open(trainee_id: int, supervisor_id: int, day: dt.date) -> None:
    """Refuse when the supervisor has signed that month for the trainee."""
    locked = db.session.scalar(select(exists().where(
        SignedMonth.trainee_id == trainee_id, SignedMonth.supervisor_id == supervisor_id,
        SignedMonth.month == month_of(day))))
    if locked:
        raise HoursError(f"{day:%B %Y} is signed and locked for this supervisor. "
                         "Ask a clinic admin to reopen it to add or change hours.", field="date")


def entry_problems(trainee: User, data: EntryData) -> list[HoursError]:
    """Every rule the entry breaks, each with the field it concerns (empty when it may be saved)."""
    problems = []
    category = catalog().category(data.category)
    if category is None or category.automatic:
        problems.append(HoursError("Choose a category from the list.", field="category"))
    if not (MIN_MINUTES <= data.minutes <= MAX_MINUTES and data.minutes % STEP_MINUTES == 0):
        problems.append(HoursError("Log between 15 minutes and 12 hours (720 minutes), in steps of 15: "
                                   "for example 45, 60 or 90.", field="minutes"))
    if data.date > (utcnow() + LATEST_OFFSET).date():
        problems.append(HoursError("The date cannot be in the future; log work once it is done.", field="date"))
    description = description_problem(data.description)
    if description:
        problems.append(HoursError(description, field="description"))
    supervisor = _supervisor_problem(trainee, data)
    if supervisor:
        problems.append(supervisor)
    return problems


def check_entry(trainee: User, data: EntryData) -> None:
    """Raise HoursError carrying every problem of the entry, or return when it may be saved."""
    problems = entry_problems(trainee, data)
    if problems:
        raise HoursError(str(problems[0]), field=problems[0].field, problems=problems)
    check_month_open(trainee.id, data.supervisor_id, data.date)


def _tell_supervisor(supervisor_id: int, count: int) -> None:
    supervisor = db.session.get(User, supervisor_id)
    waiting = db.session.scalar(select(func.count(HourEntry.id)).where(
        HourEntry.supervisor_id == supervisor_id, HourEntry.status == EntryStatus.PENDING))
    send_mail(supervisor.email, "Hours wait for your sign-off",
              f"{count} new hour {'entry waits' if count == 1 else 'entries wait'} for your sign-off "
              f"({waiting} in all).\n\nReview them at {url_for('hours.queue', _external=True)}\n")


def log_hours(trainee: User, data: EntryData, revision_of: HourEntry | None = None) -> HourEntry:
    """Record a new pending entry (or a corrected copy of a rejected one) and tell the supervisor."""
    entry = add_entry(trainee, data, revision_of)
    db.session.commit()
    return entry


def add_entry(trainee: User, data: EntryData, revision_of: HourEntry | None = None) -> HourEntry:
    """log_hours without the commit, for callers that record more in the same transaction."""
    check_entry(trainee, data)
    entry = HourEntry(trainee_id=trainee.id, supervisor_id=data.supervisor_id, date=data.date,
                      category=data.category, minutes=data.minutes, description=data.description.strip(),
                      revision_of_id=revision_of.id if revision_of else None)
    db.session.add(entry)
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise HoursError("This rejected entry was already corrected and sent again.") from exc
    audit.record(trainee, "hours.resubmitted" if revision_of else "hours.logged", entry,
                 minutes=entry.minutes, category=entry.category, revision_of=entry.revision_of_id)
    _tell_supervisor(entry.supervisor_id, 1)
    return entry


def resubmit_entry(trainee: User, entry: HourEntry, data: EntryData) -> HourEntry:
    """Send a corrected copy of a rejected entry as a new revision; the rejection stays on record."""
    if entry.trainee_id != trainee.id or entry.status != EntryStatus.REJECTED:
        raise HoursError("Only a rejected entry can be corrected and sent again.")
    return log_hours(trainee, data, revision_of=entry)


def edit_entry(trainee: User, entry: HourEntry, version: int, data: EntryData) -> None:
    """Change a pending entry, only if nobody decided or changed it since it was loaded."""
    check_month_open(trainee.id, entry.supervisor_id, entry.date)
    check_entry(trainee, data)
    changed = db.session.execute(
        update(HourEntry).where(HourEntry.id == entry.id, HourEntry.trainee_id == trainee.id,
                                HourEntry.status == EntryStatus.PENDING, HourEntry.version == version)
        .values(date=data.date, category=data.category, minutes=data.minutes, updated_at=utcnow(),
                supervisor_id=data.supervisor_id, description=data.description.strip(),
                version=HourEntry.version + 1)
        .execution_options(synchronize_session=False)).rowcount
    if not changed:
        db.session.rollback()
        raise HoursError(CHANGED)
    audit.record(trainee, "hours.edited", entry, version=version + 1)
    db.session.commit()
    db.session.refresh(entry)


def delete_entry(trainee: User, entry: HourEntry, version: int) -> None:
    """Remove a pending entry, only if nobody decided or changed it since it was loaded."""
    check_month_open(trainee.id, entry.supervisor_id, entry.date)
    gone = db.session.execute(
        delete(HourEntry).where(HourEntry.id == entry.id, HourEntry.trainee_id == trainee.id,
                                HourEntry.status == EntryStatus.PENDING, HourEntry.version == version)
        .execution_options(synchronize_session=False)).rowcount
    if not gone:
        db.session.rollback()
        raise HoursError(CHANGED)
    audit.record(trainee, "hours.deleted", f"hour_entries:{entry.id}", minutes=entry.minutes)
    db.session.commit()
