"""Read and check programs.yml: hour categories and certification programs with their requirements."""
from pathlib import Path

from trainer.content.model import REQUIREMENT_KINDS, HourCategory, Problem, Program, Programs, Requirement
from trainer.content.slugs import is_slug
from trainer.content.yamlsrc import LineDict, Reader, parse_yaml

CATEGORY_KEYS = ("label", "direct", "automatic")
PROGRAM_KEYS = ("title", "requirements")
# Keys each requirement kind takes besides `kind` and `label`.
KIND_KEYS = {
    "course": ("course",),
    "hours": ("categories", "min"),
    "ratio": ("numerator", "denominator", "min"),
    "vignettes": ("accepted",),
}
REQUIREMENT_KEYS = ("kind", "label", "course", "categories", "numerator", "denominator", "min", "accepted")


def read_programs(path: Path, problems: list[Problem]) -> Programs | None:
    """Parse programs.yml into dataclasses, noting shape problems."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        problems.append(Problem(str(path), 1, "cannot read programs.yml as UTF-8 text"))
        return None
    top = Reader(parse_yaml(text, str(path), problems), str(path), problems,
                 ("hour_categories", "programs"), "programs.yml")
    categories = tuple(_category(key, value, top) for key, value in _entries(top, "hour_categories"))
    programs = tuple(_program(key, value, top) for key, value in _entries(top, "programs"))
    return Programs(categories=categories, programs=programs, source=top.source)


def _entries(top: Reader, key: str) -> list[tuple[str, object]]:
    value = top.data.get(key)
    if not isinstance(value, LineDict):
        top.problem(key, f"'{key}' must be a set of '<id>: ...' entries" if key in top.data
                    else f"missing required key '{key}'")
        return []
    return [(k, _located(v, value.key_lines[k])) for k, v in value.items()]


def _located(value, line: int):
    if isinstance(value, LineDict):
        value.line = line
    return value


def _category(category_id, data, top: Reader) -> HourCategory:
    r = Reader(data, top.path, top.problems, CATEGORY_KEYS, f"hour category '{category_id}'",
               getattr(data, "line", top.source.line))
    return HourCategory(id=str(category_id), label=r.text("label"),
                        direct=bool(r.boolean("direct", default=False)),
                        automatic=bool(r.boolean("automatic", default=False)), source=r.source)


def _program(program_id, data, top: Reader) -> Program:
    r = Reader(data, top.path, top.problems, PROGRAM_KEYS, f"program '{program_id}'",
               getattr(data, "line", top.source.line))
    requirements = tuple(_requirement(item, r, r.source.at(f"requirements.{i}"))
                         for i, item in enumerate(r.items("requirements")))
    return Program(id=str(program_id), title=r.text("title"), requirements=requirements, source=r.source)


def _requirement(data, program: Reader, line: int) -> Requirement:
    r = Reader(data, program.path, program.problems, REQUIREMENT_KEYS, "a requirement", line)
    kind = r.text("kind")
    if kind in KIND_KEYS:
        for key in set(REQUIREMENT_KEYS) - {"kind", "label", *KIND_KEYS[kind]}:
            if key in r.data:
                r.problem(key, f"a '{kind}' requirement does not take '{key}'")
        for key in KIND_KEYS[kind]:
            if key not in r.data:
                r.problem("kind", f"a '{kind}' requirement needs '{key}'")
    return Requirement(kind=kind, label=r.text("label", required=False), course=r.text("course", False),
                       categories=r.texts("categories", False), numerator=r.texts("numerator", False),
                       denominator=r.texts("denominator", False), min=r.number("min", False),
                       accepted=r.integer("accepted", False), source=r.source)


def check_programs(programs: Programs, course_slugs: set[str]) -> list[Problem]:
    """Rules: slug ids, known categories and courses, positive minimums."""
    problems = []
    path = programs.source.path

    def add(source, key, message):
        problems.append(Problem(path, source.at(key), message))

    for key, things, what in (("hour_categories", programs.categories, "hour category"),
                              ("programs", programs.programs, "program")):
        if not things and key in programs.source.keys:  # a missing key is reported when read
            add(programs.source, key, f"define at least one {what}")
    for category in programs.categories:
        if not is_slug(category.id):
            add(category.source, "label", f"hour category id '{category.id}' is not a slug")
    known = {c.id for c in programs.categories}
    for program in programs.programs:
        if not is_slug(program.id):
            add(program.source, "title", f"program id '{program.id}' is not a slug")
        if not program.requirements and "requirements" in program.source.keys:
            add(program.source, "requirements", f"program '{program.id}' needs at least one requirement")
        for req in program.requirements:
            problems.extend(_check_requirement(req, known, course_slugs, path))
    return problems


def _check_requirement(req: Requirement, categories: set[str], courses: set[str], path: str) -> list[Problem]:
    out = []
    if req.kind is not None and req.kind not in REQUIREMENT_KINDS:
        out.append(Problem(path, req.source.at("kind"),
                           f"unknown requirement kind '{req.kind}' (expected one of: {', '.join(REQUIREMENT_KINDS)})"))
    if req.kind == "course" and req.course and req.course not in courses:
        out.append(Problem(path, req.source.at("course"), f"no course named '{req.course}' in this folder"))
    for key in ("categories", "numerator", "denominator"):
        for index, category in enumerate(getattr(req, key)):
            if category not in categories:
                out.append(Problem(path, req.source.at(f"{key}.{index}"),
                                   f"unknown hour category '{category}' in '{key}'"))
        if key in KIND_KEYS.get(req.kind or "", ()) and not getattr(req, key):
            out.append(Problem(path, req.source.at(key), f"'{key}' must list at least one hour category"))
        if len(set(getattr(req, key))) != len(getattr(req, key)):
            out.append(Problem(path, req.source.at(key), f"'{key}' lists a category twice"))
    if req.min is not None and req.min <= 0:
        out.append(Problem(path, req.source.at("min"), "'min' must be more than 0"))
    if req.accepted is not None and req.accepted <= 0:
        out.append(Problem(path, req.source.at("accepted"), "'accepted' must be at least 1"))
    return out
