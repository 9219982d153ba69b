"""Learning fixtures: synced shipped content, module lookups, quiz answers."""
from functools import lru_cache

import pytest
from sqlalchemy import select

from tests.content.conftest import content_copy  # noqa: F401  (re-exported fixture)
from trainer.config import ROOT
from trainer.extensions import db
from trainer.learn.models import Course, Module, QuizAttempt
from trainer.learn import sync
from trainer.learn.sync import sync_courses

COURSE = "reunification-protocol"
cached_render = lru_cache(maxsize=None)(sync.render)


@pytest.fixture(autouse=True)
def render_once(monkeypatch):
    """Rendering is pure, so tests share one rendering of each text (it is the slow part of a sync)."""
    monkeypatch.setattr(sync, "render", cached_render)


@pytest.fixture
def synced(app):
    """The shipped courses/, synced."""
    return sync_courses(ROOT / "courses")


def module(slug: str, course: str = COURSE) -> Module:
    """A synced module by slug."""
    return db.session.scalar(select(Module).join(Course).where(Course.slug == course, Module.slug == slug))


def answers_for(attempt: QuizAttempt, wrong: int = 0) -> dict[str, list[str]]:
    """Right answers to an attempt's questions, except the first `wrong` ones."""
    answers = {}
    for number, question in enumerate(attempt.quiz_version.questions):
        right = number >= wrong
        ids = [c["id"] for c in question["choices"] if c["correct"] == right]
        answers[question["id"]] = ids if right else ids[:1]
    return answers


def snapshot() -> dict:
    """Every row of every table, to show that something changed nothing."""
    db.session.expire_all()
    return {table.name: sorted(tuple(map(str, row)) for row in db.session.execute(select(table)).all())
            for table in db.metadata.sorted_tables}
