"""Course content as files: read and check courses/ into frozen dataclasses (no Flask, no database).

    check(root) -> list[Problem]        every problem, sorted by file and line
    load_library(root) -> Library       or ContentError listing the problems
    load_programs(path) -> Programs     or ContentError; programs.yml on its own
"""
from pathlib import Path

from trainer.content.loader import load_course
from trainer.content.model import Library, Problem, Programs
from trainer.content.programs import check_programs, read_programs
from trainer.content.validate import validate

PROGRAMS_FILE = "programs.yml"
IGNORED_AT_ROOT = {"README.md", PROGRAMS_FILE}


class ContentError(Exception):
    """The content has problems; nothing may be loaded from it."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the course content")
        self.problems = problems


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.message))


def read_library(root: Path) -> tuple[Library, list[Problem]]:
    """Read everything under root, returning what was read and every problem found."""
    root = Path(root)
    problems: list[Problem] = []
    if not root.is_dir():
        return Library(str(root), (), None), [Problem(str(root), 1, "no such folder")]
    courses = []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith(".") or entry.name in IGNORED_AT_ROOT:
            continue
        if not entry.is_dir():
            problems.append(Problem(str(entry), 1, "only course folders, README.md and programs.yml belong here"))
        elif course := load_course(entry, problems):
            courses.append(course)
    programs_path = root / PROGRAMS_FILE
    programs = read_programs(programs_path, problems) if programs_path.is_file() else None
    if programs is None and not programs_path.is_file():
        problems.append(Problem(str(programs_path), 1, "programs.yml is missing"))
    library = Library(str(root), tuple(courses), programs)
    return library, _sorted(problems + validate(library))


def check(root: Path) -> list[Problem]:
    """Every problem in the content under root (empty when it is valid)."""
    return read_library(root)[1]


def load_library(root: Path) -> Library:
    """The valid content under root; ContentError when there is any problem."""
    library, problems = read_library(root)
    if problems:
        raise ContentError(problems)
    return library


def load_programs(path: Path) -> Programs:
    """The hour categories and programs in programs.yml; course references are checked
    against the course folders beside it. ContentError when there is any problem."""
    path = Path(path)
    problems: list[Problem] = []
    programs = read_programs(path, problems)
    if programs is not None:
        courses = {d.name for d in path.parent.iterdir() if (d / "course.yml").is_file()}
        problems += check_programs(programs, courses)
    if problems or programs is None:
        raise ContentError(_sorted(problems))
    return programs


__all__ = ["ContentError", "Library", "Problem", "Programs", "check", "load_library", "load_programs",
           "read_library"]
