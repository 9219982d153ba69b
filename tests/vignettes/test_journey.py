"""The whole journey over HTTP, on local disk and on S3: an admin uploads a vignette with a PDF and an
audio file, resolves the findings and publishes; a trainee responds; the supervisor returns it with
feedback, then accepts the revision; it counts toward the program."""
import io
import re

from pathlib import Path

from sqlalchemy import select

from tests.conftest import login
from tests.vignettes import samples
from tests.vignettes.conftest import bucket_keys, vtext
from trainer.extensions import db
from trainer.learn.models import Vignette
from trainer.vignettes.document import to_markdown
from trainer.vignettes.models import Attachment, Response
from trainer.vignettes.services import accepted_count

RUBRIC = {"rating_hypotheses": "met", "rating_perspectives": "met", "rating_safety": "partly",
          "rating_pacing": "met"}


def upload_and_publish(client) -> Vignette:
    client.post("/admin/vignettes/new", content_type="multipart/form-data", data={
        "markdown_file": (io.BytesIO(to_markdown(vtext()).encode()), "handover.md"),
        "attachments": [(io.BytesIO(samples.PDF), "Referral.pdf"), (io.BytesIO(samples.MP3_ID3), "Intake.mp3")]})
    vignette = db.session.scalar(select(Vignette))
    page = client.get(f"/admin/vignettes/{vignette.id}").text
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
    choices = {f"finding-{i}": "redact" for i in range(page.count('<fieldset class="decision"'))}
    assert "Saved: 3 redacted" in client.post(f"/admin/vignettes/{vignette.id}/decisions", follow_redirects=True,
                                              data={"revision": revision, **choices}).text
    page = client.get(f"/admin/vignettes/{vignette.id}").text
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
    assert "Version 1 is published" in client.post(f"/admin/vignettes/{vignette.id}/publish",
                                                   data={"revision": revision}, follow_redirects=True).text
    return vignette


def respond(client, vignette, answers, version):
    data = {"version": version, **{f"answer-{i}": a for i, a in enumerate(answers)}}
    assert "Check before submitting" in client.post(f"/vignettes/{vignette.slug}/response",
                                                    data={**data, "action": "preview"}).text
    client.post(f"/vignettes/{vignette.slug}/response", data={**data, "action": "submit"})


def review(client, decision, feedback=""):
    response = db.session.scalar(select(Response))
    client.post(f"/supervise/vignettes/{response.id}", data={"version": response.version, "decision": decision,
                                                              "feedback": feedback, **RUBRIC})
    return db.session.scalar(select(Response))


def test_the_whole_journey_on_local_disk(make_app, app, admin, supervisor, trainee):
    walk(make_app(), None, admin, supervisor, trainee)


def test_the_whole_journey_on_s3(make_app, app, s3_settings, admin, supervisor, trainee):
    walk(make_app(**s3_settings), s3_settings, admin, supervisor, trainee)


def walk(app, s3, admin, supervisor, trainee):
    """Three people in three browsers; the site is an app whose context the test does not hold."""
    clients = {role: app.test_client() for role in ("admin", "supervisor", "trainee")}
    for role, person in (("admin", admin), ("supervisor", supervisor), ("trainee", trainee)):
        login(clients[role], person)
    vignette = upload_and_publish(clients["admin"])
    keys = sorted(a.storage_key for a in db.session.scalars(select(Attachment)))
    if s3:
        assert bucket_keys(s3) == keys  # the objects are in the bucket, under generated keys
    else:
        folder = Path(app.config["UPLOAD_FOLDER"])
        assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == keys

    respond(clients["trainee"], vignette, ["Hypotheses: fear, loyalty, the handover.", "Both parents."], 0)
    returned = review(clients["supervisor"], "returned", "Add what you would screen for.")
    assert returned.status == "returned"
    assert "Add what you would screen for." in clients["trainee"].get(f"/vignettes/{vignette.slug}/response").text
    respond(clients["trainee"], vignette, ["Hypotheses: fear, loyalty, the handover.", "Both, after a safety screen."],
            returned.version)
    accepted = review(clients["supervisor"], "accepted")
    assert (accepted.status, accepted.submissions, len(accepted.reviews)) == ("accepted", 2, 2)
    assert accepted_count(trainee.id) == 1

    audio = db.session.scalar(select(Attachment).where(Attachment.filename == "Intake.mp3"))
    download = clients["trainee"].get(f"/vignettes/{vignette.slug}/files/{audio.id}")
    if s3:
        assert download.status_code == 302 and s3["S3_BUCKET"] in download.location
    else:
        assert download.status_code == 200 and download.data == samples.MP3_ID3
