"""What the certificate and the transcript state, before they are drawn as PDFs (pure)."""
import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class CertificateDoc:
    """What a certificate states."""

    name: str
    program: str
    hours: tuple[tuple[str, int], ...]  # (category label, minutes)
    completed_on: dt.date
    issued_on: dt.date
    clinic: str
    supervisor: str
    code: str
    verify_url: str


@dataclass(frozen=True)
class Transcript:
    """The transcript's printed content and the sha256 of its canonical JSON."""

    body: dict
    content_hash: str
