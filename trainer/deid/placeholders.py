"""Consistent person numbering: every mention of one person gets the same [PERSON-n]."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import lexicon as lx
from . import vocab

WORDS = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
EXISTING = re.compile(r"\[PERSON-(\d{1,9})\]")
POOLS = ("given", "loose", "family")


@dataclass
class Person:
    """What we know of one person so far: the words of their name, their number."""

    id: int
    given: set[str] = field(default_factory=set)
    family: set[str] = field(default_factory=set)
    loose: set[str] = field(default_factory=set)
    number: int = 0

    def initials(self) -> str:
        """Initials of given names then family names ("jr" for Jose Reyes)."""
        return "".join(sorted(w[0] for w in self.given)) + "".join(sorted(w[0] for w in self.family))


class Numbering:
    """Assigns placeholders to person mentions in text order."""

    def __init__(self, text: str, known_people: int, lex: lx.Lexicon) -> None:
        """Number after any [PERSON-n] the text already holds; known people come first."""
        taken = [int(n) for n in EXISTING.findall(text)]
        self.next = max(taken, default=0) + 1
        self.people: list[Person] = []
        self.index: dict[str, dict[str, list[int]]] = {pool: {} for pool in POOLS}
        self.by_letter: dict[str, set[int]] = {}
        self.lex = lex
        for _ in range(known_people):
            self._new(set(), set(), set())

    def placeholder(self, mention: str, known_index: int | None) -> str:
        """The placeholder of the person this mention names."""
        person = self.people[known_index] if known_index is not None else self._match(mention)
        if not person.number:
            person.number, self.next = self.next, self.next + 1
        return f"[PERSON-{person.number}]"

    def seed_known(self, entries: tuple[tuple[str, ...], ...]) -> None:
        """Known people start with the words the trainee typed."""
        for person, words in zip(self.people, entries):
            folded = [lx.fold(w) for w in words]
            self._add(person, "given", folded[0])
            for word in folded[1:]:
                self._add(person, "family", word)

    def _add(self, person: Person, pool: str, word: str) -> None:
        """Record that a word names this person."""
        getattr(person, pool).add(word)
        if pool == "given" and word:
            self.by_letter.setdefault(word[0], set()).add(person.id)
        ids = self.index[pool].setdefault(word, [])
        if person.id not in ids:
            ids.append(person.id)

    def _with(self, pools: tuple[str, ...], words: set[str]) -> list[Person]:
        """People named by any of the words in any of the pools, oldest first."""
        ids = {i for pool in pools for w in words for i in self.index[pool].get(w, ())}
        return [self.people[i] for i in sorted(ids)]

    def _variants(self, word: str) -> set[str]:
        """A word and its nicknames."""
        return {word} | set(self.lex.nicknames.get(word, ()))

    def _match(self, mention: str) -> Person:
        """Find the person a detected mention refers to, or start a new one."""
        words = [lx.fold(w) for w in WORDS.findall(mention)]
        words = [w for w in words if w not in vocab.TITLES and w not in vocab.PARTICLES
                 and w not in vocab.SUFFIXES]
        if not words:
            return self._new(set(), set(), {mention.lower()})
        if all(len(w) == 1 for w in words) or len(words) == 1:
            return self._single(words)
        given, family = words[0], words[-1]
        for person in self._with(("given", "loose"), self._variants(given)):
            if not person.family or family in person.family:
                self._add(person, "family", family)
                return person
        for person in self._with(POOLS, set(words)):
            if not person.given and person.loose | person.family <= set(words):
                self._add(person, "given", given)
                self._add(person, "family", family)
                return person
        return self._new({given}, {family}, set(words[1:-1]))

    def _single(self, words: list[str]) -> Person:
        """A one-word mention or initials: match given names first, then surnames."""
        key = "".join(words)
        if len(words) > 1 or len(key) == 1:
            for person in (self.people[i] for i in sorted(self.by_letter.get(key[0], ()))):
                if person.initials() == key:
                    return person
            return self._new(set(), set(), {key + "."})
        variants = self._variants(key)
        for pool in POOLS:
            found = self._with((pool,), variants)
            if found:
                return found[0]
        return self._new(set(), set(), {key})

    def _new(self, given: set[str], family: set[str], loose: set[str]) -> Person:
        """Start a new person."""
        person = Person(len(self.people))
        self.people.append(person)
        for pool, words in (("given", given), ("family", family), ("loose", loose)):
            for word in words:
                self._add(person, pool, word)
        return person

