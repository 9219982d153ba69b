"""Logging: one line per event, CR/LF escaped, each line tagged with its request id.

Exceptions are logged by type and stack position only: their messages and
local values can carry what a person typed (clinical text included), so they
never reach a log.
"""
import logging
import traceback
import uuid

from flask import g, has_request_context

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class OneLineFormatter(logging.Formatter):
    """Escape CR and LF so no input can forge or split a log line."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\r", "\\r").replace("\n", "\\n")

    def formatException(self, exc_info) -> str:
        return describe_exception(exc_info[1])


class RequestIdFilter(logging.Filter):
    """Add the current request's id (or '-') to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def describe_exception(exc: BaseException) -> str:
    """The exception's type and where it was raised, without its message."""
    frames = traceback.extract_tb(exc.__traceback__)[-6:]
    where = " <- ".join(f"{f.filename.rsplit('/', 2)[-2:][-1]}:{f.lineno} {f.name}" for f in reversed(frames))
    return f"{type(exc).__module__}.{type(exc).__qualname__} at {where or 'unknown'}"


def new_request_id() -> str:
    """A short random id shown on error pages and written on the matching log line."""
    return uuid.uuid4().hex[:12]


def configure() -> None:
    """Install the one-line handler on the root logger once."""
    root = logging.getLogger()
    if any(getattr(h, "_trainer", False) for h in root.handlers):
        return
    handler = logging.StreamHandler()
    handler._trainer = True
    handler.setFormatter(OneLineFormatter(FORMAT))
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
