"""Responding and reviewing over HTTP: drafts, the submission preview, the rubric, revisions, races."""
import threading

import pytest
from sqlalchemy import func, select

from tests.conftest import login
from trainer.extensions import db
from trainer.vignettes.models import Response, Review

RAW = "First I would ask Maria Lopez, 555-867-5309, what changed."
RUBRIC_FORM = {"rating_hypotheses": "met", "rating_perspectives": "partly", "rating_safety": "not_yet",
               "rating_pacing": "met", "comment_safety": "Screen first."}


@pytest.fixture
def as_trainee(client, login_as, trainee):
    return login_as(trainee)


def path(vignette) -> str:
    return f"/vignettes/{vignette.slug}/response"


def latest() -> Response | None:
    return db.session.scalar(select(Response).order_by(Response.id.desc()))


def answer(client, vignette, action, answers=(RAW, "Both parents."), version=None, **extra):
    response = latest()
    data = {"version": version if version is not None else (response.version if response else 0),
            "action": action, **{f"answer-{i}": a for i, a in enumerate(answers)}, **extra}
    return client.post(path(vignette), data=data)




def test_a_draft_shows_what_will_be_replaced_then_is_saved_de_identified(as_trainee, published):
    check = answer(as_trainee, published, "save", names="Maria Lopez")
    assert check.status_code == 200 and "Check before saving" in check.text and latest() is None
    assert "Save the draft with these replaced" in check.text and "Submit to" not in check.text
    saved = answer(as_trainee, published, "save_confirmed", names="Maria Lopez")
    assert saved.status_code == 302
    page = as_trainee.get(path(published)).text
    assert "Identifying details were replaced with placeholders in 1 answer." in page
    assert "First I would ask [PERSON-1], [PHONE], what changed." in page and "Maria" not in page
    assert latest().status == "draft" and "Maria" not in str(latest().answers)
    plain = answer(as_trainee, published, "save", answers=("Nothing to hide here.", "Both parents."))
    assert plain.status_code == 302 and latest().answers[0]["answer"] == "Nothing to hide here."
    again = answer(as_trainee, published, "preview", answers=("Ask [PERSON-1] first.", "Both."))
    assert "Nothing more identifying was found beyond the placeholders already in your answers" in again.text


def test_submitting_previews_what_is_removed_then_stores_only_that(as_trainee, published, supervisor):
    preview = answer(as_trainee, published, "preview")
    assert preview.status_code == 200 and latest() is None  # nothing stored by a preview
    assert preview.headers["Cache-Control"] == "no-store"
    assert '<mark class="finding">Maria Lopez<span class="finding-tag"> → [PERSON-1]</span></mark>' in preview.text
    assert "First I would ask [PERSON-1], [PHONE], what changed." in preview.text
    assert f'name="answer-0" value="{RAW}"' in preview.text  # the raw text lives only in this form
    assert "Submit to Sol Supervisor" in preview.text
    back = answer(as_trainee, published, "edit")
    assert f">{RAW}</textarea>" in back.text and latest() is None
    done = answer(as_trainee, published, "submit")
    assert done.status_code == 302 and latest().status == "submitted" and "Maria" not in str(latest().answers)
    page = as_trainee.get(path(published)).text
    assert "Submitted to Sol Supervisor for review." in page and "waiting for Sol Supervisor" in page
    assert "<textarea" not in page


def test_an_unanswered_question_stops_the_preview(as_trainee, published):
    response = answer(as_trainee, published, "preview", answers=(RAW, " "))
    assert response.status_code == 400 and "Answer question 2 before submitting." in response.text
    assert 'aria-invalid="true"' in response.text and f">{RAW}</textarea>" in response.text


def test_review_return_revise_and_accept(client, as_trainee, published, supervisor, trainee):
    answer(as_trainee, published, "submit")
    sent = latest()
    client.post("/logout")
    login(client, supervisor)
    queue = client.get("/supervise/vignettes").text
    assert "Tia Trainee" in queue and published.title in queue and "first" in queue
    page = client.get(f"/supervise/vignettes/{sent.id}").text
    assert "Considers multiple hypotheses" in page and "Proposes paced next steps" in page
    assert "First I would ask [PERSON-1]" in page and 'name="rating_safety"' in page
    missing = client.post(f"/supervise/vignettes/{sent.id}", data={"version": sent.version, "decision": "returned"})
    assert missing.status_code == 400 and "Rate this criterion." in missing.text
    no_feedback = client.post(f"/supervise/vignettes/{sent.id}", data={
        "version": sent.version, "decision": "returned", **RUBRIC_FORM})
    assert "Say what the trainee should revise" in no_feedback.text
    returned = client.post(f"/supervise/vignettes/{sent.id}", follow_redirects=True, data={
        "version": sent.version, "decision": "returned", "feedback": "Start from safety.", **RUBRIC_FORM})
    assert "Response returned with feedback." in returned.text and "Nothing to review" in returned.text
    client.post("/logout")
    login(client, trainee)
    assert "Returned for revision:" in client.get("/").text
    page = client.get(path(published)).text
    assert "Returned for revision." in page and "Start from safety." in page and "Screen first." in page
    assert answer(client, published, "submit", answers=("Safety screen first.", "Both.")).status_code == 302
    client.post("/logout")
    login(client, supervisor)
    assert "revision 1" in client.get("/supervise/vignettes").text
    assert "1</strong> response waiting for your review" in client.get("/").text
    sent = latest()
    client.post(f"/supervise/vignettes/{sent.id}", data={"version": sent.version, "decision": "accepted",
                                                         **RUBRIC_FORM})
    assert latest().status == "accepted" and [r.decision for r in latest().reviews] == ["returned", "accepted"]
    client.post("/logout")
    login(client, trainee)
    dashboard = client.get("/").text
    assert '<p class="stat-value">1</p>' in dashboard and "Returned for revision:" not in dashboard


def test_reviews_are_scoped_to_the_trainees_supervisor_and_admins(client, as_trainee, published, make_user, admin):
    answer(as_trainee, published, "submit")
    sent = latest()
    client.post("/logout")
    login(client, make_user("supervisor"))
    assert client.get(f"/supervise/vignettes/{sent.id}").status_code == 404
    assert "Nothing to review" in client.get("/supervise/vignettes").text
    client.post("/logout")
    login(client, admin)
    assert client.get(f"/supervise/vignettes/{sent.id}").status_code == 200


def test_two_reviewers_at_once_make_one_decision(make_app, as_trainee, published, supervisor, admin):
    answer(as_trainee, published, "submit")
    sent = latest()
    url, version = f"/supervise/vignettes/{sent.id}", sent.version
    app = make_app()
    clients = [app.test_client(), app.test_client()]
    for c, person in zip(clients, (supervisor, admin)):
        login(c, person)
    start, pages = threading.Barrier(2), []

    def review(c, decision):
        start.wait()
        pages.append(c.post(url, follow_redirects=True, data={
            "version": version, "decision": decision, "feedback": "Revise.", **RUBRIC_FORM}).text)
    threads = [threading.Thread(target=review, args=(c, d)) for c, d in zip(clients, ("accepted", "returned"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Review.id))) == 1
    assert sorted("already reviewed or changed" in p for p in pages) == [False, True]
    assert latest().status == db.session.scalar(select(Review.decision))


def test_a_stale_tab_cannot_overwrite_a_newer_save(as_trainee, published):
    answer(as_trainee, published, "save", answers=("first", "tab"))
    stale = latest().version
    answer(as_trainee, published, "save", answers=("second", "tab"))
    response = answer(as_trainee, published, "save", answers=("old", "tab"), version=stale)
    assert response.status_code == 400 and "changed since you opened this page" in response.text
    assert latest().answers[0]["answer"] == "second"
