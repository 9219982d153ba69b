"""Small named checks that accept, trim or reject a pattern rule's hit."""
from __future__ import annotations

import re
from collections.abc import Callable

from . import vocab

Span = tuple[int, int] | None
ICD_CODE = re.compile(r"[A-TV-Z]\d\d[0-9A-Z]{0,4}")
YEAR_RANGE = re.compile(r"(?:19|20)\d\d-(?:19|20)?\d\d")
STRONG_STREETS = frozenset(
    "street st avenue ave road rd drive dr lane ln boulevard blvd parkway pkwy highway hwy".split()
)


def trim_url(text: str, start: int, end: int) -> Span:
    """Drop trailing punctuation that ends the sentence, not the address."""
    while end > start and text[end - 1] in ".,;:!?":
        end -= 1
    return (start, end) if end - start > 4 else None


def ipv6(text: str, start: int, end: int) -> Span:
    """An IPv6 address has '::' or at least six groups, and some hex letters or '::'."""
    value = text[start:end]
    groups = value.count(":")
    if "::" in value and groups >= 2:
        return start, end
    return (start, end) if groups >= 5 else None


def handle(text: str, start: int, end: int) -> Span:
    """A handle after a cue looks like one: '@', digits, '_', '.', or inner capitals."""
    end = trim_url(text, start, end)[1] if trim_url(text, start, end) else end
    value = text[start:end]
    if value.lower() in vocab.FUNCTION or value.lower() in vocab.allowed():
        return None
    shaped = any(c.isdigit() or c in "_.@" for c in value) or any(c.isupper() for c in value[1:])
    return (start, end) if shaped else None


def has_digit(text: str, start: int, end: int) -> Span:
    """An identifier code carries at least one digit."""
    return (start, end) if any(c.isdigit() for c in text[start:end]) else None


def digits4(text: str, start: int, end: int) -> Span:
    """An insurance number carries at least four digits."""
    return (start, end) if sum(c.isdigit() for c in text[start:end]) >= 4 else None


def plate(text: str, start: int, end: int) -> Span:
    """A plate mixes letters and digits, or is at least five digits."""
    value = text[start:end].replace(" ", "").replace("-", "")
    digits = sum(c.isdigit() for c in value)
    letters = sum(c.isalpha() for c in value)
    if len(value) < 4 or digits == 0 or (letters == 0 and digits < 5):
        return None
    return start, end


def court_code(text: str, start: int, end: int) -> Span:
    """Keep the parts of a case number from its first to its last digit-bearing part."""
    parts = [m for m in re.finditer(r"[A-Za-z0-9]+", text[start:end])]
    numbered = [m for m in parts if any(c.isdigit() for c in m.group())]
    if not numbered:
        return None
    return start + parts[0].start(), start + numbered[-1].end()


def not_may_verb(text: str, start: int, end: int) -> Span:
    """'may 5' in lower case is a modal verb and a number, not a date."""
    return None if text.startswith("may", start) else (start, end)


def strip_the(text: str, start: int, end: int) -> Span:
    """Drop a leading 'the ' and refuse lower-case 'may'."""
    value = text[start:end]
    if value.lower().startswith("the "):
        start += 4
    return None if re.search(r"\bmay\b", value) else (start, end)


def _street_words(text: str, start: int, end: int) -> list[str]:
    """The words between a house number (or cue) and the street type."""
    return re.findall(r"[\w'’.-]+", text[start:end])[1:-1]


def street(text: str, start: int, end: int) -> Span:
    """A numbered street has no sentence break or function word inside."""
    for word in _street_words(text, start, end):
        bare = word.rstrip(".")
        if bare.lower() in vocab.FUNCTION or bare.lower() in vocab.roles():
            return None
        if word.endswith(".") and len(bare) > 2 and bare.lower() not in ("mt", "ft", "st"):
            return None
    return start, end


def street_cue(text: str, start: int, end: int) -> Span:
    """An un-numbered street: a strong street type after capitalised (or all lower-case) words."""
    words = re.findall(r"[\w'’.-]+", text[start:end])
    if words[-1].rstrip(".").lower() not in STRONG_STREETS:
        return None
    if not all(w.islower() for w in words) and not all(w[:1].isupper() or w[:1].isdigit() for w in words):
        return None  # "hired Dr. Altman": a title, not a street
    for word in words[:-1]:
        bare = word.rstrip(".").lower()
        if bare in vocab.FUNCTION or bare in vocab.roles() or bare in vocab.allowed():
            return None
    return start, end


def code(text: str, start: int, end: int) -> Span:
    """A letters-and-digits code long enough to identify, not a clinical code."""
    value = text[start:end]
    if value.lower() in vocab.allowed() or ICD_CODE.fullmatch(value):
        return None
    alnum = sum(c.isalnum() for c in value)
    digits = sum(c.isdigit() for c in value)
    letters = sum(c.isalpha() for c in value)
    return (start, end) if alnum >= 4 and digits >= 1 and letters >= 1 else None


def not_year_range(text: str, start: int, end: int) -> Span:
    """'2019-2020' is a span of years and '12-14' a range, not an identifier."""
    value = text[start:end]
    if YEAR_RANGE.fullmatch(value) or sum(c.isdigit() for c in value) < 5:
        return None
    return start, end


def ipv4(text: str, start: int, end: int) -> Span:
    """Four numbers of at most 255."""
    return (start, end) if all(int(p) <= 255 for p in text[start:end].split(".")) else None


def ssn(text: str, start: int, end: int) -> Span:
    """Social Security numbers never start with 000, 666 or 9."""
    area = text[start:start + 3]
    return None if area in ("000", "666") or area.startswith("9") else (start, end)


def _numbers(value: str) -> list[int]:
    """The numbers in a date written with digits."""
    return [int(n) for n in re.findall(r"\d+", value)]


def numeric_date(text: str, start: int, end: int) -> Span:
    """Month and day in either order (3/14/19 or 14.03.2019)."""
    a, b, _ = _numbers(text[start:end])
    ok = (1 <= a <= 12 and 1 <= b <= 31) or (1 <= b <= 12 and 1 <= a <= 31)
    return (start, end) if ok else None


def numeric_month(text: str, start: int, end: int) -> Span:
    """'8/2022': a month and a year."""
    return (start, end) if 1 <= _numbers(text[start:end])[0] <= 12 else None


def numeric_month_day(text: str, start: int, end: int) -> Span:
    """'3/14': a real month and day, not a fraction like 1/2 of a session or 50/50."""
    month, day = _numbers(text[start:end])
    after = text[end:end + 12].lower()
    if after.lstrip().startswith(("of ", "hour", "hr", "time", "custody", "split")):
        return None
    return (start, end) if 1 <= month <= 12 and 1 <= day <= 31 else None


def zip_state(text: str, start: int, end: int) -> Span:
    """A ZIP code right after a state's two-letter code."""
    state = text[start - 3:start].strip(" ,")[-2:] if start >= 3 else ""
    prefix = re.search(r"([A-Z]{2}),?\s{1,2}$", text[max(0, start - 5):start])
    return (start, end) if prefix and prefix.group(1) in vocab.STATE_CODES or state in vocab.STATE_CODES else None


DATE_CUES = re.compile(
    r"(?:\b(?:in|since|until|till|by|last|next|this|early|late|mid|from|through|before|after|"
    r"during|around|starting|beginning|of|every|each)|end\s{1,2}of|mid-)\s{0,2}(?:(?:early|late|mid)[\s-]{1,2})?$",
    re.I,
)


def month_cue(text: str, start: int, end: int) -> Span:
    """A month name alone is a date after 'in', 'since', 'last' and the like."""
    return (start, end) if DATE_CUES.search(text, max(0, start - 24), start) else None


def phone_digits(text: str, start: int, end: int) -> Span:
    """An international number has eight to fifteen digits."""
    return (start, end) if 8 <= sum(c.isdigit() for c in text[start:end]) <= 15 else None


CHECKS: dict[str, Callable[[str, int, int], Span]] = {
    f.__name__: f
    for f in (trim_url, ipv6, handle, has_digit, digits4, plate, court_code, not_may_verb,
              strip_the, street, street_cue, code, not_year_range, ipv4, ssn, numeric_date,
              numeric_month, numeric_month_day, zip_state, month_cue, phone_digits)
}
