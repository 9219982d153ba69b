"""Certificates: claimed only when every requirement is met, downloaded by their holder, verified in public."""
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import login
from trainer.audit import AuditEvent
from trainer.certificates.models import Certificate
from trainer.extensions import db
from trainer.storage import storage

FOUNDATIONS = "reunification-foundations"


@pytest.fixture
def qualified(trainee, supervisor, add_entry, complete_course):
    """The trainee meets the foundations program: the course, 20 direct hours, 6 of supervision."""
    complete_course(trainee, modules=[60, 90])
    for minutes in (600, 600):
        add_entry(trainee, supervisor, minutes=minutes, status="approved", decided_by_id=supervisor.id)
    add_entry(trainee, supervisor, category="individual-supervision", minutes=360, status="approved",
              decided_by_id=supervisor.id)
    return trainee


def claim(client, program=FOUNDATIONS):
    return client.post("/certificates/claim", data={"program": program}, follow_redirects=True)


def certificates() -> int:
    return db.session.scalar(select(func.count(Certificate.id)))


def stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_FOLDER"]) / "certificates"
    return list(root.iterdir()) if root.exists() else []


def test_not_met_means_no_claim(app, client, login_as, trainee, supervisor, add_entry):
    add_entry(trainee, supervisor, minutes=600, status="approved")
    login_as(trainee)
    page = client.get("/certificates").text
    assert "Claim the certificate" not in page and "No certificate yet" in page
    assert "Not every requirement of this program is met yet." in claim(client).text
    assert "Choose a program from the list." in claim(client, "no-such-program").text
    assert certificates() == 0 and stored_files(app) == []


def test_claim_issues_stores_and_audits_once(app, client, login_as, qualified, monkeypatch):
    seen = []
    from trainer.hours import pdf
    real = pdf.qr_image
    monkeypatch.setattr(pdf, "qr_image", lambda url: seen.append(url) or real(url))
    login_as(qualified)
    assert "Claim the certificate" in client.get("/certificates").text
    assert "Your certificate is ready" in claim(client).text
    cert = db.session.scalar(select(Certificate))
    assert (cert.user_id, cert.program_id, cert.status, len(cert.code)) == (qualified.id, FOUNDATIONS, "valid", 16)
    assert seen == [f"http://localhost/certificates/verify/{cert.code}"]
    assert storage().exists(cert.storage_key) and len(stored_files(app)) == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.issued"))
    assert event.target == f"certificates:{cert.id}" and event.details["hash"] == cert.content_hash
    assert "You already have this certificate." in claim(client).text and certificates() == 1


def test_only_the_holder_and_admins_download(client, make_app, login_as, qualified, make_user, admin, supervisor):
    login_as(qualified)
    claim(client)
    cert = db.session.scalar(select(Certificate))
    response = client.get(f"/certificates/{cert.id}/download")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff" and response.mimetype == "application/pdf"
    expected = {make_user("trainee"): 404, admin: 200, supervisor: 403}
    for person, status in expected.items():
        other = make_app().test_client()
        login(other, person)
        assert other.get(f"/certificates/{cert.id}/download").status_code == status
    assert client.get("/certificates/999999/download").status_code == 404


def test_the_verification_page_shows_only_name_program_date_and_status(client, make_app, login_as, qualified):
    login_as(qualified)
    claim(client)
    cert = db.session.scalar(select(Certificate))
    public = make_app().test_client()
    page = public.get(f"/certificates/verify/{cert.code}")
    assert page.status_code == 200
    for shown in (qualified.name, "Foundations Certificate in Reunification Practice",
                  cert.issued_at.strftime("%d %B %Y"), "Valid"):
        assert shown in page.text
    for hidden in (qualified.email, "Sol Supervisor", "Conjoint", "hours", cert.program_id):
        assert hidden not in page.text.split('<main')[1]
    assert public.get("/certificates/verify/" + "A" * 16).status_code == 404
    assert public.get("/certificates/verify/short").status_code == 404
    assert public.get("/certificates/verify/" + cert.code.lower()[:15] + "!").status_code == 404


def test_admin_revokes_with_a_reason(client, make_app, login_as, qualified, admin):
    login_as(qualified)
    claim(client)
    cert = db.session.scalar(select(Certificate))
    clinic = make_app().test_client()
    login(clinic, admin)
    assert qualified.name in clinic.get("/admin/certificates").text
    assert "Give the reason" in clinic.post(f"/admin/certificates/{cert.id}/revoke", data={"reason": ""},
                                           follow_redirects=True).text
    done = clinic.post(f"/admin/certificates/{cert.id}/revoke", data={"reason": "Hours found duplicated"},
                       follow_redirects=True)
    assert "The certificate is revoked" in done.text
    db.session.refresh(cert)
    assert (cert.status, cert.revoked_by_id, cert.revoke_reason) == ("revoked", admin.id, "Hours found duplicated")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.revoked"))
    assert event.details == {"reason": "Hours found duplicated"}
    assert "Revoked" in make_app().test_client().get(f"/certificates/verify/{cert.code}").text
    assert "already revoked" in clinic.post(f"/admin/certificates/{cert.id}/revoke", data={"reason": "again"},
                                            follow_redirects=True).text
    assert clinic.post("/admin/certificates/999999/revoke", data={"reason": "x"}).status_code == 404
    assert "was revoked. Ask the clinic admin" in claim(client).text and certificates() == 1


def test_certificates_go_through_s3_when_configured(make_app, s3_settings, qualified):
    app = make_app(**s3_settings)
    client = app.test_client()
    login(client, qualified)
    assert "Your certificate is ready" in claim(client).text
    with app.app_context():
        cert = db.session.scalar(select(Certificate))
        assert storage().exists(cert.storage_key)
        response = client.get(f"/certificates/{cert.id}/download")
    assert response.status_code == 302 and s3_settings["S3_ENDPOINT_URL"] in response.location
    assert "response-content-disposition=attachment" in response.location


def test_two_claims_at_once_issue_one_certificate(postgres_only, app, make_app, qualified):
    clients = []
    for _ in range(2):
        client = make_app().test_client()
        login(client, qualified)
        clients.append(client)
    barrier, results = threading.Barrier(2), []

    def run(client):
        barrier.wait()
        results.append(claim(client).text)
    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum("Your certificate is ready" in r for r in results) == 1
    assert sum("You already have this certificate." in r for r in results) == 1
    assert certificates() == 1 and len(stored_files(app)) == 1


def test_the_verification_page_asks_the_database_once(client, login_as, qualified, count_queries):
    login_as(qualified)
    claim(client)
    code = db.session.scalar(select(Certificate.code))
    client.post("/logout")
    with count_queries() as log:
        assert client.get(f"/certificates/verify/{code}").status_code == 200
    assert len(log) == 1, log.statements
