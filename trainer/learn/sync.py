"""Load checked course content into the database in one transaction, keeping content versions."""
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from trainer import audit
from trainer.content import ContentError, Problem, load_library
from trainer.content import model as content
from trainer.content.markdown import RENDERER_VERSION, render
from trainer.extensions import db
from trainer.learn.models import Course, Module, ModuleVersion, QuizVersion, Vignette
from trainer.timeutil import utcnow

KINDS = ("courses", "modules", "quizzes", "vignettes")


@dataclass
class SyncReport:
    """What a sync did: per kind of thing, how many were new, changed and retired."""

    counts: dict = field(default_factory=lambda: {k: {"new": 0, "changed": 0, "retired": 0} for k in KINDS})

    def note(self, kind: str, what: str) -> None:
        """Count one change."""
        self.counts[kind][what] += 1

    @property
    def changed(self) -> bool:
        """Whether anything in the database changed."""
        return any(n for per_kind in self.counts.values() for n in per_kind.values())

    def summary(self) -> str:
        """One line for people: what changed, or that nothing did."""
        parts = [f"{kind}: " + ", ".join(f"{n} {what}" for what, n in per.items() if n)
                 for kind, per in self.counts.items() if any(per.values())]
        return "; ".join(parts) if parts else "nothing changed"


def digest(data) -> str:
    """A stable hash of JSON-able data."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def assign(row, **values) -> bool:
    """Set the attributes that differ; True when any did."""
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed


def sync_courses(root: Path) -> SyncReport:
    """Check the content under root and load it all, or raise ContentError and change nothing."""
    library = load_library(root)
    report, problems = SyncReport(), []
    try:
        _sync_all_courses(library, report)
        problems += _sync_vignettes(library, report)
        if problems:
            raise ContentError(problems)
        if report.changed:
            audit.record(None, "courses.synced", "courses", **{k: v for k, v in report.counts.items()})
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return report


def courses_synced() -> bool:
    """Whether any course has been synced into the database."""
    return db.session.scalar(select(Course.id).limit(1)) is not None


def _sync_all_courses(library: content.Library, report: SyncReport) -> None:
    rows = {c.slug: c for c in db.session.scalars(select(Course))}
    now = utcnow()
    for position, course in enumerate(library.courses, 1):
        values = dict(title=course.title, summary=course.summary, required=course.required,
                      safety_module=course.safety_module, position=position, retired=False)
        row = rows.get(course.slug)
        if row is None:
            row = Course(slug=course.slug, content_hash=digest(values), **values)
            db.session.add(row)
            db.session.flush()
            report.note("courses", "new")
        elif assign(row, content_hash=digest(values), **values):
            row.updated_at = now
            report.note("courses", "changed")
        _sync_modules(row, course, report)
    listed = {c.slug for c in library.courses}
    for slug, row in rows.items():
        if slug not in listed and not row.retired:
            row.retired, row.updated_at = True, now
            report.note("courses", "retired")
            _sync_modules(row, None, report)


def _latest(model, module_ids) -> dict:
    """The highest-numbered version row per module."""
    latest = {}
    for version in db.session.scalars(select(model).where(model.module_id.in_(module_ids)).order_by(model.number)):
        latest[version.module_id] = version
    return latest


def _sync_modules(row: Course, course: content.Course | None, report: SyncReport) -> None:
    modules = {m.slug: m for m in db.session.scalars(select(Module).where(Module.course_id == row.id))}
    ids = [m.id for m in modules.values()]
    versions, quizzes = _latest(ModuleVersion, ids), _latest(QuizVersion, ids)
    now = utcnow()
    ordered = course.ordered_modules() if course else ()
    for position, module in enumerate(ordered, 1):
        existing, is_new = modules.get(module.slug), module.slug not in modules
        if is_new:
            existing = Module(course_id=row.id, slug=module.slug, position=position, version=0)
            db.session.add(existing)
            db.session.flush()
            report.note("modules", "new")
        changed = assign(existing, position=position, retired=False)
        changed = _sync_module_version(existing, module, versions.get(existing.id)) or changed
        changed = _sync_quiz(existing, course.quiz_for(module.slug), quizzes.get(existing.id), report) or changed
        if changed and not is_new:
            existing.updated_at = now
            report.note("modules", "changed")
    listed = {m.slug for m in ordered}
    for slug, existing in modules.items():
        if slug not in listed and not existing.retired:
            existing.retired, existing.updated_at = True, now
            report.note("modules", "retired")


def _module_values(module: content.Module) -> dict:
    rendered = render(module.body)
    return dict(title=module.title, minutes=module.minutes, credit_minutes=round(module.credit_hours * 60),
                objectives=list(module.objectives), html=rendered.html,
                toc=[{"level": t.level, "id": t.id, "title": t.title} for t in rendered.toc])


def _sync_module_version(row: Module, module: content.Module, latest) -> bool:
    """Point the module at a version with this content, adding one when the hash is new."""
    values = _module_values(module)
    content_hash = digest({"renderer": RENDERER_VERSION, **values})
    if latest is not None and latest.content_hash == content_hash:
        return assign(row, version=latest.number)
    number = latest.number + 1 if latest else 1
    db.session.add(ModuleVersion(module_id=row.id, number=number, content_hash=content_hash, **values))
    row.version = number
    return True


def quiz_questions(quiz: content.Quiz) -> list[dict]:
    """The stored form of a quiz's questions, answer key included (true/false gets two choices)."""
    return [{"id": q.id, "kind": q.kind, "prompt": q.prompt, "explanation": q.explanation,
             "choices": [{"id": c.id, "text": c.text, "correct": bool(c.correct), "feedback": c.feedback}
                         for c in q.options]}
            for q in quiz.questions]


def _sync_quiz(row: Module, quiz: content.Quiz | None, latest, report: SyncReport) -> bool:
    if quiz is None:
        if row.quiz_version is not None:
            report.note("quizzes", "retired")
        return assign(row, quiz_version=None)
    values = dict(pass_mark=quiz.pass_mark, max_attempts=quiz.max_attempts,
                  cooldown_minutes=quiz.cooldown_minutes, shuffle=quiz.shuffle, questions=quiz_questions(quiz))
    content_hash = digest(values)
    if latest is not None and latest.content_hash == content_hash:
        return assign(row, quiz_version=latest.number)
    number = latest.number + 1 if latest else 1
    db.session.add(QuizVersion(module_id=row.id, number=number, content_hash=content_hash, **values))
    report.note("quizzes", "changed" if latest else "new")
    row.quiz_version = number
    return True


def _vignette_values(vignette: content.Vignette) -> dict:
    return dict(title=vignette.title, family=vignette.family, presenting_issue=vignette.presenting_issue,
                topics=list(vignette.topics), age_band=vignette.age_band, difficulty=vignette.difficulty,
                court_stage=vignette.court_stage, questions=list(vignette.questions),
                html=render(vignette.body).html)


def _sync_vignettes(library: content.Library, report: SyncReport) -> list[Problem]:
    rows = {v.slug: v for v in db.session.scalars(select(Vignette))}
    problems, seen, now = [], set(), utcnow()
    for course in library.courses:
        for position, vignette in enumerate(course.ordered_vignettes(), 1):
            row = rows.get(vignette.slug)
            if row is not None and row.source != "course":
                problems.append(Problem(vignette.source.path, 1, f"the slug '{vignette.slug}' is already "
                                                                  f"used by a vignette uploaded in the site"))
                continue
            seen.add(vignette.slug)
            values = _vignette_values(vignette)
            content_hash = digest({"renderer": RENDERER_VERSION, **values})
            place = dict(course_slug=course.slug, position=position, status="published")
            if row is None:
                db.session.add(Vignette(slug=vignette.slug, source="course", content_hash=content_hash,
                                        version=1, **place, **values))
                report.note("vignettes", "new")
            elif _update_vignette(row, content_hash, place, values):
                row.updated_at = now
                report.note("vignettes", "changed")
    for slug, row in rows.items():
        if row.source == "course" and slug not in seen and row.status != "retired":
            row.status, row.updated_at = "retired", now
            report.note("vignettes", "retired")
    return problems


def _update_vignette(row: Vignette, content_hash: str, place: dict, values: dict) -> bool:
    changed = assign(row, **place)
    if row.content_hash != content_hash:
        assign(row, content_hash=content_hash, version=row.version + 1, **values)
        changed = True
    return changed
