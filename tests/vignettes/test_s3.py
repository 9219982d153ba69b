"""Uploads on real S3 (moto's server over HTTP): objects in the bucket, and no orphans when the store
or the database fails half-way."""
import boto3
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from tests.services import Gate, MotoServer
from tests.vignettes import samples
from tests.vignettes.conftest import bucket_keys, pdf_and_audio, publish_now, upload, vtext
from trainer.auth.models import User
from trainer.extensions import db
from trainer.learn.models import Vignette
from trainer.storage import S3Storage, storage
from trainer.vignettes import publishing, uploads
from trainer.vignettes.models import Attachment, PendingDeletion
from trainer.vignettes.services import VignetteError


def rows() -> tuple[int, int]:
    return (db.session.scalar(select(func.count(Vignette.id))), db.session.scalar(select(func.count(Attachment.id))))


def test_uploads_land_in_the_bucket_under_their_keys(s3_app, s3_settings, admin):
    admin = db.session.get(User, admin.id)
    vignette = publishing.create_vignette(admin, vtext(), pdf_and_audio())
    keys = sorted(a.storage_key for a in db.session.scalars(select(Attachment)))
    assert bucket_keys(s3_settings) == keys and len(keys) == 2
    head = boto3.client("s3", endpoint_url=s3_settings["S3_ENDPOINT_URL"], region_name="us-east-1").head_object(
        Bucket=s3_settings["S3_BUCKET"], Key=db.session.scalar(select(Attachment.storage_key).where(
            Attachment.filename == "Referral letter.pdf")))
    assert head["ContentType"] == "application/pdf"
    assert head["ContentDisposition"] == "attachment; filename*=UTF-8''Referral%20letter.pdf"
    assert publishing.discard_draft(admin, vignette) and bucket_keys(s3_settings) == []


@pytest.fixture
def own_server(make_app, app):
    """A moto server for this test alone, with an app storing files in a bucket on it."""
    server = MotoServer().start()
    boto3.client("s3", endpoint_url=server.url, region_name="us-east-1").create_bucket(Bucket="midway")
    yield server
    server.stop()


def stop_after_first_put(monkeypatch, stop):
    """Let the first object reach the store, then take the store away."""
    store, real_put, calls = storage(), storage().put, []

    def put(*args, **kwargs):
        if calls:
            stop()
        calls.append(args[0])
        return real_put(*args, **kwargs)
    monkeypatch.setattr(store, "put", put)
    return calls


def test_the_s3_server_stopping_mid_upload_leaves_no_row_and_queues_the_first_object(make_app, own_server,
                                                                                      admin, monkeypatch):
    s3 = make_app(STORAGE_BACKEND="s3", S3_BUCKET="midway", S3_ENDPOINT_URL=own_server.url)
    with s3.app_context():
        admin = db.session.get(User, admin.id)
        calls = stop_after_first_put(monkeypatch, own_server.stop)
        with pytest.raises(VignetteError, match="could not save “Intake call.mp3”, so nothing was saved"):
            publishing.create_vignette(admin, vtext(), pdf_and_audio())
        assert len(calls) == 2 and rows() == (0, 0)
        assert db.session.scalars(select(PendingDeletion.storage_key)).all() == calls


def test_a_store_that_goes_away_and_comes_back_keeps_no_orphan(make_app, s3_server, s3_settings, admin,
                                                                monkeypatch):
    gate = Gate(s3_server.port).open()
    s3 = make_app(**{**s3_settings, "S3_ENDPOINT_URL": gate.url})
    with s3.app_context():
        admin = db.session.get(User, admin.id)
        stop_after_first_put(monkeypatch, gate.shut)
        with pytest.raises(VignetteError, match="nothing was saved"):
            publishing.create_vignette(admin, vtext(), pdf_and_audio())
        assert rows() == (0, 0) and len(bucket_keys(s3_settings)) == 1  # the first file, queued for deletion
        gate.open()
        assert uploads.sweep() == (2, 0)  # the first object, and the key the failed put may have begun
        assert bucket_keys(s3_settings) == [] and db.session.scalar(select(func.count(PendingDeletion.id))) == 0


def test_a_store_failure_while_the_store_still_answers_deletes_at_once(s3_app, s3_settings, admin, monkeypatch):
    admin = db.session.get(User, admin.id)
    store = storage()
    assert isinstance(store, S3Storage)
    real_put, calls = store.put, []

    def put(key, data, *args, **kwargs):
        calls.append(key)
        if len(calls) == 3:
            raise uploads.StorageError("the file store could not save the file")
        return real_put(key, data, *args, **kwargs)
    monkeypatch.setattr(store, "put", put)
    files = pdf_and_audio() + [upload("photo.png", samples.PNG)]
    with pytest.raises(VignetteError, match="“photo.png”"):
        publishing.create_vignette(admin, vtext(), files)
    assert rows() == (0, 0) and bucket_keys(s3_settings) == []
    assert db.session.scalar(select(func.count(PendingDeletion.id))) == 0


@pytest.mark.parametrize("use_case", ["create", "add"])
@pytest.mark.parametrize("failing", [1, 2])  # the commit that queues the keys, or the one that saves the rows
def test_a_database_failure_leaves_no_object_in_the_bucket(s3_app, s3_settings, admin, monkeypatch, use_case,
                                                           failing):
    admin = db.session.get(User, admin.id)
    vignette = None
    if use_case == "add":
        vignette = publishing.create_vignette(admin, vtext(), [])
        publish_now(admin, vignette)
    before = rows()
    real_commit, commits = db.session.commit, []

    def failing_commit():
        commits.append(1)
        if len(commits) == failing:
            monkeypatch.setattr(db.session, "commit", real_commit)
            raise OperationalError("COMMIT", {}, Exception("database went away"))
        real_commit()
    monkeypatch.setattr(db.session, "commit", failing_commit)
    with pytest.raises(VignetteError, match="nothing was stored"):
        if use_case == "create":
            publishing.create_vignette(admin, vtext(), pdf_and_audio())
        else:
            publishing.add_attachments(admin, db.session.get(Vignette, vignette.id), pdf_and_audio())
    assert rows() == before and bucket_keys(s3_settings) == []
    assert db.session.scalar(select(func.count(PendingDeletion.id))) == 0  # deleted, so nothing left to sweep
