"""Faults injected into a running site, each followed by `flask check` (trainer.integrity), which must find
nothing: workers killed mid-write, the object store stopped, the database cut off, a full upload disk."""
import datetime as dt
import io
import itertools
import os
import re
import signal
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import requests
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from tests.conftest import DATABASE_URL, TEST_PASSWORD, current_code, login
from tests.integrity import writers
from tests.integrity.conftest import CSRF, Browser, start_gunicorn, stop_gunicorn
from tests.services import Gate, MotoServer
from tests.vignettes import samples
from tests.vignettes.conftest import vtext
from trainer import integrity
from trainer.audit import AuditEvent
from trainer.certificates.models import Certificate
from trainer.extensions import db
from trainer.hours import services as hours
from trainer.hours.models import EntryStatus, HourEntry
from trainer.hours.signoff import decide_entries
from trainer.learn.models import CourseCompletion, Vignette
from trainer.vignettes import publishing
from trainer.vignettes.models import Attachment, PendingDeletion

RUN_SECONDS, KILL_EVERY, WARM = 8, 0.5, 2.0
PICK = re.compile(r'name="entries" value="(\d+:\d+)"')
NEW = "/admin/vignettes/new"
STORE_DOWN = "so nothing was saved. Try again in a moment."


def assert_consistent() -> integrity.Report:
    """Run the admin's consistency check on what the site left behind; it must find nothing."""
    db.session.rollback()
    report = integrity.run_check()
    assert report.ok, [str(finding) for finding in report.findings]
    print(report.summary())
    return report


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


# --- workers killed with SIGKILL during writes -------------------------------------------------------------


def worker_ages(master: int) -> list[tuple[float, int]]:
    """(seconds running, pid) of gunicorn's live workers (the master's children), oldest first."""
    now, ticks = float(Path("/proc/uptime").read_text().split()[0]), os.sysconf("SC_CLK_TCK")
    workers = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, ValueError):
            continue
        if int(fields[1]) == master and fields[0] != "Z":
            workers.append((now - int(fields[19]) / ticks, int(stat.parent.name)))
    return sorted(workers, reverse=True)


def kill_workers(master: int, deadline: float) -> int:
    """Every KILL_EVERY seconds, SIGKILL the oldest worker once it has run WARM seconds (so it is serving
    requests, not still booting); returns how many died."""
    killed = 0
    while time.monotonic() < deadline:
        time.sleep(KILL_EVERY)
        workers = worker_ages(master)
        if workers and workers[0][0] >= WARM:
            os.kill(workers[0][1], signal.SIGKILL)
            killed += 1
    return killed


@dataclass
class Seen:
    """What one client (one thread) saw while workers died: answers by status, and connections cut."""

    statuses: Counter = field(default_factory=Counter)
    cut: int = 0

    def send(self, method, url: str, **kwargs) -> requests.Response | None:
        """Make a request; a worker dying under it cuts the connection, which is counted, not raised."""
        try:
            response = method(url, allow_redirects=False, timeout=30, **kwargs)
        except requests.RequestException:
            self.cut += 1
            return None
        self.statuses[response.status_code] += 1
        return response


def signed_in(base: str, user) -> Browser:
    """A client signed in through the real forms, with a TOTP code where the role needs one."""
    browser, email = Browser(base), user.email
    step = browser.form_post("/login", {"email": email, "password": TEST_PASSWORD})
    if step.headers.get("Location", "").endswith("/login/code"):
        db.session.rollback()  # on SQLite, a snapshot older than the site's last write could not write
        browser.form_post("/login/code", {"code": current_code(email)})
    return browser


def approve_until(http: requests.Session, base: str, deadline: float, seen: Seen) -> None:
    """Sign what waits, in small batches; every third batch is a rejection."""
    for batch in itertools.count():
        if time.monotonic() >= deadline:
            return
        page = seen.send(http.get, base + "/supervise/hours")
        picks = PICK.findall(page.text)[:8] if page is not None and page.ok else []
        if picks:
            reject = batch % 3 == 2
            seen.send(http.post, base + "/supervise/hours", data={
                "csrf_token": CSRF.search(page.text).group(1), "entries": picks, "password": TEST_PASSWORD,
                "decision": "reject" if reject else "approve", "scope": "selected",
                "reason": "Logged twice; keep the other entry." if reject else ""})
        time.sleep(0.3)  # below the sign-off form's 30-a-minute limit


def upload_until(http: requests.Session, base: str, vignette_ids: list[int], deadline: float, seen: Seen) -> None:
    """Add one PDF at a time to the draft vignettes, in turn."""
    for vignette_id in itertools.cycle(vignette_ids):
        if time.monotonic() >= deadline:
            return
        page = seen.send(http.get, f"{base}/admin/vignettes/{vignette_id}")
        if page is not None and page.ok:
            seen.send(http.post, f"{base}/admin/vignettes/{vignette_id}/attachments",
                      files={"attachments": ("letter.pdf", samples.PDF, "application/pdf")},
                      data={"csrf_token": CSRF.search(page.text).group(1)})


def test_workers_killed_during_writes_leave_nothing_half_done(app, make_user, admin, tmp_path):
    supervisor = make_user("supervisor")
    trainees = {t.id: t.email for t in (make_user("trainee", supervisor=supervisor) for _ in range(2))}
    drafts = [publishing.create_vignette(admin, vtext(title=f"The handover, part {n}"), []).id for n in range(6)]
    process, base = start_gunicorn(DATABASE_URL, tmp_path, workers=3)
    try:
        logins = writers.sign_in_all(base, trainees)
        as_supervisor, as_admin = signed_in(base, supervisor), signed_in(base, admin)  # before the writes begin
        signing, uploading = Seen(), Seen()
        deadline = time.monotonic() + RUN_SECONDS
        with ThreadPoolExecutor(4) as pool:
            runs = [pool.submit(writers.run, base, logins, supervisor.id, 4, RUN_SECONDS),
                    pool.submit(kill_workers, process.pid, deadline),
                    pool.submit(approve_until, as_supervisor, base, deadline, signing),
                    pool.submit(upload_until, as_admin, base, drafts, deadline, uploading)]
        tally, killed, *_ = [run.result() for run in runs]  # result() also raises what a thread raised
    finally:
        stop_gunicorn(process)
    db.session.rollback()
    assert_every_write_whole(tally)
    assert not [s for seen in (signing, uploading) for s in seen.statuses if s >= 500]
    decided = db.session.scalar(select(func.count(HourEntry.id)).where(HourEntry.status != EntryStatus.PENDING))
    assert killed >= 4 and decided and count(Attachment), (killed, decided)
    report = assert_consistent()
    print(f"SIGKILL: {killed} workers killed; {len(tally.acknowledged)} entries acknowledged, "
          f"{count(HourEntry)} stored, {decided} decided, {count(Attachment)} attachments; connections cut: "
          f"{Counter(tally.failures)} logging, {signing.cut} signing, {uploading.cut} uploading; "
          f"check: {len(report.findings)} problems")


def assert_every_write_whole(tally: writers.Tally) -> None:
    """Acknowledged entries are stored once, nothing is stored twice, and each has its audit event."""
    assert not [f for f in tally.failures if f[:1].isdigit()], Counter(tally.failures)  # cut, never answered wrong
    stored = Counter((e.trainee_id, e.date, e.category, e.minutes) for e in db.session.scalars(select(HourEntry)))
    assert all(stored[shape] == 1 for shape in tally.acknowledged) and max(stored.values()) == 1
    logged = Counter(db.session.scalars(select(AuditEvent.target).where(AuditEvent.action == "hours.logged")))
    assert {f"hour_entries:{e_id}" for e_id in db.session.scalars(select(HourEntry.id))} == set(logged)
    assert max(logged.values()) == 1


# --- the object store stopped, and started again ----------------------------------------------------------


def new_vignette(client, title: str):
    text = vtext(title=title)
    return client.post(NEW, content_type="multipart/form-data", data={
        "title": text.title, "family": text.family, "presenting_issue": text.presenting_issue,
        "topics": list(text.topics), "age_band": text.age_band, "difficulty": text.difficulty,
        "court_stage": text.court_stage, "questions": "\n".join(text.questions), "body": text.body,
        "attachments": [(io.BytesIO(samples.PDF), "Referral letter.pdf")]})


def qualify(trainee, supervisor) -> None:
    """Meet the foundations program through the real rules: hours logged and signed, the course completed."""
    with current_app.test_request_context():
        for category, minutes in (("conjoint", 600), ("conjoint", 600), ("individual-supervision", 360)):
            hours.log_hours(trainee, hours.EntryData(date=dt.date.today() - dt.timedelta(days=1),
                                                     category=category, minutes=minutes,
                                                     supervisor_id=supervisor.id,
                                                     description="Structured session practice"))
        waiting = db.session.scalars(select(HourEntry).where(HourEntry.trainee_id == trainee.id)).all()
        decide_entries(supervisor, TEST_PASSWORD, [(e.id, e.version) for e in waiting], "approve")
    db.session.add(CourseCompletion(user_id=trainee.id, course_slug="reunification-protocol",
                                    course_title="The Reunification Protocol"))
    db.session.commit()


class Bucket:
    """The test's bucket on a moto server that this test stops and starts.

    moto keeps objects in memory only, so a restart empties it; a real store keeps them,
    so `restore` puts back what the bucket held before the stop.
    """

    def __init__(self, server: MotoServer, name: str = "outage"):
        self.server, self.name, self.kept = server, name, {}
        self._client().create_bucket(Bucket=name)

    def _client(self):
        return boto3.client("s3", endpoint_url=self.server.url, region_name="us-east-1")

    def stop(self) -> None:
        client = self._client()
        for item in client.list_objects_v2(Bucket=self.name).get("Contents", []):
            self.kept[item["Key"]] = client.get_object(Bucket=self.name, Key=item["Key"])["Body"].read()
        self.server.stop()

    def restart(self) -> None:
        self.server.start()
        client = self._client()
        client.create_bucket(Bucket=self.name)
        for key, body in self.kept.items():
            client.put_object(Bucket=self.name, Key=key, Body=body)


def claim(client) -> str:
    return client.post("/certificates/claim", data={"program": "reunification-foundations"},
                       follow_redirects=True).text


def test_the_object_store_stopping_gives_clean_errors_and_recovers_without_a_restart(
        make_app, app, admin, trainee, supervisor, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    bucket = Bucket(MotoServer().start())
    try:
        site = make_app(STORAGE_BACKEND="s3", S3_BUCKET=bucket.name, S3_ENDPOINT_URL=bucket.server.url)
        qualify(trainee, supervisor)
        as_admin, as_trainee = site.test_client(), site.test_client()
        login(as_admin, admin), login(as_trainee, trainee)
        assert new_vignette(as_admin, "Before the outage").status_code == 302
        bucket.stop()
        refused = new_vignette(as_admin, "During the outage")
        assert refused.status_code == 503 and f"could not save “Referral letter.pdf”, {STORE_DOWN}" in refused.text
        assert (count(Vignette), count(Attachment), count(PendingDeletion)) == (1, 1, 1)  # its key, queued
        assert "The certificate could not be stored just now, so it was not issued." in claim(as_trainee)
        assert count(Certificate) == 0
        assert_site_works_without_the_store(as_admin, as_trainee, supervisor)
        bucket.restart()
        assert new_vignette(as_admin, "After the outage").status_code == 302
        assert (count(Attachment), count(PendingDeletion)) == (2, 0)  # the queued key was swept
        assert "Your certificate is ready" in claim(as_trainee)
        with site.app_context():
            report = assert_consistent()
    finally:
        bucket.server.stop()
    print(f"S3 stopped: 1 upload and 1 certificate refused cleanly, 1 key queued and swept; "
          f"check: {len(report.findings)} problems")


def assert_site_works_without_the_store(as_admin, as_trainee, supervisor) -> None:
    for client, path in ((as_trainee, "/"), (as_trainee, "/hours"), (as_trainee, "/vignettes"),
                         (as_admin, "/admin/vignettes"), (as_admin, "/")):
        assert client.get(path).status_code == 200, path
    logged = as_trainee.post("/hours/new", data={"date": dt.date.today().isoformat(), "category": "conjoint",
                                                 "minutes": 60, "supervisor": supervisor.id,
                                                 "description": "Structured session practice"})
    assert logged.status_code == 302


# --- the database unreachable ----------------------------------------------------------------------------


def healthz(base: str) -> int:
    return requests.get(base + "/healthz", timeout=10).status_code


def an_hour(supervisor, days_ago: int) -> dict:
    return {"date": (dt.date.today() - dt.timedelta(days=days_ago)).isoformat(), "category": "conjoint",
            "minutes": 60, "supervisor": supervisor.id, "description": "Structured session practice"}


def test_the_database_cut_off_gives_503_from_healthz_and_recovers(postgres_only, app, trainee, supervisor,
                                                                   tmp_path):
    target = make_url(DATABASE_URL)
    gate = Gate(target.port or 5432).open()
    cut_off_url = target.set(host="127.0.0.1", port=gate.port).render_as_string(hide_password=False)
    process, base = start_gunicorn(cut_off_url, tmp_path, workers=2)
    try:
        http = signed_in(base, trainee)
        assert http.form_post("/hours/new", an_hour(supervisor, 1)).status_code == 302
        write_later = http.prepared_post("/hours/new", an_hour(supervisor, 2))
        gate.shut()
        down, page, refused = [healthz(base) for _ in range(6)], http.get(base + "/hours"), write_later()
        gate.open()
        up = [healthz(base) for _ in range(6)]
        after, logged = http.get(base + "/hours"), http.form_post("/hours/new", an_hour(supervisor, 3))
    finally:
        stop_gunicorn(process)
        gate.shut()
    assert down == [503] * 6 and up == [200] * 6, (down, up)
    for response in (page, refused):
        assert response.status_code == 503 and "The site&#39;s database is not answering" in response.text
    assert after.status_code == 200 and logged.status_code == 302  # the same sign-in, on fresh connections
    assert count(HourEntry) == 2
    report = assert_consistent()
    print(f"database cut: healthz {Counter(down)} while cut, {Counter(up)} after; a page and a write got 503; "
          f"check: {len(report.findings)} problems")


# --- a full upload disk ----------------------------------------------------------------------------------


def test_a_full_upload_disk_gives_a_clean_error_and_leaves_nothing(make_app, app, admin, full_disk):
    site = make_app(UPLOAD_FOLDER=str(full_disk.folder))
    as_admin = site.test_client()
    login(as_admin, admin)
    full_disk.fill()
    refused = new_vignette(as_admin, "On a full disk")
    assert refused.status_code == 503 and f"could not save “Referral letter.pdf”, {STORE_DOWN}" in refused.text
    assert (count(Vignette), count(Attachment)) == (0, 0)
    assert full_disk.files() == []  # no partial file
    full_disk.free()
    assert new_vignette(as_admin, "After space was freed").status_code == 302
    assert len(full_disk.files()) == count(Attachment) == 1
    with site.app_context():
        report = assert_consistent()
    print(f"full disk ({full_disk.kind}): 1 upload refused cleanly, nothing left behind; "
          f"check: {len(report.findings)} problems")
