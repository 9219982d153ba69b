"""Attachment types told apart by their first bytes (never by name), and safe display names."""
import re
import unicodedata

HEAD_BYTES = 64  # enough to recognise every accepted type
EXTENSIONS = {"pdf": "pdf", "png": "png", "jpeg": "jpg", "mp3": "mp3", "m4a": "m4a"}
LABELS = {"pdf": "PDF", "png": "PNG image", "jpeg": "JPEG image", "mp3": "MP3 audio", "m4a": "M4A audio"}
M4A_BRANDS = {b"M4A ", b"isom", b"mp42"}
NAME_MAX = 100


def _pdf(head: bytes) -> bool:
    return head.startswith(b"%PDF-") and head[5:6].isdigit()


def _png(head: bytes) -> bool:
    return head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR"


def _jpeg(head: bytes) -> bool:
    return head.startswith(b"\xff\xd8\xff")


def _id3(head: bytes) -> bool:
    """An ID3v2 tag: 'ID3', a major version 2–4, and a four-byte sync-safe size."""
    return head.startswith(b"ID3") and len(head) >= 10 and head[3] in (2, 3, 4) and all(b < 0x80 for b in head[6:10])


def _mp3_frame(head: bytes) -> bool:
    """An MPEG audio Layer III frame header: 11 sync bits, a real version, bitrate and sample rate."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 0b11, (head[1] >> 1) & 0b11
    bitrate, sample_rate = head[2] >> 4, (head[2] >> 2) & 0b11
    return version != 0b01 and layer == 0b01 and bitrate not in (0, 0b1111) and sample_rate != 0b11


def _m4a(head: bytes) -> bool:
    """An ISO media file whose ftyp box names an audio-capable brand."""
    if len(head) < 16 or head[4:8] != b"ftyp" or int.from_bytes(head[:4], "big") < 16:
        return False
    size = min(int.from_bytes(head[:4], "big"), len(head))
    brands = {head[8:12]} | {head[i:i + 4] for i in range(16, size - 3, 4)}
    return bool(brands & M4A_BRANDS)


# Order matters only for readability: no two signatures overlap.
SIGNATURES = (
    ("pdf", "application/pdf", _pdf),
    ("png", "image/png", _png),
    ("jpeg", "image/jpeg", _jpeg),
    ("mp3", "audio/mpeg", lambda head: _id3(head) or _mp3_frame(head)),
    ("m4a", "audio/mp4", _m4a),
)


def sniff(head: bytes) -> tuple[str, str] | None:
    """(kind, content type) of an accepted file from its first bytes, or None for anything else."""
    for kind, content_type, matches in SIGNATURES:
        if matches(head):
            return kind, content_type
    return None


def clean_name(filename: str | None) -> str:
    """The name without folders, control or reserved characters, as a message may quote it."""
    name = unicodedata.normalize("NFC", re.split(r"[/\\]", filename or "")[-1])
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C") and ch not in '<>:"|?*')
    return re.sub(r"\s+", " ", name).strip().lstrip(".").strip()[:NAME_MAX + 10] or "attachment"


def display_name(filename: str | None, kind: str) -> str:
    """A name to show and download under: a clean name with the extension of the real type."""
    name = clean_name(filename)
    stem = name.rsplit(".", 1)[0].strip() if "." in name else name
    return f"{stem[:NAME_MAX].strip() or 'attachment'}.{EXTENSIONS[kind]}"
