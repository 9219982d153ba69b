"""The admins' cohort report: every trainee's standing, a page at a time, in grouped queries."""
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from trainer.auth.models import Role, User
from trainer.certificates.models import Certificate
from trainer.extensions import db
from trainer.hours import calculator
from trainer.hours.models import EntryStatus, HourEntry
from trainer.hours.reports import DIDACTIC
from trainer.hours.services import catalog
from trainer.learn.models import CourseCompletion, ModuleCompletion
from trainer.vignettes.services import accepted_counts

PAGE_SIZE = 50
CSV_BATCH = 500


@dataclass(frozen=True)
class CohortRow:
    """One trainee's line in the cohort report."""

    id: int
    name: str
    email: str
    supervisor: str
    approved_minutes: int
    pending_minutes: int
    programs: tuple[tuple[str, int, int, bool], ...]  # (title, met, of, certificate claimed)
    last_work: dt.date | None


@dataclass(frozen=True)
class CohortPage:
    """One page of the cohort."""

    rows: list[CohortRow]
    page: int
    pages: int
    total: int


def _trainees(limit: int, offset: int):
    boss = aliased(User)
    return db.session.execute(
        select(User.id, User.name, User.email, boss.name).outerjoin(boss, boss.id == User.supervisor_id)
        .where(User.role == Role.TRAINEE).order_by(User.name, User.id).limit(limit).offset(offset)).all()


def _facts(ids: list[int]) -> dict:
    """Minutes, courses, certificates, accepted vignettes and last work date, in five grouped queries."""
    facts = defaultdict(lambda: {"approved": defaultdict(int), "pending": defaultdict(int), "courses": set(),
                                 "certificates": set(), "last": None, "vignettes": 0})
    for tid, category, status, minutes, last in db.session.execute(
            select(HourEntry.trainee_id, HourEntry.category, HourEntry.status, func.sum(HourEntry.minutes),
                   func.max(HourEntry.date)).where(HourEntry.trainee_id.in_(ids))
            .group_by(HourEntry.trainee_id, HourEntry.category, HourEntry.status)):
        if status in (EntryStatus.APPROVED, EntryStatus.PENDING):
            facts[tid][status][category] += int(minutes)
        facts[tid]["last"] = max(filter(None, (facts[tid]["last"], last)))
    for uid, minutes in db.session.execute(select(ModuleCompletion.user_id, func.sum(ModuleCompletion.credit_minutes))
                                           .where(ModuleCompletion.user_id.in_(ids)).group_by(ModuleCompletion.user_id)):
        facts[uid]["approved"][DIDACTIC] += int(minutes)
    for uid, slug in db.session.execute(select(CourseCompletion.user_id, CourseCompletion.course_slug)
                                        .where(CourseCompletion.user_id.in_(ids))):
        facts[uid]["courses"].add(slug)
    for uid, program_id in db.session.execute(select(Certificate.user_id, Certificate.program_id)
                                              .where(Certificate.user_id.in_(ids), Certificate.status == "valid")):
        facts[uid]["certificates"].add(program_id)
    for uid, accepted in accepted_counts(ids).items():
        facts[uid]["vignettes"] = accepted
    return facts


def _rows(trainees) -> list[CohortRow]:
    facts = _facts([t.id for t in trainees])
    rows = []
    for tid, name, email, supervisor in trainees:
        fact = facts[tid]
        records = calculator.Records(dict(fact["approved"]), dict(fact["pending"]), frozenset(fact["courses"]),
                                     fact["vignettes"])
        standings = [(p, calculator.progress(p, records)) for p in catalog().programs]
        rows.append(CohortRow(
            tid, name, email, supervisor or "", sum(records.approved_minutes.values()),
            sum(records.pending_minutes.values()),
            tuple((p.title, sum(r.met for r in s.rows), len(s.rows), p.id in fact["certificates"])
                  for p, s in standings), fact["last"]))
    return rows


def cohort_page(page: int = 1) -> CohortPage:
    """One page of trainees with their standing."""
    total = db.session.scalar(select(func.count(User.id)).where(User.role == Role.TRAINEE))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    return CohortPage(rows=_rows(_trainees(PAGE_SIZE, (page - 1) * PAGE_SIZE)), page=page, pages=pages,
                      total=total)


def cohort_csv_rows():
    """Every trainee's line for the CSV export, fetched in batches."""
    offset = 0
    while batch := _trainees(CSV_BATCH, offset):
        for row in _rows(batch):
            yield [row.name, row.email, row.supervisor, round(row.approved_minutes / 60, 2),
                   round(row.pending_minutes / 60, 2), row.last_work.isoformat() if row.last_work else "",
                   *[f"{met}/{of}{' certified' if claimed else ''}" for _, met, of, claimed in row.programs]]
        offset += CSV_BATCH


def cohort_csv_header() -> list[str]:
    """The CSV header: fixed columns, then one per program."""
    return ["name", "email", "supervisor", "approved_hours", "pending_hours", "last_work",
            *[f"{p.id}_requirements_met" for p in catalog().programs]]
