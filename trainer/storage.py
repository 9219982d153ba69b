"""File storage behind one small interface: local disk by default, S3 when configured."""
import os
import shutil
import uuid
from urllib.parse import quote
from pathlib import Path
from typing import BinaryIO

from botocore.exceptions import BotoCoreError, ClientError
from flask import current_app


class StorageError(Exception):
    """The store could not complete an operation; the message is safe to show."""


def attachment(filename: str) -> str:
    """A Content-Disposition that downloads under filename (any characters, safely quoted)."""
    return f"attachment; filename*=UTF-8''{quote(filename, safe='')}"


def new_key(prefix: str) -> str:
    """A fresh storage key; names chosen by users never become keys."""
    return f"{prefix}/{uuid.uuid4().hex}"


class LocalStorage:
    """Files under a folder on this machine, served through auth-checked routes."""

    def __init__(self, root: str):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise StorageError("invalid storage key")
        return path

    def put(self, key: str, data: BinaryIO, content_type: str, filename: str = "download") -> None:
        """Store the stream under key, atomically (a failed write leaves nothing)."""
        path = self._path(key)
        partial = path.with_name(path.name + ".partial")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(partial, "wb") as handle:
                shutil.copyfileobj(data, handle)
            os.replace(partial, path)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise StorageError("the file store could not save the file") from exc

    def open(self, key: str) -> BinaryIO:
        """Open a stored file for reading."""
        try:
            return open(self._path(key), "rb")
        except OSError as exc:
            raise StorageError("the file is not available") from exc

    def delete(self, key: str) -> None:
        """Remove a stored file; removing a missing one is not an error."""
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        """Whether a file is stored under key."""
        return self._path(key).is_file()

    def keys(self, prefix: str) -> list[str]:
        """Every key stored under the folder prefix, partial writes included (they are files too)."""
        folder = self._path(prefix)
        if not folder.is_dir():
            return []
        root = self.root.resolve()
        return sorted(path.relative_to(root).as_posix() for path in folder.rglob("*") if path.is_file())

    def url(self, key: str, filename: str, content_type: str, expires: int = 300) -> str | None:
        """Local files have no direct URL; callers stream them through a view."""
        return None


class S3Storage:
    """Objects in an S3 bucket (any S3-compatible endpoint), downloaded by presigned URL."""

    def __init__(self, bucket: str, endpoint_url: str | None, region: str):
        import boto3  # only sites on S3 pay for importing it
        from botocore.config import Config as BotoConfig
        self.bucket = bucket
        self.client = boto3.client(
            "s3", endpoint_url=endpoint_url, region_name=region,
            config=BotoConfig(connect_timeout=3, read_timeout=10, retries={"max_attempts": 2},
                              signature_version="s3v4"),  # presigned links every region accepts
        )

    def put(self, key: str, data: BinaryIO, content_type: str, filename: str = "download") -> None:
        """Upload the stream under key, stored to download as an attachment named filename."""
        extra = {"ContentType": content_type, "ContentDisposition": attachment(filename)}
        try:
            self.client.upload_fileobj(data, self.bucket, key, ExtraArgs=extra)
        except (BotoCoreError, ClientError) as exc:
            raise StorageError("the file store could not save the file") from exc

    def open(self, key: str) -> BinaryIO:
        """Open a stored object for reading."""
        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        except (BotoCoreError, ClientError) as exc:
            raise StorageError("the file is not available") from exc

    def delete(self, key: str) -> None:
        """Remove an object; S3 treats a missing key as removed."""
        try:
            self.client.delete_object(Bucket=self.bucket, Key=key)
        except (BotoCoreError, ClientError) as exc:
            raise StorageError("the file store could not remove the file") from exc

    def exists(self, key: str) -> bool:
        """Whether an object is stored under key."""
        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
            return True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return False
            raise StorageError("the file store did not answer") from exc
        except BotoCoreError as exc:
            raise StorageError("the file store did not answer") from exc

    def keys(self, prefix: str) -> list[str]:
        """Every key stored under the folder prefix."""
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=f"{prefix}/")
        try:
            return sorted(item["Key"] for page in pages for item in page.get("Contents", []))
        except (BotoCoreError, ClientError) as exc:
            raise StorageError("the file store did not answer") from exc

    def url(self, key: str, filename: str, content_type: str, expires: int = 300) -> str:
        """A short-lived presigned download URL that downloads as an attachment."""
        return self.client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": key,
                    "ResponseContentDisposition": attachment(filename),
                    "ResponseContentType": content_type},
            ExpiresIn=expires,
        )


def make_storage(config) -> LocalStorage | S3Storage:
    """Build the store the configuration asks for."""
    if config["STORAGE_BACKEND"] == "s3":
        if not config["S3_BUCKET"]:
            raise RuntimeError("STORAGE_BACKEND=s3 needs S3_BUCKET")
        return S3Storage(config["S3_BUCKET"], config["S3_ENDPOINT_URL"], config["S3_REGION"])
    if config["STORAGE_BACKEND"] != "local":
        raise RuntimeError("STORAGE_BACKEND must be 'local' or 's3'")
    return LocalStorage(config["UPLOAD_FOLDER"])


def storage() -> LocalStorage | S3Storage:
    """The app's store, built on first use (no network call at start-up)."""
    ext = current_app.extensions
    if "storage" not in ext:
        ext["storage"] = make_storage(current_app.config)
    return ext["storage"]
