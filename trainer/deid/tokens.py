"""Split text into word tokens with the features the name and place rules read."""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon as lx
from . import vocab

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+(?:['’][^\W\d_]+)*)*")
CONTRACTIONS = ("n't", "n’t", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d", "’d", "'m", "’m")


@dataclass(slots=True)
class Token:
    """One word: where it is, how it is written, and what the lexicon says."""

    start: int
    end: int
    text: str
    low: str
    klass: int
    cap: bool
    upper: bool
    possessive: bool
    dot: bool
    sent_start: bool
    caps_line: bool
    masked: str = ""  # kind of a pattern finding covering it, if any


UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")
LETTER = re.compile(r"[^\W\d_]")
PLACEHOLDER = re.compile(r"\[[A-Z]+(?:-[A-Z]+|-\d+)?\]")


def _caps_lines(text: str) -> list[tuple[int, bool]]:
    """(line start, mostly capitals?) for every line; placeholders do not count."""
    lines, pos = [], 0
    for line in text.split("\n"):
        bare = PLACEHOLDER.sub("", line) if "[" in line else line
        letters = len(LETTER.findall(bare))
        lines.append((pos, letters >= 8 and len(UPPER.findall(bare)) >= 0.8 * letters))
        pos += len(line) + 1
    return lines


SENTENCE_BREAK = re.compile(r"[.!?:;\n•*>|]")


def _starts_sentence(text: str, prev_end: int, start: int, search) -> bool:
    """A sentence break (or the start of the text) between the previous word and this one."""
    if start - prev_end == 1 and prev_end:
        return text[prev_end] in ".!?:;\n•*>|"
    return prev_end == 0 or search(text, prev_end, start) is not None


def _klass(lex: lx.Lexicon, low: str) -> int:
    """Class of a word, looking into hyphenated parts and contractions."""
    klass = lex.classes.get(low)
    if klass is not None:
        return klass
    if low.endswith(CONTRACTIONS):
        return lx.WORD
    if "-" in low:
        parts = [lex.klass(p) for p in low.split("-") if p]
        if all(p in (lx.WORD, lx.KEEP, lx.ROLE) or p in vocab.FUNCTION for p in parts):
            return lx.ROLE if parts and parts[-1] == lx.ROLE else lx.WORD
        return min(parts) if parts else lx.UNKNOWN
    if low[:2] in ("o'", "d'", "o’", "d’"):
        return min(lex.klass(low[2:]), lx.NAME_LAST)
    return lx.UNKNOWN


def tokenize(text: str, lex: lx.Lexicon) -> list[Token]:
    """Every word token of the text, in order."""
    lines, line_index = _caps_lines(text), 0
    next_line = lines[1][0] if len(lines) > 1 else len(text) + 1
    tokens: list[Token] = []
    classes, n, prev_end = lex.classes, len(text), 0
    sentence_break, append = SENTENCE_BREAK.search, tokens.append
    for m in WORD.finditer(text):
        word = m.group()
        start = m.start()
        end = after = start + len(word)
        while start >= next_line:
            line_index += 1
            next_line = lines[line_index + 1][0] if line_index + 1 < len(lines) else n + 1
        possessive = False
        if len(word) > 2 and word[-2] in "'’" and word[-1] in "sS":
            word, end, possessive = word[:-2], end - 2, True
        elif end < n and text[end] in "'’" and word[-1] in "sz":
            possessive = end + 1 >= n or not text[end + 1].isalpha()
        low = word.lower()
        if not low.isascii():
            low = lx.fold(low)
        klass = classes.get(low)
        append(Token(
            start, end, word, low, _klass(lex, low) if klass is None else klass,
            word[0].isupper(), len(word) > 1 and word.isupper(), possessive,
            end < n and text[end] == ".", _starts_sentence(text, prev_end, start, sentence_break),
            lines[line_index][1],
        ))
        prev_end = after
    return tokens
