"""Names the trainee typed: every token, combination, nickname and initial, in any case."""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from . import lexicon as lx
from . import vocab

SEPARATORS = re.compile(r"[,;\n\r]+|\s+and\s+|\s*&\s*|/")
NAME_PART = re.compile(r"[^\W\d_]+(?:['’.\-][^\W\d_]+)*\.?")
BOUNDARY_LEFT = r"(?<![^\W_])"
BOUNDARY_RIGHT = r"(?:['’]s?)?(?![^\W_])"


@dataclass(frozen=True)
class KnownNames:
    """Compiled matchers for the people of one case; `entries` index the people."""

    entries: tuple[tuple[str, ...], ...]
    any_case: re.Pattern[str] | None
    cased: re.Pattern[str] | None
    owner: dict[str, int]


def parse(known_names: Sequence[str]) -> list[tuple[str, ...]]:
    """One tuple of name tokens per person; roles and titles dropped ("Grandma Pat")."""
    people: list[tuple[str, ...]] = []
    for item in known_names:
        for part in SEPARATORS.split(str(item)):
            words = [w.rstrip(".") for w in NAME_PART.findall(part)]
            words = [w for w in words if not _is_role(w)]
            if words and words not in [list(p) for p in people]:
                people.append(tuple(words))
    return people


def _is_role(word: str) -> bool:
    """Roles, titles and function words are not part of anyone's name."""
    low = lx.fold(word)
    return low in vocab.roles() or low in vocab.TITLES or low in vocab.FUNCTION


def _typed_variants(words: tuple[str, ...]) -> set[str]:
    """Forms matched in any case: the whole name, each token, hyphen and apostrophe forms."""
    forms = {" ".join(words)}
    for word in words:
        pieces = [word, *word.split("-"), word.replace("-", " "), word.replace("-", "")]
        if "'" in word or "’" in word:
            pieces += [re.sub(r"['’]", "", word), re.sub(r"['’]", " ", word), re.sub(r"['’]", "’", word),
                       re.sub(r"['’]", "'", word)]
        forms.update(p for p in pieces if len(p) > 1 and lx.fold(p) not in vocab.PARTICLES)
    if len(words) > 2:
        forms.add(f"{words[0]} {words[-1]}")
    return {f for f in forms if f.strip()}


def _cased_variants(words: tuple[str, ...], lex: lx.Lexicon) -> set[str]:
    """Forms matched only capitalised: nicknames and initials ("Kate", "E.J.", "EJ")."""
    forms: set[str] = set()
    for word in words:
        for nick in lex.nicknames.get(lx.fold(word), ()):
            forms.update((nick.capitalize(), nick.upper()))
    letters = [w[0].upper() for w in words if w[:1].isalpha()]
    if len(letters) >= 2:
        forms.update({".".join(letters) + ".", ". ".join(letters) + ".", f"{letters[0]}. {words[-1]}"})
        joined = "".join(letters)
        if joined.lower() not in vocab.FUNCTION and joined.lower() not in vocab.allowed():
            forms.add(joined)
    return forms


class _AccentTable(dict):
    """str.translate table that strips accents one character at a time."""

    def __missing__(self, code: int) -> int:
        """Work out, and remember, one character's replacement."""
        folded = lx.strip_accents(chr(code))
        self[code] = ord(folded) if len(folded) == 1 else code
        return self[code]


_ACCENTS = _AccentTable()


def same_length_fold(text: str) -> str:
    """Text with accents stripped, offsets unchanged ("José" -> "Jose")."""
    return text if text.isascii() else text.translate(_ACCENTS)


def _alternation(forms: set[str]) -> str:
    """One regex alternative per form, longest first, spaces flexible."""
    ordered = sorted({same_length_fold(f) for f in forms}, key=lambda f: (-len(f), f))
    return "|".join(re.escape(f).replace(r"\ ", r"\s{1,3}") for f in ordered)


def compile_known(known_names: Sequence[str], lex: lx.Lexicon) -> KnownNames:
    """Build the matchers; the first person to own a form keeps it."""
    entries = tuple(parse(known_names))
    owner: dict[str, int] = {}
    typed: set[str] = set()
    cased: set[str] = set()
    for index, words in enumerate(entries):
        mine = _typed_variants(words)
        typed |= mine
        for form in mine:
            owner.setdefault(lx.fold(form), index)
        for form in _cased_variants(words, lex) - mine:
            cased.add(form)
            owner.setdefault(lx.fold(form), index)
    cased -= {c for c in cased if lx.fold(c) in {lx.fold(t) for t in typed}}
    return KnownNames(entries, _compile(typed, re.IGNORECASE), _compile(cased, 0), owner)


def _compile(forms: set[str], flags: int) -> re.Pattern[str] | None:
    """A bounded alternation, or None when there is nothing to match."""
    if not forms:
        return None
    return re.compile(BOUNDARY_LEFT + "(?:" + _alternation(forms) + ")" + BOUNDARY_RIGHT, flags)


def find_known(text: str, known: KnownNames) -> Iterator[tuple[int, int, int]]:
    """(start, end, person index) for every mention of a known person."""
    if known.any_case is None and known.cased is None:
        return
    folded = same_length_fold(text)
    for regex in (known.any_case, known.cased):
        if regex is None:
            continue
        for m in regex.finditer(folded):
            start, end = m.span()
            value = folded[start:end]
            bare = re.sub(r"['’]s?$", "", value)
            end = start + len(bare)
            index = known.owner.get(lx.fold(re.sub(r"\s+", " ", bare)), 0)
            yield start, end, index
