"""Certificates reuse the hours fixtures for entries and learning rows."""
from tests.hours.conftest import add_entry, complete_course  # noqa: F401  (pytest fixtures)
