"""The course content as frozen dataclasses, each value traceable to its file and line.

A field is None when the file's value was missing or malformed; the loader has
already reported a Problem for it, and nothing is synced while problems remain.
"""
from dataclasses import dataclass, field
from typing import Mapping

KINDS = ("single", "multiple", "true_false")
AGE_BANDS = ("under-6", "6-12", "13-17")
DIFFICULTIES = ("introductory", "intermediate", "advanced")
COURT_STAGES = ("none", "pre-filing", "active-litigation", "court-ordered", "post-judgment")
REQUIREMENT_KINDS = ("course", "hours", "ratio", "vignettes")


@dataclass(frozen=True)
class Problem:
    """Something wrong in a content file, at a line (1-based)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Source:
    """Where a thing was read: its file, its first line, and the line of each key.

    Keys are YAML keys; list items are `key.N` (0-based), so `modules.2` is the
    line of the third listed module.
    """

    path: str
    line: int
    keys: Mapping[str, int] = field(default_factory=dict, compare=False, hash=False)

    def at(self, key: str) -> int:
        """The line of a key (or list item), else the thing's first line."""
        return self.keys.get(key, self.line)


@dataclass(frozen=True)
class Choice:
    """One choice of a question; `correct` is part of the answer key."""

    id: str | None
    text: str | None
    correct: bool | None
    feedback: str
    source: Source


@dataclass(frozen=True)
class Question:
    """A quiz question: single, multiple or true/false (which uses `answer`)."""

    id: str | None
    kind: str | None
    prompt: str | None
    choices: tuple[Choice, ...]
    answer: bool | None
    explanation: str | None
    source: Source

    @property
    def options(self) -> tuple[Choice, ...]:
        """The choices a trainee picks from; true/false questions get True and False."""
        if self.kind != "true_false":
            return self.choices
        return (Choice("true", "True", self.answer is True, "", self.source),
                Choice("false", "False", self.answer is False, "", self.source))


@dataclass(frozen=True)
class Quiz:
    """The quiz of one module."""

    module_slug: str
    pass_mark: float | None
    max_attempts: int | None
    cooldown_minutes: int | None
    shuffle: bool | None
    questions: tuple[Question, ...]
    source: Source


@dataclass(frozen=True)
class Module:
    """One reading: front matter plus its Markdown body."""

    slug: str
    number: int
    title: str | None
    minutes: int | None
    credit_hours: float | None
    objectives: tuple[str, ...]
    body: str
    body_line: int
    source: Source


@dataclass(frozen=True)
class Vignette:
    """A case vignette with discussion questions."""

    slug: str
    title: str | None
    family: str | None
    presenting_issue: str | None
    topics: tuple[str, ...]
    age_band: str | None
    difficulty: str | None
    court_stage: str | None
    questions: tuple[str, ...]
    body: str
    body_line: int
    source: Source


@dataclass(frozen=True)
class Course:
    """A course: its manifest, and the modules, quizzes and vignettes found beside it."""

    slug: str
    title: str | None
    summary: str | None
    required: bool
    safety_module: str | None
    module_order: tuple[str, ...]
    vignette_order: tuple[str, ...]
    modules: tuple[Module, ...]
    quizzes: tuple[Quiz, ...]
    vignettes: tuple[Vignette, ...]
    module_files: tuple[tuple[str, str], ...]  # (slug, path) of every modules/NN-<slug>.md, readable or not
    vignette_files: tuple[tuple[str, str], ...]  # (slug, path) of every vignettes/<slug>.md, readable or not
    stray_files: tuple[str, ...]
    source: Source

    def ordered_modules(self) -> tuple[Module, ...]:
        """Modules in the manifest's reading order (unlisted ones left out)."""
        by_slug = {m.slug: m for m in self.modules}
        return tuple(by_slug[s] for s in self.module_order if s in by_slug)

    def ordered_vignettes(self) -> tuple[Vignette, ...]:
        """Vignettes in the manifest's library order (unlisted ones left out)."""
        by_slug = {v.slug: v for v in self.vignettes}
        return tuple(by_slug[s] for s in self.vignette_order if s in by_slug)

    def quiz_for(self, module_slug: str) -> Quiz | None:
        """The module's quiz, if it has one."""
        return next((q for q in self.quizzes if q.module_slug == module_slug), None)


@dataclass(frozen=True)
class HourCategory:
    """A kind of hours trainees log (or that are credited automatically)."""

    id: str
    label: str | None
    direct: bool
    automatic: bool
    source: Source


@dataclass(frozen=True)
class Requirement:
    """One requirement of a program; which fields apply depends on `kind`."""

    kind: str | None
    label: str | None
    course: str | None
    categories: tuple[str, ...]
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    min: float | None
    accepted: int | None
    source: Source

    @property
    def minimum(self) -> float | int | None:
        """The threshold: accepted responses for vignettes, `min` for hours and ratios."""
        return self.accepted if self.kind == "vignettes" else self.min

    @property
    def heading(self) -> str:
        """The label, or one made from the requirement itself."""
        if self.label:
            return self.label
        if self.kind == "course":
            return f"Course {self.course} completed"
        if self.kind == "hours":
            return f"Hours in {', '.join(self.categories)}"
        if self.kind == "ratio":
            return f"Ratio of {', '.join(self.numerator)} to {', '.join(self.denominator)}"
        return "Accepted vignette responses"


@dataclass(frozen=True)
class Program:
    """A certification program and what it requires."""

    id: str
    title: str | None
    requirements: tuple[Requirement, ...]
    source: Source


@dataclass(frozen=True)
class Programs:
    """Everything in programs.yml."""

    categories: tuple[HourCategory, ...]
    programs: tuple[Program, ...]
    source: Source

    def category(self, category_id: str) -> HourCategory | None:
        """The hour category with this id."""
        return next((c for c in self.categories if c.id == category_id), None)

    def program(self, program_id: str) -> Program | None:
        """The program with this id."""
        return next((p for p in self.programs if p.id == program_id), None)


@dataclass(frozen=True)
class Library:
    """All the content under one courses/ folder."""

    root: str
    courses: tuple[Course, ...]
    programs: Programs | None
