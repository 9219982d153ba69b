"""The performance suite: each page of the site against a bare-Flask baseline, under wrk.

    python bench/run.py [--database postgresql://…/bench_trainer] [--seconds 4] [--pairs 3] [--pages a,b]

In one run it seeds the scale data (bench/seed_scale.py), starts the site and
a baseline (bench/baseline.py: a bare Flask app returning a fixed page of the
same size as the page under test) under gunicorn with the same settings, and
drives both with wrk, alternating baseline and site (A B A B A B) after a
warm-up. For each page it prints

    page=<name> rps=<n> p50_ms=<n> p99_ms=<n> ratio=<median of the per-pair site/baseline rps>

first on PostgreSQL with 200,000 hour entries, then once on SQLite. The
dashboard and the supervisor queue are also measured at 2,000 entries, and
their cost at 200,000 against 2,000 is printed (target at most 1.3). Finally
it prints how long create_app() takes in a fresh process. The database given
is wiped; it is created when missing.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from flask import session  # noqa: E402
from flask_login import UserMixin, login_user  # noqa: E402
from itsdangerous import URLSafeTimedSerializer  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from bench import seed_scale, wrk  # noqa: E402
from trainer import create_app  # noqa: E402

WORKERS = 2
CONNECTIONS = 4
THREADS = 2
TARGETS = {"module": 0.30, "catalogue": 0.30, "verify": 0.30, "dashboard": 0.20, "queue": 0.20,
           "thread": 0.20, "quiz_submit": 0.15}


@dataclass(frozen=True)
class Page:
    """A page to measure: how to ask for it, and as whom."""

    name: str
    path: str
    who: str | None  # "trainee", "supervisor" or None (public)


class Gunicorn:
    """An app served by gunicorn with the suite's settings."""

    def __init__(self, target: str, env: dict, cwd: Path, port: int):
        self.url = f"http://127.0.0.1:{port}"
        log = open(Path(tempfile.gettempdir()) / f"bench-gunicorn-{port}.log", "ab")
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(WORKERS), "--worker-class", "sync",
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning", target],
            cwd=cwd, env={**os.environ, **env}, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/0", timeout=5)
                return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError(f"{target} did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


class Sessions:
    """Signed-in cookies and CSRF tokens made with the site's key, as a sign-in would make them."""

    def __init__(self, app):
        self.serializer = app.session_interface.get_signing_serializer(app)
        self.csrf = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token")
        self.client_id = client_id(app)

    def cookie(self, user_id: int, raw_csrf: str = "bench-csrf") -> str:
        now = int(time.time())
        value = self.serializer.dumps({"_user_id": f"{user_id}:0", "_fresh": True, "_id": self.client_id,
                                       "login_at": now, "seen_at": now, "csrf_token": raw_csrf})
        return f"trainer_session={value}"

    def form_token(self, raw_csrf: str = "bench-csrf") -> str:
        return self.csrf.dumps(raw_csrf)


def client_id(app) -> str:
    """What Flask-Login's session protection keeps for a client at 127.0.0.1 that sends no User-Agent,
    as wrk does: with it in the cookie the site has no reason to re-sign the session on each request."""
    class Someone(UserMixin):
        def get_id(self):
            return "0:0"
    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        login_user(Someone())
        return session["_id"]


def quiz_pool(app, seeded: seed_scale.Seeded, sessions: Sessions, folder: Path) -> Path:
    """A file of ready quiz submissions (right answers), one per open attempt."""
    from trainer.extensions import db
    from trainer.learn.models import QuizAttempt
    lines = []
    with app.app_context():
        for attempt_id, trainee_id, module in seeded.open_attempts:
            attempt = db.session.get(QuizAttempt, attempt_id)
            answers = [(f"answer-{q['id']}", c["id"]) for q in attempt.quiz_version.questions
                       for c in q["choices"] if c["correct"]]
            body = urlencode([("csrf_token", sessions.form_token()), ("attempt", attempt_id), *answers])
            lines.append(f"{sessions.cookie(trainee_id)}\t/courses/reunification-protocol/{module}/quiz\t{body}")
        db.session.remove()
    path = folder / "quiz-pool.tsv"
    path.write_text("\n".join(lines) + "\n")
    return path


def reopen_pool(url: str, seeded: seed_scale.Seeded) -> int:
    """Reopen the pool's attempts (and undo the completions they caused); returns how many were used."""
    ids = [a[0] for a in seeded.open_attempts]
    engine = create_engine(driver_url(url))
    with engine.begin() as conn:
        used = conn.execute(text("SELECT count(*) FROM quiz_attempts WHERE submitted_at IS NOT NULL AND id IN "
                                 f"({','.join(map(str, ids))})")).scalar()
        conn.execute(text("UPDATE quiz_attempts SET submitted_at = NULL, answers = NULL, score = NULL, "
                          f"passed = NULL WHERE id IN ({','.join(map(str, ids))})"))
        slugs = ",".join(f"'{slug}'" for slug in sorted({a[2] for a in seeded.open_attempts}))
        conn.execute(text(f"DELETE FROM module_completions WHERE module_slug IN ({slugs})"))
        conn.execute(text("DELETE FROM course_completions WHERE user_id NOT IN (SELECT user_id FROM certificates)"))
    engine.dispose()
    return used


def measure(site: Gunicorn, base: Gunicorn, page: Page, cookies: dict, pool: Path, seconds: float,
            pairs: int, reset) -> tuple[wrk.Run, float]:
    """Warm up, then A B pairs; returns the site's median figures and the median per-pair ratio."""
    posting = page.path == "POST"
    headers = {"Cookie": cookies[page.who]} if page.who else {}
    if posting:
        first = pool.read_text().splitlines()[0].split("\t")
        response = requests.post(site.url + first[1], data=first[2], allow_redirects=False, timeout=10,
                                 headers={"Cookie": first[0], "Content-Type": "application/x-www-form-urlencoded"})
        assert response.status_code == 302, f"quiz submission answered {response.status_code}"
        size, body_bytes = len(response.content), len(first[2])
    else:
        response = requests.get(site.url + page.path, headers=headers, timeout=10)
        assert response.status_code == 200, f"{page.name} answered {response.status_code}"
        size, body_bytes = len(response.content), 0
    env = {**os.environ, "POOL_FILE": str(pool), "POOL_THREADS": str(THREADS), "BODY_BYTES": str(body_bytes)}
    site_args = {"headers": headers, "script": "pool.lua" if posting else None, "env": env}
    base_args = {"script": "post.lua" if posting else None, "env": env}
    target_url, base_url = site.url + ("/" if posting else page.path), f"{base.url}/{size}"
    runs, ratios = [], []
    for pair in range(pairs + 1):  # the first pair warms both up and is not counted
        if posting:
            reset()
        baseline = wrk.run(base_url, seconds if pair else 1, CONNECTIONS, THREADS, **base_args)
        target = wrk.run(target_url, seconds if pair else 1, CONNECTIONS, THREADS, **site_args)
        if pair:
            runs.append(target)
            ratios.append(target.rps / baseline.rps)
    median = wrk.Run(rps=statistics.median(r.rps for r in runs), p50_ms=statistics.median(r.p50_ms for r in runs),
                     p99_ms=statistics.median(r.p99_ms for r in runs), errors=sum(r.errors for r in runs))
    return median, statistics.median(ratios)


def pages(seeded: seed_scale.Seeded) -> list[Page]:
    """The pages the suite measures."""
    return [
        # References, not targets: one `SELECT 1` and no template; then the smallest signed-in page
        # (the person's own row, for session revocation, and a three-field form).
        Page("healthz", "/healthz", None),
        Page("signed_in_floor", "/account/password", "trainee"),
        Page("module", "/courses/reunification-protocol/safety-first", "trainee"),
        Page("catalogue", "/courses", "trainee"),
        Page("dashboard", "/", "trainee"),
        Page("queue", "/supervise/hours", "supervisor"),
        Page("quiz_submit", "POST", None),
        Page("thread", f"/consultations/{seeded.consultation_id}", "trainee"),
        Page("verify", f"/certificates/verify/{seeded.certificate_code}", None),
    ]


def goal(name: str) -> str:
    """What a page's ratio is held to."""
    if name in TARGETS:
        return f"target ≥ {TARGETS[name]:.2f}"
    if name == "healthz":
        return "reference: the floor of any page that asks the database anything"
    return "reference: the floor of any signed-in page"


def run_database(url: str, entries: int, only: set | None, seconds: float, pairs: int, folder: Path,
                 label: str) -> dict:
    """Seed, serve, measure every page (or only some) on one database; returns name -> (run, ratio)."""
    print(f"# {label}: seeding {entries:,} hour entries", flush=True)
    seeded = seed_scale.seed(url, entries, str(folder / "uploads"), report=lambda line: print("#" + line))
    app = create_app(seed_scale.bench_settings(url, str(folder / "uploads")))
    sessions = Sessions(app)
    trainee, supervisor = seeded.trainee_ids[len(seeded.trainee_ids) // 2], seeded.supervisor_ids[0]
    env = {**seed_scale.bench_settings(url, str(folder / "uploads")), "REDIS_URL": "", "MAIL_SERVER": ""}
    env = {key: str(value) for key, value in env.items() if key != "PASSWORD_HASH_METHOD"}
    site = Gunicorn("app:app", env, ROOT, 18080)
    base = Gunicorn("baseline:app", {}, BENCH, 18081)
    results = {}
    try:
        for page in pages(seeded):
            if only and page.name not in only:
                continue
            # Fresh sign-ins per page: a session last seen over a minute ago is re-signed on every
            # request (a browser would keep the refreshed cookie; wrk cannot).
            cookies = {"trainee": sessions.cookie(trainee), "supervisor": sessions.cookie(supervisor)}
            pool = quiz_pool(app, seeded, sessions, folder) if page.path == "POST" else None
            run, ratio = measure(site, base, page, cookies, pool, seconds, pairs, lambda: reopen_pool(url, seeded))
            results[page.name] = (run, ratio)
            print(f"page={page.name} rps={run.rps:.0f} p50_ms={run.p50_ms:.1f} p99_ms={run.p99_ms:.1f} "
                  f"ratio={ratio:.2f}" + (f" errors={run.errors}" if run.errors else "")
                  + f"  [{label}; {goal(page.name)}]", flush=True)
    finally:
        site.stop()
        base.stop()
    return results


def cold_start() -> float:
    """Seconds for `from trainer import create_app; create_app()` in a fresh process (median of 3)."""
    times = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", "import time; t=time.perf_counter(); from trainer import "
                              "create_app; create_app({'SECRET_KEY': 'x'}); print(time.perf_counter()-t)"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
        times.append(float(out.strip().splitlines()[-1]))
    return statistics.median(times)


def driver_url(url: str) -> str:
    """The URL with the driver the site uses (psycopg 3) named, as SQLAlchemy needs it."""
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database when it does not exist."""
    server, name = url.rsplit("/", 1)
    engine = create_engine(driver_url(server + "/postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench_trainer"))
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--pages", help="comma-separated page names to measure (default: all, on both databases)")
    args = parser.parse_args()
    only = set(args.pages.split(",")) if args.pages else None
    started = time.monotonic()
    ensure_database(args.database)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        folder = Path(tmp)
        scaled = {"dashboard", "queue"} & (only or {"dashboard", "queue"})
        small = run_database(args.database, 2_000, scaled, args.seconds, args.pairs, folder,
                             "PostgreSQL, 2,000 entries") if scaled else {}
        large = run_database(args.database, 200_000, only, args.seconds, args.pairs, folder,
                             "PostgreSQL, 200,000 entries")
        for name in sorted(scaled):
            cost = small[name][1] / large[name][1]  # site cost relative to the baseline, 200k over 2k
            print(f"scale page={name} ratio_2k={small[name][1]:.2f} ratio_200k={large[name][1]:.2f} "
                  f"cost_200k_vs_2k={cost:.2f}  [target ≤ 1.30]")
        if not only:
            run_database(f"sqlite:///{folder / 'bench.sqlite3'}", 200_000, None, args.seconds, 1, folder,
                         "SQLite, 200,000 entries")
    print(f"cold_start create_app_s={cold_start():.2f}  [target < 1.00]")
    print(f"# suite took {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
