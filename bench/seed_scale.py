"""Fill a database with a clinic's worth of years: people, hours, quiz attempts, certificates.

    python bench/seed_scale.py --database URL [--entries 200000]

Drops and rebuilds every table of that database, syncs the real courses, then
inserts in bulk (Core executemany, never the ORM row by row): 60 supervisors,
1,000 trainees, N hour entries over three years (each supervisor keeps a
backlog of 20 pending entries whatever N is; the history grows), 20,000
submitted quiz attempts, an open attempt per trainee on each of the last two
modules (the pool the quiz-submission benchmark submits), certificates, and
5,000 consultations with four-message threads. Prints how long each part took.
"""
import argparse
import datetime as dt
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyotp  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from trainer import create_app  # noqa: E402
from trainer.auth.models import SupervisionAgreement, User  # noqa: E402
from trainer.certificates.models import Certificate  # noqa: E402
from trainer.consult.models import Consultation, Message  # noqa: E402
from trainer.extensions import db  # noqa: E402
from trainer.hours.models import HourEntry  # noqa: E402
from trainer.learn.models import (CourseCompletion, Module, ModuleCompletion, ModuleRead,  # noqa: E402
                                  QuizAttempt, QuizVersion)
from trainer.learn.sync import sync_courses  # noqa: E402

SUPERVISORS, TRAINEES, QUIZ_ATTEMPTS, CERTIFICATES, CONSULTATIONS = 60, 1_000, 20_000, 200, 5_000
PENDING_PER_SUPERVISOR = 20
PASSWORD = "bench-password-long-enough"
SECRET_KEY = "bench-secret-key"
TOTP_SECRET = "BENCHSUPERVISORSECRETKEYABCDEF23"  # every bench supervisor's authenticator key
CATEGORIES = ("conjoint", "individual-child", "individual-parent", "co-parenting", "family", "collateral",
              "court", "individual-supervision", "group-supervision", "consultation")
CHUNK = 20_000


@dataclass(frozen=True)
class Seeded:
    """Ids the benchmark needs: people, the open-attempt pool, a certificate code."""

    supervisor_ids: list
    trainee_ids: list
    open_attempts: list  # (attempt id, trainee id, module slug): the quiz-submission pool
    certificate_code: str
    consultation_id: int  # one with a thread, between a trainee and their supervisor


def bench_settings(url: str, folder: str) -> dict:
    """The site's settings for a benchmark (production mode, fast password hashing, no per-address rate limits)."""
    return {"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "APP_ENV": "production", "REDIS_URL": None,
            "MAIL_SERVER": None, "UPLOAD_FOLDER": folder, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "RATELIMIT_ENABLED": False}


def bulk(table, rows: list) -> None:
    """Insert rows in large batches."""
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(table), rows[start:start + CHUNK])


def _people() -> tuple[list, list]:
    digest = generate_password_hash(PASSWORD, "pbkdf2:sha256:1000")
    supervisors = list(range(1, SUPERVISORS + 1))
    trainees = list(range(SUPERVISORS + 1, SUPERVISORS + TRAINEES + 1))
    rows = [{"id": i, "email": f"s{i}@bench.test", "name": f"Supervisor {i:02d}", "password_hash": digest,
             "role": "supervisor", "supervisor_id": None, "topics": ["resist-refuse", "co-parenting-conflict", "other"],
             "totp_secret": TOTP_SECRET} for i in supervisors]
    rows += [{"id": t, "email": f"t{t}@bench.test", "name": f"Trainee {t:04d}", "password_hash": digest,
              "role": "trainee", "supervisor_id": supervisor_of(t), "topics": [], "totp_secret": None}
             for t in trainees]
    bulk(User.__table__, rows)
    bulk(SupervisionAgreement.__table__, [{"trainee_id": t, "supervisor_id": supervisor_of(t),
                                           "starts_on": dt.date.today() - dt.timedelta(days=3 * 366)}
                                          for t in trainees])
    return supervisors, trainees


def supervisor_of(trainee_id: int) -> int:
    """Each trainee's primary supervisor."""
    return (trainee_id - SUPERVISORS - 1) % SUPERVISORS + 1


def _hours(trainees: list, entries: int) -> None:
    today, backlog = dt.date.today(), PENDING_PER_SUPERVISOR * SUPERVISORS
    rows = []
    for n in range(entries):
        trainee = trainees[n % TRAINEES]
        status = "pending" if n < backlog else ("rejected" if n % 10 == 0 else "approved")
        rows.append({"trainee_id": trainee, "supervisor_id": supervisor_of(trainee),
                     "date": today - dt.timedelta(days=(n * 7) % 1095), "category": CATEGORIES[n % len(CATEGORIES)],
                     "minutes": 15 * (1 + n % 8), "description": "Structured session work",
                     "status": status, "version": 1, "reason": "Duplicate" if status == "rejected" else None,
                     "decided_by_id": None if status == "pending" else supervisor_of(trainee)})
    bulk(HourEntry.__table__, rows)


def _learning(trainees: list) -> tuple[dict, str]:
    """Modules 1–6 completed, 20,000 submitted attempts, an open attempt on modules 7 and 8 each."""
    modules = db.session.execute(select(Module.id, Module.slug).order_by(Module.position)).all()
    versions = {v.module_id: v for v in db.session.scalars(select(QuizVersion))}
    done_at, rng = dt.datetime.now() - dt.timedelta(days=30), random.Random(7)
    earlier, pool = modules[:-2], modules[-2:]
    bulk(ModuleRead.__table__, [{"user_id": t, "module_id": m.id, "read_at": done_at}
                                for t in trainees for m in modules])
    bulk(ModuleCompletion.__table__, [{"user_id": t, "course_slug": "reunification-protocol", "module_slug": m.slug,
                                       "module_title": m.slug, "credit_minutes": 60, "completed_at": done_at}
                                      for t in trainees for m in earlier])
    attempts, pairs = [], [(t, m) for t in trainees for m in earlier]
    rng.shuffle(pairs)
    for index in range(QUIZ_ATTEMPTS):
        trainee, module = pairs[index % len(pairs)]
        number = index // len(pairs) + 1
        attempts.append(_attempt(trainee, module.id, versions[module.id], number, done_at, passed=number == 1))
    bulk(QuizAttempt.__table__, attempts)
    bulk(QuizAttempt.__table__, [_attempt(t, m.id, versions[m.id], 1, None, passed=None)
                                 for t in trainees for m in pool])
    slugs = {m.id: m.slug for m in pool}
    opened = db.session.execute(select(QuizAttempt.id, QuizAttempt.user_id, QuizAttempt.module_id).where(
        QuizAttempt.submitted_at.is_(None))).all()
    return [(a.id, a.user_id, slugs[a.module_id]) for a in opened]


def _attempt(trainee: int, module_id: int, version: QuizVersion, number: int, at, passed) -> dict:
    order = {q["id"]: [c["id"] for c in q["choices"]] for q in version.questions}
    right = {q["id"]: [c["id"] for c in q["choices"] if c["correct"]] for q in version.questions}
    submitted = at is not None
    return {"user_id": trainee, "module_id": module_id, "quiz_version_id": version.id, "number": number,
            "choice_order": order, "started_at": at or dt.datetime.now(), "submitted_at": at,
            "answers": right if submitted else None, "score": len(right) if submitted else None,
            "total": len(right), "passed": passed}


def _certificates(trainees: list) -> str:
    codes = [f"BENCHCODE{n:07d}" for n in range(CERTIFICATES)]  # 16 characters, like issued codes
    bulk(CourseCompletion.__table__, [{"user_id": t, "course_slug": "reunification-protocol",
                                       "course_title": "The Reunification Protocol",
                                       "completed_at": dt.datetime.now()} for t in trainees[:CERTIFICATES]])
    bulk(Certificate.__table__, [{"user_id": t, "program_id": "reunification-foundations",
                                  "program_title": "Foundations Certificate in Reunification Practice",
                                  "holder_name": f"Trainee {t:04d}", "code": code, "completed_on": dt.date.today(),
                                  "supervisor_name": f"Supervisor {supervisor_of(t):02d}",
                                  "storage_key": f"certificates/{code}", "content_hash": "0" * 64}
                                 for t, code in zip(trainees, codes)])
    return codes[len(codes) // 2]


QUESTION = ("The child, 11, refuses the Tuesday visits with the father and repeats phrases the mother uses. "
            "How do I pace the next conjoint session without pushing the child past what feels safe?")
SUMMARY = ("Court-ordered reunification after eight months of no contact. The GAL reports the child is "
           "anxious before handovers; no safety findings in the custody evaluation.")
REPLIES = ("Start with a short structured activity and end it while it is still going well.",
           "Thank you. Should the mother be told what we planned, or kept out of it?",
           "Tell both parents the plan in writing, in the same words, so nobody carries messages.")


def _consultations(trainees: list) -> int:
    """Consultations between trainees and their supervisors, each with a question and three replies."""
    now = dt.datetime.now()
    rows = []
    for n in range(CONSULTATIONS):
        trainee = trainees[n % TRAINEES]
        status = ("open", "answered", "closed")[n % 3]
        created = now - dt.timedelta(hours=n)
        rows.append({"id": n + 1, "trainee_id": trainee, "supervisor_id": supervisor_of(trainee),
                     "question": QUESTION, "summary": SUMMARY, "topics": ["resist-refuse"], "urgent": False,
                     "status": status, "removed": {"person": 2}, "route_rule": "own-supervisor",
                     "route_reason": "The trainee's own supervisor covers this topic and has room.",
                     "assigned_at": created, "due_at": created + dt.timedelta(days=3), "created_at": created,
                     "updated_at": created, "closed_at": created if status == "closed" else None,
                     "closed_by_id": trainee if status == "closed" else None, "version": 1})
    bulk(Consultation.__table__, rows)
    bulk(Message.__table__, [{"consultation_id": row["id"], "body": body, "removed": {},
                              "author_id": row["supervisor_id"] if index % 2 == 0 else row["trainee_id"],
                              "created_at": row["created_at"] + dt.timedelta(minutes=index + 1)}
                             for row in rows for index, body in enumerate(REPLIES)])
    return rows[len(rows) // 2]["id"]


def seed(url: str, entries: int, folder: str, report=print) -> Seeded:
    """Rebuild the database at url with the scale data; returns what the benchmark needs."""
    app = create_app(bench_settings(url, folder))
    with app.app_context():
        started = time.perf_counter()
        db.drop_all()
        db.create_all()
        sync_courses(ROOT / "courses")
        db.session.commit()
        report(f"  schema and courses: {time.perf_counter() - started:.1f} s")
        timed = time.perf_counter()
        supervisors, trainees = _people()
        _hours(trainees, entries)
        db.session.commit()
        report(f"  {SUPERVISORS + TRAINEES:,} people and {entries:,} hour entries: {time.perf_counter() - timed:.1f} s")
        timed = time.perf_counter()
        open_attempts = _learning(trainees)
        code = _certificates(trainees)
        consultation = _consultations(trainees)
        db.session.commit()
        report(f"  {QUIZ_ATTEMPTS:,} quiz attempts, {len(open_attempts):,} open, {CERTIFICATES} certificates, "
               f"{CONSULTATIONS:,} consultations with threads: {time.perf_counter() - timed:.1f} s")
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                for table in ("users", "consultations"):  # rows were given ids: move the sequences past them
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                      f"(SELECT max(id) FROM {table}))"))
                conn.execute(text("ANALYZE"))
        db.session.remove()
        db.engine.dispose()
    return Seeded(supervisors, trainees, open_attempts, code, consultation)


def current_code() -> str:
    """The bench supervisors' current sign-in code."""
    return pyotp.TOTP(TOTP_SECRET).now()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a database the script may wipe")
    parser.add_argument("--entries", type=int, default=200_000)
    args = parser.parse_args()
    import tempfile
    started = time.perf_counter()
    seed(args.database, args.entries, tempfile.mkdtemp(prefix="bench-uploads-"))
    print(f"seeded in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
