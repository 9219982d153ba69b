"""One-time tokens: the raw token goes to the person, only its digest is stored."""
import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """A fresh URL-safe token and the digest to store for it."""
    raw = secrets.token_urlsafe(32)
    return raw, token_digest(raw)


def token_digest(raw: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()
