"""Certificate pages: claim and download, public verification, and revocation by admins."""
from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from trainer.auth.models import Role
from trainer.certificates import services
from trainer.certificates.forms import ClaimForm, RevokeForm
from trainer.extensions import limiter
from trainer.hours import reports
from trainer.security import roles_required
from trainer.storage import StorageError, attachment, storage

bp = Blueprint("certificates", __name__)


@bp.get("/certificates")
@roles_required(Role.TRAINEE)
def index():
    """The trainee's certificates and the programs they can claim."""
    return render_template("certificates/index.html", standing=reports.standing_for(current_user),
                           certificates=services.certificates_of(current_user), form=ClaimForm())


@bp.post("/certificates/claim")
@roles_required(Role.TRAINEE)
def claim():
    """Claim a program's certificate once every requirement is met."""
    form = ClaimForm()
    if form.validate_on_submit():
        try:
            services.claim_certificate(current_user, form.program.data)
        except services.CertificateError as err:
            flash(str(err), "error")
        else:
            flash("Your certificate is ready. Download it below.", "success")
    return redirect(url_for("certificates.index"))


@bp.get("/certificates/<int:cert_id>/download")
@roles_required(Role.TRAINEE, Role.ADMIN)
def download(cert_id: int):
    """The certificate PDF, for its holder and admins only."""
    cert = services.get_certificate_or_404(cert_id, current_user)
    filename = f"certificate-{cert.program_id}.pdf"
    direct = storage().url(cert.storage_key, filename, "application/pdf")
    if direct:
        return redirect(direct)
    try:
        handle = storage().open(cert.storage_key)
    except StorageError:
        flash("The certificate file is not available right now. Try again later.", "error")
        return redirect(url_for("certificates.index" if current_user.role == Role.TRAINEE
                                else "certificates.admin_list"))
    response = send_file(handle, mimetype="application/pdf", download_name=filename, as_attachment=True)
    response.headers["Content-Disposition"] = attachment(filename)
    return response


@bp.get("/certificates/verify/<code>")
@limiter.limit("60 per minute")
def verify(code: str):
    """Public: name, program, issue date and status of a certificate, nothing else."""
    return render_template("certificates/verify.html", cert=services.find_by_code(code))


@bp.get("/admin/certificates")
@roles_required(Role.ADMIN)
def admin_list():
    """Every certificate, with revocation."""
    return render_template("certificates/admin_list.html", form=RevokeForm(),
                           page=services.list_certificates(request.args.get("page", 1, type=int)))


@bp.post("/admin/certificates/<int:cert_id>/revoke")
@roles_required(Role.ADMIN)
def revoke(cert_id: int):
    """Revoke a certificate with a reason."""
    services.get_certificate_or_404(cert_id, current_user)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            services.revoke_certificate(current_user, cert_id, form.reason.data)
        except services.CertificateError as err:
            flash(str(err), "error")
        else:
            flash("The certificate is revoked; its verification page now says so.", "success")
    else:
        flash(" ".join(form.reason.errors) or "Give the reason for revoking.", "error")
    return redirect(url_for("certificates.admin_list"))
