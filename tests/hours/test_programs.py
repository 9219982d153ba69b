"""The programs.yml reader: the real file, every kind of mistake, and the cache."""
import os

import pytest

from trainer.config import ROOT
from trainer.hours.programs import HourCategory, ProgramsError, Requirement, parse_programs, read_programs

CATS = {"conjoint": {"label": "Conjoint", "direct": True}, "supervision": {"label": "Supervision"},
        "didactic": {"label": "Didactic", "automatic": True}}


def doc(*requirements, categories=CATS):
    return {"hour_categories": categories,
            "programs": {"p": {"title": "Program", "requirements": list(requirements)}}}


def test_the_real_file_loads():
    catalog = read_programs(ROOT / "courses" / "programs.yml")
    program = catalog.program("reunification-certificate")
    assert program.title == "Certificate in Reunification Therapy"
    assert [r.kind for r in program.requirements] == ["course", "hours", "hours", "ratio", "hours", "vignettes"]
    assert program.requirements[3].minimum == 0.1 and program.requirements[5].minimum == 3
    assert catalog.category("didactic").automatic and "didactic" not in {c.id for c in catalog.loggable}
    assert catalog.category("conjoint").direct and not catalog.category("court").direct


def test_every_kind_parses_with_labels_and_defaults():
    catalog = parse_programs(doc(
        {"kind": "course", "course": "protocol"},
        {"kind": "hours", "label": "Direct", "categories": ["conjoint"], "min": 40},
        {"kind": "ratio", "numerator": ["supervision"], "denominator": ["conjoint"], "min": 0.1},
        {"kind": "vignettes", "accepted": 3},
    ))
    course, hours, ratio, vignettes = catalog.programs[0].requirements
    assert course == Requirement(kind="course", label="Course protocol completed", course="protocol")
    assert hours == Requirement(kind="hours", label="Direct", categories=("conjoint",), minimum=40)
    assert ratio.numerator == ("supervision",) and ratio.denominator == ("conjoint",)
    assert vignettes.minimum == 3 and vignettes.label == "Accepted vignette responses"
    assert catalog.categories[0] == HourCategory("conjoint", "Conjoint", direct=True)


@pytest.mark.parametrize("data,message", [
    ([], "the file: expected a mapping"),
    ({"hour_categories": CATS}, "programs: expected a mapping"),
    ({"hour_categories": CATS, "programs": {}, "extra": 1}, "unknown key(s) extra"),
    ({"hour_categories": {}, "programs": {"p": {}}}, "define at least one category"),
    ({"hour_categories": CATS, "programs": {}}, "define at least one program"),
    ({"hour_categories": {"Bad Id": {"label": "x"}}, "programs": {}}, "'Bad Id' is not a slug"),
    ({"hour_categories": {"a": {"label": ""}}, "programs": {}}, "hour_categories.a.label: give a non-empty text"),
    ({"hour_categories": {"a": {"label": "A", "direct": "yes"}}, "programs": {}}, "a.direct: use true or false"),
    ({"hour_categories": {"a": {"label": "A", "colour": 1}}, "programs": {}}, "unknown key(s) colour"),
    ({"hour_categories": CATS, "programs": {"p": {"title": "P"}}}, "programs.p.requirements: give a list"),
    ({"hour_categories": CATS, "programs": {"p": {"requirements": [{"kind": "vignettes", "accepted": 1}]}}},
     "programs.p.title: give a non-empty text"),
    (doc({"kind": "essay"}), "requirements[0].kind: use one of"),
    (doc({"kind": ["hours"]}), "requirements[0].kind: use one of"),
    (doc("hours"), "requirements[0].kind: use one of"),
    (doc({"kind": "hours", "min": 4}), "this hours requirement needs categories"),
    (doc({"kind": "hours", "categories": ["conjoint"], "min": 4, "max": 9}), "unknown key(s) max"),
    (doc({"kind": "hours", "categories": ["nope"], "min": 4}), "unknown hour category nope"),
    (doc({"kind": "hours", "categories": [{"a": 1}], "min": 4}), "unknown hour category"),
    (doc({"kind": "hours", "categories": [], "min": 4}), "give a list of at least one hour category"),
    (doc({"kind": "hours", "categories": ["conjoint", "conjoint"], "min": 4}), "listed twice"),
    (doc({"kind": "hours", "categories": ["conjoint"], "min": 0}), "min: give a number greater than 0"),
    (doc({"kind": "hours", "categories": ["conjoint"], "min": "40"}), "min: give a number greater than 0"),
    (doc({"kind": "hours", "categories": ["conjoint"], "min": True}), "min: give a number greater than 0"),
    (doc({"kind": "ratio", "numerator": ["supervision"], "min": 0.1}), "needs denominator"),
    (doc({"kind": "vignettes", "accepted": 2.5}), "accepted: give a whole number greater than 0"),
    (doc({"kind": "course", "course": "Not A Slug"}), "requirements[0].course: 'Not A Slug' is not a slug"),
    (doc({"kind": "course", "course": "c", "label": "  "}), "requirements[0].label: give a non-empty text"),
])
def test_bad_files_say_where_and_what(data, message):
    with pytest.raises(ProgramsError) as caught:
        parse_programs(data, "x/programs.yml")
    assert str(caught.value).startswith("x/programs.yml: ")
    assert message in str(caught.value)


def test_missing_file_and_broken_yaml(tmp_path):
    with pytest.raises(ProgramsError, match="cannot read the file"):
        read_programs(tmp_path / "absent.yml")
    broken = tmp_path / "programs.yml"
    broken.write_text("hour_categories:\n  a: {label: A\nprograms: {}\n")
    with pytest.raises(ProgramsError, match=r"programs.yml:\d+: not valid YAML"):
        read_programs(broken)


def test_cached_until_the_file_changes(tmp_path):
    path = tmp_path / "programs.yml"
    path.write_text("hour_categories: {a: {label: A}}\nprograms: {p: {title: One, requirements: "
                    "[{kind: hours, categories: [a], min: 1}]}}\n")
    first = read_programs(path)
    assert read_programs(path) is first
    path.write_text(path.read_text().replace("One", "Two and longer"))
    os.utime(path, ns=(1, 1))
    assert read_programs(path).programs[0].title == "Two and longer"
