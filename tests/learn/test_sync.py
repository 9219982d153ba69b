"""`courses sync`: one transaction, content versions, retiring, and re-syncs that change nothing."""
import pytest
from sqlalchemy import func, select

from tests.learn.conftest import COURSE, module, snapshot
from trainer.audit import AuditEvent
from trainer.content import ContentError
from trainer.extensions import db
from trainer.learn.models import Course, Module, ModuleVersion, QuizVersion, Vignette
from trainer.learn.sync import sync_courses

MODULE_FILE = f"{COURSE}/modules/02-safety-first.md"
QUIZ_FILE = f"{COURSE}/quizzes/safety-first.yml"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_first_sync_loads_everything_rendered_once(synced):
    assert synced.counts["modules"]["new"] == 8 and synced.counts["vignettes"]["new"] == 6
    assert (count(Course), count(Module), count(ModuleVersion), count(QuizVersion), count(Vignette)) == (1, 8, 8, 8, 6)
    version = db.session.scalar(select(ModuleVersion).where(ModuleVersion.module_id == module("safety-first").id))
    assert '<h2 id="screening-at-intake">' in version.html and version.credit_minutes == 90
    assert {"level": 2, "id": "screening-at-intake", "title": "Screening at intake"} in version.toc
    vignette = db.session.scalar(select(Vignette).where(Vignette.slug == "weekend-refusal"))
    assert (vignette.status, vignette.source, vignette.version, vignette.course_slug) == \
        ("published", "course", 1, COURSE)
    assert vignette.topics == ["resist-refuse", "co-parenting-conflict"] and "<h2" in vignette.html


def test_resync_of_unchanged_files_changes_nothing(content_copy, app):
    sync_courses(content_copy.root)
    before = snapshot()
    report = sync_courses(content_copy.root)
    assert not report.changed and report.summary() == "nothing changed"
    assert snapshot() == before  # row counts, versions and updated_at timestamps alike


def test_a_changed_module_gets_a_new_version_and_keeps_the_old(content_copy, app):
    sync_courses(content_copy.root)
    content_copy.replace(MODULE_FILE, "## Screening at intake", "## Screening at the first meeting")
    report = sync_courses(content_copy.root)
    assert report.counts["modules"]["changed"] == 1
    row = module("safety-first")
    versions = db.session.scalars(select(ModuleVersion).where(ModuleVersion.module_id == row.id)
                                  .order_by(ModuleVersion.number)).all()
    assert row.version == 2 and [v.number for v in versions] == [1, 2]
    assert "Screening at intake" in versions[0].html and "Screening at the first meeting" in versions[1].html


def test_a_changed_quiz_gets_a_new_version(content_copy, app):
    sync_courses(content_copy.root)
    content_copy.replace(QUIZ_FILE, "max_attempts: 3", "max_attempts: 5")
    sync_courses(content_copy.root)
    row = module("safety-first")
    assert row.quiz_version == 2
    assert [v.max_attempts for v in db.session.scalars(
        select(QuizVersion).where(QuizVersion.module_id == row.id).order_by(QuizVersion.number))] == [3, 5]


def test_removed_modules_quizzes_and_vignettes_are_retired_not_deleted(content_copy, app):
    sync_courses(content_copy.root)
    content_copy.replace(f"{COURSE}/course.yml", "  - consultation-and-supervision\n", "")
    content_copy.path(f"{COURSE}/modules/08-consultation-and-supervision.md").unlink()
    content_copy.path(f"{COURSE}/quizzes/consultation-and-supervision.yml").unlink()
    content_copy.path(f"{COURSE}/quizzes/pacing-and-process.yml").unlink()
    content_copy.replace(f"{COURSE}/course.yml", "  - weekend-refusal\n", "")
    content_copy.path(f"{COURSE}/vignettes/weekend-refusal.md").unlink()
    report = sync_courses(content_copy.root)
    assert report.counts["modules"]["retired"] == 1 and report.counts["vignettes"]["retired"] == 1
    assert module("consultation-and-supervision").retired and count(Module) == 8
    assert module("pacing-and-process").quiz_version is None
    assert db.session.scalar(select(Vignette.status).where(Vignette.slug == "weekend-refusal")) == "retired"


def test_a_retired_module_returns_when_listed_again(content_copy, app):
    sync_courses(content_copy.root)
    manifest = content_copy.path(f"{COURSE}/course.yml")
    original = manifest.read_text()
    files = [content_copy.path(f"{COURSE}/modules/08-consultation-and-supervision.md"),
             content_copy.path(f"{COURSE}/quizzes/consultation-and-supervision.yml")]
    aside = [content_copy.root.parent / f"aside-{n}" for n in range(len(files))]
    content_copy.replace(f"{COURSE}/course.yml", "  - consultation-and-supervision\n", "")
    for path, spare in zip(files, aside):
        path.rename(spare)
    sync_courses(content_copy.root)
    manifest.write_text(original)
    for path, spare in zip(files, aside):
        spare.rename(path)
    sync_courses(content_copy.root)
    row = module("consultation-and-supervision")
    assert not row.retired and row.version == 1 and row.quiz_version == 1


def test_broken_content_changes_nothing(content_copy, app):
    sync_courses(content_copy.root)
    content_copy.replace(MODULE_FILE, "## Screening at intake", "## Screening changed")
    content_copy.replace(QUIZ_FILE, "kind: single", "kind: essay")
    before = snapshot()
    with pytest.raises(ContentError):
        sync_courses(content_copy.root)
    assert snapshot() == before


def test_a_slug_taken_by_an_uploaded_vignette_stops_the_whole_sync(content_copy, app):
    db.session.add(Vignette(slug="weekend-refusal", source="upload", title="Uploaded", family="-",
                            presenting_issue="-", topics=["other"], age_band="6-12", difficulty="introductory",
                            court_stage="none", questions=["?"], html="<p>x</p>", content_hash="x"))
    db.session.commit()
    before = snapshot()
    with pytest.raises(ContentError) as caught:
        sync_courses(content_copy.root)
    assert "already used by a vignette uploaded" in str(caught.value.problems[0])
    assert snapshot() == before


def test_a_sync_that_changes_something_is_audited(content_copy, app):
    sync_courses(content_copy.root)
    sync_courses(content_copy.root)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "courses.synced")).all()
    assert len(events) == 1 and events[0].details["modules"]["new"] == 8


def test_the_app_starts_and_serves_without_reading_course_files(make_app, monkeypatch, tmp_path):
    def refuse(*_args, **_kwargs):
        raise AssertionError("course files were read")
    monkeypatch.setattr("trainer.content.loader.load_course", refuse)
    app = make_app(COURSES_PATH=str(tmp_path / "missing"))
    assert app.test_client().get("/healthz").status_code == 200
