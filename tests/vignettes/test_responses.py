"""Trainee responses and supervisor reviews as services: de-identified, one per version, decided once."""
import pytest
from sqlalchemy import select

from tests.vignettes.conftest import publish_now, vtext
from trainer.audit import AuditEvent
from trainer.extensions import db
from trainer.mail import OutboxMessage
from trainer.vignettes import publishing, responses, services
from trainer.vignettes.models import Response
from trainer.vignettes.services import VignetteError

RATINGS = {"hypotheses": "met", "perspectives": "partly", "safety": "not_yet", "pacing": "met"}
NAMED = ["I would call Maria Lopez at 555-867-5309 first.", "Both parents, separately."]


def review(reviewer, response, decision="returned", feedback="Say more about safety.", **comments):
    return responses.review_response(reviewer, response, response.version, RATINGS, comments, feedback, decision)


def submitted(trainee, vignette, answers=NAMED):
    draft = responses.save_response(trainee, vignette, 0, ["", ""])
    return responses.save_response(trainee, vignette, draft.version, answers, submit=True)


def test_a_draft_is_stored_de_identified_and_a_submission_goes_to_the_supervisor(trainee, supervisor, published):
    draft = responses.save_response(trainee, published, 0, NAMED, known_names=["Maria Lopez"])
    assert (draft.status, draft.vignette_version, draft.supervisor_id) == ("draft", 1, None)
    assert draft.answers == [{"question": "What hypotheses would you hold?",
                              "answer": "I would call [PERSON-1] at [PHONE] first."},
                             {"question": "Whose perspectives do you need first?",
                              "answer": "Both parents, separately."}]
    sent = responses.save_response(trainee, published, draft.version, NAMED, submit=True)
    assert (sent.id, sent.status, sent.supervisor_id, sent.submissions) == (draft.id, "submitted", supervisor.id, 1)
    assert "Maria" not in str(sent.answers) and "867" not in str(sent.answers)
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to == supervisor.email))
    assert "Tia Trainee submitted a response" in mail.body and "Maria" not in mail.body
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "vignette.response_submitted"))
    assert event.details == {"submission": 1, "removed": {"PERSON": 1, "PHONE": 1}}


def test_a_preview_shows_what_would_be_removed_without_storing_anything(trainee, published):
    preview = responses.preview(("Q1", "Q2"), ["Call 555-867-5309\r\nnow.", "Nothing here."])
    assert preview.redacted == ("Call [PHONE]\nnow.", "Nothing here.")
    assert [(s.text, s.finding) for s in preview.segments(0)] == [
        ("Call ", None), ("555-867-5309", 0), ("\nnow.", None)]
    assert db.session.scalar(select(Response)) is None


def test_submitting_needs_every_answer_and_a_supervisor(trainee, make_user, published):
    with pytest.raises(VignetteError, match="Answer question 2 before submitting"):
        responses.save_response(trainee, published, 0, ["Something", " "], submit=True)
    loner = make_user("trainee")
    with pytest.raises(VignetteError, match="once the clinic assigns your supervisor"):
        responses.save_response(loner, published, 0, NAMED, submit=True)
    with pytest.raises(VignetteError, match="does not match this vignette's questions"):
        responses.save_response(trainee, published, 0, ["only one"])
    with pytest.raises(VignetteError, match="Keep answer 1 to 10,000 characters"):
        responses.save_response(trainee, published, 0, ["x" * 10_001, ""])


def test_a_stale_form_or_a_second_start_is_refused(trainee, published):
    draft = responses.save_response(trainee, published, 0, ["a", "b"])
    for version in (0, draft.version - 1, draft.version + 5):
        with pytest.raises(VignetteError, match="changed since you opened"):
            responses.save_response(trainee, published, version, ["c", "d"])
    assert responses.save_response(trainee, published, draft.version, ["c", "d"]).answers[0]["answer"] == "c"


def test_a_submitted_response_waits_and_cannot_change(trainee, published):
    sent = submitted(trainee, published)
    with pytest.raises(VignetteError, match="changed since you opened"):
        responses.save_response(trainee, published, sent.version, ["changed", "again"])


def test_return_revise_resubmit_accept_keeps_the_history(trainee, supervisor, admin, published):
    sent = submitted(trainee, published)
    returned = review(supervisor, sent, feedback="Ask Dr. Smith? No: think about the son's safety first.",
                      safety="Name the safety screen")
    assert (sent.status, returned.decision, returned.submission) == ("returned", "returned", 1)
    assert returned.rubric["safety"] == {"rating": "not_yet", "comment": "Name the safety screen"}
    assert "Smith" not in returned.feedback and "[PERSON-1]" in returned.feedback
    assert services.trainee_summary(trainee).returned == [(published.slug, published.title)]
    revised = responses.save_response(trainee, published, sent.version, ["Screen for safety first.", "Both."])
    assert revised.status == "returned"  # still with the trainee until resubmitted
    resent = responses.save_response(trainee, published, revised.version, ["Screen for safety first.", "Both."],
                                     submit=True)
    assert (resent.status, resent.submissions) == ("submitted", 2)
    accepted = review(admin, resent, decision="accepted", feedback="")
    assert (resent.status, accepted.submission, [r.decision for r in resent.reviews]) == \
        ("accepted", 2, ["returned", "accepted"])
    assert resent.reviews[0].answers[0]["answer"].startswith("I would call [PERSON-1]")
    assert services.accepted_count(trainee.id) == 1 and services.trainee_summary(trainee).returned == []
    mails = db.session.scalars(select(OutboxMessage.subject).where(OutboxMessage.to == trainee.email)).all()
    assert mails == ["Your vignette response was returned", "Your vignette response was accepted"]


def test_a_review_is_decided_once_and_only_by_the_right_people(trainee, supervisor, make_user, published):
    sent = submitted(trainee, published)
    stale = sent.version
    with pytest.raises(VignetteError, match="Only the trainee's supervisor"):
        review(make_user("supervisor"), sent)
    with pytest.raises(VignetteError, match="Say what the trainee should revise"):
        review(supervisor, sent, feedback=" ")
    with pytest.raises(VignetteError, match="Rate each of the four criteria"):
        responses.review_response(supervisor, sent, stale, {"safety": "met"}, {}, "", "accepted")
    review(supervisor, sent, decision="accepted", feedback="")
    with pytest.raises(VignetteError, match="already reviewed"):
        responses.review_response(supervisor, sent, stale, RATINGS, {}, "late", "returned")
    assert [r.decision for r in sent.reviews] == ["accepted"]


def test_accepted_count_counts_distinct_vignettes(trainee, supervisor, admin, published):
    sent = submitted(trainee, published)
    review(supervisor, sent, decision="accepted", feedback="")
    publishing.save_draft(admin, published, vtext(title="Revised"), 0)
    publish_now(admin, published)
    assert responses.current_response(trainee, published) is None  # a new version may be answered again
    again = submitted(trainee, published)
    assert again.vignette_version == 2 and again.id != sent.id
    review(supervisor, again, decision="accepted", feedback="")
    other = publishing.create_vignette(admin, vtext(title="Another case"), [])
    publish_now(admin, other)
    review(supervisor, submitted(trainee, other), decision="accepted", feedback="")
    assert services.accepted_count(trainee.id) == 2


def test_the_queue_and_lookups_are_scoped(trainee, supervisor, admin, make_user, published):
    sent = submitted(trainee, published)
    other = make_user("supervisor")
    assert responses.review_queue(supervisor) == [sent] and responses.review_queue(admin) == [sent]
    assert responses.review_queue(other) == [] and responses.get_for_review(sent.id, other) is None
    assert responses.get_for_review(sent.id, supervisor) == sent == responses.get_for_review(sent.id, admin)
    assert services.waiting_for_review(supervisor) == 1 and services.waiting_for_review(other) == 0
    unsent = responses.save_response(make_user("trainee", supervisor=supervisor), published, 0, ["a", "b"])
    assert responses.get_for_review(unsent.id, admin) is None  # drafts are the trainee's own


def test_locked_trainees_and_other_roles_cannot_respond(trainee, supervisor, published):
    from trainer.config import ROOT
    from trainer.learn.sync import sync_courses
    with pytest.raises(VignetteError, match="safety module"):
        responses.save_response(supervisor, published, 0, ["a", "b"])
    sync_courses(ROOT / "courses")
    with pytest.raises(VignetteError, match="safety module"):
        responses.save_response(trainee, published, 0, ["a", "b"])


def test_accepted_responses_count_toward_the_program(trainee, supervisor, admin, published):
    from trainer.hours.reports import standing_for
    from trainer.hours.services import accepted_vignette_count
    review(supervisor, submitted(trainee, published), decision="accepted", feedback="")
    assert accepted_vignette_count(trainee.id) == 1 == services.accepted_counts([trainee.id, admin.id])[trainee.id]
    rows = [r for p in standing_for(trainee).programs for r in p.progress.rows if r.kind == "vignettes"]
    assert rows and all(r.approved == 1 for r in rows)


def test_the_dashboard_lists_returned_responses_only_while_the_vignette_is_in_the_library(trainee, supervisor,
                                                                                        admin, published):
    review(supervisor, submitted(trainee, published))
    assert services.trainee_summary(trainee).returned == [(published.slug, published.title)]
    publishing.change_status(admin, published, "archive")
    assert services.trainee_summary(trainee).returned == []
