"""Clinic uploads as services: drafts, attachments on disk, the de-identification gate, versions, export."""
import hashlib
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from tests.vignettes import samples
from tests.vignettes.conftest import decide_all, local_files, pdf_and_audio, publish_now, upload, vtext
from trainer import integrity
from trainer.audit import AuditEvent
from trainer.extensions import db
from trainer.learn.models import Vignette
from trainer.storage import storage
from trainer.timeutil import utcnow
from trainer.vignettes import publishing, services, uploads
from trainer.vignettes.drafts import draft_of, read_markdown_file
from trainer.vignettes.models import Attachment, DeidDecision, PendingDeletion, VignetteDraft, VignetteVersion
from trainer.vignettes.services import LibraryQuery, VignetteError


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def excerpts(draft):
    texts = {"title": draft.title, "family": draft.family, "presenting_issue": draft.presenting_issue,
             "body": draft.markdown, **{f"questions.{i}": q for i, q in enumerate(draft.questions)}}
    return [texts[f["field"]][f["start"]:f["end"]] for f in draft.findings]


def test_a_new_vignette_is_a_draft_with_its_files_stored_under_generated_keys(admin):
    vignette = publishing.create_vignette(admin, vtext(), pdf_and_audio())
    assert (vignette.status, vignette.source, vignette.version, vignette.created_by_id) == \
        ("draft", "upload", 0, admin.id)
    assert vignette.slug == "the-handover-at-the-library" and vignette.title == "The handover at the library"
    files = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
    assert [(f.filename, f.content_type, f.size, f.version) for f in files] == [
        ("Referral letter.pdf", "application/pdf", len(samples.PDF), 1),
        ("Intake call.mp3", "audio/mpeg", len(samples.MP3_ID3), 1)]
    assert files[0].sha256 == hashlib.sha256(samples.PDF).hexdigest()
    assert all(re.fullmatch(r"vignettes/[0-9a-f]{32}", f.storage_key) for f in files)
    assert [p.read_bytes() for p in local_files()] == sorted([samples.PDF, samples.MP3_ID3],
                                                              key=lambda b: b != local_files()[0].read_bytes())
    assert services.library(LibraryQuery()).total == 0
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "vignette.created"))
    assert event.details == {"origin": "form", "attachments": 2, "findings": 3}


def test_the_check_finds_identifying_details_in_every_field(admin):
    text = vtext(title="Emma at Lincoln Elementary", questions=("Would you call Judge Harris?",))
    vignette = publishing.create_vignette(admin, text, [])
    draft = draft_of(vignette)
    assert excerpts(draft) == ["Emma", "Lincoln Elementary", "Harris", "Maria Lopez", "03/14/2024",
                               "555-123-4567"]
    assert [f["field"] for f in draft.findings] == ["title", "title", "questions.0", "body", "body", "body"]
    assert all(f["decision"] is None for f in draft.findings) and draft.undecided == 6
    assert vignette.slug == "person-1-at-school"  # made from the redacted title: no name in any address


@pytest.mark.parametrize("name,data", [
    ("case.pdf", samples.HTML_AS_PDF), ("diagram.svg", samples.SVG), ("notes.zip", samples.ZIP),
    ("report.pdf", samples.ZIP_BOMB), ("empty.pdf", b"")])
def test_forged_or_empty_files_are_refused_by_name_and_nothing_is_kept(admin, name, data):
    with pytest.raises(VignetteError, match=re.escape(f"“{name}”")):
        publishing.create_vignette(admin, vtext(), [upload("fine.pdf", samples.PDF), upload(name, data)])
    assert count(Vignette) == count(Attachment) == count(VignetteDraft) == 0 and local_files() == []


def test_a_path_as_the_file_name_is_only_a_display_name(admin):
    publishing.create_vignette(admin, vtext(), [upload("../../etc/passwd", samples.PDF)])
    attachment = db.session.scalar(select(Attachment))
    assert attachment.filename == "passwd.pdf" and "passwd" not in attachment.storage_key
    assert [p.name for p in local_files()] == [attachment.storage_key.split("/")[1]]


def test_too_many_or_too_large_files_are_refused(admin, app):
    with pytest.raises(VignetteError, match="at most 10 attachments; this would make 11"):
        publishing.create_vignette(admin, vtext(), [upload(f"f{i}.pdf", samples.PDF) for i in range(11)])
    app.config["VIGNETTE_ATTACHMENT_MAX_BYTES"] = 1000
    with pytest.raises(VignetteError, match="“big.pdf” is 0.0 MB; each file may be at most"):
        publishing.create_vignette(admin, vtext(), [upload("big.pdf", samples.PDF + b"0" * 1000)])
    assert count(Vignette) == 0 and local_files() == []


def test_publishing_waits_for_every_decision_then_makes_version_one(admin):
    vignette = publishing.create_vignette(admin, vtext(), [])
    draft = draft_of(vignette)
    with pytest.raises(VignetteError, match="3 still wait for a decision"):
        publishing.publish(admin, vignette, draft.revision)
    assert publishing.decide(admin, vignette, draft.revision, {0: "keep", 2: "redact"}) == (1, 1)
    draft = draft_of(vignette)
    assert "Dr. Maria Lopez referred" in draft.markdown and "call [PHONE]." in draft.markdown
    assert [f["decision"] for f in draft.findings] == ["not_identifying", None]
    assert excerpts(draft) == ["Maria Lopez", "03/14/2024"]
    with pytest.raises(VignetteError, match="1 still waits"):
        publishing.publish(admin, vignette, draft.revision)
    publishing.decide(admin, vignette, draft.revision, {1: "redact"})
    version = publishing.publish(admin, vignette, draft_of(vignette).revision)
    assert (version.version, vignette.status, vignette.version, draft_of(vignette)) == (1, "published", 1, None)
    assert "referred the family on [DATE]; call [PHONE]." in vignette.html and "<h2" in vignette.html
    assert services.find_published(vignette.slug) == vignette


def test_decisions_are_recorded_and_audited_without_the_text(admin):
    vignette = publishing.create_vignette(admin, vtext(), [])
    decide_all(admin, vignette, "keep")
    rows = db.session.scalars(select(DeidDecision).order_by(DeidDecision.id)).all()
    assert [(r.field, r.kind, r.decision, r.version, r.decided_by_id) for r in rows] == [
        ("body", "PERSON", "not_identifying", 1, admin.id), ("body", "DATE", "not_identifying", 1, admin.id),
        ("body", "PHONE", "not_identifying", 1, admin.id)]
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "vignette.deid_decision")).all()
    assert [e.details["rule"] for e in events] == [r.rule for r in rows] and all(r.rule for r in rows)
    assert all(set(e.details) == {"version", "field", "kind", "rule", "decision"} for e in events)
    assert not any("Lopez" in str(e.details) or "555" in str(e.details) for e in events)


def test_a_form_made_on_an_older_draft_is_refused(admin):
    vignette = publishing.create_vignette(admin, vtext(), [])
    old = draft_of(vignette).revision
    publishing.decide(admin, vignette, old, {0: "keep"})
    for attempt in (lambda: publishing.decide(admin, vignette, old, {1: "redact"}),
                    lambda: publishing.publish(admin, vignette, old),
                    lambda: publishing.save_draft(admin, vignette, vtext(), old)):
        with pytest.raises(VignetteError, match="changed since you opened"):
            attempt()
    with pytest.raises(VignetteError, match="does not match"):
        publishing.decide(admin, vignette, old + 1, {7: "redact"})


def test_editing_a_published_vignette_drafts_the_next_version_and_the_library_keeps_the_old(admin, published):
    draft = publishing.save_draft(admin, published, vtext(title="The handover, revised"), revision=0)
    assert draft.version == 2 and published.title == "The handover at the library" and published.version == 1
    publishing.add_attachments(admin, published, [upload("photo.png", samples.PNG)])
    assert [a.filename for a in services.visible_attachments(published)] == ["Referral letter.pdf",
                                                                            "Intake call.mp3"]
    publish_now(admin, published)
    assert (published.title, published.version) == ("The handover, revised", 2)
    assert len(services.visible_attachments(published)) == 3
    assert [v.title for v in db.session.scalars(select(VignetteVersion).order_by(VignetteVersion.version))] == [
        "The handover at the library", "The handover, revised"]


def test_adding_files_to_a_published_vignette_starts_a_draft(admin, published):
    publishing.add_attachments(admin, published, [upload("photo.jpg", samples.JPEG)])
    assert draft_of(published).version == 2
    with pytest.raises(VignetteError, match="this would make 11"):
        publishing.add_attachments(admin, published, [upload(f"{i}.png", samples.PNG) for i in range(8)])


def test_only_files_not_yet_published_can_be_removed(admin, published):
    publishing.add_attachments(admin, published, [upload("photo.jpg", samples.JPEG)])
    first, *_, added = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
    with pytest.raises(VignetteError, match="Only files added since the last publication"):
        publishing.remove_attachment(admin, published, first.id)
    assert publishing.remove_attachment(admin, published, added.id) == "photo.jpg"
    assert count(Attachment) == 2 and len(local_files()) == 2


def test_archive_and_restore(admin, published):
    publishing.change_status(admin, published, "archive")
    assert services.find_published(published.slug) is None and services.library(LibraryQuery()).total == 0
    with pytest.raises(VignetteError, match="Restore this vignette"):
        publishing.save_draft(admin, published, vtext(), 0)
    with pytest.raises(VignetteError, match="Only a published vignette can be archived"):
        publishing.change_status(admin, published, "archive")
    publishing.change_status(admin, published, "restore")
    assert services.find_published(published.slug) == published


def test_discarding_a_never_published_draft_removes_it_and_its_files(admin):
    vignette = publishing.create_vignette(admin, vtext(), pdf_and_audio())
    decide_all(admin, vignette, "keep")
    assert publishing.discard_draft(admin, vignette) is True
    assert count(Vignette) == count(Attachment) == count(DeidDecision) == count(VignetteDraft) == 0
    assert local_files() == []


def test_discarding_changes_keeps_the_published_version(admin, published):
    publishing.add_attachments(admin, published, [upload("photo.png", samples.PNG)])
    assert publishing.discard_draft(admin, published) is False
    assert (published.status, published.version, count(Attachment), len(local_files())) == ("published", 1, 2, 2)


def test_course_vignettes_are_read_only(admin, app):
    from trainer.config import ROOT
    from trainer.learn.sync import sync_courses
    sync_courses(ROOT / "courses")
    course_vignette = db.session.scalar(select(Vignette).where(Vignette.slug == "weekend-refusal"))
    for attempt in (lambda: publishing.save_draft(admin, course_vignette, vtext(), 0),
                    lambda: publishing.add_attachments(admin, course_vignette, []),
                    lambda: publishing.change_status(admin, course_vignette, "archive")):
        with pytest.raises(VignetteError, match="read-only"):
            attempt()
    assert publishing.export(course_vignette) is None


def test_slugs_are_unique_and_checked(admin):
    first = publishing.create_vignette(admin, vtext(), [])
    assert publishing.create_vignette(admin, vtext(), []).slug == first.slug + "-2"
    with pytest.raises(VignetteError, match="already used"):
        publishing.create_vignette(admin, vtext(), [], slug=first.slug)
    with pytest.raises(VignetteError, match="lower-case letters"):
        publishing.create_vignette(admin, vtext(), [], slug="Not A Slug")
    assert publishing.create_vignette(admin, vtext(title="2 kids"), [], slug="").slug == "vignette-2-kids"


def test_an_export_reads_back_through_the_course_loader(admin, published, tmp_path):
    from trainer.content.loader import load_vignette
    from trainer.content.validate import check_vignette
    path = tmp_path / f"{published.slug}.md"
    path.write_text(publishing.export(published))
    problems = []
    loaded = load_vignette(path, problems)
    assert problems == [] and check_vignette(loaded) == []
    assert (loaded.title, loaded.topics, loaded.questions) == (published.title, tuple(published.topics),
                                                              tuple(published.questions))
    assert "[PHONE]" in loaded.body and "555-123" not in loaded.body


def test_a_markdown_file_is_read_with_the_course_rules(admin):
    from trainer.vignettes.document import to_markdown
    assert read_markdown_file("case.md", to_markdown(vtext()).encode()) == vtext()
    for data, message in ((b"\xff\xfe", "not UTF-8"), (b"x" * (1024 * 1024 + 1), "larger than 1 MB"),
                          (b"---\ntitle: x\n---\n", "line 2: missing required key 'age_band'")):
        with pytest.raises(VignetteError, match=re.escape(message)):
            read_markdown_file("../case.md", data)


def tags(html: str) -> list[tuple[str, dict]]:
    """Every element in the HTML with its attributes (text that merely looks like a tag is not one)."""
    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))
    Collect().feed(html)
    return found


def test_markdown_with_script_handlers_and_javascript_links_renders_inert(admin):
    body = ('<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[click](javascript:alert(3)) '
            '<a href="https://x" onclick="alert(4)">x</a>\n\n<iframe src="https://evil"></iframe>\n\n'
            '[ok](https://example.org/guide)')
    vignette = publishing.create_vignette(admin, vtext(body=body), [])
    publish_now(admin, vignette, choice="keep")
    elements = tags(vignette.html)
    assert {tag for tag, _ in elements} == {"p", "a"}
    assert not any(name.startswith("on") for _, attrs in elements for name in attrs)
    assert [attrs.get("href") for tag, attrs in elements if tag == "a"] == [None, "https://example.org/guide"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in vignette.html  # shown as text, never run


def test_files_stored_by_a_process_that_dies_before_its_commit_are_swept_after_the_grace(admin, app):
    [stored] = uploads.store_files(uploads.check_files([upload("Referral letter.pdf", samples.PDF)], already=0))
    db.session.rollback()  # the worker is killed here: its attachment row is never committed
    assert storage().exists(stored.key) and count(Attachment) == 0
    assert integrity.run_check().ok  # queued, so not an orphan
    assert uploads.sweep() == (0, 0) and storage().exists(stored.key)  # an upload may still be on its way
    row = db.session.scalar(select(PendingDeletion))
    row.due_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert uploads.sweep() == (1, 0) and not storage().exists(stored.key)
    assert count(PendingDeletion) == 0


def test_saved_attachments_are_taken_off_the_deletion_queue(admin):
    publishing.create_vignette(admin, vtext(), pdf_and_audio())
    assert count(Attachment) == 2 and count(PendingDeletion) == 0
