"""The library, vignette pages, downloads (local and S3), the safety gate, navigation and roles."""
import time
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from tests.conftest import login
from tests.vignettes import samples
from tests.vignettes.conftest import pdf_and_audio, publish_now, upload, vtext
from trainer.audit import AuditEvent
from trainer.auth.models import User
from trainer.config import ROOT
from trainer.extensions import db
from trainer.learn.sync import sync_courses
from trainer.vignettes import publishing
from trainer.vignettes.models import Attachment

ROLES = ("anonymous", "trainee", "supervisor", "admin")


@pytest.fixture
def people(admin, supervisor, trainee):
    return {"admin": admin, "supervisor": supervisor, "trainee": trainee}


def files_of(vignette):
    return db.session.scalars(select(Attachment).where(Attachment.vignette_id == vignette.id)
                              .order_by(Attachment.id)).all()


def test_the_library_lists_course_and_uploaded_vignettes_with_search_and_filters(client, login_as, trainee,
                                                                                 published, app):
    sync_courses(ROOT / "courses")
    login_as(trainee)
    from trainer.learn.models import ModuleCompletion
    db.session.add(ModuleCompletion(user_id=trainee.id, course_slug="reunification-protocol",
                                    module_slug="safety-first", module_title="Safety first", credit_minutes=75))
    db.session.commit()
    page = client.get("/vignettes").text
    assert "7 vignettes" in page and "The handover at the library" in page and "Added by the clinic" in page
    assert "The weekend that keeps falling through" in page and "From the course" in page
    assert "1 vignette" in client.get("/vignettes?q=HANDOVER").text
    toddlers = client.get("/vignettes?age_band=under-6").text
    assert "The handover at the library" not in toddlers and "vignettes" in toddlers
    step = client.get("/vignettes?topic=step-family").text
    assert "A new baby at the other house" in step and "The handover at the library" not in step
    assert "No vignettes match." in client.get("/vignettes?q=nothing-like-this").text
    assert "7 vignettes" in client.get("/vignettes?topic=bogus&difficulty=%3Cscript%3E").text  # unknown tags ignored
    combined = client.get("/vignettes?topic=resist-refuse&court_stage=post-judgment&difficulty=intermediate").text
    assert "The handover at the library" in combined


def test_the_library_pages(client, login_as, trainee, admin):
    for number in range(14):
        title = f"Practice case {'abcdefghijklmn'[number]}"
        publish_now(admin, publishing.create_vignette(admin, vtext(title=title, body="Text."), []))
    login_as(trainee)
    first = client.get("/vignettes").text
    assert "Page 1 of 2" in first and "Practice case a<" in first and "Practice case n<" not in first
    assert "Practice case n<" in client.get("/vignettes?page=2").text


def test_the_gate_locks_vignettes_until_the_safety_module_is_complete(client, login_as, trainee, published):
    sync_courses(ROOT / "courses")
    login_as(trainee)
    locked = client.get("/vignettes")
    assert locked.status_code == 200 and "Vignettes open once you complete the safety module" in locked.text
    assert 'href="/courses/reunification-protocol/safety-first"' in locked.text and published.title not in locked.text
    attachment = files_of(published)[0]
    for path in (f"/vignettes/{published.slug}", f"/vignettes/{published.slug}/response",
                 f"/vignettes/{published.slug}/files/{attachment.id}"):
        assert client.get(path).status_code == 403, path
    from trainer.learn.models import ModuleCompletion
    db.session.add(ModuleCompletion(user_id=trainee.id, course_slug="reunification-protocol",
                                    module_slug="safety-first", module_title="Safety first", credit_minutes=75))
    db.session.commit()
    assert client.get(f"/vignettes/{published.slug}").status_code == 200


def test_a_vignette_page_shows_the_case_files_and_questions(client, login_as, trainee, published):
    login_as(trainee)
    page = client.get(f"/vignettes/{published.slug}").text
    pdf, audio = files_of(published)
    assert f'href="/vignettes/{published.slug}/files/{pdf.id}" download>Referral letter.pdf</a>' in page
    assert "MP3 audio" in page and "What hypotheses would you hold?" in page and "Write a response" in page
    assert client.get("/vignettes/no-such-case").status_code == 404


def test_local_downloads_check_who_asks_and_send_safe_headers(client, login_as, trainee, admin, published):
    pdf = files_of(published)[0]
    path = f"/vignettes/{published.slug}/files/{pdf.id}"
    assert client.get(path).status_code == 302  # anonymous: to sign in
    login_as(trainee)
    response = client.get(path)
    assert response.status_code == 200 and response.data == samples.PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename*=UTF-8''Referral%20letter.pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff" and response.headers["Cache-Control"] == "no-store"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "vignette.attachment_downloaded"))
    assert (event.actor_id, event.target, event.details) == (trainee.id, f"vignette_attachments:{pdf.id}",
                                                             {"via": "stream"})
    assert client.get(f"/vignettes/other-slug/files/{pdf.id}").status_code == 404


def test_files_of_drafts_and_archived_vignettes_are_for_admins_only(client, login_as, trainee, admin, published):
    publishing.add_attachments(admin, published, [upload("draft.png", samples.PNG)])
    draft_file = files_of(published)[-1]
    draft_only = publishing.create_vignette(admin, vtext(title="Unpublished"), [upload("a.pdf", samples.PDF)])
    hidden = files_of(draft_only)[0]
    login_as(trainee)
    assert client.get(f"/vignettes/{published.slug}/files/{draft_file.id}").status_code == 404
    assert client.get(f"/vignettes/{draft_only.slug}/files/{hidden.id}").status_code == 404
    assert client.get(f"/vignettes/{draft_only.slug}").status_code == 404
    client.post("/logout")
    login(client, admin)
    assert client.get(f"/vignettes/{draft_only.slug}/files/{hidden.id}").data == samples.PDF
    publishing.change_status(admin, published, "archive")
    client.post("/logout")
    login(client, trainee)
    assert client.get(f"/vignettes/{published.slug}/files/{files_of(published)[0].id}").status_code == 404


def test_s3_downloads_redirect_to_a_short_lived_signed_url(make_app, app, s3_settings, admin, trainee):
    s3 = make_app(**s3_settings)
    with s3.app_context():
        boss = db.session.get(User, admin.id)
        vignette = publishing.create_vignette(boss, vtext(), pdf_and_audio())
        publish_now(boss, vignette)
        audio = files_of(vignette)[1]
        target = f"vignette_attachments:{audio.id}"
        client = s3.test_client()
        login(client, db.session.get(User, trainee.id))
        response = client.get(f"/vignettes/{vignette.slug}/files/{audio.id}")
    query = parse_qs(urlsplit(response.location).query)
    lifetime = int(query["X-Amz-Expires"][0]) if "X-Amz-Expires" in query else int(query["Expires"][0]) - time.time()
    assert response.status_code == 302 and 290 <= lifetime <= 300
    assert response.location.startswith(s3_settings["S3_ENDPOINT_URL"])
    with urllib.request.urlopen(response.location) as fetched:
        assert fetched.read() == samples.MP3_ID3
        assert fetched.headers["Content-Disposition"] == "attachment; filename*=UTF-8''Intake%20call.mp3"
        assert fetched.headers["Content-Type"] == "audio/mpeg"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "vignette.attachment_downloaded"))
    assert (event.actor_id, event.target, event.details) == (trainee.id, target, {"via": "signed-link"})


@pytest.mark.parametrize("role,labels", [
    ("trainee", ['href="/vignettes"']), ("supervisor", ['href="/vignettes"', 'href="/supervise/vignettes"']),
    ("admin", ['href="/admin/vignettes"'])])
def test_navigation_per_role(client, people, role, labels):
    login(client, people[role])
    nav = client.get("/").text.split('<nav class="site-nav"')[1].split("</nav>")[0]
    assert all(label in nav for label in labels)
    assert ('href="/supervise/vignettes"' in nav) == (role == "supervisor")


@pytest.mark.parametrize("path,allowed", [
    ("/admin/vignettes/new", {"admin"}), ("/admin/vignettes/1/decisions", {"admin"}),
    ("/admin/vignettes/1/publish", {"admin"}), ("/admin/vignettes/1/discard", {"admin"}),
    ("/admin/vignettes/1/archive", {"admin"}), ("/admin/vignettes/1/restore", {"admin"}),
    ("/admin/vignettes/1/attachments", {"admin"}), ("/admin/vignettes/1/attachments/1/remove", {"admin"}),
    ("/admin/vignettes/1/edit", {"admin"}), ("/vignettes/x/response", {"trainee"}),
    ("/supervise/vignettes/1", {"supervisor", "admin"})])
@pytest.mark.parametrize("role", ROLES)
def test_posts_check_the_role(client, people, role, path, allowed):
    if role != "anonymous":
        login(client, people[role])
    response = client.post(path, data={})
    if role == "anonymous":
        assert response.status_code == 302 and "/login" in response.location
    elif role in allowed:
        assert response.status_code not in (403, 500)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role,status", [("anonymous", 302), ("trainee", 403), ("supervisor", 403), ("admin", 200)])
def test_admin_pages_of_an_upload_are_for_admins(client, people, published, role, status):
    if role != "anonymous":
        login(client, people[role])
    for path in (f"/admin/vignettes/{published.id}/edit", f"/admin/vignettes/{published.id}/export.md"):
        assert client.get(path).status_code == status, path
