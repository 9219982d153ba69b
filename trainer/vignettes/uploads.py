"""Attachment files: checked by content and size before anything is stored, stored under generated
keys with their sha256, and removed again when the use case fails (no orphans)."""
import hashlib
import logging
import os
from dataclasses import dataclass
from datetime import timedelta
from typing import BinaryIO

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.exc import SQLAlchemyError

from trainer.extensions import db
from trainer.storage import StorageError, new_key, storage
from trainer.timeutil import utcnow
from trainer.vignettes.filetypes import HEAD_BYTES, clean_name, display_name, sniff
from trainer.vignettes.models import PendingDeletion
from trainer.vignettes.services import VignetteError

log = logging.getLogger(__name__)
KEY_PREFIX = "vignettes"
UNCLAIMED_GRACE = timedelta(hours=1)  # far longer than an upload takes to reach its commit
ACCEPTED = "PDF, PNG, JPEG, MP3 or M4A"


@dataclass(frozen=True)
class Upload:
    """A file as it came in: a seekable stream and the name the browser sent (untrusted)."""

    stream: BinaryIO
    filename: str


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks, with its display name and the type its bytes show."""

    stream: BinaryIO
    name: str
    content_type: str
    size: int


@dataclass(frozen=True)
class StoredFile:
    """A file now in the store."""

    key: str
    name: str
    content_type: str
    size: int
    sha256: str


def limits() -> tuple[int, int]:
    """(largest file in bytes, most files per vignette) from the settings."""
    config = current_app.config
    return config["VIGNETTE_ATTACHMENT_MAX_BYTES"], config["VIGNETTE_ATTACHMENTS_MAX"]


def request_limit() -> int:
    """The largest upload request: every attachment at its largest, plus room for the form and text."""
    largest, most = limits()
    return largest * most + 2 * 1024 * 1024


def check_files(uploads: list[Upload], already: int) -> list[CheckedFile]:
    """Check count, size and type of every file first; VignetteError names the first file refused."""
    largest, most = limits()
    if already + len(uploads) > most:
        raise VignetteError(f"A vignette has at most {most} attachments; this would make "
                            f"{already + len(uploads)}.", field="attachments")
    return [_check(upload, largest) for upload in uploads]


def _check(upload: Upload, largest: int) -> CheckedFile:
    shown, stream = clean_name(upload.filename), upload.stream
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if size == 0:
        raise VignetteError(f"“{shown}” is empty.", field="attachments")
    if size > largest:
        raise VignetteError(f"“{shown}” is {size / 1048576:.1f} MB; each file may be at most "
                            f"{largest / 1048576:g} MB.", field="attachments")
    found = sniff(stream.read(HEAD_BYTES))
    stream.seek(0)
    if found is None:
        raise VignetteError(f"“{shown}” is not a {ACCEPTED} file (its content was checked, not its name).",
                            field="attachments")
    kind, content_type = found
    return CheckedFile(stream, display_name(upload.filename, kind), content_type, size)


class StoreUnavailable(VignetteError):
    """The file store failed, not the upload: nothing was kept, and trying again later will do."""


class _Hashing:
    """Reads through to a stream while hashing and counting what passed."""

    def __init__(self, stream: BinaryIO):
        self.stream, self.digest, self.size = stream, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        """Read from the stream, counting and hashing what passes."""
        chunk = self.stream.read(size)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk


def store_files(files: list[CheckedFile]) -> list[StoredFile]:
    """Put every file under a new key; when one fails, remove those already put and raise.

    The keys are queued for deletion (and committed) before any byte is stored; the
    transaction that saves their attachment rows unqueues them (`claim`). A process
    killed in between leaves queued objects, which `sweep` deletes after the grace.
    Call it before the use case writes anything: it commits the session.
    """
    keys = [new_key(KEY_PREFIX) for _ in files]
    try:
        db.session.add_all(PendingDeletion(storage_key=key, due_at=utcnow() + UNCLAIMED_GRACE) for key in keys)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        raise VignetteError("The files could not be saved, so nothing was stored. Try again in a moment.") from None
    stored: list[StoredFile] = []
    for file, key in zip(files, keys):
        reader = _Hashing(file.stream)
        try:
            storage().put(key, reader, file.content_type, file.name)
        except StorageError:
            discard(keys)
            raise StoreUnavailable(f"The file store could not save “{file.name}”, so nothing was saved. "
                                   f"Try again in a moment.", field="attachments") from None
        stored.append(StoredFile(key, file.name, file.content_type, reader.size, reader.digest.hexdigest()))
    return stored


def claim(keys: list[str]) -> None:
    """Take stored keys off the deletion queue, in the transaction that saves their rows."""
    if keys:
        db.session.execute(delete(PendingDeletion).where(PendingDeletion.storage_key.in_(keys)))


def discard(keys: list[str]) -> None:
    """Delete objects that must not stay; any the store cannot delete now are queued for a later sweep.

    It ends the session's transaction first without saving it: callers use it when
    their use case failed, or after it committed.
    """
    db.session.rollback()
    deleted, leftover = [], []
    for key in keys:
        try:
            storage().delete(key)
            deleted.append(key)
        except StorageError:
            leftover.append(key)
    if leftover:
        log.warning("storage: %d object(s) could not be deleted; queued for `flask vignettes sweep`", len(leftover))
    try:
        claim(deleted)  # gone: nothing left to sweep
        queued = set(db.session.scalars(select(PendingDeletion.storage_key)
                                        .where(PendingDeletion.storage_key.in_(leftover))))
        db.session.execute(update(PendingDeletion).where(PendingDeletion.storage_key.in_(queued))
                           .values(due_at=utcnow()))
        db.session.add_all(PendingDeletion(storage_key=key) for key in leftover if key not in queued)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.error("storage: could not queue %d object(s) for deletion: %s", len(leftover), leftover)


def sweep(limit: int = 100) -> tuple[int, int]:
    """Delete queued objects that are due; returns (deleted, due but still waiting)."""
    rows = list(db.session.scalars(select(PendingDeletion).where(PendingDeletion.due_at <= utcnow())
                                   .order_by(PendingDeletion.id).limit(limit)))
    deleted = 0
    for row in rows:
        try:
            storage().delete(row.storage_key)
        except StorageError:
            continue
        db.session.delete(row)
        deleted += 1
    db.session.commit()
    return deleted, len(rows) - deleted
