"""Vocabulary the engine must keep, and the small closed word lists its cues use."""
from __future__ import annotations

from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data")

# Words that put a person's name right after them ("Judge Marsh", "mrs hadley").
TITLES = frozenset(
    """mr mrs ms miss mx dr doctor judge justice hon honorable honourable commissioner
    magistrate attorney atty officer deputy detective det sgt sergeant lt lieutenant
    captain capt pastor rev reverend rabbi imam sheikh shaykh coach principal professor
    prof nurse counselor counsellor aunt auntie aunty uncle grandma grandpa granny nana
    papa mama abuela abuelo tia tio doña dona don señor senor señora senora sra srta
    umm abu cousin sister brother father mother mom dad mommy daddy stepdad stepmom
    boyfriend girlfriend husband wife fiancé fiance fiancée fiancee son daughter
    baby caseworker worker therapist teacher aide gal evaluator lawyer counsel
    stepfather stepmother grandmother grandfather gf bf partner ex friend""".split()
)
# Titles strong enough to make even an ordinary word a name ("Judge Hope").
STRONG_TITLES = frozenset(
    """mr mrs ms miss mx dr judge justice hon honorable honourable commissioner
    magistrate atty officer deputy detective det sgt sergeant lt captain capt pastor
    rev reverend rabbi imam sheikh shaykh coach principal prof professor aunt auntie
    aunty uncle grandma grandpa granny nana doña dona señor senor señora senora sra
    srta umm abu tia tio""".split()
)
# Words after which the next word is what someone is called.
NAMING_CUES = frozenset("named called calls nicknamed aka a.k.a alias surnamed".split())
# Verbs and auxiliaries that follow a person as subject ("Hope said").
PERSON_VERBS = frozenset(
    """said says told tells asked asks reported reports stated states wants wanted refused
    refuses cried cries screamed yelled laughed lives lived moved texted called emailed
    testified agreed agrees denied denies admitted admits explained described disclosed
    drew became seemed seems is was has had does did will would can could should
    ran sat came went got feels felt knows knew thinks thought likes loves hated hates
    misses missed attends attended works worked plays played goes stays stayed sleeps
    visits visited sees saw shows showed brought brings picked dropped hit hits kicked
    hugged smiled started stopped tried tries remembers remembered posted wrote writes
    signs signed insists insisted claims claimed alleges alleged filed enforces
    answered softened asked initiates remains repeats doesn't didn't isn't wasn't won't
    yells yelled screams grabs grabbed locked locks teases teased threatens threatened
    cries sobbed lied lies drinks drank drove drives
    can't never always also just still""".split()
)
# Lower-case joiners inside a name ("Maria de la Cruz", "Nguyen Van Hung").
PARTICLES = frozenset("de del della der di da dos das du la las los le van von den bin ibn al el st y".split())
SUFFIXES = frozenset("jr sr ii iii iv".split())
# Function words: never a name, never swallowed into one.
FUNCTION = frozenset(
    """a an the and or but if of in on at to for from by with without about into onto
    over under after before since until while when where who whom whose which that this
    these those there here his her hers him he she they them their theirs our ours we
    us my mine me i you your yours it its not no yes so as than then too very also just
    only even all any some each every both either neither one two three is are was were
    be been being am do does did has have had would shall should can could
    might must""".split()
)
DETERMINERS = frozenset("a an the this that these those our their his her my your its every".split())
WEEKDAYS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays
    thursdays fridays saturdays sundays""".split()
)
MONTHS = frozenset(
    """january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
US_STATES = frozenset(
    """alabama alaska arizona arkansas california colorado connecticut delaware florida
    georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland
    massachusetts michigan minnesota mississippi missouri montana nebraska nevada
    hampshire jersey mexico york carolina dakota ohio oklahoma oregon pennsylvania rhode
    island tennessee texas utah vermont virginia washington wisconsin wyoming
    columbia""".split()
)
STATE_CODES = frozenset(
    """AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV
    NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR""".split()
)


def _read_words(name: str) -> frozenset[str]:
    """All words of a data list, lower-cased, comments dropped."""
    words: set[str] = set()
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        words.update(w.lower() for w in line.split("#", 1)[0].split())
    return frozenset(words)


@cache
def roles() -> frozenset[str]:
    """Family and professional roles: never a name, never part of one."""
    return _read_words("roles.txt")


@cache
def allowed() -> frozenset[str]:
    """Clinical, legal and everyday vocabulary that is never a name by itself."""
    return _read_words("allow.txt") | US_STATES | MONTHS
