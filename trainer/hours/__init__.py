"""Certification hours: logging, supervisor sign-off, requirements and progress."""
