"""Person names: gazetteer classes of each word, then context cues, then spreading.

Each rule is a small named function; a token keeps the name of the first rule
that made it part of a name, so a finding can say why it was redacted.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import cache

from . import lexicon as lx
from . import vocab
from .cues import (AMBIGUOUS, NAME_CLASSES, NOT_INITIALS, adjacent, after_time, family_name_cue,
                   initial_letter, initials_caps, is_initial, name_with_age, naming_cue, never_name,
                   person_verb, possessive_name, role_paren_cue, state_code_in_address, title_cue)
from .tokens import Token


def gazetteer_name(text: str, toks: list[Token], i: int) -> bool:
    """A capitalised first name or surname that is not an ordinary word."""
    t = toks[i]
    return t.klass in (lx.NAME_FIRST, lx.NAME_LAST) and t.cap and len(t.text) > 1


def lowercase_first_name(text: str, toks: list[Token], i: int) -> bool:
    """A first name written in lower case ("jaden", "kayla") that is no word."""
    return toks[i].klass == lx.NAME_FIRST and not toks[i].cap and len(toks[i].text) > 2


def unknown_capitalised(text: str, toks: list[Token], i: int) -> bool:
    """A capitalised word that no dictionary knows is most likely a name."""
    t = toks[i]
    return t.klass == lx.UNKNOWN and t.cap and len(t.text) > 1


NOT_NAMES = frozenset("o'clock y'all ma'am ne'er e'er o’clock y’all ma’am".split())


def apostrophe_name(text: str, toks: list[Token], i: int) -> bool:
    """An unknown word with an inner apostrophe is a name in any case ("ja'marcus")."""
    t = toks[i]
    return t.klass == lx.UNKNOWN and ("'" in t.text or "’" in t.text) and t.low not in NOT_NAMES


def word_name_capitalised(text: str, toks: list[Token], i: int) -> bool:
    """A first name that is also a word ("Hope"), capitalised mid-sentence."""
    t = toks[i]
    if t.klass != lx.AMBIG_FIRST or not t.cap or t.sent_start or t.caps_line or t.upper:
        return False
    return not (i > 0 and toks[i - 1].low in vocab.DETERMINERS and toks[i - 1].end + 1 == t.start)


def _initial_runs(text: str, toks: list[Token], rules: list[str | None]) -> None:
    """Runs of two or more initials ("J.R.", "C. M. P.") that spell no abbreviation."""
    i, n = 0, len(toks)
    while i < n:
        if not is_initial(toks[i]):
            i += 1
            continue
        j = i
        while j + 1 < n and is_initial(toks[j + 1]) and adjacent(text, toks[j], toks[j + 1]):
            j += 1
        letters = "".join(t.text for t in toks[i:j + 1]) if j > i else ""
        if j > i and (letters not in NOT_INITIALS or letters in ("AM", "PM") and not after_time(text, toks[i])):
            for k in range(i, j + 1):
                if not toks[k].masked:
                    rules[k] = "initials-sequence"
        i = j + 1


BASE_RULES: tuple[Callable[[str, list[Token], int], bool], ...] = (
    gazetteer_name, lowercase_first_name, unknown_capitalised, apostrophe_name, word_name_capitalised,
    initials_caps, initial_letter, title_cue, naming_cue, person_verb, possessive_name,
    name_with_age, family_name_cue, role_paren_cue,
)


def _is_person(t: Token, rule: str | None) -> bool:
    """Already a name: by a rule here or by a known-name or placeholder mask."""
    return rule is not None or t.masked == "PERSON"


def _joins(t: Token, lowercase_chain: bool) -> bool:
    """Could this word continue a neighbouring name?"""
    if t.cap:
        return t.klass in NAME_CLASSES or t.klass == lx.CITY or (
            len(t.text) == 1 and t.dot)
    return lowercase_chain and t.klass in (lx.NAME_FIRST, lx.NAME_LAST, lx.UNKNOWN)


def _spread(text: str, toks: list[Token], rules: list[str | None], people: list[int]) -> None:
    """Extend names to adjacent name-like words, particles and coordinated names."""
    frontier, n = people, len(toks)
    for _ in range(4):
        near = sorted({j for i in frontier for j in (i - 2, i - 1, i + 1, i + 2) if 0 <= j < n})
        frontier = []
        for i in near:
            t = toks[i]
            if rules[i] is not None or t.masked or never_name(t) and t.low not in vocab.PARTICLES:
                continue
            if _extend(text, toks, rules, i):
                frontier.append(i)
        if not frontier:
            return


def _extend(text: str, toks: list[Token], rules: list[str | None], i: int) -> bool:
    """Make token i part of a neighbouring name if it can be; say whether it was."""
    t = toks[i]
    left = i > 0 and _is_person(toks[i - 1], rules[i - 1]) and adjacent(text, toks[i - 1], t)
    right = (i + 1 < len(toks) and _is_person(toks[i + 1], rules[i + 1])
             and adjacent(text, t, toks[i + 1]))
    if t.low in vocab.PARTICLES:
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if left and nxt is not None and adjacent(text, t, nxt) and (
                nxt.cap and not never_name(nxt) or nxt.low in vocab.PARTICLES):
            rules[i] = "name-particle"
        return rules[i] is not None
    chain = not t.cap and any(not toks[j].cap for j in (i - 1, i + 1) if 0 <= j < len(toks))
    if (left or right) and _joins(t, chain):
        rules[i] = "name-continuation"
    elif t.cap and t.klass in AMBIGUOUS and _coordinated(text, toks, rules, i):
        rules[i] = "coordinated-name"
    return rules[i] is not None


def _coordinated(text: str, toks: list[Token], rules: list[str | None], i: int) -> bool:
    """"Emma and Hope": an ambiguous word joined by "and"/"or" to a name."""
    for conj, other in ((i - 1, i - 2), (i + 1, i + 2)):
        if 0 <= other < len(toks) and toks[conj].low in ("and", "or", "&"):
            if _is_person(toks[other], rules[other]) and toks[other].cap:
                return True
    return False


@cache
def _cue_words() -> frozenset[str]:
    """Words after which any word may be a name (loaded on first use)."""
    return vocab.TITLES | vocab.NAMING_CUES | vocab.roles() | {"the"}


def _plain_word(toks: list[Token], i: int) -> bool:
    """Fast path: an ordinary word no base rule could take."""
    t = toks[i]
    if i and toks[i - 1].low in _cue_words():
        return False
    if not t.cap:
        return t.klass != lx.NAME_FIRST and not (t.klass == lx.UNKNOWN and ("'" in t.text or "’" in t.text))
    return t.klass in (lx.WORD, lx.KEEP, lx.CITY) and len(t.text) > 1 and not t.upper


def find_people(text: str, toks: list[Token]) -> list[tuple[int, int, str]]:
    """Spans of person names (start, end, rule) among the unmasked tokens."""
    rules: list[str | None] = [None] * len(toks)
    _initial_runs(text, toks, rules)
    for i, t in enumerate(toks):
        if rules[i] is not None or t.masked or _plain_word(toks, i) or never_name(t) or (
                t.upper and state_code_in_address(text, t)):
            continue
        for rule in BASE_RULES:
            if rule(text, toks, i):
                rules[i] = rule.__name__.replace("_", "-")
                break
    people = [i for i, t in enumerate(toks) if rules[i] is not None or t.masked == "PERSON"]
    _spread(text, toks, rules, people)
    _propagate(text, toks, rules)
    return _spans(text, toks, rules)


def _propagate(text: str, toks: list[Token], rules: list[str | None]) -> None:
    """A word that names someone once names them everywhere it is written like a name."""
    named = {t.low for t, r in zip(toks, rules) if r is not None or t.masked == "PERSON"}
    named = {w for w in named if len(w) > 2 and w not in vocab.FUNCTION}
    # A writer who typed a name in lower case once may do it again ("destiny").
    lower = {t.low for t, r in zip(toks, rules) if r is not None and not t.cap} & named
    prefixes = {w[:k] for w in named for k in range(3, len(w))} | {
        w[-k:] for w in named for k in range(4, len(w) - 1)}
    wanted = named | prefixes
    for i, t in enumerate(toks):
        if t.low not in wanted or rules[i] is not None or never_name(t) or t.klass == lx.KEEP:
            continue
        if t.low in named and (t.cap or t.possessive or t.klass not in AMBIGUOUS or t.low in lower
                               or _verb_after(text, toks, i)):
            rules[i] = "same-name-elsewhere"
        elif t.low in prefixes and t.klass in (lx.UNKNOWN, lx.NAME_FIRST, lx.NAME_LAST) and (
                t.cap or _verb_after(text, toks, i)):
            rules[i] = "short-form-of-name"


def _verb_after(text: str, toks: list[Token], i: int) -> bool:
    """The next word is a person's verb ("amber is nice")."""
    return i + 1 < len(toks) and text[toks[i].end:toks[i + 1].start] == " " and \
        toks[i + 1].low in vocab.PERSON_VERBS


def _spans(text: str, toks: list[Token], rules: list[str | None]) -> list[tuple[int, int, str]]:
    """Merge runs of adjacent name tokens into spans."""
    spans: list[tuple[int, int, str]] = []
    for i, t in enumerate(toks):
        rule = rules[i]
        if rule is None:
            continue
        if spans and i > 0 and rules[i - 1] is not None and adjacent(text, toks[i - 1], t):
            start, _, first = spans[-1]
            spans[-1] = (start, t.end, first)
        else:
            spans.append((t.start, t.end, rule))
        if len(t.text) == 1 and t.dot and t.cap:
            spans[-1] = (spans[-1][0], t.end + 1, spans[-1][2])  # keep the initial's period
    return [s for s in spans if not _particle_only(text[s[0]:s[1]])]


def _particle_only(value: str) -> bool:
    """A span that is only a particle ("de") is no name."""
    return value.lower() in vocab.PARTICLES
