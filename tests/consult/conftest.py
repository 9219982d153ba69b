"""Consultation fixtures: a clinic of supervisors, a note full of identifiers, the preview-and-confirm helper."""
import re

import pytest

from tests.conftest import login
from tests.learn.conftest import render_once, synced  # noqa: F401  (fixtures: the shipped courses, synced)
from trainer.consult import services
from trainer.consult.models import Consultation
from trainer.extensions import db

NOTE = {
    "question": "Should I pause the Saturday visits for Emma while her father Mark sorts out the school pickups?",
    "summary": ("Emma Johnson (age 9) has refused visits with her father Mark Johnson since March 3, 2024. "
                "Her grandmother calls her Bug; Bug told me she is scared of the car rides. She attends "
                "Lincoln Elementary School. Docket No. 2023-DR-01234 is before Judge Harriet Okafor. "
                "Mother's phone is 555-201-3344, email kate.johnson@example.com; she lives at 42 Oak Street. "
                "Next hearing on 11/14/2024."),
    "people": "Emma Johnson, Mark Johnson\nKate Johnson",
    "more": "Bug",
}
IDENTIFIERS = ["Emma", "Johnson", "Mark", "Kate", "Bug", "March 3", "Lincoln", "2023-DR-01234", "Harriet",
               "Okafor", "555-201-3344", "kate.johnson@example.com", "42 Oak", "11/14/2024"]


def form_data(note=None, topics=("resist-refuse",), urgency="routine", **extra) -> dict:
    """The new-consultation form as a browser sends it."""
    note = dict(NOTE if note is None else note)
    return {**note, "topics": list(topics), "urgency": urgency, **extra}


def digest_in(html: str) -> str:
    """The preview digest from a page's hidden field."""
    match = re.search(r'name="digest"[^>]*value="([0-9a-f]{64})"|value="([0-9a-f]{64})"[^>]*name="digest"', html)
    assert match, "no preview digest on the page"
    return match.group(1) or match.group(2)


def preview_and_send(client, data: dict):
    """Preview, then confirm with the digest the page carried; returns (preview response, send response)."""
    first = client.post("/consultations/new", data={**data, "action": "preview"})
    assert first.status_code == 200, first.status_code
    sent = client.post("/consultations/new", data={**data, "action": "send", "confirm": "y",
                                                   "digest": digest_in(first.get_data(as_text=True))})
    return first, sent


def signed_in(app, user):
    """A client of its own signed in as user, with a fresh app context (so no other client's login leaks in)."""
    client = app.test_client()
    with app.app_context():
        assert login(client, user).status_code == 302
    return client


def draft(note=None, topics=("resist-refuse",), urgent=False) -> services.Draft:
    note = NOTE if note is None else note
    return services.Draft(question=note["question"], summary=note["summary"], topics=tuple(topics), urgent=urgent,
                          people=note.get("people", ""), more=note.get("more", ""))


@pytest.fixture
def consult(app):
    """create(trainee, ...) stores a consultation through the real rules."""
    def create(trainee, note=None, topics=("resist-refuse",), urgent=False, **kwargs) -> Consultation:
        d = draft(note, topics, urgent)
        consultation = services.create_consultation(trainee, d, services.preview_consultation(d).digest, **kwargs)
        return db.session.get(Consultation, consultation.id)
    return create
