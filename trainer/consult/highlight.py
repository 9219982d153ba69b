"""What a preview shows: de-identified text as safe segments, never the words that were taken out.

Pure Python. The original text of a redaction is never copied into a segment:
a redaction segment carries only its placeholder and kind, and the text
between redactions (which the engine judged not identifying) is plain text
for the template to escape.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from trainer.deid import PLACEHOLDERS, Finding
from trainer.deid.model import PLACEHOLDER_RE

SEPARATOR = "\n\n"
PHRASE_SPLIT = re.compile(r"[\n\r,;]+")
MAX_PHRASES = 100
KIND_LABELS = {
    "PERSON": "name", "DATE": "date", "AGE": "age over 89", "PHONE": "phone or fax number", "FAX": "fax number",
    "EMAIL": "email address", "URL": "web address", "IP": "IP address", "HANDLE": "social-media handle",
    "ADDRESS": "street address", "CITY": "town or city", "ZIP": "ZIP code", "SCHOOL": "school",
    "EMPLOYER": "employer", "ORGANIZATION": "organisation", "COURT_CASE": "court or docket number",
    "SSN": "social security number", "MRN": "record number", "INSURANCE": "insurance number",
    "LICENSE": "licence number", "PLATE": "plate number", "ID": "identifying number",
}
PLURALS = {"AGE": "ages over 89", "EMAIL": "email addresses", "IP": "IP addresses", "ADDRESS": "street addresses",
           "CITY": "towns or cities"}
_KIND_OF_PLACEHOLDER = {p[1:-1]: k for k, p in reversed(PLACEHOLDERS.items())}


@dataclass(frozen=True)
class Segment:
    """Plain text (kind None) or a redaction: its placeholder and kind only."""

    text: str
    kind: str | None = None

    @property
    def label(self) -> str:
        """The kind in words, for redactions."""
        return label_of(self.kind or "")


@dataclass(frozen=True)
class Part:
    """One field of a preview: its de-identified text and the segments to show."""

    text: str
    segments: tuple[Segment, ...]


def join_parts(parts: Sequence[str], after_person: int = 0) -> tuple[str, list[tuple[int, int]]]:
    """One text to de-identify in one go (so [PERSON-n] agree across fields) and each part's bounds.

    `after_person` numbers new people after those already in a thread: a
    placeholder at the front makes the engine continue from it.
    """
    text = f"[PERSON-{after_person}]{SEPARATOR}" if after_person else ""
    bounds = []
    for index, part in enumerate(parts):
        if index:
            text += SEPARATOR
        bounds.append((len(text), len(text) + len(part)))
        text += part
    return text, bounds


def split_parts(original: str, findings: Iterable[Finding], bounds: Sequence[tuple[int, int]]) -> list[Part]:
    """Cut the engine's findings back into the parts; a redaction across a boundary shows in both."""
    findings = sorted(findings, key=lambda f: f.start)
    return [_part(original, [f for f in findings if f.start < end and f.end > start], start, end)
            for start, end in bounds]


def _part(original: str, findings: list[Finding], start: int, end: int) -> Part:
    segments: list[Segment] = []
    pos = start
    for finding in findings:
        if finding.start > pos:
            segments.append(Segment(original[pos:finding.start]))
        segments.append(Segment(finding.placeholder, finding.kind))
        pos = max(pos, min(finding.end, end))
    if pos < end:
        segments.append(Segment(original[pos:end]))
    return Part("".join(s.text for s in segments), tuple(segments))


def kind_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """How many redactions of each kind (safe to store and log)."""
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.kind] = counts.get(finding.kind, 0) + 1
    return dict(sorted(counts.items()))


def label_of(kind: str, count: int = 1) -> str:
    """A kind in words, singular or plural."""
    singular = KIND_LABELS.get(kind, "detail")
    return singular if count == 1 else PLURALS.get(kind, singular + "s")


def describe_removed(counts: dict[str, int]) -> str:
    """'3 names, 2 dates and 1 school' from kind counts, most frequent first."""
    words = [f"{n} {label_of(kind, n)}" for kind, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    if len(words) <= 1:
        return words[0] if words else "nothing"
    return ", ".join(words[:-1]) + " and " + words[-1]


def mark_placeholders(text: str) -> tuple[Segment, ...]:
    """Stored de-identified text as segments, so placeholders can be shown as such."""
    segments, pos = [], 0
    for match in PLACEHOLDER_RE.finditer(text):
        if match.start() > pos:
            segments.append(Segment(text[pos:match.start()]))
        name = match.group()[1:-1]
        kind = "PERSON" if name.startswith("PERSON-") else _KIND_OF_PLACEHOLDER.get(name, "ID")
        segments.append(Segment(match.group(), kind))
        pos = match.end()
    if pos < len(text):
        segments.append(Segment(text[pos:]))
    return tuple(segments)


def highest_person(texts: Iterable[str]) -> int:
    """The highest [PERSON-n] number used in these texts (0 when none)."""
    numbers = [int(n) for text in texts for n in re.findall(r"\[PERSON-(\d{1,9})\]", text)]
    return max(numbers, default=0)


def phrases(*fields: str | None) -> list[str]:
    """Names and phrases to remove: one per line or comma-separated, each once, at most 100."""
    seen, found = set(), []
    for field in fields:
        for piece in PHRASE_SPLIT.split(field or ""):
            piece = " ".join(piece.split())
            if piece and piece.casefold() not in seen:
                seen.add(piece.casefold())
                found.append(piece)
    return found[:MAX_PHRASES]


def unremoved(text: str, wanted: Sequence[str]) -> list[int]:
    """1-based positions of wanted phrases still in the de-identified text (whole, or their numbers)."""
    left = []
    for number, phrase in enumerate(wanted, start=1):
        pieces = [phrase] + [t for t in re.findall(r"[^\W_]+", phrase) if any(ch.isdigit() for ch in t)]
        if any(re.search(rf"(?<![^\W_]){re.escape(p)}(?![^\W_])", text, re.IGNORECASE) for p in pieces):
            left.append(number)
    return left
