"""SQLite, the default, under 30 concurrent writers through gunicorn: no lock errors, nothing lost or doubled.

bench/sqlite_writers.py runs the same for 30 seconds and prints the figures.
"""
import threading
import time
from collections import Counter

import requests
from sqlalchemy import func, select

from tests.conftest import app_settings
from tests.integrity import writers
from trainer import audit, create_app
from trainer.audit import AuditEvent
from trainer.extensions import db

WRITERS, SECONDS = 30, 4


def test_thirty_writers_lose_nothing_and_double_nothing(tmp_path):
    with writers.sqlite_site(tmp_path) as (base, url, (supervisor_id, trainees)):
        tally = writers.run(base, writers.sign_in_all(base, trainees), supervisor_id, WRITERS, SECONDS)
    assert tally.failures == [], Counter(tally.failures)
    assert len(tally.acknowledged) > WRITERS  # every writer got through, many times
    assert writers.stored_shapes(url) == Counter(tally.acknowledged)


def refused_reads(base: str, cookies: dict, seconds: float, statuses: list) -> None:
    """A trainee asks for the supervisors' queue over and over; each answer's status is kept."""
    http, deadline = requests.Session(), time.monotonic() + seconds
    http.cookies.update(cookies)
    while time.monotonic() < deadline:
        statuses.append(http.get(base + "/supervise/hours", allow_redirects=False, timeout=30).status_code)


def test_refusals_on_get_are_recorded_while_thirty_writers_write(tmp_path):
    """A GET's audit event takes the write lock like a POST: no lock errors, none lost."""
    statuses = []
    with writers.sqlite_site(tmp_path) as (base, url, (supervisor_id, trainees)):
        logins = writers.sign_in_all(base, trainees)
        cookies = next(iter(logins.values()))[0]
        readers = [threading.Thread(target=refused_reads, args=(base, cookies, SECONDS, statuses)) for _ in range(5)]
        for reader in readers:
            reader.start()
        tally = writers.run(base, logins, supervisor_id, WRITERS, SECONDS)
        for reader in readers:
            reader.join()
    assert tally.failures == [], Counter(tally.failures)
    assert statuses and Counter(statuses) == {403: len(statuses)}
    app = create_app(app_settings(tmp_path, DATABASE_URL=url))
    with app.app_context():
        denied = db.session.scalar(select(func.count()).where(AuditEvent.action == "access.denied"))
        assert denied == len(statuses) and audit.verify().ok
        db.engine.dispose()
