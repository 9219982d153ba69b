"""Fixtures for the hours tests: entries, learning rows, clients per role, a query counter."""
import datetime as dt
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, event

from tests.conftest import login
from trainer.extensions import db
from trainer.hours.models import HourEntry
from trainer.learn.models import CourseCompletion, ModuleCompletion

DAY = dt.date(2025, 3, 10)


@pytest.fixture
def add_entry():
    """Insert an entry row directly: add_entry(trainee, supervisor, **fields)."""
    def add(trainee, supervisor, **fields):
        values = {"date": DAY, "category": "conjoint", "minutes": 60, "description": "Conjoint session, repair work",
                  **fields}
        entry = HourEntry(trainee_id=trainee.id, supervisor_id=supervisor.id, **values)
        db.session.add(entry)
        db.session.commit()
        return entry
    return add


@pytest.fixture
def complete_course():
    """Record a completed course (and optionally module credit) the way the learning domain will."""
    def complete(user, slug="reunification-protocol", modules=(), when=None):
        when = when or dt.datetime(2025, 2, 1, 12, 0)
        for i, minutes in enumerate(modules):
            db.session.add(ModuleCompletion(user_id=user.id, course_slug=slug, module_slug=f"m{i}",
                                            module_title=f"Module {i}", credit_minutes=minutes, completed_at=when))
        db.session.add(CourseCompletion(user_id=user.id, course_slug=slug, course_title="The Protocol",
                                        completed_at=when))
        db.session.commit()
    return complete


@pytest.fixture
def client_for(make_app):
    """A separate signed-in client (own app) per person, for several people in one test."""
    def make(user):
        client = make_app().test_client()
        assert login(client, user).status_code == 302
        return client
    return make


@pytest.fixture
def count_queries(app):
    """Count SQL statements: `with count_queries() as counted: ...; counted[0]`."""
    @contextmanager
    def counting():
        counted = [0]

        def before(*_args):
            counted[0] += 1
        event.listen(Engine, "before_cursor_execute", before)  # every app's engine: clients have their own
        try:
            yield counted
        finally:
            event.remove(Engine, "before_cursor_execute", before)
    return counting
