"""SQLite made safe for several writers: WAL, a busy timeout, write locks taken up front."""
from flask import has_request_context, request
from sqlalchemy import Engine, event

READ_ONLY_METHODS = {"GET", "HEAD", "OPTIONS"}
WRITE_LOCK_OPTION = "trainer_write_lock"


def wants_write_lock() -> bool:
    """Requests that may write take the write lock when their transaction begins.

    A deferred transaction that reads and then writes fails at once with
    SQLITE_BUSY when another writer committed in between; taking the lock
    first makes such requests wait their turn instead. Reads stay deferred so
    they never wait for writers (WAL lets them run side by side).
    """
    return has_request_context() and request.method not in READ_ONLY_METHODS


def writer(engine: Engine) -> Engine:
    """The engine whose transactions take the write lock when they begin, whatever the request.

    For a short write of its own during a read-only request (an audit event on
    a GET): a deferred transaction there would read, then fail to write.
    """
    return engine.execution_options(**{WRITE_LOCK_OPTION: True})


def _on_connect(dbapi_connection, _record) -> None:
    if not _is_sqlite(dbapi_connection):
        return
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _on_begin(connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    immediate = wants_write_lock() or connection.get_execution_options().get(WRITE_LOCK_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


def install() -> None:
    """Attach the listeners to every engine (idempotent)."""
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)
        event.listen(Engine, "begin", _on_begin)
