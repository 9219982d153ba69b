"""Hours pages: the trainee's log and entries, the supervisor's sign-off queue and trainee progress."""
import re

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from trainer.auth.models import Role
from trainer.extensions import limiter
from trainer.forms import apply_error
from trainer.hours import exports, queue, reports, services, signoff
from trainer.hours.chart import hours_text
from trainer.hours.forms import DecisionForm, DeleteForm, EntryForm
from trainer.hours.models import EntryStatus
from trainer.security import roles_required

bp = Blueprint("hours", __name__)
PICK = re.compile(r"^(\d{1,12}):(\d{1,9})$")


@bp.app_template_filter("hours")
def hours_filter(value: float) -> str:
    """Hours without trailing zeros, for templates: 40, 12.5, 0.25."""
    return hours_text(value)


def _entry_form(obj=None, **data) -> EntryForm:
    form = EntryForm(obj=obj, **data)
    form.category.choices = [(c.id, c.label) for c in services.loggable_categories()]
    form.supervisor.choices = [(s.id, s.name) for s in services.supervisors_for(current_user)]
    if not form.is_submitted() and obj is None and form.supervisor.choices:
        form.supervisor.data = form.supervisor.choices[0][0]
    return form


def _entry_data(form: EntryForm) -> services.EntryData:
    return services.EntryData(date=form.date.data, category=form.category.data or "",
                              minutes=form.minutes.data, supervisor_id=form.supervisor.data or 0,
                              description=form.description.data or "")


def _show(form, err: services.HoursError) -> None:
    for problem in err.problems:
        apply_error(form, problem)


def _version(raw) -> int:
    return int(raw) if str(raw or "").isdigit() else -1


@bp.get("/hours")
@roles_required(Role.TRAINEE)
def log():
    """The trainee's hours: progress, totals per category, and the log by status and month."""
    status = request.args.get("status", "")
    month = services.parse_month(request.args.get("month"))
    if request.args.get("month") and not month:
        flash("Choose a month like 2026-03; showing every month.", "warning")
    page = reports.log_page(current_user, status if status in set(EntryStatus) else None, month,
                            request.args.get("page", 1, type=int))
    return render_template("hours/log.html", page=page, totals=reports.totals_for(current_user),
                           catalog=services.catalog(), status=status, month=month or "",
                           delete_form=DeleteForm())


@bp.route("/hours/new", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
def new():
    """Log one entry of hours for a supervisor to sign."""
    form = _entry_form()
    if form.validate_on_submit():
        try:
            services.log_hours(current_user, _entry_data(form))
        except services.HoursError as err:
            _show(form, err)
        else:
            flash("Logged. Your supervisor has been told it waits for sign-off.", "success")
            return redirect(url_for("hours.log"))
    return render_template("hours/entry.html", form=form, title="Log hours", entry=None), \
        400 if form.errors or form.form_errors else 200


@bp.route("/hours/<int:entry_id>/edit", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
def edit(entry_id: int):
    """Change a pending entry; decided entries never change."""
    entry = services.get_entry_or_404(entry_id, current_user)
    if entry.status != EntryStatus.PENDING and request.method == "GET":
        flash("This entry is decided, so it cannot change. A rejected entry can be corrected and sent again.",
              "warning")
        return redirect(url_for("hours.log"))
    form = _entry_form(obj=entry, version=entry.version, supervisor=entry.supervisor_id)
    form.submit.label.text = "Save changes"
    if form.validate_on_submit():
        try:
            services.edit_entry(current_user, entry, _version(form.version.data), _entry_data(form))
        except services.HoursError as err:
            _show(form, err)
        else:
            flash("Saved. The entry still waits for sign-off.", "success")
            return redirect(url_for("hours.log"))
    return render_template("hours/entry.html", form=form, title="Change an entry", entry=entry), \
        400 if form.errors or form.form_errors else 200


@bp.route("/hours/<int:entry_id>/resubmit", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
def resubmit(entry_id: int):
    """Correct a rejected entry and send it again as a new revision."""
    entry = services.get_entry_or_404(entry_id, current_user)
    form = _entry_form(obj=entry, supervisor=entry.supervisor_id)
    form.submit.label.text = "Send the corrected entry"
    if form.validate_on_submit():
        try:
            services.resubmit_entry(current_user, entry, _entry_data(form))
        except services.HoursError as err:
            _show(form, err)
        else:
            flash("Sent again as a new entry. The rejected one stays on record.", "success")
            return redirect(url_for("hours.log"))
    if entry.status != EntryStatus.REJECTED and not form.form_errors:
        flash("Only a rejected entry can be corrected and sent again.", "warning")
        return redirect(url_for("hours.log"))
    return render_template("hours/entry.html", form=form, title="Correct a rejected entry", entry=entry), \
        400 if form.errors or form.form_errors else 200


@bp.post("/hours/<int:entry_id>/delete")
@roles_required(Role.TRAINEE)
def delete(entry_id: int):
    """Delete a pending entry."""
    entry = services.get_entry_or_404(entry_id, current_user)
    form = DeleteForm()
    if form.validate_on_submit():
        try:
            services.delete_entry(current_user, entry, _version(form.version.data))
        except services.HoursError as err:
            flash(str(err), "error")
        else:
            flash("The entry is deleted.", "success")
    return redirect(url_for("hours.log"))


@bp.get("/hours/export.csv")
@roles_required(Role.TRAINEE)
def export_csv():
    """Approved entries with their decisions, as CSV."""
    return Response(exports.trainee_csv(current_user), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="hours.csv"'})


@bp.get("/hours/report.pdf")
@roles_required(Role.TRAINEE)
def report_pdf():
    """The signed transcript as a PDF."""
    return Response(exports.transcript_pdf(current_user), mimetype="application/pdf",
                    headers={"Content-Disposition": 'attachment; filename="hours-transcript.pdf"'})


def _picks(values) -> list[tuple[int, int]] | None:
    """Parse `id:version` pairs; None when the form was tampered with."""
    matches = [PICK.match(v or "") for v in values]
    return None if not all(matches) else [(int(m.group(1)), int(m.group(2))) for m in matches]


def _queue_filters() -> tuple[int | None, str | None]:
    trainee = request.values.get("trainee", type=int)
    month = services.parse_month(request.values.get("month"))
    return trainee, month


@bp.route("/supervise/hours", methods=["GET", "POST"], endpoint="queue")
@roles_required(Role.SUPERVISOR)
@limiter.limit("30 per minute", methods=["POST"])
def queue_view():
    """Pending entries of the supervisor's trainees: filter, then approve or reject many at once."""
    trainee, month = _queue_filters()
    form = DecisionForm()
    if form.validate_on_submit():
        result = _decide(form, trainee, month)
        if result is not None:
            return redirect(url_for("hours.queue", trainee=trainee or None, month=month))
    page = queue.queue_page(current_user, trainee, month, request.args.get("page", 1, type=int))
    labels = {c.id: c.label for c in services.catalog().categories}
    return render_template("hours/queue.html", form=form, page=page, trainee=trainee, month=month or "",
                           waiting=queue.waiting_by_trainee(current_user), labels=labels), \
        400 if form.errors or form.form_errors else 200


def _decide(form: DecisionForm, trainee: int | None, month: str | None):
    whole = request.form.get("scope") == "month"
    picks = _picks(form.month_entries.data if whole else form.entries.data)
    if picks is None:
        form.form_errors.append("The form was changed in a way the page does not allow; nothing was signed. "
                                "Reload the page and try again.")
        return None
    try:
        result = signoff.decide_entries(current_user, form.password.data, picks,
                                        "approve" if whole else form.decision.data, form.reason.data or "",
                                        whole_month=(trainee, month) if whole and trainee and month else None)
    except services.HoursError as err:
        apply_error(form, err)
        return None
    _flash_result(result)
    return result


def _flash_result(result: signoff.BatchResult) -> None:
    if result.decided:
        flash(f"Signed {len(result.decided)} {'entry' if len(result.decided) == 1 else 'entries'}.", "success")
    if result.refused:
        flash(f"{len(result.refused)} {'entry was' if len(result.refused) == 1 else 'entries were'} already "
              "decided or changed since you loaded the page, so not signed. Check the list again.", "warning")
    if result.locked_month:
        flash(f"{result.locked_month} is signed and locked for this trainee.", "success")
    if result.month_left_open:
        flash("New entries arrived for that month while you signed, so it is not locked yet.", "warning")


@bp.get("/supervise/trainees/<int:trainee_id>")
@roles_required(Role.SUPERVISOR, Role.ADMIN)
def trainee_progress(trainee_id: int):
    """A supervised trainee's progress (admins may see any trainee)."""
    trainee = queue.get_supervised_trainee_or_404(trainee_id, current_user)
    return render_template("hours/trainee_progress.html", trainee=trainee, standing=reports.standing_for(trainee))

