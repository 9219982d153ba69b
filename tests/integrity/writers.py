"""Many concurrent writers logging hours over HTTP; every acknowledged write is checked afterwards."""
import datetime as dt
import itertools
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

from tests.conftest import TEST_PASSWORD, app_settings
from tests.integrity.conftest import CSRF, start_gunicorn, stop_gunicorn
from trainer import create_app
from trainer.auth import services as accounts
from trainer.extensions import db

CATEGORIES = ("conjoint", "individual-child", "individual-parent", "co-parenting", "family",
              "collateral", "court", "individual-supervision", "group-supervision", "consultation")
MINUTES = tuple(range(15, 721, 15))


@dataclass
class Tally:
    """What the writers saw: acknowledged entries (by their unique shape) and every failure."""

    acknowledged: list = field(default_factory=list)
    failures: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def shapes(trainee_ids, days: int):
    """Distinct (trainee, date, category, minutes) combinations, so each write is identifiable."""
    today = dt.date.today()
    for day, category, minutes in itertools.product(range(1, days + 1), CATEGORIES, MINUTES):
        for trainee_id in trainee_ids:
            yield trainee_id, today - dt.timedelta(days=day), category, minutes


def sign_in(base: str, email: str, password: str) -> tuple[dict, str]:
    """A signed-in cookie jar and a CSRF token for the hours form."""
    session = requests.Session()
    page = session.get(base + "/login").text
    session.post(base + "/login", data={"email": email, "password": password,
                                        "csrf_token": CSRF.search(page).group(1)})
    token = CSRF.search(session.get(base + "/hours/new").text).group(1)
    return session.cookies.get_dict(), token


def run(base: str, logins: dict, supervisor_id: int, writers: int, seconds: float) -> Tally:
    """Writers post new entries for `seconds`; each shape is used once across all writers."""
    tally, source = Tally(), shapes(list(logins), days=365)
    source_lock, deadline = threading.Lock(), time.monotonic() + seconds

    def writer(index: int):
        trainee_ids = list(logins)
        cookies, token = logins[trainee_ids[index % len(trainee_ids)]]
        http = requests.Session()
        http.cookies.update(cookies)
        mine = trainee_ids[index % len(trainee_ids)]
        while time.monotonic() < deadline:
            with source_lock:
                shape = next(s for s in source if s[0] == mine)
            _, day, category, minutes = shape
            try:
                response = http.post(base + "/hours/new", allow_redirects=False, timeout=30, data={
                    "csrf_token": token, "date": day.isoformat(), "category": category, "minutes": minutes,
                    "supervisor": supervisor_id, "description": "Structured session practice"})
            except requests.RequestException as exc:
                with tally.lock:
                    tally.failures.append(type(exc).__name__)
                continue
            with tally.lock:
                if response.status_code == 302:
                    tally.acknowledged.append(shape)
                else:
                    tally.failures.append(f"{response.status_code}")

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


@contextmanager
def sqlite_site(folder: Path, trainees: int = 5, workers: int = 3):
    """A fresh SQLite file with a supervisor and trainees, served by gunicorn: yields (base, url, people)."""
    url = f"sqlite:///{folder / 'site.sqlite3'}"
    app = create_app(app_settings(folder, DATABASE_URL=url))
    with app.app_context():
        db.create_all()
        supervisor = accounts.create_account("sup@example.org", "Sup", "supervisor", TEST_PASSWORD)
        people = [accounts.create_account(f"t{i}@example.org", f"T {i}", "trainee", TEST_PASSWORD)
                  for i in range(trainees)]
        for trainee in people:
            accounts.start_supervision(trainee, supervisor, dt.date(2020, 1, 1))
        db.session.commit()
        found = supervisor.id, {t.id: t.email for t in people}
        db.engine.dispose()
    process, base = start_gunicorn(url, folder, workers=workers)
    try:
        yield base, url, found
    finally:
        stop_gunicorn(process)


def stored_shapes(url: str) -> Counter:
    """How many rows the database holds for each entry shape."""
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT trainee_id, date, category, minutes FROM hour_entries")).all()
    engine.dispose()
    return Counter((t, dt.date.fromisoformat(str(d)), c, m) for t, d, c, m in rows)


def sign_in_all(base: str, trainees: dict) -> dict:
    """Sign every trainee in once; writers share the cookie jars."""
    return {tid: sign_in(base, email, TEST_PASSWORD) for tid, email in trainees.items()}
