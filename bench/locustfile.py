"""Locust people for bench/load.py: trainees and supervisors on their everyday pages.

Reads the plan bench/load.py wrote (LOAD_PLAN: signed-in cookies, a CSRF
token, the quiz-submission pool, the attachment to download) and, when locust
quits, writes each action's figures and the count of 5xx answers and
connection errors to LOAD_REPORT. Each simulated person has an address of
its own (X-Forwarded-For; the site runs behind-proxy), as real people would,
so per-address rate limits apply to each of them and not to all at once.
"""
import itertools
import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
QUIZ_POOL = [line.split("\t") for line in Path(PLAN["quiz_pool"]).read_text().splitlines() if line]
PICK = re.compile(r'name="entries" value="(\d+:\d+)"')
PERCENTILES = {"p50_ms": 0.50, "p95_ms": 0.95, "p99_ms": 0.99}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
errors = Counter()
addresses = itertools.count(1)


@events.request.add_listener
def count_errors(response, exception, **_):
    """5xx answers and requests that got no answer at all (status 0) are what the run must not have."""
    status = getattr(response, "status_code", 0) or 0
    if status >= 500:
        errors["http_5xx"] += 1
    elif exception is not None and status == 0:
        errors["connection"] += 1


@events.quitting.add_listener
def write_report(environment, **_):
    """Each action's requests, failures and percentiles, and the error counts, as JSON."""
    actions = {name: {"requests": entry.num_requests, "failures": entry.num_failures,
                      **{key: entry.get_response_time_percentile(p) for key, p in PERCENTILES.items()}}
               for (name, _method), entry in sorted(environment.stats.entries.items())}
    failures = Counter({str(f.error): f.occurrences for f in environment.stats.errors.values()})
    total = environment.stats.total
    Path(os.environ["LOAD_REPORT"]).write_text(json.dumps({
        "actions": actions, "http_5xx": errors["http_5xx"], "connection_errors": errors["connection"],
        "requests": total.num_requests, "failures": total.num_failures, "rps": total.total_rps,
        "failure_kinds": dict(failures.most_common(10))}))


class Person(FastHttpUser):
    """A signed-in person who reads a page, thinks for a moment, and goes on."""

    abstract = True
    wait_time = between(0.5, 2.5)
    people: Iterator[dict]  # each subclass's plan entries, handed out in turn

    def on_start(self):
        n = next(addresses)
        self.address = f"10.0.{n // 250}.{n % 250 + 1}"
        self.me = next(self.people)

    def call(self, method: str, path: str, name: str, expect: int, body: str | None = None, cookie: str = ""):
        """One request as this person; anything but the expected status counts as a failure."""
        headers = {"Cookie": cookie or self.me["cookie"], "X-Forwarded-For": self.address, **(FORM if body else {})}
        with self.client.request(method, path, name=name, data=body, headers=headers, allow_redirects=False,
                                 catch_response=True) as response:
            if response.status_code != expect:
                response.failure(f"{name} answered {response.status_code}")
            return response


class Trainee(Person):
    """Looks at progress and the hours log, logs hours, submits quizzes, downloads a vignette's file."""

    weight = 4
    people = itertools.cycle(PLAN["trainees"])

    @task(4)
    def dashboard(self):
        self.call("GET", "/", "trainee_dashboard", 200)

    @task(3)
    def hours_log(self):
        self.call("GET", "/hours", "hours_log", 200)

    @task(2)
    def log_hours(self):
        body = urlencode({"csrf_token": PLAN["form_token"], "date": (date.today() - timedelta(days=1)).isoformat(),
                          "category": "conjoint", "minutes": 60, "supervisor": self.me["supervisor_id"],
                          "description": "Structured conjoint session with coached repair practice"})
        self.call("POST", "/hours/new", "log_hours", 302, body)

    @task(1)
    def submit_quiz(self):
        if QUIZ_POOL:  # each open attempt is submitted once, as its own trainee
            cookie, path, body = QUIZ_POOL.pop()
            self.call("POST", path, "quiz_submission", 302, body, cookie=cookie)

    @task(1)
    def download(self):
        self.call("GET", PLAN["download"], "attachment_download", 200)


class Supervisor(Person):
    """Looks at the dashboard and signs entries from the sign-off queue with the password."""

    weight = 1
    people = itertools.cycle(PLAN["supervisors"])

    @task(1)
    def dashboard(self):
        self.call("GET", "/", "supervisor_dashboard", 200)

    @task(2)
    def approve(self):
        queue = self.call("GET", "/supervise/hours", "signoff_queue", 200)
        picks = PICK.findall(queue.text or "")[:3]
        if picks:
            body = urlencode([("csrf_token", PLAN["form_token"]), *[("entries", p) for p in picks],
                              ("decision", "approve"), ("password", PLAN["password"]), ("scope", "selected")])
            self.call("POST", "/supervise/hours", "approve_hours", 302, body)
