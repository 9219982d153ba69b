"""De-identification over several named texts at once: findings per field, redactions, highlight segments.

Pure: plain strings in, frozen dataclasses out. The texts are scanned as one
document so a person keeps the same placeholder across fields.
"""
from dataclasses import dataclass, replace

from trainer.deid import deidentify

SEPARATOR = "\n\n"


@dataclass(frozen=True)
class FieldFinding:
    """A finding in one field: offsets into that field's text, the kind, the rule, the placeholder."""

    field: str
    start: int
    end: int
    kind: str
    rule: str
    placeholder: str


@dataclass(frozen=True)
class Segment:
    """A run of text; `finding` is the index of the finding it shows, or None for plain text."""

    text: str
    finding: int | None = None


def normalise(text: str | None) -> str:
    """Line endings as the server keeps them, so offsets agree between a preview and its confirmation."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def find(fields: list[tuple[str, str]], known_names=()) -> tuple[FieldFinding, ...]:
    """Every finding in the fields, in field order then text order."""
    spans, joined, at = [], [], 0
    for name, text in fields:
        spans.append((name, at, at + len(text)))
        joined.append(text)
        at += len(text) + len(SEPARATOR)
    result = deidentify(SEPARATOR.join(joined), known_names=tuple(known_names))
    found = []
    for finding in result.findings:
        for name, start, end in spans:
            if finding.start < end and finding.end > start:
                found.append(FieldFinding(name, max(finding.start, start) - start, min(finding.end, end) - start,
                                          finding.kind, finding.rule, finding.placeholder))
    return tuple(found)


def apply(fields: dict[str, str], findings, redact: set[int]) -> tuple[dict[str, str], dict[int, FieldFinding]]:
    """Replace the chosen findings by their placeholders; the others come back, by their index,
    with offsets into the new texts."""
    texts, kept = dict(fields), {}
    for name in fields:
        ordered = sorted((f.start, i, f) for i, f in enumerate(findings) if f.field == name)
        pieces, cursor, shift = [], 0, 0
        for _, index, finding in ordered:
            if finding.start < cursor:
                continue  # overlapping findings are not produced by the engine; never redact twice
            pieces.append(fields[name][cursor:finding.start])
            if index in redact:
                pieces.append(finding.placeholder)
                shift += len(finding.placeholder) - (finding.end - finding.start)
            else:
                pieces.append(fields[name][finding.start:finding.end])
                kept[index] = replace(finding, start=finding.start + shift, end=finding.end + shift)
            cursor = finding.end
        texts[name] = "".join(pieces) + fields[name][cursor:]
    return texts, dict(sorted(kept.items()))


def redact_all(fields: list[tuple[str, str]], known_names=()) -> tuple[dict[str, str], tuple[FieldFinding, ...]]:
    """The fields with every finding replaced, and the findings (offsets into the originals)."""
    findings = find(fields, known_names)
    texts, _ = apply(dict(fields), findings, set(range(len(findings))))
    return texts, findings


def segments(text: str, findings, field: str) -> tuple[Segment, ...]:
    """The field's text cut into plain runs and finding runs, for a page to escape and mark."""
    parts, cursor = [], 0
    for index, finding in sorted(((i, f) for i, f in enumerate(findings) if f.field == field),
                                 key=lambda pair: pair[1].start):
        if finding.start < cursor:
            continue
        if finding.start > cursor:
            parts.append(Segment(text[cursor:finding.start]))
        parts.append(Segment(text[finding.start:finding.end], index))
        cursor = finding.end
    if cursor < len(text):
        parts.append(Segment(text[cursor:]))
    return tuple(parts)
