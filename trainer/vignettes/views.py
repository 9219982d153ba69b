"""The vignette library: search and filters, a vignette with its files, a trainee's response."""
from flask import Blueprint, Response as HttpResponse, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wsgi import wrap_file

from trainer import audit
from trainer.auth.models import Role
from trainer.errors import render_error
from trainer.forms import apply_error
from trainer.security import roles_required
from trainer.storage import StorageError, attachment, storage
from trainer.vignettes import responses, services
from trainer.vignettes.forms import ResponseForm
from trainer.vignettes.redaction import normalise

bp = Blueprint("vignettes", __name__, url_prefix="/vignettes")


@bp.before_request
@roles_required(Role.TRAINEE, Role.SUPERVISOR, Role.ADMIN)
def signed_in_only():
    """Every page here is for signed-in people."""


@bp.app_template_global()
def vignette_label(key: str, value: str) -> str:
    """A tag value in words, for any template."""
    return services.label(key, value)


def _locked(status: int = 200):
    return render_template("vignettes/locked.html", safety=services.safety_module()), status


def _published_or_404(slug: str):
    return services.find_published(slug) or abort(404)


@bp.get("")
def library():
    """Every published vignette, searchable and filtered by tag."""
    if not services.may_open(current_user):
        return _locked()
    query = services.LibraryQuery.from_args(request.args)
    page = services.library(query, request.args.get("page", 1, type=int))
    return render_template("vignettes/library.html", page=page, query=query, labels=services.LABELS,
                           statuses=services.statuses_for(current_user, [v.id for v in page.items]))


@bp.get("/<slug>")
def vignette(slug: str):
    """A vignette: the case, its files and its discussion questions."""
    if not services.may_open(current_user):
        return _locked(403)
    found = _published_or_404(slug)
    response = responses.current_response(current_user, found) if current_user.role == Role.TRAINEE else None
    return render_template("vignettes/vignette.html", vignette=found, response=response,
                           attachments=services.visible_attachments(found))


@bp.get("/<slug>/files/<int:attachment_id>")
def download(slug: str, attachment_id: int):
    """Download a file after checking the person may see its vignette (S3: a short-lived signed link)."""
    if not services.may_open(current_user):
        return _locked(403)
    found = services.get_attachment(attachment_id, slug, current_user) or abort(404)
    store = storage()
    link = store.url(found.storage_key, found.filename, found.content_type, expires=300)
    if link:
        _record_download(found, "signed-link")
        return redirect(link)
    try:
        handle = store.open(found.storage_key)
    except StorageError:
        return render_error(503, "This file is not available right now", "Try again in a moment.")
    _record_download(found, "stream")
    sent = HttpResponse(wrap_file(request.environ, handle), mimetype=found.content_type, direct_passthrough=True)
    sent.headers.update({"Content-Disposition": attachment(found.filename), "X-Content-Type-Options": "nosniff",
                         "Content-Length": str(found.size)})
    return sent


def _record_download(found, via: str) -> None:
    """Who took which file and how; a GET commits nothing else, so the event has its own transaction."""
    audit.record_now(current_user, "vignette.attachment_downloaded", found, via=via)


def _render_response(found, form: ResponseForm, answers=None, status: int = 200, invalid: str | None = None):
    response = responses.current_response(current_user, found)
    questions = responses.questions_for(response, found)
    if answers is None:
        answers = [a["answer"] for a in response.answers] if response else [""] * len(questions)
        form.version.data = response.version if response else 0
    return render_template("vignettes/response.html", vignette=found, response=response, form=form,
                           items=list(zip(questions, answers)), rubric=responses.RUBRIC, ratings=responses.RATINGS,
                           invalid=invalid,
                           editable=response is None or response.status in responses.EDITABLE), status


@bp.route("/<slug>/response", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
def respond(slug: str):
    """Write answers; whatever de-identification would replace is shown before a save or a submission."""
    if not services.may_open(current_user):
        return _locked(403)
    found = _published_or_404(slug)
    form = ResponseForm()
    if request.method == "GET":
        return _render_response(found, form)
    if not form.validate_on_submit():
        flash("That form could not be read; nothing was saved. Please try again.", "error")
        return redirect(url_for("vignettes.respond", slug=slug))
    questions = responses.questions_for(responses.current_response(current_user, found), found)
    answers = form.answers(request.form, len(questions))
    action = form.action.data
    if action == "edit":
        return _render_response(found, form, answers)
    if action == "save":
        preview = responses.preview(questions, answers, form.known_names())
        if preview.findings:
            return render_template("vignettes/response_preview.html", vignette=found, form=form, preview=preview,
                                   submitting=False)
    if action == "preview":
        return _preview(found, form, questions, answers)
    return _save(found, form, answers, submit=action == "submit")


def _preview(found, form: ResponseForm, questions, answers):
    try:
        responses.check_submission(current_user, questions, answers)
    except services.VignetteError as err:
        apply_error(form, err)
        return _render_response(found, form, answers, status=400, invalid=err.field)
    preview = responses.preview(questions, answers, form.known_names())
    return render_template("vignettes/response_preview.html", vignette=found, form=form, preview=preview,
                           submitting=True)


def _save(found, form: ResponseForm, answers, submit: bool):
    try:
        saved = responses.save_response(current_user, found, form.version.data, answers, form.known_names(),
                                        submit=submit)
    except services.VignetteError as err:
        apply_error(form, err)
        return _render_response(found, form, answers, status=400, invalid=err.field)
    if submit:
        flash(f"Submitted to {current_user.supervisor.name} for review.", "success")
    else:
        removed = sum(1 for a, b in zip(answers, saved.answers) if normalise(a).strip() != b["answer"])
        flash("Draft saved." + (" Identifying details were replaced with placeholders in "
                                f"{removed} answer{'s' if removed != 1 else ''}." if removed else ""), "success")
    return redirect(url_for("vignettes.respond", slug=found.slug))
