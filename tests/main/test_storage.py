"""Local and S3 storage behind the same interface; S3 against moto's server over HTTP."""
import io
import urllib.request

import boto3
import pytest

from tests.services import MotoServer
from trainer.storage import LocalStorage, S3Storage, StorageError, make_storage, new_key


def roundtrip(store):
    key = new_key("test")
    store.put(key, io.BytesIO(b"%PDF-1.4 hello"), "application/pdf")
    assert store.exists(key)
    with store.open(key) as handle:
        assert handle.read() == b"%PDF-1.4 hello"
    store.delete(key)
    assert not store.exists(key)
    store.delete(key)  # deleting twice is fine
    return key


def test_local_roundtrip(tmp_path):
    store = LocalStorage(str(tmp_path))
    roundtrip(store)
    assert store.url("k/x", "a.pdf", "application/pdf") is None


def test_local_refuses_keys_outside_its_folder(tmp_path):
    store = LocalStorage(str(tmp_path / "files"))
    with pytest.raises(StorageError):
        store.put("../../etc/passwd", io.BytesIO(b"x"), "text/plain")


def test_local_failed_write_leaves_nothing(tmp_path):
    store = LocalStorage(str(tmp_path))

    class Broken(io.RawIOBase):
        def readinto(self, buffer):
            raise OSError("disk full")

    with pytest.raises(StorageError):
        store.put("a/b", Broken(), "text/plain")
    assert list(tmp_path.rglob("*")) == [tmp_path / "a"]


def listing(store) -> list[str]:
    """Store two files in one folder and one in another; return the first folder's keys."""
    keys = [new_key("files"), new_key("files"), new_key("other")]
    for key in keys:
        store.put(key, io.BytesIO(b"x"), "text/plain")
    assert store.keys("files") == sorted(keys[:2]) and store.keys("other") == [keys[2]]
    return store.keys("nothing-here")


def test_local_keys_list_a_folder(tmp_path):
    assert listing(LocalStorage(str(tmp_path))) == []


def test_s3_keys_list_a_folder(s3_settings):
    assert listing(make_storage(s3_settings)) == []


def test_keys_never_come_from_user_names():
    assert new_key("vignettes").startswith("vignettes/") and "/" not in new_key("v")[2:]


def test_s3_roundtrip_and_presigned_download(s3_settings):
    store = make_storage(s3_settings)
    assert isinstance(store, S3Storage)
    key = new_key("att")
    store.put(key, io.BytesIO(b"ID3 audio bytes"), "audio/mpeg", "session notes é.mp3")
    listed = boto3.client("s3", endpoint_url=s3_settings["S3_ENDPOINT_URL"], region_name="us-east-1") \
        .list_objects_v2(Bucket=s3_settings["S3_BUCKET"])
    assert [o["Key"] for o in listed["Contents"]] == [key]
    url = store.url(key, "session notes é.mp3", "audio/mpeg", expires=60)
    with urllib.request.urlopen(url) as response:
        assert response.read() == b"ID3 audio bytes"
        assert response.headers["Content-Disposition"].startswith("attachment; filename*=UTF-8''session%20notes")
        assert response.headers["Content-Type"] == "audio/mpeg"
    roundtrip(store)


def test_s3_failing_endpoint_raises_a_clean_error():
    server = MotoServer().start()
    boto3.client("s3", endpoint_url=server.url, region_name="us-east-1").create_bucket(Bucket="gone")
    store = S3Storage("gone", server.url, "us-east-1")
    store.put("k/1", io.BytesIO(b"x"), "text/plain")
    server.stop()
    for call in (lambda: store.put("k/2", io.BytesIO(b"x"), "text/plain"), lambda: store.open("k/1"),
                 lambda: store.exists("k/1"), lambda: store.delete("k/1")):
        with pytest.raises(StorageError):
            call()


def test_unknown_backend_is_refused():
    with pytest.raises(RuntimeError, match="local' or 's3"):
        make_storage({"STORAGE_BACKEND": "ftp"})
