"""A mixed load with locust: simulated trainees and supervisors against gunicorn on PostgreSQL.

    python bench/load.py [--users 100] [--seconds 60] [--database postgresql://…/bench_load]

Wipes the database (creating it when missing) and seeds bench/seed_scale.py's
clinic with fewer hour entries, plus an admin and a published vignette with a
PDF. Serves the site under gunicorn with bench/run.py's settings (two sync
workers) and runs bench/locustfile.py headless: trainees open their dashboard
and hours log, log hours, submit quizzes and download the PDF; supervisors
open their dashboard and approve entries from the sign-off queue with their
password. Prints per action: requests, failures, p50/p95/p99 in ms; then the
totals with 5xx answers and connection errors, and whether the audit chain
still verifies. Exits 1 on any 5xx, connection error or broken chain.
"""
import argparse
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from bench import seed_scale  # noqa: E402
from bench.run import Gunicorn, Sessions, ensure_database, quiz_pool  # noqa: E402
from trainer import audit, create_app  # noqa: E402
from trainer.extensions import db  # noqa: E402

ENTRIES = 20_000
SPAWN_PER_SECOND = 50  # everyone is on within two seconds; the rest of the run is at full load


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed_download(app) -> str:
    """An admin publishes the demo vignette with its PDF; returns the file's download path."""
    from trainer.auth.services import create_account
    from trainer.vignettes import publishing, services
    from trainer.vignettes.demo import DEMO_TEXT, referral_pdf
    from trainer.vignettes.drafts import draft_of
    from trainer.vignettes.uploads import Upload
    with app.app_context():
        admin = create_account("admin@bench.test", "Bench Admin", "admin", seed_scale.PASSWORD)
        db.session.commit()
        vignette = publishing.create_vignette(admin, DEMO_TEXT, [Upload(io.BytesIO(referral_pdf()), "Referral.pdf")])
        draft = draft_of(vignette)
        publishing.decide(admin, vignette, draft.revision, {i: "redact" for i in range(len(draft.findings))})
        publishing.publish(admin, vignette, draft_of(vignette).revision)
        path = f"/vignettes/{vignette.slug}/files/{services.visible_attachments(vignette)[0].id}"
        db.session.remove()
    return path


def write_plan(app, seeded: seed_scale.Seeded, folder: Path, download: str, users: int) -> Path:
    """The cookies, tokens and paths the locustfile reads."""
    sessions = Sessions(app)
    trainees = seeded.trainee_ids[:users]
    plan = {
        "trainees": [{"cookie": sessions.cookie(t), "supervisor_id": seed_scale.supervisor_of(t)} for t in trainees],
        "supervisors": [{"cookie": sessions.cookie(s)} for s in seeded.supervisor_ids],
        "form_token": sessions.form_token(), "password": seed_scale.PASSWORD, "download": download,
        "quiz_pool": str(quiz_pool(app, seeded, sessions, folder)),
    }
    path = folder / "plan.json"
    path.write_text(json.dumps(plan))
    return path


def site_environment(settings: dict) -> dict:
    """bench/run.py's settings, but rate limits stay on: each simulated person has an address of its own."""
    env = {key: str(value) for key, value in settings.items() if key != "PASSWORD_HASH_METHOD"}
    return {**env, "REDIS_URL": "", "MAIL_SERVER": "", "RATELIMIT_ENABLED": "true", "BEHIND_PROXY": "true"}


def check_download(site: Gunicorn, plan_path: Path) -> None:
    """Fail before the run, not in its figures, when a trainee cannot fetch the file."""
    plan = json.loads(plan_path.read_text())
    response = requests.get(site.url + plan["download"], headers={"Cookie": plan["trainees"][0]["cookie"]},
                            allow_redirects=False, timeout=10)
    if response.status_code != 200:
        raise RuntimeError(f"the attachment download answered {response.status_code} before the run")


def run_locust(site: Gunicorn, plan: Path, users: int, seconds: int, folder: Path) -> dict:
    """Locust in a process of its own (gevent patches what it imports); returns its report."""
    report, log = folder / "report.json", folder / "locust.log"
    with open(log, "wb") as output:  # locust exits 1 on any failure; the report says which
        subprocess.run([sys.executable, "-m", "locust", "-f", str(BENCH / "locustfile.py"), "--headless",
                        "--users", str(users), "--spawn-rate", str(SPAWN_PER_SECOND), "--run-time", f"{seconds}s",
                        "--host", site.url, "--only-summary", "--loglevel", "WARNING"],
                       env={**os.environ, "LOAD_PLAN": str(plan), "LOAD_REPORT": str(report)}, cwd=ROOT,
                       stdout=output, stderr=subprocess.STDOUT, check=False)
    if not report.exists():
        raise RuntimeError(f"locust wrote no report:\n{log.read_text()[-3000:]}")
    return json.loads(report.read_text())


def print_report(report: dict, users: int, seconds: int) -> None:
    """One line per action, then the totals."""
    for name, row in report["actions"].items():
        print(f"action={name} requests={row['requests']} failures={row['failures']} "
              f"p50_ms={row['p50_ms']:.0f} p95_ms={row['p95_ms']:.0f} p99_ms={row['p99_ms']:.0f}")
    print(f"total users={users} seconds={seconds} requests={report['requests']} failures={report['failures']} "
          f"rps={report['rps']:.1f} http_5xx={report['http_5xx']} connection_errors={report['connection_errors']}")
    for kind, count in report["failure_kinds"].items():
        print(f"# failure x{count}: {kind}")


def chain_verifies(url: str, folder: Path) -> bool:
    """Check the audit chain after the run and print what was found."""
    app = create_app(seed_scale.bench_settings(url, str(folder / "uploads")))
    with app.app_context():
        report = audit.verify()
        db.session.remove()
        db.engine.dispose()
    print(f"audit_chain={'ok' if report.ok else 'BROKEN'} events={report.events}"
          + "".join(f"\n# {problem}" for problem in report.problems[:10]))
    return report.ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--database", default=os.environ.get(
        "LOAD_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench_load"))
    args = parser.parse_args()
    ensure_database(args.database)
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        folder = Path(tmp)
        settings = seed_scale.bench_settings(args.database, str(folder / "uploads"))
        print(f"# seeding {ENTRIES:,} hour entries", flush=True)
        seeded = seed_scale.seed(args.database, ENTRIES, settings["UPLOAD_FOLDER"], report=lambda line: print("#" + line))
        app = create_app(settings)
        plan = write_plan(app, seeded, folder, seed_download(app), args.users)
        site = Gunicorn("app:app", site_environment(settings), ROOT, free_port())
        try:
            check_download(site, plan)
            print(f"# {args.users} users for {args.seconds} s against {site.url}", flush=True)
            report = run_locust(site, plan, args.users, args.seconds, folder)
        finally:
            site.stop()
        print_report(report, args.users, args.seconds)
        intact = chain_verifies(args.database, folder)
    sys.exit(0 if intact and not report["http_5xx"] and not report["connection_errors"] else 1)


if __name__ == "__main__":
    main()
