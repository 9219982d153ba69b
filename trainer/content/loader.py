"""Read courses/ from disk into frozen dataclasses, noting shape problems (types, keys) on the way."""
import re
from pathlib import Path

from trainer.content.model import Choice, Course, Module, Problem, Question, Quiz, Vignette
from trainer.content.yamlsrc import Reader, parse_front_matter, parse_yaml

MODULE_FILE = re.compile(r"^(\d{2})-(.+)\.md$")
COURSE_KEYS = ("title", "summary", "required", "safety_module", "modules", "vignettes")
MODULE_KEYS = ("title", "minutes", "credit_hours", "objectives")
QUIZ_KEYS = ("pass_mark", "max_attempts", "cooldown_minutes", "shuffle", "questions")
QUESTION_KEYS = ("id", "kind", "prompt", "choices", "answer", "explanation")
CHOICE_KEYS = ("id", "text", "correct", "feedback")
VIGNETTE_KEYS = ("title", "family", "presenting_issue", "topics", "age_band", "difficulty",
                 "court_stage", "questions")
DEFAULT_PASS_MARK, DEFAULT_MAX_ATTEMPTS = 0.8, 3


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(str(path), 1, "the file is not UTF-8 text"))
    except OSError as err:
        problems.append(Problem(str(path), 1, f"cannot read the file: {err.strerror}"))
    return None


def _visible_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def load_course(folder: Path, problems: list[Problem]) -> Course | None:
    """Read one course folder: course.yml, modules/, quizzes/ and vignettes/."""
    manifest = folder / "course.yml"
    text = _read_text(manifest, problems) if manifest.is_file() else None
    if text is None:
        if not manifest.is_file():
            problems.append(Problem(str(folder), 1, "a course folder needs a course.yml"))
        return None
    reader = Reader(parse_yaml(text, str(manifest), problems), str(manifest), problems,
                    COURSE_KEYS, "course.yml")
    modules, module_files, stray = _load_modules(folder / "modules", problems)
    quizzes, _, stray_quizzes = _load_all(folder / "quizzes", ".yml", load_quiz, problems)
    vignettes, vignette_files, stray_vignettes = _load_all(folder / "vignettes", ".md", load_vignette, problems)
    known = {"course.yml", "modules", "quizzes", "vignettes"}
    stray_top = [str(p) for p in _visible_files(folder) if p.name not in known]
    return Course(
        slug=folder.name, title=reader.text("title"), summary=reader.text("summary"),
        required=bool(reader.boolean("required", default=False)),
        safety_module=reader.text("safety_module", required=False),
        module_order=reader.texts("modules"), vignette_order=reader.texts("vignettes", required=False),
        modules=tuple(modules), quizzes=tuple(quizzes), vignettes=tuple(vignettes),
        module_files=tuple(module_files), vignette_files=tuple(vignette_files),
        stray_files=tuple(stray + stray_quizzes + stray_vignettes + stray_top), source=reader.source,
    )


def _load_modules(folder: Path, problems: list[Problem]) -> tuple[list[Module], list, list[str]]:
    """Modules read, (slug, path) of every module file (read or not), and files that are not modules."""
    modules, slugs, stray = [], [], []
    for path in _visible_files(folder):
        match = MODULE_FILE.match(path.name)
        if not match or not path.is_file():
            stray.append(str(path))
            continue
        slugs.append((match.group(2), str(path)))
        module = load_module(path, int(match.group(1)), match.group(2), problems)
        if module:
            modules.append(module)
    return modules, slugs, stray


def _load_all(folder: Path, suffix: str, load, problems: list[Problem]) -> tuple[list, list, list[str]]:
    """Items read, (stem, path) of every matching file (read or not), and other files."""
    found, stems, stray = [], [], []
    for path in _visible_files(folder):
        if path.suffix != suffix or not path.is_file():
            stray.append(str(path))
            continue
        stems.append((path.stem, str(path)))
        item = load(path, problems)
        if item:
            found.append(item)
    return found, stems, stray


def load_module(path: Path, number: int, slug: str, problems: list[Problem]) -> Module | None:
    """Read modules/NN-<slug>.md: front matter and Markdown body."""
    text = _read_text(path, problems)
    parsed = parse_front_matter(text, str(path), problems) if text is not None else None
    if parsed is None:
        return None
    reader = Reader(parsed.data, str(path), problems, MODULE_KEYS, "the front matter", line=2)
    return Module(slug=slug, number=number, title=reader.text("title"), minutes=reader.integer("minutes"),
                  credit_hours=reader.number("credit_hours"), objectives=reader.texts("objectives"),
                  body=parsed.body, body_line=parsed.body_line, source=reader.source)


def load_vignette(path: Path, problems: list[Problem]) -> Vignette | None:
    """Read vignettes/<slug>.md: front matter and the case text."""
    text = _read_text(path, problems)
    return parse_vignette(text, str(path), path.stem, problems) if text is not None else None


def parse_vignette(text: str, path: str, slug: str, problems: list[Problem]) -> Vignette | None:
    """Read a vignette file's text (from disk or an upload named `path`) under the given slug."""
    parsed = parse_front_matter(text, path, problems)
    if parsed is None:
        return None
    r = Reader(parsed.data, path, problems, VIGNETTE_KEYS, "the front matter", line=2)
    return Vignette(slug=slug, title=r.text("title"), family=r.text("family"),
                    presenting_issue=r.text("presenting_issue"), topics=r.texts("topics"),
                    age_band=r.text("age_band"), difficulty=r.text("difficulty"),
                    court_stage=r.text("court_stage"), questions=r.texts("questions"),
                    body=parsed.body, body_line=parsed.body_line, source=r.source)


def load_quiz(path: Path, problems: list[Problem]) -> Quiz | None:
    """Read quizzes/<module-slug>.yml."""
    text = _read_text(path, problems)
    if text is None:
        return None
    before = len(problems)
    data = parse_yaml(text, str(path), problems)
    if data is None:
        if len(problems) == before:
            problems.append(Problem(str(path), 1, "the quiz file is empty"))
        return None
    r = Reader(data, str(path), problems, QUIZ_KEYS, "the quiz")
    questions = tuple(_question(item, str(path), problems, r.source.at(f"questions.{i}"))
                      for i, item in enumerate(r.items("questions")))
    return Quiz(module_slug=path.stem, pass_mark=r.number("pass_mark", False, DEFAULT_PASS_MARK),
                max_attempts=r.integer("max_attempts", False, DEFAULT_MAX_ATTEMPTS),
                cooldown_minutes=r.integer("cooldown_minutes", False, 0),
                shuffle=r.boolean("shuffle", default=True), questions=questions, source=r.source)


def _question(data, path: str, problems: list[Problem], line: int) -> Question:
    r = Reader(data, path, problems, QUESTION_KEYS, "a question", line)
    choices = tuple(_choice(item, path, problems, r.source.at(f"choices.{i}"))
                    for i, item in enumerate(r.items("choices", required=False)))
    return Question(id=r.text("id"), kind=r.text("kind"), prompt=r.text("prompt"), choices=choices,
                    answer=r.boolean("answer"), explanation=r.text("explanation"), source=r.source)


def _choice(data, path: str, problems: list[Problem], line: int) -> Choice:
    r = Reader(data, path, problems, CHOICE_KEYS, "a choice", line)
    return Choice(id=r.text("id"), text=r.text("text"), correct=r.boolean("correct", required=True),
                  feedback=r.text("feedback", required=False, default="") or "", source=r.source)
