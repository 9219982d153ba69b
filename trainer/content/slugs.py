"""Slugs: the stable ids of content (lower-case letters, digits and hyphens, starting with a letter)."""
import re

SLUG = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
MAX_LENGTH = 80


def is_slug(value) -> bool:
    """Whether value is a slug of at most 80 characters."""
    return isinstance(value, str) and len(value) <= MAX_LENGTH and bool(SLUG.match(value))
