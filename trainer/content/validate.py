"""The rules course content must follow, as a list of Problem(path, line, message)."""
from collections import Counter

from trainer.content.model import (AGE_BANDS, COURT_STAGES, DIFFICULTIES, KINDS, Course, Library, Module,
                                   Problem, Question, Quiz, Source, Vignette)
from trainer.content.programs import check_programs
from trainer.content.slugs import is_slug
from trainer.topics import TOPICS

RESERVED_COURSE_SLUGS = {"progress"}  # used by /courses/progress/<id>


def _at(source: Source, key: str, message: str) -> Problem:
    return Problem(source.path, source.at(key), message)


def validate(library: Library) -> list[Problem]:
    """Every rule broken anywhere in the library."""
    problems = []
    for course in library.courses:
        problems += check_course(course)
    problems += _unique_vignettes(library.courses)
    if library.programs is not None:
        problems += check_programs(library.programs, {c.slug for c in library.courses})
        problems += _required_courses(library)
    return problems


def check_course(course: Course) -> list[Problem]:
    """Rules for one course: its manifest, modules, quizzes and vignettes."""
    problems = [Problem(path, 1, "this file is not part of the course layout (see courses/README.md)")
                for path in course.stray_files]
    if not is_slug(course.slug) or course.slug in RESERVED_COURSE_SLUGS:
        problems.append(_at(course.source, "title", f"the folder name '{course.slug}' is not a usable slug"))
    problems += _listing(course, "modules", course.module_order, list(course.module_files),
                         lambda slug: f"modules/NN-{slug}.md")
    problems += _listing(course, "vignettes", course.vignette_order, list(course.vignette_files),
                         lambda slug: f"vignettes/{slug}.md")
    if "modules" in course.source.keys and not course.module_order:
        problems.append(_at(course.source, "modules", "a course lists at least one module"))
    problems += _module_numbers(course)
    if course.safety_module and course.safety_module not in course.module_order:
        problems.append(_at(course.source, "safety_module",
                            f"safety_module '{course.safety_module}' is not one of the course's modules"))
    for module in course.modules:
        problems += check_module(module)
    for quiz in course.quizzes:
        if quiz.module_slug not in course.module_order:
            problems.append(Problem(quiz.source.path, 1,
                                    f"quiz for '{quiz.module_slug}', which is not a module of this course"))
        problems += check_quiz(quiz)
    for vignette in course.vignettes:
        problems += check_vignette(vignette)
    return problems


def _listing(course: Course, key: str, listed, files, file_for) -> list[Problem]:
    """Each listed slug has a file, each file is listed, nothing appears twice."""
    problems, found = [], [slug for slug, _ in files]
    for index, slug in enumerate(listed):
        if not is_slug(slug):
            problems.append(_at(course.source, f"{key}.{index}", f"'{slug}' in '{key}' is not a slug"))
        elif slug not in found:
            problems.append(_at(course.source, f"{key}.{index}",
                                f"'{slug}' is listed in '{key}' but {file_for(slug)} does not exist"))
    for index, slug in enumerate(listed):
        if slug in listed[:index]:
            problems.append(_at(course.source, f"{key}.{index}",
                                f"duplicate slug '{slug}': it is already listed in '{key}'"))
    for slug, count in Counter(found).items():
        if count > 1:
            paths = ", ".join(p for s, p in files if s == slug)
            problems.append(_at(course.source, key, f"duplicate slug '{slug}': {count} files in {key}/ ({paths})"))
    for slug, path in files:
        if slug not in listed:
            problems.append(Problem(path, 1, f"this file is not listed in {course.source.path} '{key}' "
                                             f"(add '{slug}' there, or remove the file)"))
    return problems


def _module_numbers(course: Course) -> list[Problem]:
    position = {slug: i + 1 for i, slug in enumerate(course.module_order)}
    return [Problem(m.source.path, 1, f"the file number {m.number:02d} does not match the module's "
                                      f"place ({position[m.slug]}) in course.yml")
            for m in course.modules if m.slug in position and position[m.slug] != m.number]


def check_module(module: Module) -> list[Problem]:
    """Slug, positive minutes and credit, credit within the time, a body."""
    src, problems = module.source, []
    if not is_slug(module.slug):
        problems.append(Problem(src.path, 1, f"the file name's slug '{module.slug}' is not a slug"))
    if module.minutes is not None and module.minutes <= 0:
        problems.append(_at(src, "minutes", "'minutes' must be a positive whole number"))
    if module.credit_hours is not None and module.credit_hours <= 0:
        problems.append(_at(src, "credit_hours", "'credit_hours' must be more than 0"))
    elif (module.credit_hours and module.minutes and module.minutes > 0
          and module.credit_hours * 60 > module.minutes + 1e-9):
        problems.append(_at(src, "credit_hours", f"'credit_hours' {module.credit_hours:g} is more than "
                                                 f"minutes / 60 = {module.minutes / 60:g} (60 minutes = 1 hour)"))
    if "objectives" in src.keys and not module.objectives:
        problems.append(_at(src, "objectives", "list at least one objective"))
    if not module.body.strip():
        problems.append(Problem(src.path, module.body_line, "the module has no text after its front matter"))
    return problems


def check_quiz(quiz: Quiz) -> list[Problem]:
    """Settings in range, unique question ids, and an answer key that names real choices."""
    src, problems = quiz.source, []
    if not is_slug(quiz.module_slug):
        problems.append(Problem(src.path, 1, f"the file name '{quiz.module_slug}' is not a module slug"))
    if quiz.pass_mark is not None and not 0 < quiz.pass_mark <= 1:
        problems.append(_at(src, "pass_mark", "'pass_mark' is a share of questions: more than 0, at most 1"))
    if quiz.max_attempts is not None and quiz.max_attempts < 1:
        problems.append(_at(src, "max_attempts", "'max_attempts' must be at least 1"))
    if quiz.cooldown_minutes is not None and quiz.cooldown_minutes < 0:
        problems.append(_at(src, "cooldown_minutes", "'cooldown_minutes' cannot be negative"))
    if "questions" in src.keys and not quiz.questions:
        problems.append(_at(src, "questions", "a quiz needs at least one question"))
    problems += _duplicates([(q.id, q.source) for q in quiz.questions], "question id")
    for question in quiz.questions:
        problems += check_question(question)
    return problems


def _duplicates(pairs: list[tuple[str | None, Source]], what: str) -> list[Problem]:
    seen, problems = set(), []
    for value, source in pairs:
        if value is not None and value in seen:
            problems.append(_at(source, "id", f"duplicate {what} '{value}'"))
        seen.add(value)
    return problems


def check_question(q: Question) -> list[Problem]:
    """A known kind, and choices or an answer that fit it."""
    problems = []
    if q.id is not None and not is_slug(q.id):
        problems.append(_at(q.source, "id", f"question id '{q.id}' is not a slug"))
    if q.kind is not None and q.kind not in KINDS:
        expected = ", ".join(KINDS)
        return problems + [_at(q.source, "kind", f"unknown question kind '{q.kind}' (expected one of: {expected})")]
    return problems + (_check_true_false(q) if q.kind == "true_false" else _check_choices(q))


def _check_true_false(q: Question) -> list[Problem]:
    problems = []
    if "choices" in q.source.keys:
        problems.append(_at(q.source, "choices", "a true_false question uses 'answer', not 'choices'"))
    if "answer" not in q.source.keys:
        problems.append(_at(q.source, "kind",
                            "missing answer: a true_false question needs 'answer: true' or 'answer: false'"))
    return problems


def _check_choices(q: Question) -> list[Problem]:
    src, problems = q.source, []
    if "answer" in src.keys:
        problems.append(_at(src, "answer", f"a {q.kind} question marks choices 'correct' instead of using 'answer'"))
    if len(q.choices) < 2:
        problems.append(_at(src, "choices" if "choices" in src.keys else "kind",
                            "a question needs at least two choices"))
    problems += _duplicates([(c.id, c.source) for c in q.choices], "choice id")
    problems += [_at(c.source, "id", f"choice id '{c.id}' is not a slug") for c in q.choices
                 if c.id is not None and not is_slug(c.id)]
    correct = sum(1 for c in q.choices if c.correct)
    if q.kind == "single" and q.choices and correct != 1:
        problems.append(_at(src, "kind", f"missing answer: a single question needs exactly one correct choice, "
                                         f"not {correct}"))
    if q.kind == "multiple" and q.choices and correct == 0:
        problems.append(_at(src, "kind", "missing answer: a multiple question needs at least one correct choice"))
    return problems


def check_vignette(v: Vignette) -> list[Problem]:
    """Slug, topics and the fixed vocabularies."""
    src, problems = v.source, []
    if not is_slug(v.slug):
        problems.append(Problem(src.path, 1, f"the file name '{v.slug}' is not a slug"))
    for index, topic in enumerate(v.topics):
        if topic not in TOPICS:
            problems.append(_at(src, f"topics.{index}",
                                f"unknown topic '{topic}' (expected one of: {', '.join(TOPICS)})"))
    if "topics" in src.keys and not v.topics:
        problems.append(_at(src, "topics", "list at least one topic"))
    for key, allowed in (("age_band", AGE_BANDS), ("difficulty", DIFFICULTIES), ("court_stage", COURT_STAGES)):
        value = getattr(v, key)
        if value is not None and value not in allowed:
            problems.append(_at(src, key, f"'{key}' must be one of: {', '.join(allowed)}"))
    if "questions" in src.keys and not v.questions:
        problems.append(_at(src, "questions", "list at least one discussion question"))
    if not v.body.strip():
        problems.append(Problem(src.path, v.body_line, "the vignette has no case text after its front matter"))
    return problems


def _unique_vignettes(courses) -> list[Problem]:
    """Vignette slugs are unique across courses (the library addresses them by slug alone)."""
    return _duplicates([(v.slug, v.source) for c in courses for v in c.vignettes], "vignette slug")


def _required_courses(library: Library) -> list[Problem]:
    by_slug = {c.slug: c for c in library.courses}
    problems = []
    for program in library.programs.programs:
        for req in program.requirements:
            course = by_slug.get(req.course) if req.kind == "course" else None
            if course is not None and not course.required:
                problems.append(_at(req.source, "course", f"course '{req.course}' is required by "
                                                          f"'{program.id}' but its course.yml says required: false"))
    return problems
