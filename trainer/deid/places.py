"""Towns, cities and counties: a county pattern, a 'City, ST' anchor and a gazetteer."""
from __future__ import annotations

import re
from collections.abc import Iterator

from . import lexicon as lx
from . import vocab
from .rules import Match, windowed
from .tokens import Token

CAP_WORD = r"[A-Z][\w'’.-]{0,30}"
STATE_NAMES = "|".join(sorted({
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa",
    "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan",
    "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada",
    "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina",
    "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island",
    "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont", "Virginia",
    "Washington", "West Virginia", "Wisconsin", "Wyoming",
}, key=len, reverse=True))
COUNTY = re.compile(
    r"\b((?:[A-Z][a-z'’.-]{1,30}[ \t]{1,2}){1,3}(?:County|Parish|Borough)"
    r"|(?:[A-Z][A-Z'’.-]{1,30}[ \t]{1,2}){1,3}(?:COUNTY|PARISH|BOROUGH))\b"
    r"|(?i:\bcounty\s{1,2}of\s{1,2})([A-Z][\w'’-]{1,30}(?:\s{1,2}[A-Z][\w'’-]{1,30})?)"
)
CITY_STATE = re.compile(
    r"((?:" + CAP_WORD + r"[ \t]{1,2}){0,3}" + CAP_WORD + r"),[ \t]{1,2}(?:(?:"
    + "|".join(sorted(vocab.STATE_CODES)) + r")\b(?![ \t]{1,2}[A-Z]{2,})|(?:" + STATE_NAMES + r")\b(?!\s{1,2}[A-Z][a-z]))"
)
COUNTY_ANCHOR = re.compile(r"County|COUNTY|Parish|PARISH|Borough|BOROUGH|county of")
STATE_ANCHOR = re.compile(r",\s{1,2}(?:[A-Z]{2}\b|" + STATE_NAMES + r")")
CITY_CUES = frozenset("in from to near outside of at around moved lives live grew".split())
ABBREVIATIONS = {"mt": "mount", "mt.": "mount", "st": "saint", "st.": "saint", "ft": "fort",
                 "ft.": "fort"}


def _city_key(words: list[str]) -> str:
    """The gazetteer key of a run of words ("Mt. Juliet" -> "mount juliet")."""
    return " ".join(ABBREVIATIONS.get(w, w) for w in (lx.fold(w) for w in words))


def _trim_leading(words: list[str], lex: lx.Lexicon) -> list[str]:
    """Drop leading function words, roles and allow-listed words from a place."""
    while len(words) > 1:
        low = lx.fold(words[0]).rstrip(".")
        if low in vocab.FUNCTION or lex.klass(low) in (lx.ROLE, lx.KEEP, lx.WORD):
            if " ".join(words).lower() in lex.cities:
                break
            words = words[1:]
        else:
            break
    return words


def county_matches(text: str) -> Iterator[Match]:
    """"Cook County", "COOK COUNTY", "the County of Maricopa"."""
    for m in windowed(COUNTY, text, COUNTY_ANCHOR, 110, 70):
        group = 1 if m.group(1) else 2
        start, end = m.span(group)
        words = text[start:end].split()
        if words and words[0].lower() in ("the", "of", "in", "for", "and"):
            start = text.index(words[1], start) if len(words) > 1 else end
        if end > start:
            yield Match(start, end, "CITY", "county")


def city_state_matches(text: str, lex: lx.Lexicon) -> Iterator[Match]:
    """A capitalised place right before ", ST" or ", State"."""
    for m in windowed(CITY_STATE, text, STATE_ANCHOR, 140, 20):
        words = _trim_leading(m.group(1).split(), lex)
        if not words or lx.fold(words[-1]) in vocab.roles() | vocab.FUNCTION:
            continue
        for k in range(len(words)):
            if _city_key(words[k:]) in lex.cities:
                words = words[k:]
                break
        start = m.end(1) - len(" ".join(words))
        if text[start:m.end(1)] == " ".join(words):
            yield Match(start, m.end(1), "CITY", "city-state")


def gazetteer_cities(text: str, toks: list[Token], lex: lx.Lexicon) -> Iterator[Match]:
    """Capitalised runs of words that name a town, with a cue when they are also words."""
    i, n = 0, len(toks)
    while i < n:
        t = toks[i]
        if t.masked or t.low in vocab.FUNCTION or not t.cap and not _cued(toks, i):
            i += 1
            continue
        found = _longest_city(text, toks, i, lex)
        if found:
            yield Match(toks[i].start, toks[found - 1].end, "CITY", found_rule(toks, i, found))
            i = found
        else:
            i += 1


def found_rule(toks: list[Token], i: int, end: int) -> str:
    """Name the rule by whether a preposition cued the place."""
    return "city-gazetteer" if end - i > 1 or toks[i].klass == lx.CITY else "city-cue"


def _cued(toks: list[Token], i: int) -> bool:
    """The word before is a place cue ("in", "from", "moved")."""
    prev = toks[i - 1] if i > 0 else None
    return prev is not None and prev.low in CITY_CUES and not prev.cap and toks[i].start - prev.end == 1


def _longest_city(text: str, toks: list[Token], i: int, lex: lx.Lexicon) -> int:
    """End index (exclusive) of the longest city name starting at token i, or 0."""
    cued, cap = _cued(toks, i), toks[i].cap
    first = ABBREVIATIONS.get(toks[i].low, toks[i].low)
    for size in (4, 3, 2) if first in lex.city_words else ():
        j = i + size
        if j > len(toks) or any(toks[k].cap != cap or toks[k].masked for k in range(i, j)):
            continue
        if any(text[toks[k].end:toks[k + 1].start] not in (" ", ". ") for k in range(i, j - 1)):
            continue
        words = [text[toks[k].start:toks[k].end + (1 if toks[k].dot else 0)] for k in range(i, j)]
        if _city_key(words) in lex.cities or _city_key([w.rstrip(".") for w in words]) in lex.cities:
            return j
    t = toks[i]
    if not cap:
        return i + 1 if t.klass == lx.CITY and len(t.text) > 3 and cued else 0
    if t.klass == lx.CITY and len(t.text) > 2:
        return i + 1
    if cued and t.low in lex.classes and t.klass in (lx.WORD, lx.AMBIG_LAST) and _is_city(t, lex):
        return i + 1
    return 0


def _is_city(t: Token, lex: lx.Lexicon) -> bool:
    """A word the gazetteer also lists as a town ("Hope", "Mobile")."""
    return t.low in lex.towns and t.low not in vocab.allowed()
