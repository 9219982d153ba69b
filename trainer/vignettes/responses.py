"""Trainee responses and supervisor reviews: de-identified before they are stored, decided by
conditional updates so two tabs or two reviewers never both win."""
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from trainer import audit
from trainer.auth.models import Role, User
from trainer.deid.model import PLACEHOLDER_RE
from trainer.extensions import db
from trainer.learn.models import Vignette
from trainer.mail import send_mail
from trainer.timeutil import utcnow
from trainer.vignettes import redaction
from trainer.vignettes.models import Response, Review
from trainer.vignettes.services import VignetteError, may_open

RUBRIC = {"hypotheses": "Considers multiple hypotheses", "perspectives": "Seeks both parents' perspectives",
          "safety": "Attends to safety", "pacing": "Proposes paced next steps"}
RATINGS = {"met": "Met", "partly": "Partly", "not_yet": "Not yet"}
DECISIONS = ("returned", "accepted")
EDITABLE = ("draft", "returned")
ANSWER_MAX, FEEDBACK_MAX, COMMENT_MAX = 10_000, 5_000, 1_000
LOCKED = "Complete the safety module of the course to open vignettes."
STALE = "Your response changed since you opened this page (perhaps in another tab). Look at it again, then retry."


@dataclass(frozen=True)
class Preview:
    """What would be stored for each answer, and what de-identification took out of the originals."""

    questions: tuple[str, ...]
    originals: tuple[str, ...]
    redacted: tuple[str, ...]
    findings: tuple[redaction.FieldFinding, ...]

    @property
    def placeholders(self) -> int:
        """Placeholders already in the answers (from an earlier save)."""
        return sum(len(PLACEHOLDER_RE.findall(text)) for text in self.redacted)

    def segments(self, index: int) -> tuple[redaction.Segment, ...]:
        """The original answer cut into plain text and removed details."""
        return redaction.segments(self.originals[index], self.findings, f"answer.{index}")


def current_response(trainee: User, vignette: Vignette) -> Response | None:
    """The trainee's response to this vignette, unless the last one was accepted on an older version."""
    latest = db.session.scalar(select(Response).where(
        Response.trainee_id == trainee.id, Response.vignette_id == vignette.id).order_by(Response.id.desc()))
    if latest is not None and latest.status == "accepted" and latest.vignette_version < vignette.version:
        return None
    return latest


def questions_for(response: Response | None, vignette: Vignette) -> tuple[str, ...]:
    """A response answers the questions of the version it started on."""
    return tuple(a["question"] for a in response.answers) if response else tuple(vignette.questions)


def preview(questions: tuple[str, ...], answers: list[str], known_names=()) -> Preview:
    """De-identify the answers together (one placeholder per person across them)."""
    originals = tuple(redaction.normalise(a).strip() for a in answers)
    texts, findings = redaction.redact_all([(f"answer.{i}", a) for i, a in enumerate(originals)], known_names)
    return Preview(questions, originals, tuple(texts[f"answer.{i}"] for i in range(len(originals))), findings)


def _check_answers(questions: tuple[str, ...], answers: list[str], submit: bool) -> None:
    if len(answers) != len(questions):
        raise VignetteError("That form does not match this vignette's questions. Look at it again.")
    for number, answer in enumerate(answers, 1):
        if len(answer) > ANSWER_MAX:
            raise VignetteError(f"Keep answer {number} to {ANSWER_MAX:,} characters.", f"answer-{number - 1}")
        if submit and not answer.strip():
            raise VignetteError(f"Answer question {number} before submitting.", f"answer-{number - 1}")


def check_submission(trainee: User, questions: tuple[str, ...], answers: list[str]) -> None:
    """Refuse a submission that misses an answer or has no supervisor to go to."""
    _check_answers(questions, answers, submit=True)
    if trainee.supervisor_id is None:
        raise VignetteError("You can submit once the clinic assigns your supervisor; save a draft until then.")


def save_response(trainee: User, vignette: Vignette, expected_version: int, answers: list[str],
                  known_names=(), submit: bool = False) -> Response:
    """Save the answers de-identified, as a draft or submitted to the trainee's supervisor."""
    if trainee.role != Role.TRAINEE or not may_open(trainee):
        raise VignetteError(LOCKED)
    response = current_response(trainee, vignette)
    questions = questions_for(response, vignette)
    if submit:
        check_submission(trainee, questions, answers)
    else:
        _check_answers(questions, answers, submit=False)
    result = preview(questions, answers, known_names)
    now, stored = utcnow(), [{"question": q, "answer": a} for q, a in zip(questions, result.redacted)]
    values = {"answers": stored, "updated_at": now}
    if submit:
        values |= {"status": "submitted", "supervisor_id": trainee.supervisor_id, "submitted_at": now,
                   "submissions": (response.submissions if response else 0) + 1}
    response = _write(trainee, vignette, response, expected_version, values)
    if submit:
        _announce(trainee, vignette, response, result.findings)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise VignetteError(STALE) from None
    return response


def _announce(trainee: User, vignette: Vignette, response: Response, findings) -> None:
    """Audit a submission (what kinds were removed, never the text) and tell the supervisor."""
    audit.record(trainee, "vignette.response_submitted", response, submission=response.submissions,
                 removed=redaction_counts(findings))
    send_mail(trainee.supervisor.email, "A vignette response to review",
              f"{trainee.name} submitted a response to the vignette “{vignette.title}”.\n\n"
              f"Sign in to Reunification Trainer and open Reviews to read it.\n")


def _write(trainee: User, vignette: Vignette, response: Response | None, expected: int, values: dict) -> Response:
    if response is None:
        if expected != 0:
            raise VignetteError(STALE)
        response = Response(vignette_id=vignette.id, vignette_version=vignette.version, trainee_id=trainee.id,
                            **values)
        db.session.add(response)
        db.session.flush()
        return response
    changed = db.session.execute(update(Response).where(
        Response.id == response.id, Response.version == expected, Response.status.in_(EDITABLE))
        .values(version=expected + 1, **values)).rowcount
    if not changed:
        db.session.rollback()
        raise VignetteError(STALE)
    return response


def redaction_counts(findings) -> dict[str, int]:
    """How many details of each kind were removed (safe to log: no text)."""
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.kind] = counts.get(finding.kind, 0) + 1
    return counts


def review_queue(reviewer: User) -> list[Response]:
    """Submitted responses waiting for this reviewer (every one for an admin), oldest first."""
    stmt = select(Response).options(joinedload(Response.vignette), joinedload(Response.trainee)).where(
        Response.status == "submitted").order_by(Response.submitted_at, Response.id)
    if reviewer.role != Role.ADMIN:
        stmt = stmt.where(Response.supervisor_id == reviewer.id)
    return list(db.session.scalars(stmt))


def get_for_review(response_id: int, reviewer: User) -> Response | None:
    """A submitted-at-least-once response the person may review: their trainee's, or any for an admin."""
    stmt = select(Response).where(Response.id == response_id, Response.submissions > 0)
    if reviewer.role != Role.ADMIN:
        stmt = stmt.where(Response.supervisor_id == reviewer.id)
    return db.session.scalar(stmt)


def _check_review(ratings: dict, comments: dict, feedback: str, decision: str) -> None:
    if decision not in DECISIONS:
        raise VignetteError("Choose to accept the response or return it for revision.", "decision")
    if set(ratings) != set(RUBRIC) or any(r not in RATINGS for r in ratings.values()):
        raise VignetteError("Rate each of the four criteria.")
    if decision == "returned" and not feedback.strip():
        raise VignetteError("Say what the trainee should revise before returning the response.", "feedback")
    if len(feedback) > FEEDBACK_MAX or any(len(c or "") > COMMENT_MAX for c in comments.values()):
        raise VignetteError(f"Keep the feedback to {FEEDBACK_MAX:,} characters and each comment to "
                            f"{COMMENT_MAX:,}.", "feedback")


def review_response(reviewer: User, response: Response, expected_version: int, ratings: dict, comments: dict,
                    feedback: str, decision: str) -> Review:
    """Accept a submitted response or return it with feedback, once, against the rubric."""
    if reviewer.role != Role.ADMIN and response.supervisor_id != reviewer.id:
        raise VignetteError("Only the trainee's supervisor or a clinic admin reviews this response.")
    _check_review(ratings, comments, feedback, decision)
    texts, _ = redaction.redact_all([("feedback", redaction.normalise(feedback).strip())] + [
        (f"comment.{key}", redaction.normalise(comments.get(key)).strip()) for key in RUBRIC])
    changed = db.session.execute(update(Response).where(
        Response.id == response.id, Response.version == expected_version, Response.status == "submitted")
        .values(status=decision, version=expected_version + 1, updated_at=utcnow())).rowcount
    if not changed:
        db.session.rollback()
        raise VignetteError("This response was already reviewed or changed since you opened it.")
    review = Review(response_id=response.id, reviewer_id=reviewer.id, submission=response.submissions,
                    answers=response.answers, decision=decision, feedback=texts["feedback"],
                    rubric={key: {"rating": ratings[key], "comment": texts[f"comment.{key}"]} for key in RUBRIC})
    db.session.add(review)
    audit.record(reviewer, "vignette.response_reviewed", response, decision=decision,
                 submission=response.submissions)
    send_mail(response.trainee.email, f"Your vignette response was {decision}",
              f"{reviewer.name} {decision} your response to “{response.vignette.title}”"
              f"{'' if decision == 'accepted' else ' with feedback'}.\n\n"
              f"Sign in to Reunification Trainer and open Vignettes to read it.\n")
    db.session.commit()
    return review
