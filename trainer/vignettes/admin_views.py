"""Clinic admin pages for vignettes: list, upload, review findings, publish, files, archive, export."""
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from trainer.auth.forms import EmptyForm
from trainer.auth.models import Role
from trainer.extensions import csrf, db
from trainer.forms import apply_error
from trainer.learn.models import Vignette
from trainer.security import roles_required
from trainer.storage import attachment
from trainer.vignettes import drafts, publishing, services, uploads
from trainer.vignettes.forms import AttachmentsForm, EditVignetteForm, NewVignetteForm, RevisionForm
from trainer.vignettes.models import Attachment, VignetteVersion
from trainer.vignettes.services import VignetteError

bp = Blueprint("vignettes_admin", __name__, url_prefix="/admin/vignettes")
UPLOADS = {"vignettes_admin.new", "vignettes_admin.add_attachments"}


@roles_required(Role.ADMIN)
def _admins_only():
    return None


@bp.before_request
def only_admins():
    """Every page here is for clinic admins; for them, the upload routes take ten full-size files.

    Those routes skip the site-wide CSRF check (it runs first and would read the body
    under the site's smaller limit), so the check runs here, after the limit is set.
    """
    if request.endpoint in UPLOADS and request.method == "POST":
        if current_user.is_authenticated and current_user.role == Role.ADMIN:
            request.max_content_length = uploads.request_limit()
        if (request.content_length or 0) > request.max_content_length:
            abort(413)
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()
    return _admins_only()


def get_vignette_or_404(vignette_id: int) -> Vignette:
    """Admins manage every vignette; an unknown id is a 404."""
    return db.session.get(Vignette, vignette_id) or abort(404)


def _files(form) -> list[uploads.Upload]:
    return [uploads.Upload(f.stream, f.filename) for f in form.attachments.data or [] if f and f.filename]


def _written(form: NewVignetteForm):
    """The vignette from the uploaded file when there is one (read no further than its limit), else the fields."""
    file = form.markdown_file.data
    if file and file.filename:
        return drafts.read_markdown_file(file.filename, file.stream.read(drafts.MARKDOWN_MAX + 1)), "file"
    return drafts.read_form(form.text()), "form"


@bp.get("")
def index():
    """Every vignette, drafts first."""
    status = request.args.get("status", "")
    page = services.admin_list(status if status in ("draft", "published", "archived", "retired") else "",
                               request.args.get("page", 1, type=int))
    return render_template("vignettes/admin_index.html", page=page, status=status)


@bp.route("/new", methods=["GET", "POST"])
@csrf.exempt
def new():
    """Upload a Markdown file or write the vignette, with attachments; saved as a draft."""
    form = NewVignetteForm()
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            text, origin = _written(form)
            created = publishing.create_vignette(current_user, text, _files(form), form.slug.data or "", origin)
        except VignetteError as err:
            apply_error(form, err)
            status = 503 if isinstance(err, uploads.StoreUnavailable) else 400  # the store's fault, not the form's
        else:
            flash("Draft saved. Decide each highlighted finding, then publish.", "success")
            return redirect(url_for("vignettes_admin.detail", vignette_id=created.id))
    return render_template("vignettes/admin_new.html", form=form), status


@bp.get("/<int:vignette_id>")
def detail(vignette_id: int):
    """A vignette: status, versions, files, and its draft with every finding highlighted."""
    vignette = get_vignette_or_404(vignette_id)
    draft = drafts.draft_of(vignette)
    fields, findings = drafts.review(draft) if draft else ([], [])
    files = db.session.scalars(select(Attachment).where(Attachment.vignette_id == vignette.id)
                               .order_by(Attachment.id)).all()
    versions = db.session.scalars(select(VignetteVersion).where(VignetteVersion.vignette_id == vignette.id)
                                  .order_by(VignetteVersion.version.desc())).all()
    return render_template("vignettes/admin_detail.html", vignette=vignette, draft=draft, fields=fields,
                           findings=findings, files=files, versions=versions, form=RevisionForm(),
                           button=EmptyForm(), attachments_form=AttachmentsForm(),
                           limits=uploads.limits())


def _back(vignette: Vignette):
    return redirect(url_for("vignettes_admin.detail", vignette_id=vignette.id))


@bp.route("/<int:vignette_id>/edit", methods=["GET", "POST"])
def edit(vignette_id: int):
    """Change the draft, or start the next version of a published vignette."""
    vignette = get_vignette_or_404(vignette_id)
    if vignette.source != "upload":
        flash(publishing.COURSE_READ_ONLY, "info")
        return _back(vignette)
    draft = drafts.draft_of(vignette)
    form = EditVignetteForm()
    if form.validate_on_submit():
        try:
            publishing.save_draft(current_user, vignette, drafts.read_form(form.text()), form.revision.data)
        except VignetteError as err:
            apply_error(form, err)
        else:
            flash("Draft saved and checked again. Decide each highlighted finding, then publish.", "success")
            return _back(vignette)
    elif not form.is_submitted():
        form.fill(drafts.text_of(draft) if draft else publishing.published_text(vignette))
        form.revision.data = draft.revision if draft else 0
    return render_template("vignettes/admin_edit.html", vignette=vignette, draft=draft, form=form), \
        400 if form.is_submitted() else 200


def _act(vignette_id: int, action):
    """Run a revision-checked action on a vignette's draft; flash what it says, then go back."""
    vignette = get_vignette_or_404(vignette_id)
    form = RevisionForm()
    if not form.validate_on_submit():
        flash("That form could not be read; nothing changed. Please try again.", "error")
        return _back(vignette)
    try:
        message = action(vignette, form)
    except VignetteError as err:
        flash(str(err), "error")
    else:
        flash(message, "success")
    return _back(vignette)


@bp.post("/<int:vignette_id>/decisions")
def decide(vignette_id: int):
    """Redact the findings marked so, keep the ones marked not identifying."""
    def action(vignette, form):
        """Apply the decisions; say how many of each."""
        redacted, kept = publishing.decide(current_user, vignette, form.revision.data,
                                           form.choices(request.form))
        return f"Saved: {redacted} redacted, {kept} marked not identifying."
    return _act(vignette_id, action)


@bp.post("/<int:vignette_id>/publish")
def publish(vignette_id: int):
    """Publish the draft as the next version."""
    def action(vignette, form):
        """Publish; say which version."""
        version = publishing.publish(current_user, vignette, form.revision.data)
        return f"Version {version.version} is published in the library."
    return _act(vignette_id, action)


@bp.post("/<int:vignette_id>/discard")
def discard(vignette_id: int):
    """Throw away the draft (and the vignette, when it was never published)."""
    vignette = get_vignette_or_404(vignette_id)
    if not EmptyForm().validate_on_submit():
        return _back(vignette)
    try:
        whole = publishing.discard_draft(current_user, vignette)
    except VignetteError as err:
        flash(str(err), "error")
        return _back(vignette)
    flash("The draft was discarded." + (" The vignette was never published, so it is gone." if whole else ""),
          "success")
    return redirect(url_for("vignettes_admin.index")) if whole else _back(vignette)


@bp.post("/<int:vignette_id>/archive", defaults={"action": "archive"})
@bp.post("/<int:vignette_id>/restore", defaults={"action": "restore"})
def change_status(vignette_id: int, action: str):
    """Take a vignette out of the library, or put it back."""
    vignette = get_vignette_or_404(vignette_id)
    if EmptyForm().validate_on_submit():
        try:
            publishing.change_status(current_user, vignette, action)
        except VignetteError as err:
            flash(str(err), "error")
        else:
            flash("Archived: it is out of the library; responses stay." if action == "archive"
                  else "Restored to the library.", "success")
    return _back(vignette)


@bp.post("/<int:vignette_id>/attachments")
@csrf.exempt
def add_attachments(vignette_id: int):
    """Add files; they appear with the next published version."""
    vignette = get_vignette_or_404(vignette_id)
    form = AttachmentsForm()
    if form.validate_on_submit():
        try:
            added = publishing.add_attachments(current_user, vignette, _files(form))
        except VignetteError as err:
            flash(str(err), "error")
        else:
            flash(f"{added} file{'s' if added != 1 else ''} added to the draft; publish to show "
                  f"{'them' if added != 1 else 'it'}.", "success")
    return _back(vignette)


@bp.post("/<int:vignette_id>/attachments/<int:attachment_id>/remove")
def remove_attachment(vignette_id: int, attachment_id: int):
    """Remove a file that is not published yet."""
    vignette = get_vignette_or_404(vignette_id)
    if EmptyForm().validate_on_submit():
        try:
            name = publishing.remove_attachment(current_user, vignette, attachment_id)
        except VignetteError as err:
            flash(str(err), "error")
        else:
            flash(f"“{name}” was removed.", "success")
    return _back(vignette)


@bp.get("/<int:vignette_id>/export.md")
def export(vignette_id: int):
    """The published version as a courses/ Markdown file, to keep the library under version control."""
    vignette = get_vignette_or_404(vignette_id)
    text = publishing.export(vignette) if vignette.source == "upload" else None
    if text is None:
        abort(404)
    return Response(text, mimetype="text/markdown", headers={
        "Content-Disposition": attachment(f"{vignette.slug}.md"), "X-Content-Type-Options": "nosniff"})
