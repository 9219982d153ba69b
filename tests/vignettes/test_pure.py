"""The pure helpers: findings across fields, redaction with shifting offsets, highlight segments,
the vignette file format both ways, and no framework imports."""

import pytest

from tests.content.test_purity import FORBIDDEN, imported_modules
from trainer.config import ROOT
from trainer.content.loader import load_vignette
from trainer.content.validate import check_vignette
from trainer.vignettes import document, redaction
from trainer.vignettes.redaction import FieldFinding, Segment

PURE = ["filetypes.py", "redaction.py", "document.py"]
FIELDS = [("title", "Emma at Lincoln Elementary"), ("body", "Emma Johnson called 555-123-4567 about Emma.")]


@pytest.mark.parametrize("name", PURE)
def test_pure_modules_import_no_framework(name):
    bad = [m for m in imported_modules(ROOT / "trainer" / "vignettes" / name) if m.split(".")[0] in FORBIDDEN]
    assert not bad


def test_findings_are_per_field_with_one_placeholder_per_person_across_fields():
    found = redaction.find(FIELDS, known_names=["Emma Johnson"])
    assert [(f.field, FIELDS[0 if f.field == "title" else 1][1][f.start:f.end], f.kind) for f in found] == [
        ("title", "Emma", "PERSON"), ("title", "Lincoln Elementary", "SCHOOL"),
        ("body", "Emma Johnson", "PERSON"), ("body", "555-123-4567", "PHONE"), ("body", "Emma", "PERSON")]
    assert {f.placeholder for f in found if f.kind == "PERSON"} == {"[PERSON-1]"}
    assert all(f.rule for f in found)


def test_applying_some_redactions_shifts_the_offsets_of_the_findings_kept():
    found = redaction.find(FIELDS, known_names=["Emma Johnson"])
    texts, kept = redaction.apply(dict(FIELDS), found, redact={0, 2})
    assert texts == {"title": "[PERSON-1] at Lincoln Elementary", "body": "[PERSON-1] called 555-123-4567 about Emma."}
    assert {i: texts[f.field][f.start:f.end] for i, f in kept.items()} == {
        1: "Lincoln Elementary", 3: "555-123-4567", 4: "Emma"}
    again, none_left = redaction.apply(texts, list(kept.values()), redact={0, 1, 2})
    assert again["body"] == "[PERSON-1] called [PHONE] about [PERSON-1]." and none_left == {}


def test_redact_all_and_text_without_findings():
    texts, found = redaction.redact_all([("a", "Call 555-123-4567."), ("b", "The father, age 9 son.")])
    assert texts == {"a": "Call [PHONE].", "b": "The father, age 9 son."} and len(found) == 1
    assert redaction.redact_all([("a", "")]) == ({"a": ""}, ())


def test_segments_cut_text_into_plain_and_marked_runs():
    findings = (FieldFinding("body", 4, 9, "PERSON", "r", "[PERSON-1]"), FieldFinding("other", 0, 1, "X", "r", "[X]"),
                FieldFinding("body", 13, 16, "CITY", "r", "[CITY]"))
    assert redaction.segments("Hi, <Emma> in Rye", findings, "body") == (
        Segment("Hi, "), Segment("<Emma", 0), Segment("> in"), Segment(" Ry", 2), Segment("e"))
    assert redaction.segments("", findings, "none") == ()


def test_line_endings_are_normalised():
    assert redaction.normalise("a\r\nb\rc") == "a\nb\nc" and redaction.normalise(None) == ""


@pytest.mark.parametrize("path", sorted((ROOT / "courses").glob("*/vignettes/*.md")), ids=lambda p: p.stem)
def test_every_shipped_vignette_survives_export_and_reading_back(path, tmp_path):
    original, problems = document.parse(path.read_text(), path.name, path.stem)
    assert problems == []
    exported = tmp_path / "vignettes" / f"{path.stem}.md"
    exported.parent.mkdir()
    exported.write_text(document.to_markdown(original))
    found = []
    loaded = load_vignette(exported, found)
    assert found == [] and check_vignette(loaded) == []
    assert document.parse(exported.read_text(), "x.md", path.stem) == (original, [])


def test_tricky_values_survive_the_front_matter():
    tricky = document.VignetteText("Yes: no", "'quoted' and \"double\" # not a comment", "- starts like a list",
                                   ("other",), "13-17", "advanced", "none", ("true", "1990?"), "Body *text*")
    assert document.parse(document.to_markdown(tricky), "t.md", "tricky") == (tricky, [])


def test_problems_are_listed_with_their_lines():
    text = "---\ntitle: T\nfamily: F\npresenting_issue: P\ntopics: [nope]\nage_band: 6-12\n" \
           "difficulty: easy\ncourt_stage: none\nquestions: [Q?]\n---\n\nBody"
    vignette, problems = document.parse(text, "upload.md", "t")
    assert vignette is None
    assert [(p.line, p.message.split(" (")[0]) for p in problems] == [
        (5, "unknown topic 'nope'"), (7, "'difficulty' must be one of: introductory, intermediate, advanced")]
    assert document.parse("no front matter", "u.md", "t")[1][0].message.startswith("the file must start")
