"""Admin pages for hours: the cohort report and its CSV, month locks and reassignment."""
from flask import (Blueprint, Response, abort, flash, redirect, render_template, request, stream_with_context,
                   url_for)
from flask_login import current_user

from trainer.auth.models import Role
from trainer.extensions import db
from trainer.hours import cohort, exports, queue, signoff
from trainer.hours.forms import ReassignForm, ReopenForm
from trainer.hours.models import HourEntry
from trainer.hours.services import HoursError, catalog
from trainer.security import roles_required

bp = Blueprint("hours_admin", __name__, url_prefix="/admin")


@bp.before_request
@roles_required(Role.ADMIN)
def only_admins():
    """Every page here is for clinic admins."""


@bp.get("/reports")
def reports():
    """The cohort: each trainee's hours and requirements met, a page at a time."""
    return render_template("hours/cohort.html", page=cohort.cohort_page(request.args.get("page", 1, type=int)),
                           programs=catalog().programs)


@bp.get("/reports.csv")
def reports_csv():
    """The whole cohort as CSV."""
    lines = exports.csv_lines(cohort.cohort_csv_header(), cohort.cohort_csv_rows())
    return Response(stream_with_context(lines), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="cohort.csv"'})


@bp.get("/hours")
def hours():
    """Signed months (to reopen) and pending entries (to reassign)."""
    pending = queue.all_pending(request.args.get("page", 1, type=int))
    return render_template("hours/admin_hours.html", pending=pending,
                           locks=queue.signed_months(request.args.get("locks", 1, type=int)),
                           options=queue.supervisor_options({e.trainee_id for e in pending.items}),
                           reopen_form=ReopenForm(), reassign_form=ReassignForm())


@bp.post("/hours/months/<int:lock_id>/reopen")
def reopen(lock_id: int):
    """Reopen a signed month with a reason."""
    form = ReopenForm()
    if not form.validate_on_submit():
        flash(" ".join(form.reason.errors) or "Say why the month is reopened.", "error")
        return redirect(url_for("hours_admin.hours"))
    try:
        month, name = signoff.reopen_month(current_user, lock_id, form.reason.data)
    except HoursError as err:
        flash(str(err), "error")
    else:
        flash(f"{month} is open again for {name}.", "success")
    return redirect(url_for("hours_admin.hours"))


@bp.post("/hours/entries/<int:entry_id>/reassign")
def reassign(entry_id: int):
    """Pass a pending entry to another of the trainee's supervisors."""
    db.session.get(HourEntry, entry_id) or abort(404)
    form = ReassignForm()
    version = int(form.version.data) if str(form.version.data or "").isdigit() else -1
    if form.validate_on_submit():
        try:
            entry = signoff.reassign_entry(current_user, entry_id, version, form.supervisor.data)
        except HoursError as err:
            flash(str(err), "error")
        else:
            flash(f"Entry #{entry.id} now waits for {entry.supervisor.name}.", "success")
    else:
        flash("Choose a supervisor.", "error")
    return redirect(url_for("hours_admin.hours"))
