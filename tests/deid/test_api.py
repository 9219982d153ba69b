"""The public API: findings, placeholders, known names, determinism, the CLI."""
import json

from click.testing import CliRunner

from trainer.deid import KINDS, PLACEHOLDERS, Deidentified, Finding, deidentify
from trainer.deid.cli import deid

NOTE = (
    "Emma Johnson (age 9) lives with her mother. Emma's father, Mark Johnson, "
    "moved to Dayton. Johnson says Emma refuses. Call 614-555-0182."
)


def test_result_types():
    result = deidentify(NOTE)
    assert isinstance(result, Deidentified)
    assert all(isinstance(f, Finding) for f in result.findings)
    assert all(f.kind in KINDS for f in result.findings)
    assert set(PLACEHOLDERS) == set(KINDS)


def test_finding_repr_carries_no_text():
    result = deidentify(NOTE)
    for finding in result.findings:
        assert "Emma" not in repr(finding) and "Johnson" not in repr(finding)
        assert finding.excerpt(NOTE) == NOTE[finding.start:finding.end]


def test_same_person_same_placeholder():
    text = deidentify(NOTE).text
    assert text.count("[PERSON-1]") == 4  # Emma Johnson, Emma's, Johnson (the first Johnson), Emma
    assert "[PERSON-2]" in text  # Mark Johnson
    assert "Emma" not in text and "Johnson" not in text


def test_known_names_every_form():
    text = "KATE came. kate's dad and Katherine Doyle; K.D. and Ms. Doyle-Hart."
    out = deidentify(text, ["Katherine Doyle-Hart"]).text
    for form in ("KATE", "kate", "Katherine", "Doyle", "K.D.", "Hart"):
        assert form not in out, out


def test_known_names_split_on_separators():
    out = deidentify("Pat and Lou and Emma came.", ["Grandma Pat; Lou\nEmma"]).text
    assert "Pat" not in out and "Lou" not in out and "Emma" not in out
    assert out.count("[PERSON-") == 3


def test_placeholders_are_never_redacted_again():
    once = deidentify(NOTE)
    assert deidentify(once.text).text == once.text


def test_deterministic():
    assert deidentify(NOTE) == deidentify(NOTE)


def test_bare_year_and_weekday_stay():
    out = deidentify("They split in 2019 and meet on Tuesday.").text
    assert "2019" in out and "Tuesday" in out


def test_empty_text():
    assert deidentify("") == Deidentified("", ())


def test_cli_prints_text_and_table(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text(NOTE, encoding="utf-8")
    result = CliRunner().invoke(deid, ["check", str(path)])
    assert result.exit_code == 0
    assert result.output.startswith(deidentify(NOTE).text)
    assert "PERSON" in result.output and "finding(s)" in result.output


def test_cli_json_from_stdin():
    result = CliRunner().invoke(deid, ["check", "--json", "--names", "Mark"], input="Mark called 614-555-0182")
    data = json.loads(result.output)
    assert data["text"] == "[PERSON-1] called [PHONE]"
    assert [f["kind"] for f in data["findings"]] == ["PERSON", "PHONE"]
