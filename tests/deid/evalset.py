"""Load the annotated evaluation notes and score the engine against them."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

EVAL = Path(__file__).with_name("eval")
MARK = re.compile(r"\{\{([A-Z_]+):(.*?)\}\}", re.S)
HEADER = re.compile(r"^### note: (\S+)\s*$", re.M)


@dataclass(frozen=True)
class Note:
    """One note: its clean text, its gold spans and the names the trainee typed."""

    id: str
    part: str
    text: str
    spans: tuple[tuple[int, int, str], ...]
    known: tuple[str, ...]


@dataclass
class Score:
    """Counts behind the benchmark's figures."""

    gold: dict[str, int] = field(default_factory=dict)
    caught: dict[str, int] = field(default_factory=dict)
    missed: list[tuple[str, str, str]] = field(default_factory=list)
    redacted_chars: int = 0
    gold_redacted_chars: int = 0
    keep_total: int = 0
    keep_kept: int = 0
    lost_terms: list[tuple[str, str]] = field(default_factory=list)

    def recall(self, kind: str | None = None) -> float:
        """Share of gold spans fully covered by findings (one kind, or all)."""
        kinds = [kind] if kind else list(self.gold)
        gold = sum(self.gold.get(k, 0) for k in kinds)
        return sum(self.caught.get(k, 0) for k in kinds) / gold if gold else 1.0

    def precision(self) -> float:
        """Share of redacted characters that were inside gold spans."""
        return self.gold_redacted_chars / self.redacted_chars if self.redacted_chars else 1.0

    def kept(self) -> float:
        """Share of clinical-vocabulary occurrences that survived."""
        return self.keep_kept / self.keep_total if self.keep_total else 1.0


def parse_note(note_id: str, part: str, body: str) -> Note:
    """Strip the {{KIND:text}} markup, keeping the spans."""
    known: tuple[str, ...] = ()
    lines = body.split("\n")
    if lines and lines[0].startswith("known:"):
        known = (lines[0][len("known:"):].strip(),)
        body = "\n".join(lines[1:])
    out, spans, pos = [], [], 0
    for m in MARK.finditer(body):
        out.append(body[pos:m.start()])
        start = sum(len(p) for p in out)
        out.append(m.group(2))
        spans.append((start, start + len(m.group(2)), m.group(1)))
        pos = m.end()
    out.append(body[pos:])
    return Note(note_id, part, "".join(out).strip("\n"), tuple(spans), known)


def load(part: str) -> list[Note]:
    """Every note of one part ("tune" or "heldout")."""
    notes: list[Note] = []
    for path in sorted((EVAL / part).glob("*.txt")):
        chunks = HEADER.split(path.read_text(encoding="utf-8"))
        for note_id, body in zip(chunks[1::2], chunks[2::2]):
            notes.append(parse_note(note_id, part, body.strip("\n")))
    return notes


def keep_terms() -> list[re.Pattern[str]]:
    """Whole-word, case-insensitive matchers for the vocabulary to keep."""
    terms = [t.strip() for t in (EVAL / "keep_terms.txt").read_text().splitlines()]
    terms = [t for t in terms if t and not t.startswith("#")]
    return [re.compile(r"(?<![\w-])" + re.escape(t) + r"(?![\w-])", re.I) for t in terms]


def _covered(text: str, start: int, end: int, findings: list[tuple[int, int]]) -> bool:
    """Every non-space character of [start, end) is inside some finding."""
    inside = set()
    for f_start, f_end in findings:
        if f_end > start and f_start < end:
            inside.update(range(max(start, f_start), min(end, f_end)))
    return all(i in inside for i in range(start, end) if not text[i].isspace())


def score_note(note: Note, run: Callable[[str, tuple[str, ...]], Iterable], score: Score,
               terms: list[re.Pattern[str]], use_known: bool = True) -> None:
    """Add one note's counts to the score."""
    result = run(note.text, note.known if use_known else ())
    found = [(f.start, f.end) for f in result.findings]
    for start, end, kind in note.spans:
        score.gold[kind] = score.gold.get(kind, 0) + 1
        if _covered(note.text, start, end, found):
            score.caught[kind] = score.caught.get(kind, 0) + 1
        else:
            score.missed.append((note.id, kind, note.text[start:end]))
    gold_chars = {i for s, e, _ in note.spans for i in range(s, e)}
    red_chars = {i for s, e in found for i in range(s, e)}
    score.redacted_chars += len(red_chars)
    score.gold_redacted_chars += len(red_chars & gold_chars)
    for term in terms:
        for m in term.finditer(note.text):
            if any(m.start() < e and s < m.end() for s, e, _ in note.spans):
                continue
            score.keep_total += 1
            if any(m.start() < e and s < m.end() for s, e in found):
                score.lost_terms.append((note.id, m.group()))
            else:
                score.keep_kept += 1


def evaluate(notes: list[Note], run: Callable, use_known: bool = True) -> Score:
    """Score the engine on a list of notes."""
    score, terms = Score(), keep_terms()
    for note in notes:
        score_note(note, run, score, terms, use_known)
    return score
