"""Admin pages for people (list, invite, roles, activation, supervision) and the audit log."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from trainer import audit
from trainer.admin.audit_log import FAMILIES, events as audit_events
from trainer.admin import services
from trainer.admin.forms import (ActiveForm, ExpertiseForm, InviteForm, RoleForm, SupervisorForm,
                                 supervisor_choices)
from trainer.auth import services as accounts
from trainer.auth.models import Role, User
from trainer.extensions import db
from trainer.forms import apply_error
from trainer.security import roles_required
from trainer.timeutil import utcnow

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@roles_required(Role.ADMIN)
def only_admins():
    """Every page here is for clinic admins."""


def get_person_or_404(user_id: int) -> User:
    """Admins may manage anyone; an unknown id is a 404."""
    return db.session.get(User, user_id) or abort(404)


@bp.get("/users")
def users():
    """People, searchable and filtered by role."""
    page = services.list_people(request.args.get("q", "")[:100], request.args.get("role", ""),
                                request.args.get("page", 1, type=int))
    return render_template("admin/users.html", page=page, q=request.args.get("q", ""),
                           role=request.args.get("role", ""))


@bp.route("/users/invite", methods=["GET", "POST"])
def invite():
    """Invite a person by email with a role."""
    form = InviteForm()
    form.supervisor.choices = supervisor_choices(services.active_supervisors(), "No supervisor yet")
    if form.validate_on_submit():
        try:
            link = accounts.invite_person(current_user, form.email.data, form.name.data,
                                          form.role.data, form.supervisor.data or None)
        except accounts.AccountError as err:
            apply_error(form, err)
        else:
            flash(f"Invitation sent to {form.email.data.strip().lower()}.", "success")
            return render_template("admin/invited.html", link=link, email=form.email.data)
    return render_template("admin/invite.html", form=form)


def _person_forms(person: User, submitted: str | None = None) -> dict:
    """The person page's forms; only the submitted one reads the request."""
    def make(name, form_class, prefix, **data):
        if name != submitted:
            data["formdata"] = None
        return form_class(prefix=prefix, **data)
    forms = {
        "role_form": make("role_form", RoleForm, "role", role=person.role),
        "supervisor_form": make("supervisor_form", SupervisorForm, "sup",
                                supervisor=person.supervisor_id or 0, starts_on=utcnow().date()),
        "expertise_form": make("expertise_form", ExpertiseForm, "exp",
                               topics=person.topics, capacity=person.capacity),
        "active_form": make("active_form", ActiveForm, "act"),
    }
    supervisors = [s for s in services.active_supervisors() if s.id != person.id]
    forms["supervisor_form"].supervisor.choices = supervisor_choices(supervisors, "No supervisor")
    return forms


@bp.get("/users/<int:user_id>")
def person(user_id: int):
    """One person: role, activation, supervision and expertise."""
    person = get_person_or_404(user_id)
    return render_template("admin/person.html", person=person, **_person_forms(person))


def _handle(person: User, form_name: str, action) -> object:
    forms = _person_forms(person, submitted=form_name)
    form = forms[form_name]
    if form.validate_on_submit():
        try:
            action(form)
        except accounts.AccountError as err:
            apply_error(form, err)
        else:
            flash("Saved.", "success")
            return redirect(url_for("admin.person", user_id=person.id))
    return render_template("admin/person.html", person=person, **forms), 400


@bp.post("/users/<int:user_id>/role")
def change_role(user_id: int):
    """Change a person's role."""
    person = get_person_or_404(user_id)
    return _handle(person, "role_form", lambda f: services.change_role(current_user, person, f.role.data))


@bp.post("/users/<int:user_id>/active")
def toggle_active(user_id: int):
    """Deactivate or reactivate an account."""
    person = get_person_or_404(user_id)
    return _handle(person, "active_form",
                   lambda f: services.set_active(current_user, person, not person.active))


@bp.post("/users/<int:user_id>/supervisor")
def assign_supervisor(user_id: int):
    """Assign a trainee's primary supervisor."""
    person = get_person_or_404(user_id)

    def action(form):
        supervisor = db.session.get(User, form.supervisor.data) if form.supervisor.data else None
        services.assign_supervisor(current_user, person, supervisor, form.starts_on.data)
    return _handle(person, "supervisor_form", action)


@bp.post("/users/<int:user_id>/expertise")
def expertise(user_id: int):
    """Set a supervisor's topics and capacity."""
    person = get_person_or_404(user_id)
    return _handle(person, "expertise_form",
                   lambda f: services.set_expertise(current_user, person, f.topics.data, f.capacity.data))


@bp.get("/audit")
def audit_log():
    """The audit log, newest first: who did what to which target, and when (never the content)."""
    args = {name: request.args.get(name, "")[:100] for name in ("family", "actor", "target")}
    page = audit_events(**args, page=request.args.get("page", 1, type=int))
    return render_template("admin/audit.html", page=page, families=FAMILIES, **args)


@bp.get("/audit/verify")
def audit_verify():
    """Walk the whole chain and say whether any event was edited, removed or reordered."""
    return render_template("admin/audit_verify.html", report=audit.verify())
