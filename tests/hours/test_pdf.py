"""The PDF builders, with the system's Unicode font and without one."""
import datetime as dt

import pytest

from trainer.hours import pdf

DOC = pdf.CertificateDoc(name="Zoë Łukasiewicz", program="Foundations – Reunification",
                         hours=(("Conjoint parent–child", 600),), completed_on=dt.date(2026, 3, 1),
                         issued_on=dt.date(2026, 3, 2), clinic="Clinic “North”", supervisor="Dr. Sam",
                         code="abcdefghijklmnop", verify_url="https://x.example/certificates/verify/c")
TRANSCRIPT = pdf.Transcript(body={
    "name": "Zoë", "email": "z@example.org", "clinic": "Clinic", "generated_at": "2026-03-02T10:00:00Z",
    "courses": [["The Protocol", "2026-01-02"]], "modules": [["Safety first", "2026-01-01", 90]],
    "hours_by_category": [["Conjoint parent–child session", 600]], "hours_by_month": [["2026-01", "Conjoint", 600]],
    "programs": [["Foundations", 3, 4]], "signatures": [[1, "Dr. Sam", "2026-01-05T10:00", 2, "ab" * 32, False]]},
    content_hash="cd" * 32)


@pytest.mark.parametrize("fonts", ["system", "none"])
def test_documents_build_with_or_without_a_unicode_font(monkeypatch, fonts):
    if fonts == "none":
        monkeypatch.setattr(pdf, "FONT_DIRS", ())
    for data in (pdf.certificate_pdf(DOC), pdf.transcript_pdf(TRANSCRIPT)):
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")


def test_without_a_unicode_font_text_is_made_drawable(monkeypatch):
    monkeypatch.setattr(pdf, "FONT_DIRS", ())
    document = pdf._Document()
    assert document.family == "Helvetica"
    assert document.text_for("Parent–child “safe” Zoë Ł") == 'Parent-child "safe" Zoë ?'


def test_qr_image_and_hours_text():
    image = pdf.qr_image("https://x.example/certificates/verify/abc")
    assert image.mode == "L" and image.size[0] == image.size[1] > 100
    assert [pdf.hours_text(m) for m in (600, 90, 15)] == ["10", "1.5", "0.25"]
