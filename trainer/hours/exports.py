"""The trainee's exports: approved hours as CSV and the signed transcript as PDF."""
import csv
import io
from collections import defaultdict
from itertools import chain

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from trainer.auth.models import User
from trainer.extensions import db
from trainer.hours import calculator
from trainer.hours.documents import Transcript
from trainer.hours.models import EntryStatus, HourEntry, HourSignature
from trainer.hours.reports import DIDACTIC, trainee_records
from trainer.hours.services import catalog, month_of
from trainer.hours.signoff import canonical_hash, signature_intact
from trainer.learn.models import CourseCompletion
from trainer.learn.progress import module_completions
from trainer.timeutil import utcnow

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADER = ("date", "category", "category_label", "minutes", "description", "source", "supervisor",
              "decided_by", "decided_at", "signature_id", "signature_hash")


def neutralise(cell) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_lines(header, rows):
    """CSV lines, one at a time, with every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in chain([header], rows):
        writer.writerow([neutralise(cell) for cell in row])
        yield out.getvalue()
        out.seek(0)
        out.truncate()


def csv_text(header, rows) -> str:
    """A whole CSV document with every cell neutralised."""
    return "".join(csv_lines(header, rows))


def approved_entries(user: User) -> list[HourEntry]:
    """The trainee's approved entries with who signed them, oldest first, in one query."""
    return list(db.session.scalars(
        select(HourEntry).options(joinedload(HourEntry.supervisor), joinedload(HourEntry.decided_by))
        .where(HourEntry.trainee_id == user.id, HourEntry.status == EntryStatus.APPROVED)
        .order_by(HourEntry.date, HourEntry.id)))


def _signatures(entries: list[HourEntry]) -> dict:
    ids = {e.signature_id for e in entries if e.signature_id}
    found = db.session.scalars(select(HourSignature).options(joinedload(HourSignature.signer))
                               .where(HourSignature.id.in_(ids))) if ids else []
    return {s.id: s for s in found}


def trainee_csv(user: User) -> str:
    """Approved entries with decision metadata, and didactic credit from modules."""
    labels = {c.id: c.label for c in catalog().categories}
    entries = approved_entries(user)
    signatures = _signatures(entries)
    rows = [(e.date.isoformat(), e.category, labels.get(e.category, e.category), e.minutes, e.description,
             "logged", e.supervisor.name, e.decided_by.name if e.decided_by else "",
             e.decided_at.isoformat(timespec="seconds") if e.decided_at else "", e.signature_id or "",
             signatures[e.signature_id].content_hash if e.signature_id in signatures else "") for e in entries]
    rows += [(m.completed_at.date().isoformat(), DIDACTIC, labels.get(DIDACTIC, DIDACTIC), m.credit_minutes,
              f"Completed module: {m.module_title}", "module", "", "", "", "", "")
             for m in module_completions(user.id)]
    return csv_text(CSV_HEADER, sorted(rows, key=lambda row: row[0]))


def _by_month(entries, modules, labels: dict) -> dict:
    by_month = defaultdict(int)
    for entry in entries:
        by_month[(month_of(entry.date), labels.get(entry.category, entry.category))] += entry.minutes
    for module in modules:
        by_month[(month_of(module.completed_at.date()), labels.get(DIDACTIC, DIDACTIC))] += module.credit_minutes
    return by_month


def transcript(user: User) -> Transcript:
    """Everything the signed transcript prints, with a hash over exactly that content."""
    labels = {c.id: c.label for c in catalog().categories}
    entries = approved_entries(user)
    signatures = _signatures(entries)
    records, _, _ = trainee_records(user.id)
    modules = module_completions(user.id)
    by_month = _by_month(entries, modules, labels)
    courses = db.session.scalars(select(CourseCompletion).where(CourseCompletion.user_id == user.id)
                                 .order_by(CourseCompletion.completed_at)).all()
    body = {
        "name": user.name, "email": user.email, "clinic": current_app.config["CLINIC_NAME"],
        "generated_at": utcnow().isoformat(timespec="seconds") + "Z",
        "courses": [[c.course_title, c.completed_at.date().isoformat()] for c in courses],
        "modules": [[m.module_title, m.completed_at.date().isoformat(), m.credit_minutes] for m in modules],
        "hours_by_category": [[labels.get(c, c), minutes] for c, minutes in
                              sorted(records.approved_minutes.items(), key=lambda kv: labels.get(kv[0], kv[0]))
                              if minutes],
        "hours_by_month": [[month, label, minutes] for (month, label), minutes in sorted(by_month.items())],
        "programs": [_program_line(p, records) for p in catalog().programs],
        "signatures": [_signature_line(s, [e for e in entries if e.signature_id == s.id])
                       for s in sorted(signatures.values(), key=lambda s: s.signed_at)],
    }
    return Transcript(body=body, content_hash=canonical_hash(body))


def _program_line(program, records) -> list:
    standing = calculator.progress(program, records)
    return [program.title, sum(r.met for r in standing.rows), len(standing.rows)]


def _signature_line(signature, entries) -> list:
    return [signature.id, signature.signer.name, signature.signed_at.isoformat(timespec="minutes"),
            len(entries), signature.content_hash, signature_intact(signature, entries)]


def transcript_pdf(user: User) -> bytes:
    """The transcript rendered as a PDF."""
    from trainer.hours.pdf import transcript_pdf  # fpdf2 is slow to import; only needed here
    return transcript_pdf(transcript(user))
