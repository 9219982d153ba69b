"""Attachment types come from the first bytes; names are cleaned for display and never trusted."""
import pytest

from tests.vignettes import samples
from trainer.vignettes.filetypes import HEAD_BYTES, display_name, sniff

ACCEPTED = [
    ("pdf", samples.PDF, ("pdf", "application/pdf")),
    ("png", samples.PNG, ("png", "image/png")),
    ("jpeg", samples.JPEG, ("jpeg", "image/jpeg")),
    ("mp3 with an ID3 tag", samples.MP3_ID3, ("mp3", "audio/mpeg")),
    ("mp3 frame sync", samples.MP3_FRAME, ("mp3", "audio/mpeg")),
    ("m4a brand", samples.M4A, ("m4a", "audio/mp4")),
    ("isom brand", samples.MP4_ISOM, ("m4a", "audio/mp4")),
    ("mp42 brand", samples.MP42, ("m4a", "audio/mp4")),
]
REFUSED = [
    ("html renamed to .pdf", samples.HTML_AS_PDF),
    ("svg", samples.SVG),
    ("zip", samples.ZIP),
    ("zip bomb shape", samples.ZIP_BOMB),
    ("gif", samples.GIF),
    ("empty", b""),
    ("plain text", b"Just some notes about the case"),
    ("pdf word without a version", b"%PDF-x"),
    ("png signature without IHDR", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
    ("mpeg layer I", samples.MP3_BAD_LAYER),
    ("id3 with a size that is not sync-safe", samples.ID3_BAD_SIZE),
    ("ftyp of a video brand", b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + b"\x00" * 40),
    ("ftyp box too short", b"\x00\x00\x00\x08ftypM4A " + b"\x00" * 40),
    ("pdf after leading junk", b"\n\n%PDF-1.4"),
]


@pytest.mark.parametrize("name,head,expected", ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_accepted_types_are_recognised_from_their_first_bytes(name, head, expected):
    assert sniff(head[:HEAD_BYTES]) == expected


@pytest.mark.parametrize("name,head", REFUSED, ids=[r[0] for r in REFUSED])
def test_everything_else_is_refused(name, head):
    assert sniff(head[:HEAD_BYTES]) is None


@pytest.mark.parametrize("filename,kind,shown", [
    ("../../etc/passwd", "pdf", "passwd.pdf"),
    ("..\\..\\windows\\system.ini", "png", "system.png"),
    ("Session notes.PDF", "pdf", "Session notes.pdf"),
    ("photo.png", "jpeg", "photo.jpg"),
    ("interview\x00\n\t.mp3", "mp3", "interview.mp3"),
    (".hidden", "m4a", "hidden.m4a"),
    ("", "pdf", "attachment.pdf"),
    (None, "pdf", "attachment.pdf"),
    ("...", "pdf", "attachment.pdf"),
    ("notes e\u0301te\u0301.pdf", "pdf", "notes \u00e9t\u00e9.pdf"),
    ("x" * 300 + ".pdf", "pdf", "x" * 100 + ".pdf"),
    ("<script>alert(1)</script>.pdf", "pdf", "script.pdf"),
    ('what: "this"?.pdf', "pdf", "what this.pdf"),
])
def test_display_names_keep_no_folders_or_control_characters_and_take_the_real_extension(filename, kind, shown):
    assert display_name(filename, kind) == shown
