"""Vignette fixtures: texts, uploads, an app on S3, published vignettes."""
import io
from dataclasses import replace
from pathlib import Path

import boto3
import pytest
from flask import current_app

from tests.vignettes import samples
from trainer.extensions import db
from trainer.vignettes import publishing
from trainer.vignettes.document import VignetteText
from trainer.vignettes.drafts import draft_of
from trainer.vignettes.uploads import Upload

BASE_TEXT = VignetteText(
    title="The handover at the library",
    family="Parents separated a year ago; the son (8) lives with the father.",
    presenting_issue="The son cries at every handover and asks to stay home.",
    topics=("resist-refuse", "co-parenting-conflict"), age_band="6-12", difficulty="intermediate",
    court_stage="post-judgment",
    questions=("What hypotheses would you hold?", "Whose perspectives do you need first?"),
    body="## Referral\n\nThe father calls after the third tearful handover. Dr. Maria Lopez referred the family "
         "on 03/14/2024; call 555-123-4567.\n\n## What is unclear\n\nWhy the son cries.")


def vtext(**changes) -> VignetteText:
    """The sample vignette, with fields changed."""
    return replace(BASE_TEXT, **changes)


def upload(name: str, data: bytes) -> Upload:
    """A file as a request would bring it."""
    return Upload(io.BytesIO(data), name)


def pdf_and_audio() -> list[Upload]:
    return [upload("Referral letter.pdf", samples.PDF), upload("Intake call.mp3", samples.MP3_ID3)]


def local_files() -> list[Path]:
    """Every file in the test app's upload folder."""
    root = Path(current_app.config["UPLOAD_FOLDER"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def bucket_keys(settings: dict, endpoint: str | None = None) -> list[str]:
    """Every key in the test's bucket, listed with boto3."""
    client = boto3.client("s3", endpoint_url=endpoint or settings["S3_ENDPOINT_URL"], region_name="us-east-1")
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=settings["S3_BUCKET"]).get("Contents", []))


def decide_all(admin, vignette, choice="redact"):
    draft = draft_of(vignette)
    return publishing.decide(admin, vignette, draft.revision, {i: choice for i in range(len(draft.findings))})


def publish_now(admin, vignette, choice="redact"):
    """Decide every finding the same way and publish."""
    decide_all(admin, vignette, choice)
    return publishing.publish(admin, vignette, draft_of(vignette).revision)


@pytest.fixture
def published(admin):
    """An uploaded vignette with a PDF and an audio file, published as version 1."""
    vignette = publishing.create_vignette(admin, vtext(), pdf_and_audio())
    publish_now(admin, vignette)
    return vignette


@pytest.fixture
def s3_app(make_app, app, s3_settings):
    """An app storing files in a fresh bucket on the S3 server (the database is the test's)."""
    s3 = make_app(**s3_settings)
    with s3.app_context():
        yield s3
        db.session.remove()
