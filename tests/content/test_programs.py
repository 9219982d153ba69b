"""programs.yml: every kind of mistake is named with its line; the real file loads."""
import pytest
import yaml

from trainer.config import ROOT
from trainer.content import ContentError, load_programs

CATS = {"conjoint": {"label": "Conjoint", "direct": True}, "supervision": {"label": "Supervision"},
        "didactic": {"label": "Didactic", "automatic": True}}


def doc(*requirements, categories=CATS):
    return {"hour_categories": categories,
            "programs": {"p": {"title": "Program", "requirements": list(requirements)}}}


def problems(tmp_path, data) -> list[str]:
    """Write data as programs.yml beside a course folder 'c' and return 'line: message' for each problem."""
    (tmp_path / "c").mkdir(exist_ok=True)
    (tmp_path / "c" / "course.yml").write_text("title: C\n")
    (tmp_path / "programs.yml").write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(ContentError) as caught:
        load_programs(tmp_path / "programs.yml")
    return [f"{p.line}: {p.message}" for p in caught.value.problems]


def test_the_real_file_loads():
    programs = load_programs(ROOT / "courses" / "programs.yml")
    program = programs.program("reunification-certificate")
    assert program.title == "Certificate in Reunification Therapy"
    assert [r.kind for r in program.requirements] == ["course", "hours", "hours", "ratio", "hours", "vignettes"]
    assert program.requirements[3].minimum == 0.1 and program.requirements[5].minimum == 3
    assert programs.category("didactic").automatic and programs.category("conjoint").direct


def test_labels_default_from_the_requirement(tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "course.yml").write_text("title: C\n")
    (tmp_path / "programs.yml").write_text(yaml.safe_dump(doc(
        {"kind": "course", "course": "c"},
        {"kind": "hours", "label": "Direct", "categories": ["conjoint"], "min": 40},
        {"kind": "ratio", "numerator": ["supervision"], "denominator": ["conjoint"], "min": 0.1},
        {"kind": "vignettes", "accepted": 3})))
    course, hours, ratio, vignettes = load_programs(tmp_path / "programs.yml").programs[0].requirements
    assert [r.heading for r in (course, hours, ratio, vignettes)] == [
        "Course c completed", "Direct", "Ratio of supervision to conjoint", "Accepted vignette responses"]
    assert (hours.minimum, ratio.minimum, vignettes.minimum) == (40, 0.1, 3)


@pytest.mark.parametrize("data,message", [
    ([], "1: programs.yml must be a set of 'key: value' lines"),
    ({"hour_categories": CATS}, "1: missing required key 'programs'"),
    ({"hour_categories": CATS, "programs": {}, "extra": 1}, "unknown key 'extra'"),
    ({"hour_categories": {}, "programs": {"p": {"title": "P", "requirements": [{"kind": "vignettes", "accepted": 1}]}}},
     "1: define at least one hour category"),
    ({"hour_categories": CATS, "programs": {}}, "define at least one program"),
    ({"hour_categories": {"Bad Id": {"label": "x"}}, "programs": {}}, "hour category id 'Bad Id' is not a slug"),
    ({"hour_categories": {"a": {"label": ""}}, "programs": {}}, "3: 'label' must not be empty"),
    ({"hour_categories": {"a": {"label": "A", "direct": "yes"}}, "programs": {}}, "'direct' must be true or false"),
    ({"hour_categories": {"a": {"label": "A", "colour": 1}}, "programs": {}}, "unknown key 'colour'"),
    ({"hour_categories": CATS, "programs": {"p": {"title": "P", "requirements": []}}},
     "program 'p' needs at least one requirement"),
    ({"hour_categories": CATS, "programs": {"p": {"requirements": [{"kind": "vignettes", "accepted": 1}]}}},
     "missing required key 'title'"),
    (doc({"kind": "essay"}), "unknown requirement kind 'essay'"),
    (doc({"kind": ["hours"]}), "'kind' must be text"),
    (doc({"kind": "hours", "min": 4}), "a 'hours' requirement needs 'categories'"),
    (doc({"kind": "hours", "categories": ["conjoint"], "min": 4, "max": 9}), "unknown key 'max'"),
    (doc({"kind": "hours", "categories": ["nope"], "min": 4}), "unknown hour category 'nope' in 'categories'"),
    (doc({"kind": "hours", "categories": [], "min": 4}), "'categories' must list at least one hour category"),
    (doc({"kind": "hours", "categories": ["conjoint", "conjoint"], "min": 4}), "lists a category twice"),
    (doc({"kind": "hours", "categories": ["conjoint"], "min": 0}), "'min' must be more than 0"),
    (doc({"kind": "hours", "categories": ["conjoint"], "min": "40"}), "'min' must be a number, not '40'"),
    (doc({"kind": "hours", "categories": ["conjoint"], "min": True}), "'min' must be a number, not True"),
    (doc({"kind": "ratio", "numerator": ["supervision"], "min": 0.1}), "a 'ratio' requirement needs 'denominator'"),
    (doc({"kind": "vignettes", "accepted": 2.5}), "'accepted' must be a whole number, not 2.5"),
    (doc({"kind": "course", "course": "Not A Slug"}), "no course named 'Not A Slug' in this folder"),
    (doc({"kind": "course", "course": "c", "label": "  "}), "'label' must not be empty"),
])
def test_bad_files_say_where_and_what(tmp_path, data, message):
    found = problems(tmp_path, data)
    assert any(message in p for p in found), found


def test_problems_point_at_the_offending_line(tmp_path):
    found = problems(tmp_path, doc({"kind": "hours", "categories": ["conjoint", "nope"], "min": 4}))
    lines = (tmp_path / "programs.yml").read_text().splitlines()
    line = next(number for number, text in enumerate(lines, 1) if "nope" in text)
    assert found == [f"{line}: unknown hour category 'nope' in 'categories'"]
