"""Consultation pages over HTTP: the preview flow, the thread, lists, admin panels, headers, scripts."""
import re

import pytest
from sqlalchemy import select

from tests.consult.conftest import IDENTIFIERS, NOTE, digest_in, form_data, preview_and_send
from trainer.audit import AuditEvent
from trainer.consult.models import Consultation, Message, Status, SupervisorConflict
from trainer.extensions import db
from trainer.mail import OutboxMessage


def main_html(response) -> str:
    html = response.get_data(as_text=True)
    return html[html.index("<main"):html.index("</main>")]


def preview_section(response) -> str:
    html = main_html(response)
    return html[html.index('<section class="card preview"'):html.index('<section class="card original"')]


@pytest.fixture
def switch(client, login_as):
    """Sign out whoever is signed in, then sign in as someone else."""
    def do(user):
        client.post("/logout")
        return login_as(user)
    return do


@pytest.fixture
def colleague(make_user):
    return make_user("supervisor", name="Cal Colleague", topics=["resist-refuse", "court-process"])


def test_the_form_explains_and_asks_for_everything(client, trainee, login_as):
    login_as(trainee)
    html = main_html(client.get("/consultations/new"))
    for label in ("Your question", "Case summary", "People in this case", "Topics", "Urgency", "More to remove",
                  "Resist/refuse dynamics", "Step-family", "Urgent safety concern", "never stored"):
        assert label in html
    assert "consult-select.js" not in html


def test_preview_highlights_each_redaction_with_its_kind_and_stores_nothing(client, trainee, login_as):
    login_as(trainee)
    response = client.post("/consultations/new", data={**form_data(), "action": "preview"})
    assert response.status_code == 200
    shown = preview_section(response)
    for identifier in IDENTIFIERS:
        assert identifier not in shown, identifier
    marks = re.findall(r'<mark class="redaction"><span class="placeholder">(\[[A-Z0-9-]+\])</span> '
                       r'<span class="kind">([a-z ]+)</span></mark>', shown)
    assert ("[PERSON-1]", "name") in marks and ("[SCHOOL]", "school") in marks
    assert ("[CASE-NUMBER]", "court or docket number") in marks and ("[DATE]", "date") in marks
    assert ("[PHONE]", "phone or fax number") in marks and ("[EMAIL]", "email address") in marks
    assert "14 details removed" in shown
    assert db.session.scalar(select(Consultation.id)) is None


def test_a_missed_nickname_is_added_and_the_preview_rerun(client, trainee, login_as):
    login_as(trainee)
    data = form_data(more="")
    first = client.post("/consultations/new", data={**data, "action": "preview"})
    assert "Bug" in preview_section(first)
    again = client.post("/consultations/new", data={**data, "more": "Bug", "action": "preview"})
    assert "Bug" not in preview_section(again)
    assert digest_in(first.get_data(as_text=True)) != digest_in(again.get_data(as_text=True))


def test_confirm_stores_the_deidentified_text_and_opens_the_thread(client, trainee, supervisor, login_as):
    login_as(trainee)
    _, sent = preview_and_send(client, form_data())
    c = db.session.scalar(select(Consultation))
    assert sent.status_code == 302 and sent.location.endswith(f"/consultations/{c.id}")
    page = client.get(sent.location)
    assert f"Sent to {supervisor.name}" in page.get_data(as_text=True)
    assert "Waiting for the supervisor" in main_html(page) and "14 details were removed" in main_html(page)


def test_sending_needs_the_confirmation_box(client, trainee, login_as):
    login_as(trainee)
    first = client.post("/consultations/new", data={**form_data(), "action": "preview"})
    response = client.post("/consultations/new", data={**form_data(), "action": "send",
                                                       "digest": digest_in(first.get_data(as_text=True))})
    assert response.status_code == 400 and "Tick this once you have read the preview" in main_html(response)
    assert db.session.scalar(select(Consultation.id)) is None


def test_text_edited_after_the_preview_is_previewed_again(client, trainee, login_as):
    login_as(trainee)
    first = client.post("/consultations/new", data={**form_data(), "action": "preview"})
    edited = form_data(summary=NOTE["summary"] + " Her coach Brenda Miles agrees.")
    response = client.post("/consultations/new", data={**edited, "action": "send", "confirm": "y",
                                                       "digest": digest_in(first.get_data(as_text=True))})
    assert response.status_code == 200 and "The text changed after the preview" in main_html(response)
    assert 'id="confirm"' in main_html(response) and "checked" not in re.search(
        r'<input[^>]*id="confirm"[^>]*>', main_html(response)).group()
    assert db.session.scalar(select(Consultation.id)) is None


@pytest.mark.parametrize("change, message", [
    ({"question": ""}, "Write your question."),
    ({"summary": "x" * 20001}, "At most 20,000 characters."),
    ({"topics": []}, "Choose at least one topic."),
])
def test_validation_errors_rerender_the_form(client, trainee, login_as, change, message):
    login_as(trainee)
    response = client.post("/consultations/new", data={**form_data(), **change, "action": "preview"})
    assert response.status_code == 400 and message in main_html(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_phrases_left_in_the_text_are_shown_and_block_sending(client, trainee, login_as):
    login_as(trainee)
    data = form_data(summary=NOTE["summary"] + " They meet in Room 14B.", more="Bug\nRoom 14B")
    first, sent = preview_and_send(client, data)
    assert "Still in the text: “More to remove”, entry 2" in main_html(first)
    assert sent.status_code == 400 and db.session.scalar(select(Consultation.id)) is None


def test_the_urgent_banner_says_what_to_do_now(client, trainee, supervisor, login_as, make_user, admin):
    make_user("supervisor", name="On Call", on_call=True, topics=["safety-concern"])
    login_as(trainee)
    first, sent = preview_and_send(client, form_data(urgency="urgent", topics=("safety-concern",)))
    assert "call emergency services" in main_html(first).lower()
    page = main_html(client.get(sent.location))
    assert "If a child is in immediate danger" in page and "not an emergency service" in page
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.to == admin.email)).subject == \
        "Urgent consultation routed"


def test_the_gate_explains_the_safety_module(client, trainee, login_as, synced):
    login_as(trainee)
    page = client.get("/consultations/new")
    assert page.status_code == 200 and "First, the safety module" in main_html(page)
    assert "/courses/reunification-protocol/safety-first" in main_html(page)
    posted = client.post("/consultations/new", data={**form_data(), "action": "preview"})
    assert posted.status_code == 403 and db.session.scalar(select(Consultation.id)) is None
    assert "Complete the safety module" in main_html(client.get("/consultations"))


def test_the_js_is_referenced_on_previews_and_no_page_has_inline_script(client, trainee, login_as, app):
    login_as(trainee)
    first = client.post("/consultations/new", data={**form_data(), "action": "preview"})
    html = first.get_data(as_text=True)
    assert '<script src="/static/js/consult-select.js" defer></script>' in html
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [] and " style=" not in html
    assert " onclick=" not in html and "data-remove-selection" in html and "hidden data-remove" in html
    script = client.get("/static/js/consult-select.js")
    assert script.status_code == 200 and b"data-remove-selection" in script.data


def _thread_setup(client, trainee, sign_in):
    sign_in(trainee)
    _, sent = preview_and_send(client, form_data())
    return db.session.scalar(select(Consultation))


def _reply(client, c, body, more=""):
    first = client.post(f"/consultations/{c.id}/reply", data={"body": body, "more": more, "action": "preview"})
    assert first.status_code == 200
    return first, client.post(f"/consultations/{c.id}/reply", data={
        "body": body, "more": more, "action": "send", "confirm": "y", "digest": digest_in(first.get_data(as_text=True))})


def test_supervisor_sees_placeholders_replies_and_trainee_is_told(client, trainee, supervisor, switch):
    c = _thread_setup(client, trainee, switch)
    switch(supervisor)
    page = main_html(client.get(f"/consultations/{c.id}"))
    assert "[PERSON-1]" in page and "Emma" not in page and "Lincoln" not in page
    assert "Pass it on" in page
    preview, sent = _reply(client, c, "Did Coach Brenda Miles see the car rides?", "Brenda Miles")
    assert "Brenda" not in main_html(preview).split("Your reply")[0] and "[PERSON-5]" in main_html(preview)
    assert sent.status_code == 302
    message = db.session.scalar(select(Message))
    assert message.body == "Did Coach [PERSON-5] see the car rides?" and message.author_id == supervisor.id
    assert db.session.get(Consultation, c.id).status == Status.ANSWERED
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == trainee.email)).all()[-1]
    assert mail.subject == "New message in your consultation" and "car rides" not in mail.body
    switch(trainee)
    page = main_html(client.get(f"/consultations/{c.id}"))
    assert 'Did Coach <mark class="placeholder-mark" title="name, removed">[PERSON-5]</mark> see the car rides?' in page


def test_viewing_a_thread_is_audited_without_content(client, trainee, login_as):
    c = _thread_setup(client, trainee, login_as)
    client.get(f"/consultations/{c.id}")
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "consult.viewed")).all()
    assert (event.actor_id, event.target, event.details) == (trainee.id, f"consultations:{c.id}", {})


def test_close_from_the_thread(client, trainee, login_as):
    c = _thread_setup(client, trainee, login_as)
    response = client.post(f"/consultations/{c.id}/close", data={"close-version": c.version})
    assert response.status_code == 302
    page = main_html(client.get(f"/consultations/{c.id}"))
    assert "This consultation was closed by you" in page and "Preview the reply" not in page
    again = client.post(f"/consultations/{c.id}/close", data={"close-version": c.version}, follow_redirects=True)
    assert "changed this consultation a moment ago" in again.get_data(as_text=True)


def test_reassign_from_the_thread(client, trainee, supervisor, colleague, switch):
    c = _thread_setup(client, trainee, switch)
    switch(supervisor)
    page = main_html(client.get(f"/consultations/{c.id}"))
    assert "Let the site choose" in page and "Cal Colleague" in page
    response = client.post(f"/consultations/{c.id}/reassign", data={"re-version": c.version,
                                                                     "re-supervisor": colleague.id})
    assert response.status_code == 302 and response.location.endswith("/supervise/consultations")
    assert db.session.get(Consultation, c.id).supervisor_id == colleague.id
    assert client.get(f"/consultations/{c.id}").status_code == 404


def test_supervisor_list_and_dashboard(client, trainee, supervisor, switch):
    c = _thread_setup(client, trainee, switch)
    switch(supervisor)
    listing = main_html(client.get("/supervise/consultations"))
    assert f"/consultations/{c.id}" in listing and "1</strong> waiting for your answer" in listing
    assert "Should I pause the Saturday visits for [PERSON-1]" in listing
    dashboard = main_html(client.get("/"))
    assert "Consultations waiting for you" in dashboard and "<strong>1</strong> waiting" in dashboard
    assert client.get("/consultations").location.endswith("/supervise/consultations")
    assert "Nothing here." in main_html(client.get("/supervise/consultations?show=closed"))


def test_trainee_list_and_dashboard(client, trainee, login_as):
    c = _thread_setup(client, trainee, login_as)
    listing = main_html(client.get("/consultations"))
    assert f"/consultations/{c.id}" in listing and "Sol Supervisor" in listing
    dashboard = main_html(client.get("/"))
    assert "Your consultations" in dashboard and "<strong>1</strong> open" in dashboard


def test_admins_see_metadata_not_threads(client, trainee, admin, switch):
    c = _thread_setup(client, trainee, switch)
    switch(admin)
    listing = main_html(client.get("/consultations"))
    assert "Tia Trainee" in listing and "Sol Supervisor" in listing and "own supervisor" in listing
    assert "7 names" in listing and "[PERSON-1]" not in listing and "Saturday" not in listing
    assert client.get(f"/consultations/{c.id}").status_code == 404


def test_admin_marks_conflicts_and_on_call_on_the_person_page(client, admin, supervisor, trainee, login_as):
    login_as(admin)
    page = main_html(client.get(f"/admin/users/{supervisor.id}"))
    assert "Conflicts of interest" in page and "Put on call" in page
    client.post(f"/admin/users/{supervisor.id}/on-call", data={"on_call": "1"})
    assert db.session.get(type(supervisor), supervisor.id).on_call
    response = client.post(f"/admin/users/{supervisor.id}/conflicts",
                           data={"conflict-trainee": trainee.id, "conflict-note": "Neighbours"}, follow_redirects=True)
    assert "Conflict of interest saved." in response.get_data(as_text=True)
    conflict = db.session.scalar(select(SupervisorConflict))
    assert (conflict.supervisor_id, conflict.trainee_id, conflict.note) == (supervisor.id, trainee.id, "Neighbours")
    assert "Tia Trainee" in main_html(client.get(f"/admin/users/{supervisor.id}"))
    client.post(f"/admin/users/{supervisor.id}/conflicts/{conflict.id}/remove")
    assert db.session.scalar(select(SupervisorConflict.id)) is None
    assert client.post(f"/admin/users/{trainee.id}/on-call", data={"on_call": "1"}).status_code == 404


@pytest.mark.parametrize("path", ["/consultations", "/consultations/new", "/supervise/consultations"])
def test_every_consultation_page_is_no_store(client, trainee, supervisor, login_as, path):
    login_as(supervisor if path.startswith("/supervise") else trainee)
    assert client.get(path).headers["Cache-Control"] == "no-store"


def test_a_thread_costs_the_same_statements_with_2_or_12_replies(client, trainee, supervisor, login_as, consult,
                                                                count_queries):
    login_as(trainee)
    counts = []
    for replies in (2, 12):
        case = consult(trainee)
        for n in range(replies):
            author = (supervisor, trainee)[n % 2]
            db.session.add(Message(consultation_id=case.id, author_id=author.id, body=f"Reply {n}", removed={}))
        db.session.commit()
        client.get(f"/consultations/{case.id}")  # warm: first-request work is not per reply
        with count_queries() as log:
            page = client.get(f"/consultations/{case.id}")
        assert page.status_code == 200 and f"Reply {replies - 1}" in page.text
        counts.append(len(log))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 10, counts  # user, thread, its people, replies, time logged, the view audited (chain lock on PG)


def test_the_supervisor_list_costs_the_same_statements_for_1_or_6_trainees(client, supervisor, make_user, consult,
                                                                           login_as, count_queries):
    login_as(supervisor)
    counts = []
    for trainees in (1, 6):
        for _ in range(trainees):
            consult(make_user("trainee", supervisor=supervisor))
        with count_queries() as log:
            page = client.get("/supervise/consultations?show=all")
        assert page.status_code == 200 and page.text.count("/consultations/") >= trainees
        counts.append(len(log))
    assert counts[0] == counts[1], counts  # each row's trainee comes with its consultation


def test_a_consultation_not_yours_says_it_may_have_moved_whether_or_not_it_exists(client, trainee, make_user,
                                                                                  consult, login_as):
    case = consult(trainee)
    login_as(make_user("supervisor"))
    client.get("/")  # shows the welcome message, so both pages below are alike
    theirs, missing = client.get(f"/consultations/{case.id}"), client.get("/consultations/999999")
    assert theirs.status_code == missing.status_code == 404
    assert main_html(theirs) == main_html(missing) and "may have been passed on to a colleague" in theirs.text
    assert case.question not in theirs.text
