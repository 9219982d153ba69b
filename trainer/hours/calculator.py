"""The requirements calculator: a program and a trainee's records in, progress out (pure)."""
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from trainer.content.model import Program, Requirement

PACE_WINDOW_DAYS = 90


@dataclass(frozen=True)
class Records:
    """What counts toward a program, as plain data."""

    approved_minutes: Mapping[str, int] = field(default_factory=dict)
    pending_minutes: Mapping[str, int] = field(default_factory=dict)
    completed_courses: frozenset[str] = frozenset()
    accepted_vignettes: int = 0


@dataclass(frozen=True)
class RequirementProgress:
    """One requirement's standing: hours, a ratio, or a count, by `unit`.

    For hours, `pending` is the pending hours on top of the approved ones; for
    a ratio, it is the ratio if every pending entry were approved.
    """

    kind: str
    label: str
    unit: str
    required: float
    approved: float
    pending: float
    met: bool

    @property
    def share(self) -> float:
        """How far along, from 0 to 1, for a progress bar."""
        return 1.0 if self.met else min(1.0, self.approved / self.required) if self.required else 0.0


@dataclass(frozen=True)
class ProgramProgress:
    """Every requirement of a program, in file order."""

    program_id: str
    title: str
    rows: tuple[RequirementProgress, ...]

    @property
    def met_all(self) -> bool:
        """Whether every requirement is met (the certificate may be claimed)."""
        return all(row.met for row in self.rows)


@dataclass(frozen=True)
class Projection:
    """When the hours requirements would be met at the recent approved pace.

    status: met (all requirements), hours_met (only non-hour ones remain),
    projected (`on` is set), insufficient (not enough recent activity).
    """

    status: str
    on: date | None = None


def _sum(minutes: Mapping[str, int], categories) -> int:
    return sum(minutes.get(c, 0) for c in categories)


def _hours(value: int) -> float:
    return round(value / 60, 2)


def _course(req: Requirement, records: Records) -> RequirementProgress:
    done = req.course in records.completed_courses
    return RequirementProgress(req.kind, req.heading, "course", 1, int(done), 0, done)


def _hours_rule(req: Requirement, records: Records) -> RequirementProgress:
    approved = _sum(records.approved_minutes, req.categories)
    pending = _sum(records.pending_minutes, req.categories)
    met = approved >= Fraction(str(req.minimum)) * 60
    return RequirementProgress(req.kind, req.heading, "hours", req.minimum, _hours(approved), _hours(pending), met)


def _ratio(req: Requirement, records: Records) -> RequirementProgress:
    num, den = _sum(records.approved_minutes, req.numerator), _sum(records.approved_minutes, req.denominator)
    all_num = num + _sum(records.pending_minutes, req.numerator)
    all_den = den + _sum(records.pending_minutes, req.denominator)
    met = den > 0 and num >= Fraction(str(req.minimum)) * den
    return RequirementProgress(req.kind, req.heading, "ratio", req.minimum, round(num / den, 3) if den else 0.0,
                               round(all_num / all_den, 3) if all_den else 0.0, met)


def _vignettes(req: Requirement, records: Records) -> RequirementProgress:
    count = records.accepted_vignettes
    return RequirementProgress(req.kind, req.heading, "responses", req.minimum, count, 0, count >= req.minimum)


RULES = {"course": _course, "hours": _hours_rule, "ratio": _ratio, "vignettes": _vignettes}


def progress(program: Program, records: Records) -> ProgramProgress:
    """Each requirement: what is required, approved, pending, and whether it is met."""
    rows = tuple(RULES[req.kind](req, records) for req in program.requirements)
    return ProgramProgress(program_id=program.id, title=program.title, rows=rows)


def _days_for_hours(req: Requirement, records: Records, recent: Mapping[str, int], window: int) -> float:
    short = Fraction(str(req.minimum)) * 60 - _sum(records.approved_minutes, req.categories)
    if short <= 0:
        return 0
    pace = Fraction(_sum(recent, req.categories), window)
    return math.ceil(short / pace) if pace > 0 else math.inf


def _days_for_ratio(req: Requirement, records: Records, recent: Mapping[str, int], window: int) -> float:
    ratio = Fraction(str(req.minimum))
    num, den = _sum(records.approved_minutes, req.numerator), _sum(records.approved_minutes, req.denominator)
    short = ratio * den - num
    if short <= 0 and den > 0:
        return 0
    rate = Fraction(_sum(recent, req.numerator) - ratio * _sum(recent, req.denominator), window)
    if den == 0:  # the ratio is undefined until direct hours exist; their pace decides
        return 0 if _sum(recent, req.denominator) > 0 and rate >= 0 else math.inf
    return math.ceil(short / rate) if rate > 0 else math.inf


DAY_RULES = {"hours": _days_for_hours, "ratio": _days_for_ratio}


def project_completion(program: Program, records: Records, recent_minutes: Mapping[str, int],
                       today: date, window_days: int = PACE_WINDOW_DAYS) -> Projection:
    """Project when the hours requirements are met from approved minutes of the last window_days."""
    standing = progress(program, records)
    if standing.met_all:
        return Projection("met")
    unmet = [req for req, row in zip(program.requirements, standing.rows) if not row.met and req.kind in DAY_RULES]
    if not unmet:
        return Projection("hours_met")
    days = max(DAY_RULES[req.kind](req, records, recent_minutes, window_days) for req in unmet)
    if days == math.inf:
        return Projection("insufficient")
    return Projection("projected", today + timedelta(days=max(1, days)))
