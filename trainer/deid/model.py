"""The engine's results: frozen findings that carry offsets and rule names, never text."""
from __future__ import annotations

import re
from dataclasses import dataclass

KINDS: tuple[str, ...] = (
    "PERSON", "DATE", "AGE", "PHONE", "FAX", "EMAIL", "URL", "IP", "HANDLE", "ADDRESS",
    "CITY", "ZIP", "SCHOOL", "EMPLOYER", "ORGANIZATION", "COURT_CASE", "SSN", "MRN",
    "INSURANCE", "LICENSE", "PLATE", "ID",
)
PLACEHOLDERS: dict[str, str] = {kind: f"[{kind}]" for kind in KINDS} | {
    "FAX": "[PHONE]",
    "COURT_CASE": "[CASE-NUMBER]",
}
# How each kind reads in a message to a person ("it looks like it contains a name").
LABELS: dict[str, str] = {
    "PERSON": "a name", "DATE": "a date", "AGE": "an age over 89", "PHONE": "a phone number",
    "FAX": "a fax number", "EMAIL": "an email address", "URL": "a web address", "IP": "an IP address",
    "HANDLE": "a social-media handle", "ADDRESS": "a street address", "CITY": "a town or city",
    "ZIP": "a ZIP code", "SCHOOL": "a school", "EMPLOYER": "an employer", "ORGANIZATION": "an organisation",
    "COURT_CASE": "a case number", "SSN": "a social security number", "MRN": "a record number",
    "INSURANCE": "an insurance number", "LICENSE": "a licence number", "PLATE": "a plate number",
    "ID": "an identifying number",
}
PLACEHOLDER_RE = re.compile(
    r"\[(?:PERSON-\d{1,9}|" + "|".join(sorted({p[1:-1] for p in PLACEHOLDERS.values()})) + r")\]"
)


@dataclass(frozen=True)
class Finding:
    """One redaction: offsets into the original text, the kind, the rule, the placeholder."""

    start: int
    end: int
    kind: str
    rule: str
    placeholder: str

    def excerpt(self, original: str) -> str:
        """The redacted text itself, for the author's own eyes only (never log it)."""
        return original[self.start:self.end]


@dataclass(frozen=True)
class Deidentified:
    """The redacted text and what was taken out of it, in order."""

    text: str
    findings: tuple[Finding, ...]

    def kinds(self) -> dict[str, int]:
        """How many findings of each kind: safe to log."""
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.kind] = counts.get(finding.kind, 0) + 1
        return counts
