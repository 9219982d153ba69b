"""What the trainee typed lives in the request only: never in the database, a log, a cookie, the session or mail.

A note full of identifiers goes through preview, a re-run with a nickname
added, and confirmation, with CSRF on and mail going to a real SMTP listener;
the supervisor replies with more identifiers. Then every row of every table
(found by reflection), every log record (SQL statements and their parameters
included), every cookie (the session decoded too), the outbox and every mail
received are searched for each identifier.
"""
import json
import logging
import re

import pytest
from sqlalchemy import MetaData, select

from tests.conftest import clean_database, csrf_from, current_code, TEST_PASSWORD
from tests.consult.conftest import NOTE, digest_in
from trainer.consult import services
from trainer.consult.models import Consultation, Message
from trainer.extensions import db

IDENTIFIERS = ["Emma", "Johnson", "Mark", "Kate", "Bug", "March 3", "Lincoln Elementary", "2023-DR-01234",
               "Harriet", "Okafor", "555-201-3344", "kate.johnson@example.com", "42 Oak Street", "11/14/2024",
               "Joe Smith", "Brenda", "Maple Avenue"]
REPLY = "Has Grandpa Joe Smith from Maple Avenue met [PERSON-1]? Ask Brenda too."


def found_in(text: str) -> list[str]:
    """Identifiers that occur in text as words, in any case."""
    return [i for i in IDENTIFIERS if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text, re.IGNORECASE)]


class Browser:
    """A test client that keeps every response's cookies and posts with the page's CSRF token.

    Each request runs in a fresh app context, as on a server, so two browsers never share `g`.
    """

    def __init__(self, app):
        self.app, self.client, self.set_cookies = app, app.test_client(), []

    def get(self, path):
        return self._open("GET", path)

    def post(self, path, data, token_from):
        return self._open("POST", path, data={**data, "csrf_token": csrf_from(token_from.text)})

    def _open(self, method, path, **kwargs):
        with self.app.app_context():
            response = self.client.open(path, method=method, **kwargs)
        db.session.rollback()  # the test's own snapshot ends, so it sees what the request wrote
        self.set_cookies += response.headers.getlist("Set-Cookie")
        return response

    def sign_in(self, user):
        page = self.get("/login")
        response = self.post("/login", {"email": user.email, "password": TEST_PASSWORD}, page)
        if response.location.endswith("/login/code"):
            response = self.post("/login/code", {"code": current_code(user.email)}, self.get("/login/code"))
        assert response.status_code == 302


@pytest.fixture
def secure_app(make_app, smtp_server):
    port, sink = smtp_server
    app = make_app(WTF_CSRF_ENABLED=True, MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with app.app_context():
        clean_database()
        yield app, sink


def everything_stored() -> str:
    """Every column of every row of every table in the database, as text."""
    db.session.expire_all()
    reflected = MetaData()
    reflected.reflect(bind=db.engine)
    with db.engine.connect() as conn:
        rows = [f"{table.name}: " + " | ".join(str(value) for value in row)  # str(): a Row's repr truncates
                for table in reflected.sorted_tables for row in conn.execute(select(table))]
    return "\n".join(rows)


def session_data(app, browser: Browser) -> str:
    """The session cookies the browser holds and was sent, decoded with the app's own serializer."""
    serializer = app.session_interface.get_signing_serializer(app)
    values = re.findall(r"trainer_session=([^;]*)", " ".join(browser.set_cookies))
    return "\n".join(json.dumps(serializer.loads(v), default=str) for v in values if v)


def test_no_identifier_reaches_the_database_logs_cookies_or_mail(secure_app, make_user, caplog):
    app, sink = secure_app
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")
    supervisor = make_user("supervisor", name="Sol Supervisor", topics=["resist-refuse"])
    trainee = make_user("trainee", name="Tia Trainee", supervisor=supervisor)
    trainee_side, supervisor_side = Browser(app), Browser(app)

    trainee_side.sign_in(trainee)
    form = trainee_side.get("/consultations/new")
    data = {**NOTE, "more": "", "topics": ["resist-refuse"], "urgency": "routine"}
    first = trainee_side.post("/consultations/new", {**data, "action": "preview"}, form)
    assert "Bug" in first.text  # the nickname slipped through; the trainee adds it
    second = trainee_side.post("/consultations/new", {**data, "more": "Bug", "action": "preview"}, first)
    sent = trainee_side.post("/consultations/new", {**data, "more": "Bug", "action": "send", "confirm": "y",
                                                    "digest": digest_in(second.text)}, second)
    assert sent.status_code == 302
    consultation = db.session.scalar(select(Consultation))

    supervisor_side.sign_in(supervisor)
    thread = supervisor_side.get(f"/consultations/{consultation.id}")
    reply = {"body": REPLY, "more": "Joe Smith\nBrenda\nMaple Avenue", "action": "preview"}
    previewed = supervisor_side.post(f"/consultations/{consultation.id}/reply", reply, thread)
    answered = supervisor_side.post(f"/consultations/{consultation.id}/reply",
                                    {**reply, "action": "send", "confirm": "y", "digest": digest_in(previewed.text)},
                                    previewed)
    assert answered.status_code == 302
    trainee_side.get(f"/consultations/{consultation.id}")

    stored, logged = everything_stored(), caplog.text
    assert "INSERT INTO consultations" in logged and "[PERSON-1]" in logged  # the SQL and its values were captured
    assert "[SCHOOL]" in stored and "Next hearing on [DATE]" in stored
    message = db.session.scalar(select(Message))
    assert message.author_id == supervisor.id and message.body.startswith("Has Grandpa [PERSON-")
    mail = "\n".join(m.content.decode("utf-8", "replace") for m in sink.messages)
    assert len(sink.messages) == 2 and "consultation" in mail.lower()
    cookies = " ".join(trainee_side.set_cookies + supervisor_side.set_cookies)
    sessions = session_data(app, trainee_side) + session_data(app, supervisor_side)
    assert '"_user_id"' in sessions
    for where, text in (("database", stored), ("logs", logged), ("mail", mail), ("cookies", cookies),
                        ("session", sessions)):
        assert found_in(text) == [], f"found in the {where}"


def test_a_form_error_or_an_expired_form_logs_nothing_typed(secure_app, make_user, caplog):
    app, _ = secure_app
    caplog.set_level(logging.DEBUG)
    trainee = make_user("trainee", supervisor=make_user("supervisor", topics=["other"]))
    browser = Browser(app)
    browser.sign_in(trainee)
    form = browser.get("/consultations/new")
    invalid = browser.post("/consultations/new", {**NOTE, "topics": [], "action": "preview"}, form)
    assert invalid.status_code == 400 and "Choose at least one topic." in invalid.text
    expired = browser._open("POST", "/consultations/new", data={**NOTE, "topics": ["other"], "action": "preview",
                                                                "csrf_token": "stale"})
    assert expired.status_code == 400 and "This form has expired" in expired.text
    assert found_in(expired.text) == []
    assert found_in(caplog.text) == [] and found_in(session_data(app, browser)) == []
    assert db.session.scalar(select(Consultation.id)) is None


def test_a_crash_while_de_identifying_logs_and_shows_nothing_typed(make_app, make_user, caplog, monkeypatch):
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    with app.app_context():
        clean_database()
        caplog.set_level(logging.DEBUG)
        trainee = make_user("trainee", supervisor=make_user("supervisor", topics=["other"]))

        def explode(text, known_names=()):
            raise ValueError(f"could not handle {text!r} with {known_names!r}")
        monkeypatch.setattr(services, "deidentify", explode)
        client = app.test_client()
        client.post("/login", data={"email": trainee.email, "password": TEST_PASSWORD})
        response = client.post("/consultations/new", data={**NOTE, "topics": ["other"], "urgency": "routine", "action": "preview"})
        assert response.status_code == 500 and "reference" in response.text
        assert "unhandled builtins.ValueError" in caplog.text
        assert found_in(caplog.text) == [] and found_in(response.text) == []
