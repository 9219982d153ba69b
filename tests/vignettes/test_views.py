"""Vignette pages over HTTP: upload, the de-identification review, publishing, the library, downloads."""
import io
import re

import pytest
from sqlalchemy import func, select

from tests.conftest import TEST_PASSWORD, csrf_from, current_code
from tests.vignettes import samples
from tests.vignettes.conftest import local_files, pdf_and_audio, publish_now, vtext
from tests.vignettes.test_publishing import tags
from trainer.audit import AuditEvent
from trainer.extensions import db
from trainer.learn.models import Vignette
from trainer.vignettes import publishing
from trainer.vignettes.document import to_markdown
from trainer.vignettes.drafts import draft_of
from trainer.vignettes.models import Attachment, VignetteDraft

NEW = "/admin/vignettes/new"
MB = 1024 * 1024


@pytest.fixture
def as_admin(client, login_as, admin):
    return login_as(admin)


def form_fields(text=None, **extra) -> dict:
    text = text or vtext()
    return {"title": text.title, "family": text.family, "presenting_issue": text.presenting_issue,
            "topics": list(text.topics), "age_band": text.age_band, "difficulty": text.difficulty,
            "court_stage": text.court_stage, "questions": "\n".join(text.questions), "body": text.body, **extra}


def files(*pairs) -> list:
    return [(io.BytesIO(data), name) for name, data in pairs]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_upload_form_offers_a_file_the_fields_and_attachments(as_admin):
    page = as_admin.get(NEW).text
    assert 'enctype="multipart/form-data"' in page and 'name="markdown_file"' in page
    assert 'name="attachments"' in page and "up to 10 files of at most 20 MB each" in page
    assert re.search(r'<input id="topics-0" name="topics" type="checkbox" value="resist-refuse">', page)


def test_a_markdown_file_with_a_pdf_and_audio_becomes_a_draft_with_highlighted_findings(as_admin):
    data = {"markdown_file": (io.BytesIO(to_markdown(vtext()).encode()), "handover.md"),
            "attachments": files(("Referral.pdf", samples.PDF), ("Call.m4a", samples.M4A))}
    response = as_admin.post(NEW, data=data, content_type="multipart/form-data")
    vignette = db.session.scalar(select(Vignette))
    assert response.status_code == 302 and response.location.endswith(f"/admin/vignettes/{vignette.id}")
    page = as_admin.get(response.location).text
    assert "Draft saved. Decide each highlighted finding, then publish." in page
    assert page.count('<mark class="finding finding-open" id="found-') == 3
    assert re.search(r'<a href="#decide-1">03/14/2024</a><span class="finding-tag">2 · DATE · [\w-]+</span>', page)
    assert "Referral.pdf" in page and "M4A audio" in page and "Publishing waits until every finding is decided" in page
    created = db.session.scalar(select(AuditEvent.details).where(AuditEvent.action == "vignette.created"))
    assert created["origin"] == "file"


def test_finding_text_and_file_names_are_escaped_on_the_review_page(as_admin, admin):
    vignette = publishing.create_vignette(admin, vtext(family="The <b>family</b> of Dr. Maria <i>Lopez</i>"),
                                          [publishing.uploads.Upload(io.BytesIO(samples.PDF), "<img src=x>.pdf")])
    page = as_admin.get(f"/admin/vignettes/{vignette.id}").text
    assert "<b>family</b>" not in page and "&lt;b&gt;family&lt;/b&gt;" in page and "<img src=x>" not in page


def test_resolving_every_finding_then_publishing(as_admin, admin):
    vignette = publishing.create_vignette(admin, vtext(), pdf_and_audio())
    revision = draft_of(vignette).revision
    refused = as_admin.post(f"/admin/vignettes/{vignette.id}/publish", data={"revision": revision},
                            follow_redirects=True).text
    assert "Decide every highlighted finding before publishing: 3 still wait" in refused
    decided = as_admin.post(f"/admin/vignettes/{vignette.id}/decisions", follow_redirects=True, data={
        "revision": revision, "finding-0": "keep", "finding-1": "redact", "finding-2": "redact"}).text
    assert "Saved: 2 redacted, 1 marked not identifying." in decided
    assert decided.count('<mark class="finding finding-kept" id="found-') == 1 and "All are decided." in decided
    published = as_admin.post(f"/admin/vignettes/{vignette.id}/publish", follow_redirects=True,
                              data={"revision": draft_of(vignette).revision}).text
    assert "Version 1 is published in the library." in published
    page = as_admin.get(f"/vignettes/{vignette.slug}").text
    assert "referred the family on [DATE]; call [PHONE]." in page and "Dr. Maria Lopez" in page


def test_a_form_written_vignette_needs_its_fields(as_admin):
    response = as_admin.post(NEW, data={"title": "", "topics": []})
    assert response.status_code == 400
    assert "Give the vignette a title." in response.text and "Choose at least one topic." in response.text
    assert count(Vignette) == 0
    ok = as_admin.post(NEW, data=form_fields(slug="my-case"))
    assert ok.status_code == 302 and db.session.scalar(select(Vignette.slug)) == "my-case"


def test_a_bad_markdown_file_is_refused_with_its_problems(as_admin):
    data = {"markdown_file": (io.BytesIO(b"---\ntitle: T\ntopics: [nope]\n---\nBody"), "../../bad.md")}
    response = as_admin.post(NEW, data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and "“bad.md” cannot be used: line 2: missing required key" in response.text
    assert "line 3: unknown topic &#39;nope&#39;" in response.text and count(Vignette) == 0


@pytest.mark.parametrize("name,data", [("evil.pdf", samples.HTML_AS_PDF), ("drawing.svg", samples.SVG),
                                       ("archive.zip", samples.ZIP), ("huge.pdf", samples.ZIP_BOMB)])
def test_forged_uploads_are_refused_by_name(as_admin, name, data):
    response = as_admin.post(NEW, data=form_fields(attachments=files(("ok.pdf", samples.PDF), (name, data))),
                             content_type="multipart/form-data")
    assert response.status_code == 400
    assert f"“{name}” is not a PDF, PNG, JPEG, MP3 or M4A file" in response.text
    assert count(Vignette) == count(Attachment) == 0 and local_files() == []


def test_a_path_as_a_file_name_is_stored_under_a_generated_key(as_admin):
    as_admin.post(NEW, data=form_fields(attachments=files(("../../etc/passwd", samples.PDF))),
                  content_type="multipart/form-data")
    attachment = db.session.scalar(select(Attachment))
    assert attachment.filename == "passwd.pdf" and re.fullmatch(r"vignettes/[0-9a-f]{32}", attachment.storage_key)
    assert [p.relative_to(p.parents[1]).as_posix() for p in local_files()] == [attachment.storage_key]


def test_eleven_files_are_refused(as_admin):
    response = as_admin.post(NEW, content_type="multipart/form-data", data=form_fields(
        attachments=files(*[(f"{i}.pdf", samples.PDF) for i in range(11)])))
    assert response.status_code == 400 and "at most 10 attachments; this would make 11" in response.text
    assert local_files() == []


def test_a_file_over_20_mb_is_named_and_nothing_is_kept(as_admin):
    big = samples.PDF + b"\0" * (20 * MB)
    response = as_admin.post(NEW, content_type="multipart/form-data", data=form_fields(
        attachments=files(("small.pdf", samples.PDF), ("scan.pdf", big))))
    assert response.status_code == 400 and "“scan.pdf” is 20.0 MB; each file may be at most 20 MB." in response.text
    assert count(Vignette) == 0 and local_files() == []


def test_a_request_over_the_route_limit_is_413_and_stores_nothing(as_admin, app):
    app.config["VIGNETTE_ATTACHMENT_MAX_BYTES"] = 10_000  # the route then takes 10 × 10 KB + 2 MB
    response = as_admin.post(NEW, content_type="multipart/form-data", data=form_fields(
        attachments=files(("a.pdf", samples.PDF + b"\0" * (3 * MB)))))
    assert response.status_code == 413 and "That upload is too large" in response.text
    assert count(Vignette) == 0 and local_files() == []


def test_uploads_beyond_the_site_wide_limit_work_on_the_upload_route_with_csrf_on(make_app, app, admin):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    client.post("/login", data={"email": admin.email, "password": TEST_PASSWORD,
                                "csrf_token": csrf_from(client.get("/login").text)})
    client.post("/login/code", data={"code": current_code(admin.email),
                                     "csrf_token": csrf_from(client.get("/login/code").text)})
    token = csrf_from(client.get(NEW).text)
    thirteen = samples.PDF + b"\0" * (13 * MB)
    response = client.post(NEW, content_type="multipart/form-data", data=form_fields(
        csrf_token=token, attachments=files(("one.pdf", thirteen), ("two.pdf", thirteen))))
    assert response.status_code == 302, response.text[:500]
    assert [a.size for a in db.session.scalars(select(Attachment))] == [len(thirteen)] * 2
    elsewhere = client.post("/admin/users/invite", data={"csrf_token": token, "x": "y" * (26 * MB)})
    assert elsewhere.status_code == 413


def test_adding_and_removing_draft_files(as_admin, admin, published):
    as_admin.post(f"/admin/vignettes/{published.id}/attachments", content_type="multipart/form-data",
                  data={"attachments": files(("photo.png", samples.PNG))})
    added = db.session.scalar(select(Attachment).where(Attachment.filename == "photo.png"))
    assert added.version == 2 and draft_of(published).version == 2
    page = as_admin.post(f"/admin/vignettes/{published.id}/attachments/{added.id}/remove", follow_redirects=True).text
    assert "“photo.png” was removed." in page and count(Attachment) == 2
    refused = as_admin.post(f"/admin/vignettes/{published.id}/attachments", content_type="multipart/form-data",
                            data={"attachments": files(("x.svg", samples.SVG))}, follow_redirects=True).text
    assert "“x.svg” is not a PDF" in refused


def test_edit_creates_the_next_version_and_the_library_keeps_the_published_one(as_admin, published):
    form = as_admin.get(f"/admin/vignettes/{published.id}/edit").text
    assert "Saving makes a draft of version 2" in form and 'name="revision" type="hidden" value="0"' in form
    response = as_admin.post(f"/admin/vignettes/{published.id}/edit", data=form_fields(
        vtext(title="The handover, second look"), revision=0))
    assert response.status_code == 302
    assert "The handover at the library" in as_admin.get(f"/vignettes/{published.slug}").text
    stale = as_admin.post(f"/admin/vignettes/{published.id}/edit", data=form_fields(revision=0))
    assert stale.status_code == 400 and "changed since you opened" in stale.text


def test_course_vignettes_are_read_only_and_not_exported(as_admin, app):
    from trainer.config import ROOT
    from trainer.learn.sync import sync_courses
    sync_courses(ROOT / "courses")
    course = db.session.scalar(select(Vignette).where(Vignette.slug == "weekend-refusal"))
    page = as_admin.get(f"/admin/vignettes/{course.id}").text
    assert "It is read-only here" in page and "/edit" not in page
    assert "read-only here" in as_admin.get(f"/admin/vignettes/{course.id}/edit", follow_redirects=True).text
    assert as_admin.get(f"/admin/vignettes/{course.id}/export.md").status_code == 404
    listing = as_admin.get("/admin/vignettes").text
    assert "courses/reunification-protocol" in listing and listing.count("badge-published") == 6


def test_export_downloads_a_file_that_the_course_loader_accepts(as_admin, published, tmp_path):
    from trainer.content.loader import load_vignette
    from trainer.content.validate import check_vignette
    response = as_admin.get(f"/admin/vignettes/{published.id}/export.md")
    assert response.headers["Content-Type"].startswith("text/markdown")
    assert response.headers["Content-Disposition"] == f"attachment; filename*=UTF-8''{published.slug}.md"
    path = tmp_path / f"{published.slug}.md"
    path.write_bytes(response.data)
    problems = []
    assert check_vignette(load_vignette(path, problems)) == [] and problems == []


def test_archive_and_restore_over_http(as_admin, client, published):
    assert "Archived" in as_admin.post(f"/admin/vignettes/{published.id}/archive", follow_redirects=True).text
    assert client.get(f"/vignettes/{published.slug}").status_code == 404
    assert "Restored" in as_admin.post(f"/admin/vignettes/{published.id}/restore", follow_redirects=True).text


def test_discarding_a_draft_over_http(as_admin, admin):
    vignette = publishing.create_vignette(admin, vtext(), pdf_and_audio())
    page = as_admin.post(f"/admin/vignettes/{vignette.id}/discard", follow_redirects=True).text
    assert "never published, so it is gone" in page and count(Vignette) == count(VignetteDraft) == 0
    assert local_files() == []


def test_uploaded_markdown_with_script_renders_inert_on_the_vignette_page(as_admin, admin):
    body = '<script>alert(1)</script> <b onmouseover="alert(2)">x</b> [go](javascript:alert(3))'
    vignette = publishing.create_vignette(admin, vtext(body=body), [])
    publish_now(admin, vignette)
    page = as_admin.get(f"/vignettes/{vignette.slug}").text
    article = page[page.index('<article class="prose"'):page.index("</article>")]
    assert {t for t, _ in tags(article)} <= {"article", "p", "a"}
    assert not any(n.startswith("on") for _, a in tags(article) for n in a) and "javascript:" not in article
