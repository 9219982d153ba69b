"""Read models for a trainee: records for the calculator, progress with charts, the paged log."""
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, case, func, literal, select, union_all
from sqlalchemy.orm import aliased, joinedload

from trainer.auth.models import User
from trainer.certificates.models import Certificate
from trainer.extensions import db
from trainer.hours import calculator
from trainer.hours.chart import Chart, ChartRow, hours_chart
from trainer.hours.models import EntryStatus, HourEntry
from trainer.hours.services import accepted_vignette_count, catalog, month_bounds
from trainer.learn.models import ModuleCompletion
from trainer.learn.progress import completed_course_slugs, module_completions
from trainer.timeutil import utcnow

DIDACTIC = "didactic"
PAGE_SIZE = 25


@dataclass(frozen=True)
class CategoryTotal:
    """Approved, pending and rejected minutes in one category."""

    id: str
    label: str
    approved: int
    pending: int
    rejected: int


@dataclass(frozen=True)
class ProgramStanding:
    """One program's progress, projection, chart and any certificate claimed for it."""

    progress: calculator.ProgramProgress
    projection: calculator.Projection
    chart: Chart
    certificate: Certificate | None


@dataclass(frozen=True)
class Standing:
    """Everything the progress panels show for one trainee."""

    programs: tuple[ProgramStanding, ...]
    totals: tuple[CategoryTotal, ...]
    records: calculator.Records


def _minutes_by_status(user_id: int, since: dt.date) -> tuple[dict, dict]:
    """Minutes per (category, status), and approved minutes per category dated on or after since."""
    recent = func.sum(case((and_(HourEntry.status == EntryStatus.APPROVED, HourEntry.date >= since),
                            HourEntry.minutes), else_=0))
    rows = db.session.execute(
        select(HourEntry.category, HourEntry.status, func.sum(HourEntry.minutes), recent)
        .where(HourEntry.trainee_id == user_id).group_by(HourEntry.category, HourEntry.status)).all()
    totals, recent_minutes = {}, {}
    for category, status, minutes, recent_part in rows:
        totals[(category, status)] = int(minutes or 0)
        recent_minutes[category] = recent_minutes.get(category, 0) + int(recent_part or 0)
    return totals, recent_minutes


def trainee_records(user_id: int, today: dt.date | None = None) -> tuple[calculator.Records, dict, dict]:
    """The calculator's records, minutes per (category, status), and the recent approved pace."""
    today = today or utcnow().date()
    since = today - dt.timedelta(days=calculator.PACE_WINDOW_DAYS)
    totals, recent = _minutes_by_status(user_id, since)
    modules = module_completions(user_id)
    totals[(DIDACTIC, EntryStatus.APPROVED)] = sum(m.credit_minutes for m in modules)
    recent[DIDACTIC] = sum(m.credit_minutes for m in modules if m.completed_at.date() >= since)
    approved = {c: m for (c, status), m in totals.items() if status == EntryStatus.APPROVED}
    pending = {c: m for (c, status), m in totals.items() if status == EntryStatus.PENDING}
    records = calculator.Records(approved_minutes=approved, pending_minutes=pending,
                                 completed_courses=frozenset(completed_course_slugs(user_id)),
                                 accepted_vignettes=accepted_vignette_count(user_id))
    return records, totals, recent


def _chart(standing: calculator.ProgramProgress) -> Chart:
    rows = [ChartRow(r.label, r.approved, r.pending, r.required) for r in standing.rows if r.unit == "hours"]
    return hours_chart(rows, f"chart-{standing.program_id}", f"{standing.title}: approved and pending hours")


def standing_for(user: User) -> Standing:
    """Progress toward every program, with totals per category, in a few aggregate queries."""
    today = utcnow().date()
    records, totals, recent = trainee_records(user.id, today)
    certificates = {c.program_id: c for c in db.session.scalars(
        select(Certificate).where(Certificate.user_id == user.id))}
    programs = []
    for program in catalog().programs:
        progress = calculator.progress(program, records)
        projection = calculator.project_completion(program, records, recent, today)
        programs.append(ProgramStanding(progress, projection, _chart(progress), certificates.get(program.id)))
    return Standing(programs=tuple(programs), totals=_category_totals(totals), records=records)


def _category_totals(totals: dict) -> tuple[CategoryTotal, ...]:
    return tuple(
        CategoryTotal(c.id, c.label, totals.get((c.id, EntryStatus.APPROVED), 0),
                      totals.get((c.id, EntryStatus.PENDING), 0), totals.get((c.id, EntryStatus.REJECTED), 0))
        for c in catalog().categories)


def totals_for(user: User) -> tuple[CategoryTotal, ...]:
    """Approved, pending and rejected minutes per category, didactic credit included."""
    return _category_totals(trainee_records(user.id)[1])


@dataclass(frozen=True)
class LogRow:
    """One line of the hours log: a logged entry, or didactic credit from a completed module."""

    source: str
    date: dt.date
    category: str
    minutes: int
    description: str
    status: str
    entry: HourEntry | None = None
    corrected_by: int | None = None


@dataclass(frozen=True)
class LogPage:
    """One page of the log."""

    rows: list[LogRow]
    page: int
    pages: int
    total: int


def _log_union(user_id: int, status: str | None, month: str | None):
    entries = select(literal("logged").label("source"), HourEntry.id.label("id"), HourEntry.date.label("on")) \
        .where(HourEntry.trainee_id == user_id)
    modules = select(literal("module"), ModuleCompletion.id, ModuleCompletion.completed_at) \
        .where(ModuleCompletion.user_id == user_id)
    if status:
        entries = entries.where(HourEntry.status == status)
    if month:
        first, after = month_bounds(month)
        entries = entries.where(HourEntry.date >= first, HourEntry.date < after)
        modules = modules.where(ModuleCompletion.completed_at >= dt.datetime.combine(first, dt.time()),
                                ModuleCompletion.completed_at < dt.datetime.combine(after, dt.time()))
    parts = [entries] + ([modules] if status in (None, EntryStatus.APPROVED) else [])
    return union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()


def log_page(user: User, status: str | None = None, month: str | None = None, page: int = 1) -> LogPage:
    """The trainee's log, newest work first, filtered by status and month, one page at a time."""
    rows = _log_union(user.id, status, month)
    total = db.session.scalar(select(func.count()).select_from(rows))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    keys = db.session.execute(select(rows.c.source, rows.c.id).order_by(
        rows.c.on.desc(), rows.c.source, rows.c.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    found = _load_entries([k.id for k in keys if k.source == "logged"])
    found |= _load_modules([k.id for k in keys if k.source == "module"])
    return LogPage(rows=[found[(k.source, k.id)] for k in keys], page=page, pages=pages, total=total)


def _load_entries(ids: list[int]) -> dict:
    if not ids:
        return {}
    correction = aliased(HourEntry)
    result = db.session.execute(
        select(HourEntry, correction.id).outerjoin(correction, correction.revision_of_id == HourEntry.id)
        .options(joinedload(HourEntry.supervisor), joinedload(HourEntry.decided_by))
        .where(HourEntry.id.in_(ids))).all()
    return {("logged", e.id): LogRow("logged", e.date, e.category, e.minutes, e.description, e.status, e, fix)
            for e, fix in result}


def _load_modules(ids: list[int]) -> dict:
    if not ids:
        return {}
    modules = db.session.scalars(select(ModuleCompletion).where(ModuleCompletion.id.in_(ids)))
    return {("module", m.id): LogRow("module", m.completed_at.date(), DIDACTIC, m.credit_minutes,
                                     f"Completed module: {m.module_title}", EntryStatus.APPROVED)
            for m in modules}
