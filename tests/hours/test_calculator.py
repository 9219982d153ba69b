"""The requirements calculator and the projection, table-driven, without an app."""
import ast
from datetime import date
from pathlib import Path

import pytest

from trainer.hours.calculator import Projection, Records, progress, project_completion
from trainer.content.model import Program, Requirement, Source

SOURCE = Source("programs.yml", 1)


def req(kind: str, label: str, course=None, categories=(), numerator=(), denominator=(), minimum=None) -> Requirement:
    """A requirement as programs.yml would give it."""
    return Requirement(kind=kind, label=label, course=course, categories=categories, numerator=numerator,
                       denominator=denominator, min=None if kind == "vignettes" else minimum,
                       accepted=minimum if kind == "vignettes" else None, source=SOURCE)


def program(*requirements: Requirement) -> Program:
    return Program(id="p", title="P", requirements=requirements, source=SOURCE)


DIRECT = ("conjoint", "individual-child")
SUPERVISION = ("individual-supervision",)
COURSE = req("course", "Protocol course", course="protocol")
DIRECT_40 = req("hours", "Direct work", categories=DIRECT, minimum=40)
SUPERVISION_12 = req("hours", "Supervision", categories=SUPERVISION, minimum=12)
RATIO = req("ratio", "Supervision per direct hour", numerator=SUPERVISION, denominator=DIRECT, minimum=0.1)
VIGNETTES = req("vignettes", "Vignettes", minimum=3)
TODAY = date(2026, 3, 1)


def h(hours: float) -> int:
    return int(hours * 60)


def one(requirement: Requirement, records: Records):
    return progress(program(requirement), records).rows[0]


@pytest.mark.parametrize("requirement,records,expected", [
    (COURSE, Records(), ("course", 1, 0, 0, False)),
    (COURSE, Records(completed_courses=frozenset({"protocol"})), ("course", 1, 1, 0, True)),
    (COURSE, Records(completed_courses=frozenset({"other"})), ("course", 1, 0, 0, False)),
    (DIRECT_40, Records(), ("hours", 40, 0, 0, False)),
    (DIRECT_40, Records({"conjoint": h(30), "individual-child": h(9.75)}, {"conjoint": h(2)}),
     ("hours", 40, 39.75, 2, False)),
    (DIRECT_40, Records({"conjoint": h(25), "individual-child": h(15)}), ("hours", 40, 40, 0, True)),
    (DIRECT_40, Records({"conjoint": h(20), "court": h(30)}), ("hours", 40, 20, 0, False)),
    (DIRECT_40, Records(pending_minutes={"conjoint": h(50)}), ("hours", 40, 0, 50, False)),
    (RATIO, Records(), ("ratio", 0.1, 0, 0, False)),
    (RATIO, Records({"individual-supervision": h(1)}), ("ratio", 0.1, 0, 0, False)),
    (RATIO, Records({"individual-supervision": h(1), "conjoint": h(10)}), ("ratio", 0.1, 0.1, 0.1, True)),
    (RATIO, Records({"individual-supervision": 59, "conjoint": h(10)}), ("ratio", 0.1, 0.098, 0.098, False)),
    (RATIO, Records({"individual-supervision": h(1), "conjoint": h(10)}, {"conjoint": h(10)}),
     ("ratio", 0.1, 0.1, 0.05, True)),
    (VIGNETTES, Records(accepted_vignettes=2), ("responses", 3, 2, 0, False)),
    (VIGNETTES, Records(accepted_vignettes=3), ("responses", 3, 3, 0, True)),
])
def test_each_kind(requirement, records, expected):
    row = one(requirement, records)
    assert (row.unit, row.required, row.approved, row.pending, row.met) == expected
    assert (row.kind, row.label) == (requirement.kind, requirement.label)


def test_exact_ratio_has_no_float_rounding_trap():
    # 0.1 * 600 is 60.000000000000014 in floats; the calculator must still call 60 of 600 met.
    assert one(RATIO, Records({"individual-supervision": 60, "conjoint": 600})).met


def test_met_all_and_shares():
    whole = program(COURSE, DIRECT_40, VIGNETTES)
    partial = progress(whole, Records({"conjoint": h(10)}, completed_courses=frozenset({"protocol"})))
    assert not partial.met_all and [r.share for r in partial.rows] == [1.0, 0.25, 0.0]
    done = progress(whole, Records({"conjoint": h(41)}, completed_courses=frozenset({"protocol"}),
                                     accepted_vignettes=3))
    assert done.met_all and (done.program_id, done.title) == ("p", "P")


FULL = program(DIRECT_40, SUPERVISION_12, RATIO)


@pytest.mark.parametrize("plan,records,recent,expected", [
    (FULL, Records({"conjoint": h(40), "individual-supervision": h(12)}), {}, Projection("met")),
    (program(DIRECT_40, VIGNETTES), Records({"conjoint": h(40)}), {}, Projection("hours_met")),
    (FULL, Records(), {}, Projection("insufficient")),
    # 30 direct hours left at 9 h per 90 days (0.1 h a day) → 300 days; supervision keeps pace.
    (FULL, Records({"conjoint": h(10), "individual-supervision": h(11)}),
     {"conjoint": h(9), "individual-supervision": h(1)}, Projection("projected", date(2026, 12, 26))),
    # Supervision is the slower one: 6 h left at 1 h per 90 days → 540 days.
    (FULL, Records({"conjoint": h(39), "individual-supervision": h(6)}),
     {"conjoint": h(9), "individual-supervision": h(1)}, Projection("projected", date(2027, 8, 23))),
    # Direct work advances but no supervision at all: the ratio can never catch up.
    (FULL, Records({"conjoint": h(30), "individual-supervision": h(2)}), {"conjoint": h(20)},
     Projection("insufficient")),
    # Only the ratio is short (1 h of 11 direct): 0.1 h short, gaining (1 - 0.1 * 2) h per 90 days → 12 days.
    (program(RATIO), Records({"conjoint": h(11), "individual-supervision": h(1)}),
     {"individual-supervision": h(1), "conjoint": h(2)}, Projection("projected", date(2026, 3, 13))),
    (program(RATIO), Records(), {"conjoint": h(5), "individual-supervision": h(1)},
     Projection("projected", date(2026, 3, 2))),
])
def test_projection(plan, records, recent, expected):
    assert project_completion(plan, records, recent, TODAY) == expected


@pytest.mark.parametrize("module", ["calculator.py", "chart.py"])
def test_pure_modules_import_no_framework(module):
    source = (Path(__file__).parents[2] / "trainer" / "hours" / module).read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"flask", "flask_sqlalchemy", "sqlalchemy", "wtforms", "flask_wtf", "boto3"}
