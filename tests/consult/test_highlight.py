"""Preview segments: placeholders and kinds only, the text between them, and the checks around them."""
import pytest

from trainer.consult.highlight import (Segment, describe_removed, highest_person, join_parts, kind_counts,
                                       mark_placeholders, phrases, split_parts, unremoved)
from trainer.deid import Finding, deidentify

NOTE = ("Emma Johnson (age 9) refuses visits with her father Mark Johnson since March 3, 2024. "
        "She attends Lincoln Elementary. Docket No. 2023-DR-01234. Call 555-201-3344 or kate.j@example.com.")
IDENTIFIERS = ["Emma", "Johnson", "Mark", "March 3", "Lincoln", "2023-DR-01234", "555-201-3344", "kate.j"]


def preview(parts, known=(), after=0):
    text, bounds = join_parts(parts, after)
    return split_parts(text, deidentify(text, known).findings, bounds)


def test_one_part_reads_like_the_engine_output():
    [part] = preview([NOTE], ["Emma Johnson", "Mark Johnson"])
    assert part.text == deidentify(NOTE, ["Emma Johnson", "Mark Johnson"]).text


def test_segments_never_carry_what_was_removed():
    [part] = preview([NOTE], ["Emma Johnson", "Mark Johnson"])
    shown = " ".join(s.text for s in part.segments)
    for identifier in IDENTIFIERS:
        assert identifier not in shown
    redactions = [s for s in part.segments if s.kind]
    assert {s.kind for s in redactions} >= {"PERSON", "DATE", "SCHOOL", "COURT_CASE", "PHONE", "EMAIL"}
    assert all(s.text.startswith("[") and s.text.endswith("]") for s in redactions)
    assert "(age 9) refuses visits with her father" in shown


def test_people_are_numbered_the_same_across_question_and_summary():
    question, summary = preview(["Should Mark keep the Sunday visits?", NOTE], ["Emma Johnson", "Mark Johnson"])
    assert question.text == "Should [PERSON-1] keep the Sunday visits?"
    assert summary.text.startswith("[PERSON-2] (age 9) refuses visits with her father [PERSON-1] since")


def test_a_reply_numbers_new_people_after_the_thread():
    [reply] = preview(["Ask [PERSON-2] whether Grandpa Joe Smith can supervise."], ["Joe Smith"], after=3)
    assert reply.text == "Ask [PERSON-2] whether Grandpa [PERSON-4] can supervise."


def test_a_redaction_across_the_boundary_shows_in_both_parts():
    text, bounds = join_parts(["see Dr.", "Smith today"])
    findings = [Finding(4, text.index("Smith") + 5, "PERSON", "test", "[PERSON-1]")]
    first, second = split_parts(text, findings, bounds)
    assert (first.text, second.text) == ("see [PERSON-1]", "[PERSON-1] today")


def test_kind_counts_and_their_description():
    result = deidentify(NOTE, ["Emma Johnson", "Mark Johnson"])
    counts = kind_counts(result.findings)
    assert counts["PERSON"] == 2 and counts["DATE"] == 1
    assert describe_removed({"PERSON": 3, "DATE": 2, "SCHOOL": 1}) == "3 names, 2 dates and 1 school"
    assert describe_removed({"ADDRESS": 2}) == "2 street addresses"
    assert describe_removed({}) == "nothing"


def test_stored_text_marks_its_placeholders():
    assert mark_placeholders("[PERSON-12] at [SCHOOL], case [CASE-NUMBER].") == (
        Segment("[PERSON-12]", "PERSON"), Segment(" at "), Segment("[SCHOOL]", "SCHOOL"), Segment(", case "),
        Segment("[CASE-NUMBER]", "COURT_CASE"), Segment("."))
    assert highest_person(["[PERSON-2] and [PERSON-11]", "none"]) == 11
    assert highest_person([]) == 0


@pytest.mark.parametrize("fields, expected", [
    (("Emma Johnson, Mark", "Bug\nRoom 14B"), ["Emma Johnson", "Mark", "Bug", "Room 14B"]),
    (("  Emma   Johnson ;emma johnson", None), ["Emma Johnson"]),
    (("", "\n,\n"), []),
])
def test_phrases(fields, expected):
    assert phrases(*fields) == expected


def test_phrases_are_capped():
    assert len(phrases("\n".join(f"name{i}" for i in range(500)))) == 100


def test_unremoved_finds_phrases_or_numbers_still_there():
    wanted = ["Bug", "Room 14B", "the"]
    assert unremoved("[PERSON-1] 14B, where the visits happen.", wanted) == [2, 3]
    assert unremoved("[PERSON-1] [PERSON-2]", wanted) == []
    assert unremoved("A bugle and room 140", ["Bug", "Room 14"]) == []
