"""Schools, employers, churches and clubs: a head noun after capitalised words, or a job cue."""
from __future__ import annotations

import re
from collections.abc import Iterator

from . import lexicon as lx
from . import vocab
from .places import STATE_NAMES
from .rules import Match, windowed

ORG_WORD = r"(?:[A-Z][\w'’&.-]{0,30}|[A-Z]{2,8}|&|of|the|for|and|de|la|in)"
HEADS = {
    "SCHOOL": r"Elementary(?:\s{1,2}School)?|Middle\s{1,2}School|High\s{1,2}School|Junior\s{1,2}High|High|"
              r"Academy|Preschool|Pre-?School|Montessori|Day\s?care|Learning\s{1,2}Center|"
              r"Charter\s{1,2}School|School|College|University|Kindergarten|Prep|A&M|ISD|Intermediate",
    "EMPLOYER": r"Inc\.?|LLC|LLP|PLLC|P\.C\.|Corp\.?|Corporation|Company|Co\.|Group|Partners|"
                r"Associates|Bank|Foods|Motors|Logistics|Freight|Energy|Pediatrics|Therapy|"
                r"Counseling|Law|Department|Dept\.?|Office|Nails|Salon|Restaurant|Cafe|Coffee|"
                r"Industries|Systems|Solutions|Technologies|Institute|Transportation|Trucking|"
                r"Express|Airlines|Construction|Manufacturing|Plumbing|Electric|Landscaping|Auto|"
                r"Insurance|Realty|Properties|Media|Pharmacy|Market|Farms|Dental|Medical|Labs|Hotel|"
                r"Inn|Casino|Resort|Mart|Store|Shop|Depot|Warehouse|Studio|Gravel",
    "ORGANIZATION": r"Visitation|Church|Chapel|Cathedral|Temple|Mosque|Masjid|Synagogue|Parish|Ministries|"
                    r"Ministry|Fellowship|Tabernacle|Congregation|Club|League|Association|Society|"
                    r"Scouts?|Troop\s{1,2}\d{1,5}|Pack\s{1,2}\d{1,5}|Team|FC|SC|YMCA|YWCA|"
                    r"Foundation|Center|Centre|Services|Hospital|Clinic|Health|Shelter|Juniors|"
                    r"Prison|Jail|Penitentiary|Correctional(?:\s{1,2}(?:Facility|Center|Institution))?|"
                    r"Police(?:\s{1,2}Department)?|Sheriff'?s\s{1,2}Office|PD|Soccer|Football|Baseball|"
                    r"Basketball|Softball|Hockey|Lacrosse|Volleyball|Gymnastics|Cheer|Swim\s{1,2}Team|"
                    r"program|(?:hockey|soccer|football|baseball|basketball|softball|swim|dance|"
                    r"chess|robotics|drama)\s{1,2}(?:club|team|league)",
}
STRONG = re.compile(r"(?:Elementary|Middle|High|Junior|Academy|Preschool|Montessori|Charter|"
                    r"Inc|LLC|LLP|PLLC|Corp|Church|Chapel|Cathedral|Temple|Mosque|Masjid|"
                    r"Synagogue|Ministries|Tabernacle|League|YMCA|YWCA|FC|SC|Troop|Pack|A&M)")
GENERIC_PHRASES = frozenset(
    """child protective services|children's services|family services|social services|
    protective services|human services|family therapy|individual therapy|play therapy|
    family court|police department|fire department|the court|medical center|
    health department|sheriff's office|public school|high school|middle school|
    elementary school""".replace("\n", "").split("|")
)
ORG_HEAD = re.compile(
    r"(?<![\w'’-])((?:St\.[ \t]{1,2})?[A-Z][\w'’&.-]{0,30}(?:[ \t]{1,2}" + ORG_WORD + r"){0,6})[ \t]{1,2}"
    r"(" + "|".join(f"(?P<{k}>{v})" for k, v in HEADS.items()) + r")\b"
    r"(?P<tail>(?:,?[ \t]{1,2}(?:Inc|LLC|LLP|PLLC|P\.C\.|Ltd|Corp)\b\.?)?(?:[ \t]{1,2}of[ \t]{1,2}(?:the[ \t]{1,2})?[A-Z][\w'’-]{1,30}(?:[ \t]{1,2}[A-Z][\w'’-]{1,30}){0,3})?"
    r"(?:[ \t]{1,2}(?:" + STATE_NAMES + r")\b)?)"
)
HEAD_ANCHOR = re.compile(
    r"Elementary|Middle|High|Junior|Academy|Preschool|Pre-?School|Montessori|Day\s?care|Learning|"
    r"Charter|School|College|University|Kindergarten|Prep|A&M|ISD|Intermediate|Visitation|Inc|LLC|LLP|PLLC|P\.C\.|Corp|"
    r"Company|Co\.|Group|Partners|Associates|Bank|Foods|Motors|Logistics|Freight|Energy|Pediatrics|"
    r"Therapy|Counseling|Law|Department|Dept|Office|Nails|Salon|Restaurant|Cafe|Coffee|Industries|"
    r"Systems|Solutions|Technologies|Institute|Church|Chapel|Cathedral|Temple|Mosque|Masjid|"
    r"Synagogue|Parish|Ministr|Fellowship|Tabernacle|Congregation|Club|League|Association|"
    r"Society|Scout|Troop|Pack|Team|FC|SC|YMCA|YWCA|Foundation|Center|Centre|Services|Hospital|"
    r"Clinic|Health|Shelter|Juniors|program|hockey|soccer|football|baseball|basketball|softball|"
    r"swim|dance|chess|robotics|drama|Transport|Trucking|Express|Airlines|Construction|Manufactur|"
    r"Plumbing|Electric|Landscaping|Auto|Insurance|Realty|Properties|Media|Pharmacy|Market|Farms|"
    r"Dental|Medical|Labs|Hotel|Inn|Casino|Resort|Mart|Store|Shop|Depot|Warehouse|Studio|Gravel|"
    r"Prison|Jail|Penitentiary|Correctional|Police|Sheriff|PD|Soccer|Football|Baseball|"
    r"Basketball|Softball|Hockey|Lacrosse|Volleyball|Gymnastics|Cheer|Swim"
)
LOWER_ANCHOR = re.compile(r"elementary|middle school|high school|academy|fc\b|sc\b|church|ymca|little league|preschool|daycare|studio")
LOWER_ORG = re.compile(
    r"\b([a-z][\w'’-]{1,30}(?:\s{1,2}[a-z][\w'’-]{1,30}){0,2})\s{1,2}"
    r"(elementary|middle school|high school|academy|fc|sc|church|ymca|little league|preschool|daycare|"
    r"dance studio|studio)\b"
)
AMPERSAND = re.compile("&")
SCHOOL_HEADS = frozenset("elementary|middle school|high school|academy|preschool|daycare".split("|"))
LOWER_JOB = re.compile(
    r"\b(?:works?|worked|working|job|shift|employed|hired)[ \t]{1,2}(?:[a-z]{1,12}[ \t]{1,2}){0,2}?"
    r"(?:at|for)[ \t]{1,2}([a-z][\w'’&-]{2,30}(?:[ \t]{1,2}[a-z][\w'’&-]{2,30})?)"
)
JOB_CUE = re.compile(
    r"\b(?:works?|worked|working|employed|employee|job|shift|hired|teller|nurse|driver|drives?|"
    r"drove|delivers|cooks|sells|owns|runs|manages|truck|"
    r"manager|cashier|pharmacist|teaches|teacher|cleaning|cleaner|deputy|officer|interpreter|"
    r"volunteers?|firefighter|mechanic|engineer|clerk|server|waitress|technician|assistant|"
    r"secretary|receptionist|contractor|intern)\b[^.\n]{0,40}?"
    r"\b(?:at|for|with|by|from|in)[ \t]{1,2}(?:the[ \t]{1,2})?"
    r"([A-Z][\w'’&.-]{0,30}(?:[ \t]{1,2}(?:[A-Z][\w'’&.-]{0,30}|&|of)){0,4})"
)


def _class(word: str, lex: lx.Lexicon) -> int:
    """Lexicon class of a written word, possessive and periods dropped."""
    low = lx.fold(word).rstrip(".")
    if low.endswith(("'s", "’s")):
        low = low[:-2]
    return lex.klass(low)


def _trim(words: list[str], lex: lx.Lexicon) -> list[str]:
    """Drop leading function words, roles and titles ("The", "Mom's", "Miss")."""
    while words and (words[0].lower() in vocab.FUNCTION | vocab.WEEKDAYS or (
            len(words) > 1 and _class(words[0], lex) == lx.ROLE and words[0].endswith(("'s", "’s")))):
        words = words[1:]
    return words


def head_matches(text: str, lex: lx.Lexicon) -> Iterator[Match]:
    """Capitalised words ending in a school, employer or organisation head noun."""
    for m in windowed(ORG_HEAD, text, HEAD_ANCHOR, 240, 170):
        kind = next(k for k in HEADS if m.group(k))
        words = _trim(m.group(1).split(), lex)
        if not words:
            continue
        phrase = " ".join(words + [m.group(2)]).lower()
        name_like = any(_class(w, lex) not in (lx.WORD, lx.KEEP, lx.ROLE) for w in words)
        start = m.end(1) - len(" ".join(words))
        mid_sentence = text[:start].rstrip(" \t\"'“(")[-1:] not in ("", ".", "!", "?", ":", "\n")
        if phrase in GENERIC_PHRASES or not (STRONG.fullmatch(m.group(2).split()[0])
                                             or name_like or len(words) >= 2 or mid_sentence):
            continue
        yield Match(max(start, m.start(1)), m.end("tail"), kind, f"{kind.lower()}-head-noun")


def lower_matches(text: str, lex: lx.Lexicon) -> Iterator[Match]:
    """Lower-case names in chat ("roosevelt elementary", "desert storm fc")."""
    for m in windowed(LOWER_ORG, text, LOWER_ANCHOR, 100, 15):
        words = _trim(m.group(1).split(), lex)
        if not words:
            continue
        strong = m.group(2) in ("fc", "sc", "ymca")
        if strong or any(_class(w, lex) not in (lx.WORD, lx.KEEP, lx.ROLE) for w in words):
            start = m.end(1) - len(" ".join(words))
            kind = "SCHOOL" if m.group(2) in SCHOOL_HEADS else "ORGANIZATION"
            yield Match(start, m.end(2), kind, "lowercase-org")


FIRM = re.compile(r"\b([A-Z][a-z'’-]{1,30})[ \t]{1,2}&[ \t]{1,2}([A-Z][a-z'’-]{1,30})\b")


def firm_matches(text: str, lex: lx.Lexicon) -> Iterator[Match]:
    """Two surnames joined by '&' name a firm ("Salinas & Pruitt")."""
    for m in windowed(FIRM, text, AMPERSAND, 40, 40):
        if all(_class(w, lex) in (lx.NAME_LAST, lx.NAME_FIRST, lx.UNKNOWN, lx.AMBIG_LAST)
               for w in m.groups()):
            yield Match(m.start(), m.end(), "EMPLOYER", "firm-ampersand")


def lower_employer_matches(text: str, lex: lx.Lexicon) -> Iterator[Match]:
    """A lower-case employer after a job cue in chat ("mom works at walgreens")."""
    for m in LOWER_JOB.finditer(text):
        words = m.group(1).split()
        name_like = [w for w in words if _class(w, lex) in (lx.UNKNOWN, lx.NAME_FIRST, lx.NAME_LAST, lx.CITY)]
        if name_like and name_like[0] == words[0] and words[0] not in vocab.FUNCTION:
            end = m.start(1) + len(" ".join(words[:len(name_like)]))
            yield Match(m.start(1), end, "EMPLOYER", "lowercase-employer")


def employer_matches(text: str, lex: lx.Lexicon) -> Iterator[Match]:
    """A capitalised name after a job cue ("works at Tyson Foods", "a driver for Uber")."""
    for m in JOB_CUE.finditer(text):
        words = m.group(1).split()
        while words and words[-1].lower() in vocab.FUNCTION | {"&"}:
            words.pop()
        if not words or _class(words[0], lex) == lx.ROLE or (
                len(words) == 1 and words[0].isupper() and _class(words[0], lex) == lx.KEEP):
            continue
        if words[0].lower() in vocab.FUNCTION or words[0].rstrip(".").lower() in vocab.MONTHS:
            continue
        end = m.start(1) + len(" ".join(words))
        if text[m.start(1):end] == " ".join(words):
            yield Match(m.start(1), end, "EMPLOYER", "employer-cue")
