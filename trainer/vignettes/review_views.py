"""Supervisor review of vignette responses: the queue, and one response with the rubric."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from trainer.auth.models import Role
from trainer.extensions import db
from trainer.forms import apply_error
from trainer.security import roles_required
from trainer.vignettes import responses
from trainer.vignettes.forms import ReviewForm
from trainer.vignettes.models import VignetteVersion
from trainer.vignettes.responses import RATINGS, RUBRIC
from trainer.vignettes.services import VignetteError

bp = Blueprint("vignette_reviews", __name__, url_prefix="/supervise/vignettes")


@bp.before_request
@roles_required(Role.SUPERVISOR, Role.ADMIN)
def reviewers_only():
    """Supervisors review their trainees' responses; admins may review any."""


@bp.get("")
def queue():
    """Submitted responses waiting for review, oldest first."""
    return render_template("vignettes/review_queue.html", waiting=responses.review_queue(current_user))


def _case_html(response) -> str:
    """The case text of the version answered (uploads keep every version; course files keep the current)."""
    version = db.session.scalar(select(VignetteVersion).where(
        VignetteVersion.vignette_id == response.vignette_id, VignetteVersion.version == response.vignette_version))
    return version.html if version else response.vignette.html


@bp.route("/<int:response_id>", methods=["GET", "POST"])
def review(response_id: int):
    """A response with its history; while submitted, the rubric and the decision."""
    response = responses.get_for_review(response_id, current_user) or abort(404)
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            responses.review_response(current_user, response, form.version.data, form.ratings(), form.comments(),
                                      form.feedback.data or "", form.decision.data)
        except VignetteError as err:
            apply_error(form, err)
        else:
            flash(f"Response {'accepted' if form.decision.data == 'accepted' else 'returned with feedback'}.",
                  "success")
            return redirect(url_for("vignette_reviews.queue"))
    elif not form.is_submitted():
        form.version.data = response.version
    status = 400 if form.errors or form.form_errors else 200
    return render_template("vignettes/review.html", response=response, form=form, rubric=RUBRIC, ratings=RATINGS,
                           case_html=_case_html(response)), status
