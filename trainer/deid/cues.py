"""Context cues for person names: titles, naming verbs, possessives, ages, initials.

Each cue is a small named rule `(text, tokens, i) -> bool`; names.py runs them in order.
"""
from __future__ import annotations

import re

from . import lexicon as lx
from . import vocab
from .tokens import Token

NAME_CLASSES = (lx.NAME_FIRST, lx.NAME_LAST, lx.UNKNOWN, lx.AMBIG_FIRST, lx.AMBIG_LAST)


AMBIGUOUS = (lx.AMBIG_FIRST, lx.AMBIG_LAST)


AGE_AFTER = re.compile(r"\s{0,2}[,(]\s{0,2}\d{1,2}\b")


NOT_INITIALS = frozenset("US AM PM DC LA NY UK EU PO AKA MD RN BA MA BS MS JD DDS LLC PC".split())


MODALS = frozenset("will may can might must shall".split())


def never_name(t: Token) -> bool:
    """Function words and roles are never part of a name (an initial "A." may be)."""
    if t.masked:
        return True
    if len(t.text) == 1 and t.dot and t.cap:
        return False
    return t.low in vocab.FUNCTION or t.klass == lx.ROLE


def adjacent(text: str, left: Token, right: Token) -> bool:
    """Two words are one name's neighbours: a space, or an initial's period."""
    gap = text[left.end:right.start]
    if gap in (" ", "-"):
        return not left.possessive
    return left.dot and len(left.text) == 1 and gap in (". ", ".", ".  ")


def initials_caps(text: str, toks: list[Token], i: int) -> bool:
    """Two or three capitals that are no known acronym ("KT", "MJ")."""
    t = toks[i]
    if not t.upper or len(t.text) > 3 or t.caps_line or t.low in vocab.allowed():
        return False
    return not state_code_in_address(text, t) and t.text not in NOT_INITIALS


def is_initial(t: Token) -> bool:
    """A single capital letter followed by a period."""
    return t.dot and len(t.text) == 1 and t.text.isupper()


def after_time(text: str, t: Token) -> bool:
    """"9:00 A.M.": the initials follow a number, so they are a time of day."""
    return text[max(0, t.start - 3):t.start].strip()[-1:].isdigit()


def state_code_in_address(text: str, t: Token) -> bool:
    """A two-letter state code in an address ("Dayton, OH 45424")."""
    return t.text in vocab.STATE_CODES and (
        text[max(0, t.start - 2):t.start] == ", " or text[t.end:t.end + 6].strip()[:5].isdigit()
        or text.startswith(" [ZIP]", t.end))


def initial_letter(text: str, toks: list[Token], i: int) -> bool:
    """A lone initial with a period inside a sentence ("child (E.) said")."""
    t = toks[i]
    if not is_initial(t) or t.text == "I" or text[t.start - 1:t.start] == ".":
        return False
    after = text[t.end + 1:t.end + 3]
    return after[:1] in (")", ",", "'", "’") or (after[:1] == " " and after[1:2].islower())


def title_cue(text: str, toks: list[Token], i: int) -> bool:
    """The word after a title ("Judge Hope", "mrs hadley") is a name."""
    t, prev = toks[i], toks[i - 1] if i else None
    if prev is None or not adjacent(text, prev, t) and text[prev.end:t.start] not in (". ", " "):
        return False
    if prev.low in vocab.STRONG_TITLES:
        return t.cap or t.klass in NAME_CLASSES or not prev.cap
    if prev.low in vocab.TITLES:
        if t.cap:
            return t.klass in NAME_CLASSES or t.klass == lx.CITY
        return t.klass in (lx.NAME_FIRST, lx.NAME_LAST) or (
            t.klass == lx.AMBIG_FIRST and t.low not in MODALS)
    return False


def naming_cue(text: str, toks: list[Token], i: int) -> bool:
    """What follows "named", "called", "aka" is a name."""
    t, prev = toks[i], toks[i - 1] if i else None
    if prev is None or prev.low not in vocab.NAMING_CUES:
        return False
    if text[prev.end:t.start].strip(" \"'“‘") not in ("", "."):
        return False
    return t.cap or t.klass in (lx.NAME_FIRST, lx.NAME_LAST, lx.UNKNOWN)


def person_verb(text: str, toks: list[Token], i: int) -> bool:
    """An ambiguous capitalised word followed by a person's verb ("Will said")."""
    t = toks[i]
    if t.klass not in AMBIGUOUS or not t.cap or t.upper or i + 1 >= len(toks):
        return False
    nxt = toks[i + 1]
    return text[t.end:nxt.start] == " " and not nxt.cap and nxt.low in vocab.PERSON_VERBS


def possessive_name(text: str, toks: list[Token], i: int) -> bool:
    """An ambiguous capitalised word with a possessive ("Hope's mother")."""
    t = toks[i]
    return t.klass in AMBIGUOUS and t.cap and not t.upper and t.possessive and (
        t.klass == lx.AMBIG_FIRST or not t.sent_start)


def name_with_age(text: str, toks: list[Token], i: int) -> bool:
    """An ambiguous capitalised word followed by an age ("Hope (15)", "Faith, 12")."""
    t = toks[i]
    return t.klass in AMBIGUOUS and t.cap and bool(AGE_AFTER.match(text, t.end, t.end + 9))


GROUP_NOUNS = frozenset("family families kids children boys girls case household twins siblings matter home".split())


def family_name_cue(text: str, toks: list[Token], i: int) -> bool:
    """"the martinez kids", "the Abernathy family": a surname before a family noun."""
    t = toks[i]
    if i == 0 or i + 1 >= len(toks) or toks[i - 1].low != "the":
        return False
    nxt = toks[i + 1]
    if text[t.end:nxt.start] != " " or nxt.low not in GROUP_NOUNS:
        return False
    return t.klass in NAME_CLASSES or (t.cap and t.klass == lx.CITY)


def role_paren_cue(text: str, toks: list[Token], i: int) -> bool:
    """"dad (manny) says", "Mo (Priscilla) reports": one word in brackets after a role."""
    t = toks[i]
    if i == 0 or toks[i - 1].klass != lx.ROLE or text[toks[i - 1].end:t.start] != " (":
        return False
    return text[t.end:t.end + 1] in (")", ",") and t.klass not in (lx.KEEP, lx.ROLE)
