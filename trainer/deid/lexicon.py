"""Gazetteers and the word-frequency test, loaded lazily from data/ on first use."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import vocab

DATA = Path(__file__).with_name("data")

# Token classes, from most to least name-like.
NAME_FIRST, NAME_LAST, UNKNOWN, AMBIG_FIRST, AMBIG_LAST, CITY, KEEP, ROLE, WORD = range(9)


@dataclass(frozen=True)
class Lexicon:
    """Word classes, multi-word city names and nickname groups."""

    classes: dict[str, int]
    first_names: frozenset[str]
    cities: frozenset[str]
    city_words: frozenset[str]  # first words of multi-word town names
    towns: frozenset[str]
    nicknames: dict[str, frozenset[str]]

    def klass(self, lower: str) -> int:
        """The class of a lower-cased, accent-folded word."""
        return self.classes.get(lower, UNKNOWN)


def strip_accents(text: str) -> str:
    """Remove combining accents ("José" -> "Jose")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower-case and strip accents ("José" -> "jose")."""
    lower = text.lower()
    return lower if lower.isascii() else strip_accents(lower)


def _class_of(flags: str) -> int:
    """Map build-time flags (V, A, F, S, C) to a token class."""
    if "A" in flags:
        return AMBIG_FIRST if "F" in flags else AMBIG_LAST if "S" in flags else WORD
    if "V" in flags:
        return WORD
    if "F" in flags:
        return NAME_FIRST
    if "S" in flags:
        return NAME_LAST
    return CITY


def _read_classes() -> tuple[dict[str, int], set[str], set[str]]:
    """Read lexicon.tsv into word -> class, the first names and one-word towns."""
    classes: dict[str, int] = {}
    first: set[str] = set()
    towns: set[str] = set()
    with (DATA / "lexicon.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            word, _, flags = line.rstrip("\n").partition("\t")
            classes[word] = _class_of(flags)
            if "F" in flags:
                first.add(word)
            if "C" in flags:
                towns.add(word)
    return classes, first, towns


def _apply_allow_list(classes: dict[str, int]) -> None:
    """Roles and allow-listed words override the gazetteers."""
    for word in vocab.allowed():
        if classes.get(word) in (NAME_FIRST, AMBIG_FIRST) and word not in vocab.WEEKDAYS:
            classes[word] = AMBIG_LAST  # a name as well: needs a cue ("Dakota said")
        else:
            classes[word] = KEEP
    for word in vocab.roles():
        classes[word] = ROLE


def _read_nicknames(first: set[str]) -> dict[str, frozenset[str]]:
    """Undirected nickname groups: every name maps to its variants."""
    pairs: dict[str, set[str]] = {}
    for line in (DATA / "nicknames.tsv").read_text(encoding="utf-8").splitlines():
        name, _, nicks = line.partition("\t")
        for nick in nicks.split():
            pairs.setdefault(name, set()).add(nick)
            pairs.setdefault(nick, set()).add(name)
    return {k: frozenset(v) for k, v in pairs.items()}


@cache
def load() -> Lexicon:
    """Load every list once; later calls return the same object."""
    classes, first, towns = _read_classes()
    _apply_allow_list(classes)
    cities = frozenset((DATA / "cities.txt").read_text(encoding="utf-8").split("\n")) - {""}
    city_words = frozenset(c.split()[0] for c in cities)
    return Lexicon(classes, frozenset(first), cities, city_words, frozenset(towns),
                   _read_nicknames(first))
