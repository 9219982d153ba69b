"""The shipped courses/ is valid, and loads into the shape the site relies on."""
from trainer.config import ROOT
from trainer.content import check, load_library, load_programs


def test_shipped_content_has_no_problems():
    assert [str(p) for p in check(ROOT / "courses")] == []


def test_shipped_course_loads_in_reading_order():
    library = load_library(ROOT / "courses")
    (course,) = library.courses
    assert course.slug == "reunification-protocol" and course.required
    assert course.safety_module == "safety-first"
    modules = course.ordered_modules()
    assert [m.number for m in modules] == list(range(1, 9))
    assert all(course.quiz_for(m.slug) for m in modules)
    assert len(course.ordered_vignettes()) == 6
    assert all(m.credit_hours * 60 <= m.minutes for m in modules)


def test_values_remember_their_file_and_line():
    course = load_library(ROOT / "courses").courses[0]
    safety = course.ordered_modules()[1]
    assert safety.source.path.endswith("modules/02-safety-first.md")
    assert safety.source.at("title") == 2 and safety.source.at("minutes") == 3
    quiz = course.quiz_for("safety-first")
    first = quiz.questions[0]
    assert first.source.at("id") == 6 and first.choices[0].source.at("id") == 10


def test_true_false_questions_offer_true_and_false():
    quiz = load_library(ROOT / "courses").courses[0].quiz_for("safety-first")
    question = next(q for q in quiz.questions if q.kind == "true_false")
    assert [(c.id, c.correct) for c in question.options] == [("true", question.answer is True),
                                                              ("false", question.answer is False)]


def test_programs_load_on_their_own():
    programs = load_programs(ROOT / "courses" / "programs.yml")
    assert programs.category("didactic").automatic and programs.category("conjoint").direct
    certificate = programs.program("reunification-certificate")
    kinds = [r.kind for r in certificate.requirements]
    assert kinds == ["course", "hours", "hours", "ratio", "hours", "vignettes"]
    assert certificate.requirements[0].course == "reunification-protocol"
    assert certificate.requirements[3].min == 0.1 and certificate.requirements[5].accepted == 3
