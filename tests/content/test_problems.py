"""Broken copies of courses/: every problem is named with its file and line."""
import pytest

from trainer.content import ContentError, check, load_library, load_programs

C = "reunification-protocol"
SAFETY_QUIZ = f"{C}/quizzes/safety-first.yml"
FIRST_MODULE = f"{C}/modules/01-what-is-reunification.md"
MANIFEST = f"{C}/course.yml"
VIGNETTE = f"{C}/vignettes/weekend-refusal.md"


def problems_in(copy):
    return [(p.path.removeprefix(str(copy.root) + "/"), p.line, p.message) for p in check(copy.root)]


def break_yaml(copy):
    return SAFETY_QUIZ, copy.replace(SAFETY_QUIZ, "shuffle: true", "shuffle: true: always"), \
        "malformed YAML: mapping values are not allowed"


def unclosed_list(copy):
    line = copy.replace(SAFETY_QUIZ, "shuffle: true", "shuffle: [true")
    return SAFETY_QUIZ, line + 1, f"while parsing a flow sequence that starts on line {line}"


def unknown_kind(copy):
    return SAFETY_QUIZ, copy.replace(SAFETY_QUIZ, "kind: single", "kind: essay"), "unknown question kind 'essay'"


def duplicate_module_slug(copy):
    line = copy.replace(MANIFEST, "  - family-systems\n", "  - family-systems\n  - safety-first\n") + 1
    return MANIFEST, line, "duplicate slug 'safety-first'"


def duplicate_question_id(copy):
    line = copy.line_of(SAFETY_QUIZ, "- id: behaviourally-specific")
    copy.replace(SAFETY_QUIZ, "- id: behaviourally-specific", "- id: screen-separately")
    return SAFETY_QUIZ, line, "duplicate question id 'screen-separately'"


def true_false_without_answer(copy):
    line = copy.line_of(SAFETY_QUIZ, "kind: true_false")
    copy.replace(SAFETY_QUIZ, "    answer: false\n", "")
    return SAFETY_QUIZ, line, "missing answer"


def single_without_correct_choice(copy):
    line = copy.line_of(SAFETY_QUIZ, "kind: single")
    copy.replace(SAFETY_QUIZ, "        correct: true\n", "        correct: false\n")
    return SAFETY_QUIZ, line, "needs exactly one correct choice, not 0"


def answer_that_is_not_true_or_false(copy):
    return SAFETY_QUIZ, copy.replace(SAFETY_QUIZ, "answer: false", "answer: c"), "'answer' must be true or false"


def module_file_not_listed(copy):
    extra = f"{C}/modules/09-extra-reading.md"
    copy.path(extra).write_text("---\ntitle: Extra\nminutes: 30\ncredit_hours: 0.5\nobjectives: [Read]\n---\n\nText.\n")
    return extra, 1, "not listed"


def listed_file_missing(copy):
    copy.path(f"{C}/modules/08-consultation-and-supervision.md").unlink()
    return MANIFEST, copy.line_of(MANIFEST, "- consultation-and-supervision"), "does not exist"


def negative_minutes(copy):
    return FIRST_MODULE, copy.replace(FIRST_MODULE, "minutes: 60", "minutes: -5"), "'minutes' must be a positive"


def credit_over_time(copy):
    return FIRST_MODULE, copy.replace(FIRST_MODULE, "credit_hours: 1\n", "credit_hours: 2\n"), "more than minutes / 60"


def minutes_as_text(copy):
    return FIRST_MODULE, copy.replace(FIRST_MODULE, "minutes: 60", "minutes: an hour"), "must be a whole number"


def missing_title(copy):
    copy.replace(FIRST_MODULE, "title: What reunification therapy is, and who it fits\n", "")
    return FIRST_MODULE, 2, "missing required key 'title'"


def misspelt_key(copy):
    return FIRST_MODULE, copy.replace(FIRST_MODULE, "credit_hours:", "credit_hour:"), "unknown key 'credit_hour'"


def no_front_matter(copy):
    path = copy.path(FIRST_MODULE)
    path.write_text(path.read_text().split("---", 2)[2])
    return FIRST_MODULE, 1, "must start with a '---' line"


def unknown_topic(copy):
    return VIGNETTE, copy.replace(VIGNETTE, "resist-refuse,", "custody-battle,"), "unknown topic 'custody-battle'"


def duplicate_yaml_key(copy):
    return MANIFEST, copy.replace(MANIFEST, "required: true\n", "required: true\nrequired: false\n") + 1, \
        "duplicate key 'required'"


def unknown_safety_module(copy):
    return MANIFEST, copy.replace(MANIFEST, "safety_module: safety-first", "safety_module: safety-last"), \
        "safety_module 'safety-last' is not one of"


def quiz_without_module(copy):
    copy.path(f"{C}/quizzes/safety-first.yml").rename(copy.path(f"{C}/quizzes/safety-second.yml"))
    return f"{C}/quizzes/safety-second.yml", 1, "not a module of this course"


def unknown_hour_category(copy):
    return "programs.yml", copy.replace("programs.yml", "categories: [collateral, court]",
                                        "categories: [collateral, courtroom]"), "unknown hour category 'courtroom'"


def unknown_requirement_course(copy):
    return "programs.yml", copy.replace("programs.yml", "course: reunification-protocol", "course: nope"), \
        "no course named 'nope'"


CASES = [break_yaml, unclosed_list, unknown_kind, duplicate_module_slug, duplicate_question_id,
         true_false_without_answer, single_without_correct_choice, answer_that_is_not_true_or_false, module_file_not_listed,
         listed_file_missing, negative_minutes, credit_over_time, minutes_as_text, missing_title, misspelt_key,
         no_front_matter, unknown_topic, duplicate_yaml_key, unknown_safety_module, quiz_without_module,
         unknown_hour_category, unknown_requirement_course]


@pytest.mark.parametrize("breakage", CASES, ids=[c.__name__ for c in CASES])
def test_each_problem_names_its_file_and_line(content_copy, breakage):
    path, line, message = breakage(content_copy)
    found = problems_in(content_copy)
    assert any(p == path and n == line and message in m for p, n, m in found), found
    with pytest.raises(ContentError):
        load_library(content_copy.root)


def test_every_problem_is_reported_at_once(content_copy):
    negative_minutes(content_copy)
    unknown_kind(content_copy)
    module_file_not_listed(content_copy)
    assert len(problems_in(content_copy)) == 3


def test_a_file_that_cannot_be_read_is_not_also_reported_missing(content_copy):
    break_yaml(content_copy)
    no_front_matter(content_copy)
    messages = [m for _, _, m in problems_in(content_copy)]
    assert len(messages) == 2 and not any("does not exist" in m for m in messages)


def test_stray_files_and_bad_file_names_are_reported(content_copy):
    content_copy.path(f"{C}/modules/notes.txt").write_text("draft")
    content_copy.path(f"{C}/modules/9-extra.md").write_text("---\n---\n")
    paths = {p for p, _, _ in problems_in(content_copy)}
    assert {f"{C}/modules/notes.txt", f"{C}/modules/9-extra.md"} <= paths


def test_module_numbers_follow_the_reading_order(content_copy):
    content_copy.replace(MANIFEST, "  - safety-first\n  - family-systems\n", "  - family-systems\n  - safety-first\n")
    found = problems_in(content_copy)
    assert any(p.endswith("02-safety-first.md") and "does not match" in m for p, _, m in found)


def test_a_program_needs_its_course_marked_required(content_copy):
    content_copy.replace(MANIFEST, "required: true", "required: false")
    assert any("its course.yml says required: false" in m for _, _, m in problems_in(content_copy))


def test_load_programs_refuses_a_broken_file(content_copy):
    unknown_hour_category(content_copy)
    with pytest.raises(ContentError) as caught:
        load_programs(content_copy.path("programs.yml"))
    assert "unknown hour category 'courtroom'" in str(caught.value.problems[0])
