"""deidentify(): run every detector, merge what they found, render placeholders."""
from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import known as known_mod
from . import lexicon as lx
from . import names, orgs, places, rules
from .model import PLACEHOLDER_RE, PLACEHOLDERS, Deidentified, Finding
from .placeholders import Numbering
from .tokens import tokenize

MAX_ROUNDS = 4


@dataclass(frozen=True)
class Candidate:
    """A detector's hit before merging; `person` is a known person's index."""

    start: int
    end: int
    kind: str
    rule: str
    priority: int
    person: int | None = None


def _subtract(c: Candidate, protected: list[tuple[int, int]]) -> list[Candidate]:
    """The parts of a candidate outside existing placeholders."""
    if not protected:
        return [c]
    pieces, start = [], c.start
    for i in range(max(bisect.bisect_left(protected, (c.start, c.start)) - 1, 0), len(protected)):
        p_start, p_end = protected[i]
        if p_start >= c.end:
            break
        if p_end <= start:
            continue
        if p_start > start:
            pieces.append((start, p_start))
        start = max(start, p_end)
    if start < c.end:
        pieces.append((start, c.end))
    return [Candidate(s, e, c.kind, c.rule, c.priority, c.person) for s, e in pieces]


def _pattern_candidates(text: str, lex: lx.Lexicon) -> list[Candidate]:
    """Hits of the fixed patterns, places and organisations, ranked by rule order."""
    found: list[Candidate] = []
    rank = {rule.name: i for i, rule in enumerate(rules.RULES)}
    found += [Candidate(m.start, m.end, m.kind, m.rule, 10 + rank[m.rule]) for m in rules.find_all(text)]
    order = 100
    for detector in (places.county_matches(text),
                     orgs.head_matches(text, lex), orgs.lower_matches(text, lex),
                     orgs.employer_matches(text, lex), orgs.lower_employer_matches(text, lex),
                     orgs.firm_matches(text, lex),
                     places.city_state_matches(text, lex)):
        for m in detector:
            found.append(Candidate(m.start, m.end, m.kind, m.rule, order))
        order += 1
    return found


def _mask(tokens: list, spans: Iterable[tuple[int, int, str]]) -> None:
    """Mark tokens that a finding (or an existing placeholder) already covers."""
    starts = [t.start for t in tokens]
    for start, end, kind in spans:
        i = max(bisect.bisect_right(starts, start) - 1, 0)
        while i < len(tokens) and tokens[i].start < end:
            if tokens[i].end > start:
                tokens[i].masked = kind
            i += 1


def detect(text: str, known: known_mod.KnownNames, lex: lx.Lexicon) -> list[Candidate]:
    """Every candidate span in the text, placeholders excluded."""
    protected = [m.span() for m in PLACEHOLDER_RE.finditer(text)]
    found = [Candidate(s, e, "PERSON", "known-name", 0, p)
             for s, e, p in known_mod.find_known(text, known)]
    found += _pattern_candidates(text, lex)
    found = [piece for c in found for piece in _subtract(c, protected)]
    tokens = tokenize(text, lex)
    _mask(tokens, [(s, e, "PERSON" if "PERSON" in text[s:e] else "OTHER") for s, e in protected])
    _mask(tokens, [(c.start, c.end, c.kind) for c in found])
    for m in places.gazetteer_cities(text, tokens, lex):
        found.append(Candidate(m.start, m.end, m.kind, m.rule, 500))
    _mask(tokens, [(c.start, c.end, c.kind) for c in found if c.priority == 500])
    for start, end, rule in names.find_people(text, tokens):
        found.append(Candidate(start, end, "PERSON", rule, 600))
    return [piece for c in found for piece in _subtract(c, protected)]


def merge(found: list[Candidate]) -> list[Candidate]:
    """Union overlapping candidates; the longest, then the highest-priority, names it."""
    merged: list[Candidate] = []
    group: list[Candidate] = []
    group_end = -1
    for c in sorted(found, key=lambda c: (c.start, -c.end)):
        if group and c.start >= group_end:
            merged.append(_winner(group))
            group = []
        group.append(c)
        group_end = max(group_end, c.end) if len(group) > 1 else c.end
    if group:
        merged.append(_winner(group))
    return merged


def _winner(group: list[Candidate]) -> Candidate:
    """One candidate for an overlapping group, stretched over all of it."""
    best = min(group, key=lambda c: (-(c.end - c.start), c.priority))
    start, end = min(c.start for c in group), max(c.end for c in group)
    person = next((c.person for c in group if c.person is not None and best.kind == "PERSON"), None)
    return Candidate(start, end, best.kind, best.rule, best.priority, person)


def render(text: str, spans: list[Candidate], known: known_mod.KnownNames,
           lex: lx.Lexicon) -> tuple[str, tuple[Finding, ...]]:
    """Replace each span with its placeholder; person numbers follow first mention."""
    numbering = Numbering(text, len(known.entries), lex)
    numbering.seed_known(known.entries)
    pieces, findings, pos = [], [], 0
    for c in spans:
        if c.kind == "PERSON":
            placeholder = numbering.placeholder(text[c.start:c.end], c.person)
        else:
            placeholder = PLACEHOLDERS[c.kind]
        pieces += [text[pos:c.start], placeholder]
        findings.append(Finding(c.start, c.end, c.kind, c.rule, placeholder))
        pos = c.end
    pieces.append(text[pos:])
    return "".join(pieces), tuple(findings)


def _back(findings: tuple[Finding, ...], out_pos: int, at_end: bool, out_starts: list[int],
          out_ends: list[int]) -> int:
    """Map an offset in the rendered text back to the original text."""
    i = bisect.bisect_right(out_starts, out_pos) - 1
    if i < 0:
        return out_pos
    f = findings[i]
    if out_pos < out_ends[i] or (out_pos == out_ends[i] and not at_end and out_pos > out_starts[i]):
        return f.end if at_end else f.start
    return f.end + (out_pos - out_ends[i])


def deidentify(text: str, known_names: Sequence[str] = ()) -> Deidentified:
    """Redact every identifier in `text`; the same input always gives the same output."""
    if not isinstance(text, str):
        raise TypeError("deidentify() needs a str")
    lex = lx.load()
    known = known_mod.compile_known(known_names, lex)
    spans = merge(detect(text, known, lex))
    out, findings = render(text, spans, known, lex)
    for _ in range(MAX_ROUNDS):
        extra = detect(out, known, lex)
        if not extra:
            break
        spans = merge(spans + _map_back(extra, findings))
        out, findings = render(text, spans, known, lex)
    return Deidentified(out, findings)


def _map_back(extra: list[Candidate], findings: tuple[Finding, ...]) -> list[Candidate]:
    """Candidates found in the rendered text, moved to original offsets."""
    out_starts, out_ends, shift = [], [], 0
    for f in findings:
        out_start = f.start + shift
        out_starts.append(out_start)
        out_ends.append(out_start + len(f.placeholder))
        shift += len(f.placeholder) - (f.end - f.start)
    return [Candidate(_back(findings, c.start, False, out_starts, out_ends),
                      _back(findings, c.end, True, out_starts, out_ends),
                      c.kind, c.rule, c.priority, c.person) for c in extra]
