"""Consultation pages: lists, a new consultation with its preview, the thread, admin panels.

Every page here is sent `Cache-Control: no-store`: the new-consultation and
reply pages carry what the trainee typed inside their own form, and nowhere else.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from trainer.auth.forms import EmptyForm
from trainer.auth.models import Role, User
from trainer.consult import display, hours, queries, services, staff
from trainer.consult.forms import (ConflictForm, ConsultationForm, HoursForm, OnCallForm, ReassignForm, ReplyForm,
                                   VersionForm)
from trainer.consult.models import Consultation
from trainer.extensions import db
from trainer.forms import apply_error
from trainer.learn.pages import course_progress
from trainer.learn.progress import safety_cleared
from trainer.security import roles_required
from trainer.timeutil import utcnow

bp = Blueprint("consult", __name__)
ANYONE = (Role.TRAINEE, Role.SUPERVISOR, Role.ADMIN)


@bp.after_request
def never_store(response):
    """Consultation pages are never cached anywhere."""
    response.headers["Cache-Control"] = "no-store"
    return response


display.register(bp)


def _locked(status: int = 200):
    """The page that explains the safety module comes first."""
    course, safety = next(((c.course, c.safety) for c in course_progress(current_user)
                           if c.safety and not c.safety.complete), (None, None))
    return render_template("consult/locked.html", safety=safety, course=course), status


@bp.get("/consultations")
@roles_required(*ANYONE)
def index():
    """The trainee's consultations; for admins every consultation's metadata."""
    if current_user.role == Role.SUPERVISOR:
        return redirect(url_for("consult.supervise"))
    page_no = request.args.get("page", 1, type=int)
    if current_user.role == Role.ADMIN:
        show = request.args.get("show", "all")
        return render_template("consult/admin_list.html", page=queries.list_all(current_user, show, page_no),
                               show=show)
    return render_template("consult/index.html", page=queries.list_for_trainee(current_user, page_no),
                           cleared=safety_cleared(current_user))


def _draft(form: ConsultationForm) -> services.Draft:
    return services.Draft(question=form.question.data, summary=form.summary.data, topics=tuple(form.topics.data),
                          urgent=form.urgent, people=form.people.data or "", more=form.more.data or "")


def _preview_page(form: ConsultationForm, notice: str | None = None, status: int = 200):
    preview = services.preview_consultation(_draft(form))
    form.digest.data = preview.digest
    form.confirm.data = False  # each new preview is confirmed afresh
    return render_template("consult/new.html", form=form, preview=preview, notice=notice), status


@bp.route("/consultations/new", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
def new():
    """Write a consultation, check its de-identified preview, confirm; only then is it saved."""
    if not safety_cleared(current_user):
        return _locked(403 if request.method == "POST" else 200)
    form = ConsultationForm()
    if request.method == "GET":
        return render_template("consult/new.html", form=form, preview=None)
    if not form.validate_on_submit():
        return render_template("consult/new.html", form=form, preview=None), 400
    if request.form.get("action") != "send":
        return _preview_page(form)
    if not form.confirm.data:
        form.confirm.errors.append("Tick this once you have read the preview.")
        return _preview_page(form, status=400)
    try:
        consultation = services.create_consultation(current_user, _draft(form), form.digest.data)
    except services.PreviewChanged as err:
        return _preview_page(form, notice=str(err))
    except services.ConsultationError as err:
        apply_error(form, err)
        return _preview_page(form, status=400)
    flash(f"Sent to {consultation.supervisor.name}. Due by {consultation.due_at:%Y-%m-%d %H:%M} UTC.", "success")
    return redirect(url_for("consult.thread", consultation_id=consultation.id))


def _reassign_form(consultation: Consultation) -> ReassignForm:
    form = ReassignForm(prefix="re", formdata=None, version=consultation.version)
    others = [s for s in staff.supervisors_for(consultation.trainee_id) if s.id != consultation.supervisor_id]
    form.supervisor.choices = [(0, "Let the site choose")] + [(s.id, s.name) for s in others]
    return form


def _thread_page(consultation: Consultation, reply_form: ReplyForm, preview=None, notice=None, status=200):
    mine = current_user.id == consultation.trainee_id
    return render_template(
        "consult/thread.html", c=consultation, reply_form=reply_form, preview=preview, notice=notice,
        close_form=VersionForm(prefix="close", formdata=None, version=consultation.version),
        reassign_form=_reassign_form(consultation) if current_user.id == consultation.supervisor_id else None,
        hours_form=HoursForm(prefix="hours", formdata=None) if mine else None,
        can_log=mine and hours.can_log(current_user, consultation), logged=hours.logged(consultation),
        today=utcnow().date(),
    ), status


@bp.get("/consultations/<int:consultation_id>")
@roles_required(*ANYONE)
def thread(consultation_id: int):
    """The case and its replies, for the trainee and the assigned supervisor only."""
    consultation = queries.view_consultation(consultation_id, current_user)
    return _thread_page(consultation, ReplyForm(formdata=None))


def _reply_preview(consultation, form: ReplyForm, notice=None, status=200):
    preview = services.reply_preview(consultation, form.body.data, "", form.more.data or "")
    form.digest.data = preview.digest
    form.confirm.data = False
    return _thread_page(consultation, form, preview=preview, notice=notice, status=status)


@bp.post("/consultations/<int:consultation_id>/reply")
@roles_required(*ANYONE)
def reply(consultation_id: int):
    """Preview a reply de-identified, then send it once confirmed."""
    consultation = queries.get_consultation_or_404(consultation_id, current_user)
    form = ReplyForm()
    if not form.validate_on_submit():
        return _thread_page(consultation, form, status=400)
    if request.form.get("action") != "send":
        return _reply_preview(consultation, form)
    if not form.confirm.data:
        form.confirm.errors.append("Tick this once you have read the preview.")
        return _reply_preview(consultation, form, status=400)
    try:
        services.reply(current_user, consultation, form.body.data, "", form.more.data or "", form.digest.data)
    except services.PreviewChanged as err:
        return _reply_preview(consultation, form, notice=str(err))
    except services.ConsultationError as err:
        apply_error(form, err)
        return _reply_preview(consultation, form, status=400)
    flash("Reply sent. The other side gets an email saying there is a new message (never what it says).", "success")
    return redirect(url_for("consult.thread", consultation_id=consultation_id))


@bp.post("/consultations/<int:consultation_id>/close")
@roles_required(*ANYONE)
def close(consultation_id: int):
    """Close the consultation (the trainee or the supervisor)."""
    consultation = queries.get_consultation_or_404(consultation_id, current_user)
    form = VersionForm(prefix="close")
    if form.validate_on_submit():
        try:
            services.close(current_user, consultation, form.version.data)
        except services.ConsultationError as err:
            flash(str(err), "error")
        else:
            flash("The consultation is closed.", "success")
    return redirect(url_for("consult.thread", consultation_id=consultation_id))


@bp.post("/consultations/<int:consultation_id>/hours")
@roles_required(Role.TRAINEE)
def log_hours(consultation_id: int):
    """Log time spent as pending consultation hours, signed by the consultation's supervisor."""
    consultation = queries.get_consultation_or_404(consultation_id, current_user)
    form = HoursForm(prefix="hours")
    if not form.validate_on_submit():
        flash("Choose 15 to 120 minutes, in steps of 15.", "error")
    else:
        try:
            entry = hours.log_consultation_hours(current_user, consultation, form.minutes.data)
        except services.ConsultationError as err:
            flash(str(err), "error")
        else:
            flash(f"Logged {entry.minutes} minutes as consultation hours, waiting for "
                  f"{consultation.supervisor.name}'s sign-off.", "success")
    return redirect(url_for("consult.thread", consultation_id=consultation_id) + "#time")


@bp.post("/consultations/<int:consultation_id>/reassign")
@roles_required(Role.SUPERVISOR)
def reassign(consultation_id: int):
    """The assigned supervisor passes the consultation on."""
    consultation = queries.get_consultation_or_404(consultation_id, current_user)
    form = ReassignForm(prefix="re")
    form.supervisor.choices = _reassign_form(consultation).supervisor.choices
    if not form.validate_on_submit():
        flash("Choose who should take it.", "error")
        return redirect(url_for("consult.thread", consultation_id=consultation_id))
    try:
        target = services.reassign(current_user, consultation, form.version.data, form.supervisor.data)
    except services.ConsultationError as err:
        flash(str(err), "error")
        return redirect(url_for("consult.thread", consultation_id=consultation_id))
    flash(f"Passed to {target.name}.", "success")
    return redirect(url_for("consult.supervise"))


@bp.get("/supervise/consultations")
@roles_required(Role.SUPERVISOR)
def supervise():
    """Consultations routed to this supervisor, waiting ones by due time."""
    show = request.args.get("show", "waiting")
    page = queries.list_for_supervisor(current_user, show, request.args.get("page", 1, type=int))
    return render_template("consult/supervise.html", page=page, show=show,
                           summary=queries.supervisor_summary(current_user))


def _supervisor_or_404(user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None or person.role != Role.SUPERVISOR:
        abort(404)
    return person


@bp.app_template_global()
def consult_person_panel(person: User) -> dict:
    """What the admin's person page shows for a supervisor: on-call and conflicts of interest."""
    form = ConflictForm(prefix="conflict", formdata=None)
    taken = {c.trainee_id for c in staff.conflicts_of(person)}
    form.trainee.choices = [(t.id, f"{t.name} ({t.email})") for t in staff.trainees() if t.id not in taken]
    return {"conflicts": staff.conflicts_of(person), "conflict_form": form}


@bp.post("/admin/users/<int:user_id>/conflicts")
@roles_required(Role.ADMIN)
def add_conflict(user_id: int):
    """Mark a conflict of interest between this supervisor and a trainee."""
    supervisor = _supervisor_or_404(user_id)
    form = ConflictForm(prefix="conflict")
    form.trainee.choices = [(t.id, t.name) for t in staff.trainees()]
    if form.validate_on_submit():
        try:
            moved = services.add_conflict(current_user, supervisor, db.session.get(User, form.trainee.data),
                                          form.note.data or "")
        except staff.StaffError as err:
            flash(str(err), "error")
        else:
            flash("Conflict of interest saved." + (f" {moved} open consultation(s) moved to colleagues."
                                                    if moved else ""), "success")
    else:
        flash("Choose a trainee from the list.", "error")
    return redirect(url_for("admin.person", user_id=user_id))


@bp.post("/admin/users/<int:user_id>/conflicts/<int:conflict_id>/remove")
@roles_required(Role.ADMIN)
def remove_conflict(user_id: int, conflict_id: int):
    """Remove a conflict of interest."""
    supervisor = _supervisor_or_404(user_id)
    if EmptyForm().validate_on_submit():
        try:
            staff.remove_conflict(current_user, supervisor, conflict_id)
        except staff.StaffError as err:
            flash(str(err), "error")
        else:
            flash("Conflict of interest removed.", "success")
    return redirect(url_for("admin.person", user_id=user_id))


@bp.post("/admin/users/<int:user_id>/on-call")
@roles_required(Role.ADMIN)
def on_call(user_id: int):
    """Put a supervisor on call for urgent safety concerns, or take them off."""
    supervisor = _supervisor_or_404(user_id)
    form = OnCallForm()
    if form.validate_on_submit():
        try:
            staff.set_on_call(current_user, supervisor, form.on_call.data == "1")
        except staff.StaffError as err:
            flash(str(err), "error")
        else:
            flash(f"{supervisor.name} is {'now' if supervisor.on_call else 'no longer'} on call.", "success")
    return redirect(url_for("admin.person", user_id=user_id))
