"""Pattern rules as data: an ordered list of named regular expressions per kind.

Order is priority: when two findings overlap, the earlier rule names the kind.
Every pattern is linear (bounded repeats, no nested unbounded quantifiers).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from . import vocab
from .checks import CHECKS

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
MONTH_WORD = (
    r"(?-i:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER|Sept)"
)
VERBS = "|".join(sorted(vocab.PERSON_VERBS))
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[89]\d\d|20\d\d)"
EXTENSION = r"(?:\s{0,2}(?:x|ext\.?|extension)\s{0,2}\d{1,5})?"
PHONE = r"(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}" + EXTENSION
CODE = r"[A-Z0-9](?:[A-Z0-9]|[-./](?=[A-Z0-9])){3,24}"
STREET = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Lane|Ln|Court|Ct|Boulevard|Blvd|Way|Place"
    r"|Pl|Circle|Cir|Terrace|Ter|Trail|Trl|Parkway|Pkwy|Highway|Hwy|Route|Rte|Square|Sq"
    r"|Loop|Pike|Row|Mall|Alley|Path|Crossing|Run|Bend|Ridge|Hollow|Plaza|Expressway)\b\.?"
)
STRONG_STREET = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Lane|Ln|Boulevard|Blvd|Parkway|Pkwy|Highway|Hwy)\b\.?"
)
POST_DIRECTION = r"(?:\s{1,2}(?:NE|NW|SE|SW|N|S|E|W)\b\.?)?"
UNIT = r"(?:,?\s{1,2}(?:Apt|Apartment|Unit|Suite|Ste|Fl|Floor|Bldg|Rm|Room|Lot|#)\.?\s{0,2}#?\s{0,2}[A-Z0-9-]{1,6}\b)?"
STREET_NAME = r"(?:[A-Za-z0-9][\w'’.-]{0,24}\s{1,2}){1,4}?"
CUE_NUMBER = r"\s{0,3}(?:no\.?|number|num\.?|#|id|ID)?\s{0,3}[:#]?\s{0,3}"


@dataclass(frozen=True)
class Rule:
    """One named pattern: the kind it finds, the group that is the identifier.

    A rule with an `anchor` (a regex run on the lower-cased text) is only tried
    in windows from `back` characters before each anchor hit to `reach` after
    it; a rule without one must start with a literal or a character class, so
    the regex engine can skip quickly to the places where it could match.
    """

    name: str
    kind: str
    pattern: str
    group: int = 0
    check: str = ""
    anchor: str = ""
    back: int = 0
    reach: int = 80
    at_anchor: bool = False  # the pattern starts where the anchor hit starts


@dataclass(frozen=True)
class Match:
    """A rule's hit: offsets into the text and the rule that fired."""

    start: int
    end: int
    kind: str
    rule: str


TLDS = r"(?:com|org|net|edu|gov|us|io|co|info|biz|me|ly|tv|app|page)"
MONTH_ANCHOR = r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
NOT_DIGIT_BEFORE = r"(?<![\w/.-]\d)"
R = Rule
RULES: tuple[Rule, ...] = (
    R("email", "EMAIL", r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,6}", anchor="@", back=70, reach=200),
    R("email-spelled", "EMAIL", r"(?i:\b[\w.+-]{1,64}\s{0,2}(?:\(at\)|\[at\]|\bat\b)\s{0,2}[\w-]{1,63}\s{0,2}(?:\(dot\)|\[dot\]|\bdot\b)\s{0,2}(?:com|org|net|edu|gov|us)\b)", anchor=r"dot com|dot org|dot net|dot edu|dot gov|\(dot\)|\[dot\]", back=90, reach=12),
    R("url-scheme", "URL", r"(?:https?://|www\.)[^\s<>\"')\]]{2,2000}", check="trim_url"),
    R("url-domain", "URL", r"[\w-]{1,63}(?:\.[\w-]{1,63}){0,4}\." + TLDS + r"\b(?:/[^\s<>\"')\]]{0,2000})?", check="trim_url", anchor=r"\." + TLDS + r"\b", back=300, reach=0),
    R("ipv4", "IP", r"\d(?<![\d.]\d)\d{0,2}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\d.])", check="ipv4"),
    R("ipv6", "IP", r"(?<![\w:])[0-9A-Fa-f]{1,4}(?::{1,2}[0-9A-Fa-f]{0,4}){2,7}(?![\w:])", check="ipv6", anchor=r":[0-9a-f]{0,4}:", back=45, reach=45),
    R("handle-at", "HANDLE", r"@(?<![\w@/.]@)[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,29}[A-Za-z0-9_])?"),
    R("handle-reddit", "HANDLE", r"\b[ur]/[A-Za-z0-9_-]{3,24}\b", anchor=r"\b[ur]/", reach=30, at_anchor=True),
    R("handle-discord", "HANDLE", r"\b[A-Za-z][\w.]{1,31}#\d{4}\b", anchor=r"#\d{4}", back=33, reach=0),
    R("handle-cue", "HANDLE", r"(?i:\b(?:snap(?:chat)?|insta(?:gram)?|ig|tik\s?tok|twitter|twitch|discord|fb|youtube|reddit|threads|kik|telegram|user\s?name|handle|gamer\s?tag|screen\s?name)\b(?:\s{1,2}(?:is|as|name|handle|account|id))?\s{0,2}[:=]?\s{1,2})(@?[\w.]{3,30})", group=1, check="handle", anchor=r"snap|insta|tik|twitter|twitch|discord|fb|youtube|reddit|threads|kik|telegram|user|handle|gamer|screen| ig|\(ig|\nig", reach=60, at_anchor=True),
    R("ssn", "SSN", r"\d(?<![\w-]\d)\d\d([- ])\d{2}\1\d{4}(?![\w-])", check="ssn"),
    R("ssn-cue", "SSN", r"(?i:\b(?:ssn|social security(?: number| no\.?| #)?|ss#)[^\d\n]{0,24}?)(\d{9}|\d{3}\W\d{2}\W\d{4}|\d{4})\b", group=1, anchor=r"ssn|social security|ss#", reach=50, at_anchor=True),
    R("fax", "FAX", r"(?i:\b(?:fax|facsimile)\b(?:\s{0,2}(?:no\.?|number|#|line))?(?:\s{1,2}[a-z]{1,12}){0,3}?\s{0,2}[:\-]?\s{0,2}|\bF\s{0,2}[:·.]?\s{1,2})(" + PHONE + r")(?!\d)", group=1, anchor=r"fax|facsimile|f[:·.]? {1,2}[(+\d]", reach=50),
    R("phone-paren", "PHONE", r"\((?<![\w-]\()\d{3}\)\s?\d{3}[\s.-]\d{4}" + EXTENSION + r"(?![\w-])"),
    R("phone-intl", "PHONE", r"\+1[\s.-]?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}" + EXTENSION + r"(?![\w-])"),
    R("phone", "PHONE", r"\d(?<![\w-]\d)\d\d[\s.-]\d{3}[\s.-]\d{4}" + EXTENSION + r"(?![\w-])"),
    R("phone-international", "PHONE", r"\+(?<![\w+]\+)\d{1,3}(?:[\s.-]{0,2}\(?\d{1,4}\)?){2,5}(?![\w-])", check="phone_digits"),
    R("phone-local", "PHONE", r"\d(?<![\w./-]\d)\d\d-\d{4}(?![\w/-])"),
    R("phone-extension", "PHONE", r"(?i:\b(?:ext|extension)\.?\s{0,2})(\d{1,5})\b", group=1, anchor="ext", reach=20, at_anchor=True),
    R("mrn", "MRN", r"(?i:\b(?:mrn|medical record(?:s)?(?: number| no\.?| #)?|chart(?: number| no\.?| #)|patient (?:id|number|no\.?)|record (?:number|no\.?))" + CUE_NUMBER + r")(" + CODE + ")", group=1, check="has_digit", anchor=r"mrn|record|chart|patient", reach=60, at_anchor=True),
    R("insurance", "INSURANCE", r"(?i:\b(?:member|subscriber|policy|group|insurance|medicaid|medicare|chip|plan|insured)(?:\s{1,2}(?:id|no\.?|number|#))?" + CUE_NUMBER + r")((?:[A-Z]{2,5}\s)?" + CODE + ")", group=1, check="digits4", anchor=r"member|subscriber|policy|group|insur|medicaid|medicare|chip|plan", reach=70, at_anchor=True),
    R("license-plate", "PLATE", r"(?i:\b(?:licen[cs]e\s)?(?:plates?|tags?)(?:\s(?:no\.?|number|#))?\s{0,2}(?:is|was|reads|of|as)?\s{0,2}[:#]?\s{0,2}(?:[A-Z]{2}\s)?)([A-Z0-9]{1,4}[\s-]?[A-Z0-9]{1,5})\b", group=1, check="plate", anchor=r"plate|tag", back=10, reach=50),
    R("license", "LICENSE", r"(?i:\b(?:driver'?s?\s{1,2}licen[cs]e|licen[cs]e|lic\.?|dl|permit|certificate|npi|badge|bar\s{1,2}(?:number|no\.?|#|card))(?!\s{0,2}plate)" + CUE_NUMBER + r")((?:[A-Z]{2,5}(?:-[A-Z])?\s)?" + CODE + ")", group=1, check="has_digit", anchor=r"licen|lic[. ]|dl[ :#]|permit|certificate|npi|badge|bar n|bar #|bar c", back=12, reach=60),
    R("court-case-cue", "COURT_CASE", r"(?i:\b(?:case|cause|docket|matter|file|index|action|petition|appeal|civil action|complaint)" + CUE_NUMBER + r")([A-Z0-9]{1,8}(?:[ -]?[A-Z0-9]{1,10}){0,4})", group=1, check="court_code", anchor=r"case|cause|docket|matter|file|index|action|petition|appeal|complaint", reach=70, at_anchor=True),
    R("court-case-no", "COURT_CASE", r"N(?<!\wN)[oO]\.\s{0,2}([A-Z]?\d[\w-]{1,20}(?:\s[A-Z]{1,3}\s\d{2,10})?)", group=1),
    R("court-case-shape", "COURT_CASE", r"\d(?<!\w\d)\d{1,3}-?[A-Z]{1,4}-?\d{3,}\b"),
    R("court-case-prefix", "COURT_CASE", r"[A-Z](?<!\w[A-Z])[A-Z]{0,3}-?\d{2,4}-\d{3,}[A-Z]?\b"),
    R("date-iso", "DATE", r"[12](?<!\w[12])[09]\d\d[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])\b"),
    R("date-numeric", "DATE", r"\d(?<![\d/.-]\d)\d?([/.-])\d{1,2}\1(?:\d{4}|\d{2})(?![\d/-])", check="numeric_date"),
    R("date-year-month", "DATE", r"[12](?<!\w[12])[09]\d\d-(?:0[1-9]|1[0-2])\b(?!-)"),
    R("date-month-year-numeric", "DATE", r"\d" + NOT_DIGIT_BEFORE + r"\d?/[12][09]\d\d\b", check="numeric_month"),
    R("date-month-day-numeric", "DATE", r"\d(?<![\w/.-]\d)\d?/\d{1,2}(?![\w/%-])", check="numeric_month_day"),
    R("date-month-day", "DATE", r"(?i:\b" + MONTH + r"\s{0,2}" + DAY + r"\b(?:,?\s{0,2}" + YEAR + r"\b)?)", check="not_may_verb", anchor=MONTH_ANCHOR, reach=30, at_anchor=True),
    R("date-day-month", "DATE", r"(?i:" + DAY + r"(?:\s{1,2}day)?\s{1,2}(?:of\s{1,2})?" + MONTH + r"(?:,?\s{0,2}" + YEAR + r"\b)?)", check="strip_the", anchor=r"(?<![\d.,/])\d{1,2}(?:st|nd|rd|th)?\s{1,2}(?:day\s{1,2})?(?:of\s{1,2})?" + MONTH_ANCHOR, at_anchor=True),
    R("date-month-year", "DATE", r"(?i:\b" + MONTH + r",?\s{0,2}(?:of\s{1,2})?" + YEAR + r"\b)", anchor=MONTH_ANCHOR, reach=30, at_anchor=True),
    R("date-month-cue", "DATE", r"\b" + MONTH_WORD + r"\b(?!\s{1,2}[A-Z][a-z])(?!['’]s)(?!\s{1,2}(?:" + VERBS + r")\b)", check="month_cue", anchor=MONTH_ANCHOR, reach=12, at_anchor=True),
    R("date-day-ordinal", "DATE", r"(?i:\b(?:on|by|since|until|till|before|after|from|through)\s{1,2}the\s{1,2})(\d{1,2}(?:st|nd|rd|th))\b(?!\s{1,2}(?:grade|percentile|birthday|time|session|visit|week|month|year|floor|day|place|of\s{1,2}(?:the|my|his|her|their|every)))", group=1, anchor=r"(?:on|by|since|until|till|before|after|from|through) the \d", reach=30, at_anchor=True),
    R("date-holiday-year", "DATE", r"(?i:\b(?:christmas|thanksgiving|easter|halloween|new year'?s|hanukkah|passover|ramadan|eid|diwali|memorial day|labor day|fourth of july|july 4th|valentine'?s day|mother'?s day|father'?s day)(?:\s(?:eve|day))?,?\s{0,2}(?:of\s)?" + YEAR + r"\b)", anchor=r"christmas|thanksgiving|easter|halloween|new year|hanukkah|passover|ramadan|eid|diwali|memorial day|labor day|fourth of|valentine|mother.s day|father.s day", reach=40, at_anchor=True),
    R("age-cue", "AGE", r"(?i:\b(?:age[ds]?|aged)\s{0,2}:?\s{0,2})(9\d|1[0-2]\d)\b", group=1, anchor=r"age", reach=16, at_anchor=True),
    R("age-years", "AGE", r"\b(9\d|1[0-2]\d)(?=[\s-]{0,2}(?:years?|yrs?|y\.?\s?o\.?|yo)\b)", group=1, anchor=r"year|yr|y/o|y\.o|yo\b", back=8, reach=2),
    R("age-is", "AGE", r"(?i:\b(?:is|was|turned|turns|now|just)\s{1,2})(9\d|1[0-2]\d)\b(?!\s{0,2}(?:%|percent|minutes?|min|miles?|days?|dollars?|pounds?|lbs|kg|hours?|times?|sessions?|of|out|\.\d|,\d|-))", group=1, anchor=r"is 9|is 1[0-2]|was 9|was 1[0-2]|turn|now 9|now 1[0-2]|just 9|just 1[0-2]", back=8, reach=8),
    R("age-words", "AGE", r"(?i:\b(?:ninety|one hundred)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?(?:[- ]years?[- ]old|[- ]year[- ]old)\b|\b(?:in\s{1,2}(?:his|her|their)\s{1,2}(?:nineties|90s|hundreds))\b|\b(?:nonagenarian|centenarian)\b)", anchor=r"ninety|one hundred|nineties|90s|hundreds|nonagenarian|centenarian", back=20, reach=30),
    R("age-apposition", "AGE", r"[,(]\s{0,2}(9\d|1[0-2]\d)(?=\s{0,2}[,)])", group=1),
    R("zip-state", "ZIP", r"[A-Z](?<!\w[A-Z])[A-Z],?\s{1,2}(\d{5}(?:-\d{4})?)\b", group=1, check="zip_state"),
    R("zip-cue", "ZIP", r"(?i:\bzip(?:\s?code)?\s{0,2}[:#]?\s{0,2})(\d{5}(?:-\d{4})?)\b", group=1, anchor="zip", reach=25, at_anchor=True),
    R("zip-plus4", "ZIP", r"\d(?<!\w\d)\d{4}-\d{4}\b"),
    R("address-street", "ADDRESS", r"\d(?<!\w\d)\d{0,5}(?i:[A-Z]?\s{1,2}(?:[NSEW]\.?\s{1,2}|(?:North|South|East|West)\s{1,2})?" + STREET_NAME + STREET + r"(?:\s{1,2}" + STREET + r")?" + POST_DIRECTION + UNIT + r")", check="street"),
    R("address-route", "ADDRESS", r"(?:Farm to Market Road|Farm-to-Market Road|FM|County Road|CR|State Road|SR|State Route|State Highway|US Highway|US Route|Highway|Hwy|Route|Rte)\s{0,2}-?\s{0,2}\d{1,4}\b(?<=\d)", anchor=r"farm|fm|county road|cr|state|us |highway|hwy|route|rte", reach=40, at_anchor=True),
    R("address-rural-route", "ADDRESS", r"(?:RR|R\.R\.|Rural Route|HC|PSC)\s{0,2}\d{1,4},?\s{1,2}Box\s{1,2}\d{1,6}\b"),
    R("address-foreign", "ADDRESS", r"\d(?<!\w\d)\d{0,5}\s{1,2}(?:Rue|Calle|Avenida|Av\.|Via|Camino|Paseo)\s{1,2}[A-Z][\w'’-]{1,24}(?:\s{1,2}[A-Z][\w'’-]{1,24}){0,2}"),
    R("address-po-box", "ADDRESS", r"[Pp](?<!\w[Pp])\.?\s?[Oo]\.?\s{0,2}(?i:box)\s{1,2}\d{1,8}\b"),
    R("address-street-cue", "ADDRESS", r"(?i:\b(?:on|off|at|near|along|of|to|from|and|between|&)\s{1,2})((?:[A-Za-z0-9][\w'’.-]{0,24}\s{1,2}){1,3}?" + STRONG_STREET + r")", group=1, check="street_cue", anchor=r"street|st\b(?!\.\s{1,2}[a-z\[])|avenue|ave\b|road|rd\b|drive|dr\b(?!\.\s{1,2}[a-z\[])|lane|ln\b|boulevard|blvd|parkway|pkwy|highway|hwy", back=75, reach=3),
    R("court-ordinal", "ORGANIZATION", r"\d(?<!\w\d)\d{0,3}(?:st|nd|rd|th)\s{1,2}(?:Judicial\s{1,2})?(?:District|Circuit|Precinct|Ward|Division)(?:\s{1,2}(?:Court|Family Court|Juvenile Court))?\b"),
    R("id-hash", "ID", r"#\s{0,2}([A-Z]{0,3}-?\d{3,12}(?:-\d{1,8})?)\b", group=1),
    R("id-no", "ID", r"(?i:\bno\.)\s{0,2}([A-Z]{0,3}-?\d{3,12}(?:-\d{1,8})?)\b", group=1, anchor=r"no\.", reach=25, at_anchor=True),
    R("id-code", "ID", r"[A-Z0-9](?<![\w-][A-Z0-9])(?:[A-Z0-9]|-(?=[A-Z0-9])){3,40}(?![\w-])", check="code", anchor=r"[a-z]-?\d|\d-?[a-z]", back=42, reach=42),
    R("id-number-groups", "ID", r"\d(?<![\w/.-]\d)\d{1,}(?:-\d{2,}){1,4}(?![\w/-])", check="not_year_range"),
    R("id-long-number", "ID", r"\d(?<![\w./-]\d)(?<!\d,\d)\d{4,}(?![\w/-]|,\d)"),
)


Compiled = tuple[Rule, re.Pattern[str], "re.Pattern[str] | None", Callable[..., object] | None]


@cache
def compiled() -> tuple[Compiled, ...]:
    """Compile every rule (and its anchor) once, on first use."""
    return tuple((r, re.compile(r.pattern), re.compile(r.anchor) if r.anchor else None,
                  CHECKS.get(r.check)) for r in RULES)


class _LowerTable(dict):
    """str.translate table: lower-case one character, never change the length."""

    def __missing__(self, code: int) -> int:
        """Work out, and remember, one character's replacement."""
        low = chr(code).lower()
        self[code] = ord(low) if len(low) == 1 else code
        return self[code]


_LOWER = _LowerTable()


def lowered(text: str) -> str:
    """Lower-case text with offsets unchanged (a few letters grow when lowered)."""
    return text.lower() if text.isascii() else text.translate(_LOWER)


SPACE = re.compile(r"\s")


def windows(text: str, hits: Iterator[re.Match[str]], back: int, reach: int) -> list[tuple[int, int]]:
    """Merged windows around anchor hits, widened to whitespace so words stay whole."""
    out: list[tuple[int, int]] = []
    n = len(text)
    for hit in hits:
        start, end = max(0, hit.start() - back), min(n, hit.end() + reach)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            lo = max(0, start - 300)
            start = max(text.rfind(" ", lo, start), text.rfind("\n", lo, start), lo - 1) + 1
            out.append((start, end))
    widened = []
    for start, end in out:
        space = SPACE.search(text, end, min(n, end + 300))
        widened.append((start, space.start() if space else min(n, end + 300)))
    return widened


def windowed(regex: re.Pattern[str], text: str, anchor: re.Pattern[str], back: int,
             reach: int) -> Iterator[re.Match[str]]:
    """Matches of a costly regex, tried only around the hits of a cheap anchor."""
    for start, end in windows(text, anchor.finditer(text), back, reach):
        yield from regex.finditer(text, start, end)


def _accept(text: str, m: re.Match[str], rule: Rule, check) -> Iterator[Match]:
    """The rule's hit, after its check has accepted (and maybe trimmed) it."""
    start, end = m.span(rule.group)
    if start == end:
        return
    if check is not None:
        span = check(text, start, end)
        if span is None:
            return
        start, end = span
    yield Match(start, end, rule.kind, rule.name)


def find_all(text: str) -> Iterator[Match]:
    """Every hit of every rule, in rule order."""
    low = None
    hits: dict[str, list[re.Match[str]]] = {}
    for rule, regex, anchor, check in compiled():
        spans = [(0, len(text))]
        if anchor is not None:
            low = lowered(text) if low is None else low
            if rule.anchor not in hits:
                hits[rule.anchor] = list(anchor.finditer(low))
            if not rule.at_anchor:
                spans = windows(text, iter(hits[rule.anchor]), rule.back, rule.reach)
        if rule.at_anchor:
            matches = (regex.match(text, hit.start()) for hit in hits[rule.anchor])
        else:
            matches = (m for w_start, w_end in spans for m in regex.finditer(text, w_start, w_end))
        for m in matches:
            if m is not None:
                yield from _accept(text, m, rule, check)
