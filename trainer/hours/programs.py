"""Read courses/programs.yml into frozen dataclasses: hour categories and programs (pure)."""
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from numbers import Real

import yaml

SLUG = re.compile(r"^[a-z][a-z0-9-]*$")
CATEGORY_KEYS = {"label", "direct", "automatic"}
PROGRAM_KEYS = {"title", "requirements"}
REQUIREMENT_KEYS = {
    "course": {"course"},
    "hours": {"categories", "min"},
    "ratio": {"numerator", "denominator", "min"},
    "vignettes": {"accepted"},
}


class ProgramsError(ValueError):
    """programs.yml is missing or malformed; the message names the file and the place."""


@dataclass(frozen=True)
class HourCategory:
    """A kind of work trainees log; `automatic` ones are credited, never logged."""

    id: str
    label: str
    direct: bool = False
    automatic: bool = False


@dataclass(frozen=True)
class Requirement:
    """One condition of a program; `minimum` is hours, a ratio or a count by kind."""

    kind: str
    label: str
    course: str | None = None
    categories: tuple[str, ...] = ()
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()
    minimum: float = 0


@dataclass(frozen=True)
class Program:
    """A certification program and its requirements, in file order."""

    id: str
    title: str
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class Catalog:
    """Everything programs.yml defines."""

    categories: tuple[HourCategory, ...]
    programs: tuple[Program, ...]

    def category(self, category_id: str) -> HourCategory | None:
        """The category with this id, or None."""
        return next((c for c in self.categories if c.id == category_id), None)

    def program(self, program_id: str) -> Program | None:
        """The program with this id, or None."""
        return next((p for p in self.programs if p.id == program_id), None)

    @property
    def loggable(self) -> tuple[HourCategory, ...]:
        """Categories a trainee may log by hand."""
        return tuple(c for c in self.categories if not c.automatic)


def read_programs(path) -> Catalog:
    """Load and check the file, cached until it changes on disk."""
    try:
        stat = os.stat(path)
    except OSError as exc:
        raise ProgramsError(f"{path}: cannot read the file ({exc.strerror})") from exc
    return _read(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _read(path: str, _mtime_ns: int, _size: int) -> Catalog:
    with open(path, encoding="utf-8") as handle:
        try:
            data = yaml.safe_load(handle)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{path}:{mark.line + 1}" if mark else path
            raise ProgramsError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from exc
    return parse_programs(data, path)


def parse_programs(data, source: str = "programs.yml") -> Catalog:
    """Check already-parsed YAML and build the catalog; errors name `source: place`."""
    top = _mapping(data, source, "the file", {"hour_categories", "programs"})
    categories = tuple(_category(cid, spec, source) for cid, spec in
                       _mapping(top.get("hour_categories"), source, "hour_categories").items())
    if not categories:
        raise ProgramsError(f"{source}: hour_categories: define at least one category")
    known = {c.id for c in categories}
    programs = tuple(_program(pid, spec, known, source) for pid, spec in
                     _mapping(top.get("programs"), source, "programs").items())
    if not programs:
        raise ProgramsError(f"{source}: programs: define at least one program")
    return Catalog(categories=categories, programs=programs)


def _mapping(value, source: str, where: str, allowed: set | None = None) -> dict:
    if not isinstance(value, dict):
        raise ProgramsError(f"{source}: {where}: expected a mapping of keys to values")
    unknown = set(value) - allowed if allowed is not None else set()
    if unknown:
        raise ProgramsError(f"{source}: {where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                            f"allowed: {', '.join(sorted(allowed))}")
    return value


def _slug(value, source: str, where: str) -> str:
    if not isinstance(value, str) or not SLUG.match(value):
        raise ProgramsError(f"{source}: {where}: {value!r} is not a slug (a-z, 0-9 and hyphens)")
    return value


def _text(spec: dict, key: str, source: str, where: str, default: str | None = None) -> str:
    value = spec.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise ProgramsError(f"{source}: {where}.{key}: give a non-empty text")
    return value.strip()


def _category(cid, spec, source: str) -> HourCategory:
    where = f"hour_categories.{cid}"
    _slug(cid, source, "hour_categories")
    spec = _mapping(spec, source, where, CATEGORY_KEYS)
    flags = {key: spec.get(key, False) for key in ("direct", "automatic")}
    for key, value in flags.items():
        if not isinstance(value, bool):
            raise ProgramsError(f"{source}: {where}.{key}: use true or false")
    return HourCategory(id=cid, label=_text(spec, "label", source, where), **flags)


def _program(pid, spec, known: set, source: str) -> Program:
    where = f"programs.{pid}"
    _slug(pid, source, "programs")
    spec = _mapping(spec, source, where, PROGRAM_KEYS)
    items = spec.get("requirements")
    if not isinstance(items, list) or not items:
        raise ProgramsError(f"{source}: {where}.requirements: give a list of at least one requirement")
    requirements = tuple(_requirement(item, known, source, f"{where}.requirements[{i}]")
                         for i, item in enumerate(items))
    return Program(id=pid, title=_text(spec, "title", source, where), requirements=requirements)


def _requirement(item, known: set, source: str, where: str) -> Requirement:
    kind = item.get("kind") if isinstance(item, dict) else None
    if not isinstance(kind, str) or kind not in REQUIREMENT_KEYS:
        raise ProgramsError(f"{source}: {where}.kind: use one of {', '.join(REQUIREMENT_KEYS)}")
    spec = _mapping(item, source, where, {"kind", "label"} | REQUIREMENT_KEYS[kind])
    missing = REQUIREMENT_KEYS[kind] - set(spec)
    if missing:
        raise ProgramsError(f"{source}: {where}: this {kind} requirement needs {', '.join(sorted(missing))}")
    fields = {"course": _slug(spec.get("course"), source, f"{where}.course")} if kind == "course" else {}
    for key in ("categories", "numerator", "denominator"):
        if key in spec:
            fields[key] = _categories(spec[key], known, source, f"{where}.{key}")
    if kind == "vignettes":
        fields["minimum"] = _positive(spec["accepted"], source, f"{where}.accepted", whole=True)
    elif kind in ("hours", "ratio"):
        fields["minimum"] = _positive(spec["min"], source, f"{where}.min")
    label = _text(spec, "label", source, where, default=_default_label(kind, fields))
    return Requirement(kind=kind, label=label, **fields)


def _categories(value, known: set, source: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ProgramsError(f"{source}: {where}: give a list of at least one hour category")
    unknown = [str(v) for v in value if not isinstance(v, str) or v not in known]
    if unknown:
        raise ProgramsError(f"{source}: {where}: unknown hour category {', '.join(unknown)}")
    if len(set(value)) != len(value):
        raise ProgramsError(f"{source}: {where}: a category is listed twice")
    return tuple(value)


def _positive(value, source: str, where: str, whole: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or value <= 0 or (whole and value != int(value)):
        kind = "a whole number" if whole else "a number"
        raise ProgramsError(f"{source}: {where}: give {kind} greater than 0")
    return int(value) if whole else value


def _default_label(kind: str, fields: dict) -> str:
    if kind == "course":
        return f"Course {fields['course']} completed"
    if kind == "hours":
        return f"Hours in {', '.join(fields['categories'])}"
    if kind == "ratio":
        return f"Ratio of {', '.join(fields['numerator'])} to {', '.join(fields['denominator'])}"
    return "Accepted vignette responses"
