"""Benchmark: the trainee dashboard and the supervisor queue at 2,000 and 200,000 hour entries.

Run: /path/to/python bench/hours_dashboard.py [--database postgresql://…] [--requests 200]

It fills its own PostgreSQL database (dropped and rebuilt per size; default
BENCH_DATABASE_URL or postgresql://postgres@127.0.0.1:5432/hours_bench) with
1,000 trainees and 60 supervisors in bulk (Core executemany), then times
requests through the Flask test client (median after a warm-up) next to a
bare Flask route, and prints the per-request cost, SQL statements per request,
and the ratio between the two sizes (target: at most 1.3).

The history grows with N while the sign-off backlog does not: each supervisor
has 20 pending entries at either size (supervisors clear their queues), and
every other entry is decided. So the queue shows the same rows at both sizes
and the ratio measures what 100 times more history costs the queries.
"""
import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask  # noqa: E402
from sqlalchemy import Engine, event, insert, text  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from trainer import create_app  # noqa: E402
from trainer.auth.models import SupervisionAgreement, User  # noqa: E402
from trainer.extensions import db  # noqa: E402
from trainer.hours.models import HourEntry  # noqa: E402
from trainer.learn.models import CourseCompletion, ModuleCompletion  # noqa: E402

TRAINEES, SUPERVISORS = 1_000, 60
SIZES = (2_000, 200_000)
PASSWORD = "bench-password-long-enough"
CATEGORIES = ("conjoint", "individual-child", "individual-parent", "co-parenting", "family", "collateral",
              "court", "individual-supervision", "group-supervision", "consultation")
STATUSES = ("approved",) * 9 + ("rejected",)
PENDING_PER_SUPERVISOR = 20
CHUNK = 10_000


def make_app(url: str) -> Flask:
    return create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True, "WTF_CSRF_ENABLED": False,
                       "RATELIMIT_ENABLED": False, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                       "UPLOAD_FOLDER": tempfile.mkdtemp(prefix="bench-uploads-"), "MAIL_SERVER": None})


def bulk(table, rows) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(table), rows[start:start + CHUNK])


def fill(entries: int) -> None:
    """Rebuild the schema and insert people, agreements, learning rows and entries in bulk."""
    db.drop_all()
    db.create_all()
    digest = generate_password_hash(PASSWORD, "pbkdf2:sha256:1000")
    people = [{"id": i + 1, "email": f"s{i}@bench.test", "name": f"Supervisor {i:02d}", "password_hash": digest,
               "role": "supervisor", "topics": []} for i in range(SUPERVISORS)]
    people += [{"id": SUPERVISORS + i + 1, "email": f"t{i}@bench.test", "name": f"Trainee {i:04d}",
                "password_hash": digest, "role": "trainee", "supervisor_id": i % SUPERVISORS + 1, "topics": []}
               for i in range(TRAINEES)]
    bulk(User.__table__, people)
    trainee_ids = [SUPERVISORS + i + 1 for i in range(TRAINEES)]
    bulk(SupervisionAgreement.__table__, [{"trainee_id": t, "supervisor_id": (t - SUPERVISORS - 1) % SUPERVISORS + 1,
                                           "starts_on": dt.date(2023, 1, 1)} for t in trainee_ids])
    done = dt.datetime(2025, 6, 1)
    bulk(ModuleCompletion.__table__, [{"user_id": t, "course_slug": "reunification-protocol", "module_slug": f"m{m}",
                                       "module_title": f"Module {m}", "credit_minutes": 75, "completed_at": done}
                                      for t in trainee_ids for m in range(8)])
    bulk(CourseCompletion.__table__, [{"user_id": t, "course_slug": "reunification-protocol",
                                       "course_title": "The Reunification Protocol", "completed_at": done}
                                      for t in trainee_ids[::2]])
    today = dt.date.today()
    rows, backlog = [], PENDING_PER_SUPERVISOR * SUPERVISORS
    for n in range(entries):
        trainee = trainee_ids[n % TRAINEES]
        status = "pending" if n < backlog else STATUSES[(n // TRAINEES) % len(STATUSES)]
        rows.append({"trainee_id": trainee, "supervisor_id": (trainee - SUPERVISORS - 1) % SUPERVISORS + 1,
                     "date": today - dt.timedelta(days=(n * 7) % 700), "category": CATEGORIES[n % len(CATEGORIES)],
                     "minutes": 15 * (1 + n % 8), "description": "Bench entry: structured session work",
                     "status": status, "version": 1, "decided_by_id": None if status == "pending" else 1})
    bulk(HourEntry.__table__, rows)
    db.session.commit()
    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))


PLANS = {
    "dashboard aggregate": "SELECT category, status, sum(minutes) FROM hour_entries WHERE trainee_id = 561 "
                           "GROUP BY category, status",
    "queue": "SELECT * FROM hour_entries WHERE supervisor_id = 21 AND status = 'pending' ORDER BY date, id LIMIT 100",
}


def _indexes(sql: str) -> list[str]:
    """The index names in the query's plan."""
    lines = db.session.execute(text("EXPLAIN " + sql)).scalars().all()
    return sorted({word for line in lines for word in line.replace("(", " ").split() if word.startswith("ix_")})


class Counter:
    """SQL statements issued while active."""

    def __init__(self):
        self.count = 0

    def __call__(self, *_args):
        self.count += 1


def measure(client, path: str, requests: int, warmup: int = 50) -> tuple[float, int]:
    """Median milliseconds per request after a warm-up, and statements per request."""
    for _ in range(warmup):
        assert client.get(path).status_code == 200, path
    counter = Counter()
    event.listen(Engine, "before_cursor_execute", counter)
    try:
        client.get(path)
    finally:
        event.remove(Engine, "before_cursor_execute", counter)
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), counter.count


def signed_in(app: Flask, email: str):
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def baseline(requests: int) -> float:
    """A bare Flask route through its test client, for scale."""
    bare = Flask("bare")
    bare.add_url_rule("/", "index", lambda: "ok")
    return measure(bare.test_client(), "/", requests)[0]


def run_size(url: str, entries: int, requests: int) -> dict:
    app = make_app(url)
    with app.app_context():
        started = time.perf_counter()
        fill(entries)
        filled = time.perf_counter() - started
        plans = {name: _indexes(sql) for name, sql in PLANS.items()}
    trainee, supervisor = signed_in(app, "t500@bench.test"), signed_in(app, "s20@bench.test")
    dash_ms, dash_sql = measure(trainee, "/", requests)
    log_ms, log_sql = measure(trainee, "/hours", requests)
    queue_ms, queue_sql = measure(supervisor, "/supervise/hours", requests)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return {"entries": entries, "fill_s": filled, "dashboard": (dash_ms, dash_sql), "log": (log_ms, log_sql),
            "queue": (queue_ms, queue_sql), "plans": plans}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/hours_bench"))
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    if not args.database.startswith("postgresql"):
        sys.exit("The benchmark needs PostgreSQL (its own database: it drops every table).")
    base = baseline(args.requests)
    results = [run_size(args.database, n, args.requests) for n in SIZES]
    print(f"{TRAINEES} trainees, {SUPERVISORS} supervisors; median of {args.requests} requests after warm-up")
    print(f"bare Flask route: {base:.2f} ms/request")
    print(f"{'entries':>9} {'fill s':>7} {'page':<18} {'ms/req':>8} {'x bare':>7} {'SQL/req':>8}")
    for r in results:
        for page, label in (("dashboard", "/ (dashboard)"), ("log", "/hours"), ("queue", "/supervise/hours")):
            ms, sql = r[page]
            print(f"{r['entries']:>9,} {r['fill_s']:>7.1f} {label:<18} {ms:>8.2f} {ms / base:>7.1f} {sql:>8}")
    small, large = results
    for page in ("dashboard", "log", "queue"):
        ratio = large[page][0] / small[page][0]
        print(f"ratio {SIZES[1]:,}/{SIZES[0]:,} entries, {page}: {ratio:.2f} ({'ok' if ratio <= 1.3 else 'ABOVE 1.3'})")
    for name, indexes in large["plans"].items():
        print(f"indexes the {name} query uses at {SIZES[1]:,} entries: {', '.join(indexes) or 'none'}")


if __name__ == "__main__":
    main()
