"""Time helpers: the database keeps naive UTC datetimes everywhere."""
from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time as a naive UTC datetime, as stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)
