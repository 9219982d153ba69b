"""A vignette as a Markdown file with front matter (the courses/ format): build one, read one.

Pure: the reading goes through trainer.content's own loader and checks, so an
uploaded file, a form and an export all follow the rules `courses check` applies.
"""
from dataclasses import dataclass

import yaml

from trainer.content.loader import parse_vignette
from trainer.content.model import Problem
from trainer.content.validate import check_vignette


@dataclass(frozen=True)
class VignetteText:
    """The parts of a vignette an author writes: front matter values and the Markdown case text."""

    title: str
    family: str
    presenting_issue: str
    topics: tuple[str, ...]
    age_band: str
    difficulty: str
    court_stage: str
    questions: tuple[str, ...]
    body: str

    def texts(self) -> list[tuple[str, str]]:
        """The free-text fields by name, in the order a reader meets them (what de-identification scans)."""
        return ([("title", self.title), ("family", self.family), ("presenting_issue", self.presenting_issue)]
                + [(f"questions.{i}", q) for i, q in enumerate(self.questions)] + [("body", self.body)])

    def with_texts(self, texts: dict[str, str]) -> "VignetteText":
        """A copy with the free-text fields replaced (after redaction)."""
        questions = tuple(texts.get(f"questions.{i}", q) for i, q in enumerate(self.questions))
        return VignetteText(texts.get("title", self.title), texts.get("family", self.family),
                            texts.get("presenting_issue", self.presenting_issue), self.topics, self.age_band,
                            self.difficulty, self.court_stage, questions, texts.get("body", self.body))


def to_markdown(v: VignetteText) -> str:
    """The vignette as a courses/<course>/vignettes/<slug>.md file."""
    front = {"title": v.title, "family": v.family, "presenting_issue": v.presenting_issue,
             "topics": list(v.topics), "age_band": v.age_band, "difficulty": v.difficulty,
             "court_stage": v.court_stage, "questions": list(v.questions)}
    header = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)
    return f"---\n{header}---\n\n{v.body.strip()}\n"


def parse(text: str, name: str, slug: str) -> tuple[VignetteText | None, list[Problem]]:
    """Read and check a vignette file's text; the vignette, or None and every problem found."""
    problems: list[Problem] = []
    found = parse_vignette(text.replace("\r\n", "\n"), name, slug, problems)
    if found is not None:
        problems += check_vignette(found)
    if found is None or problems:
        return None, sorted(set(problems), key=lambda p: (p.line, p.message))
    return VignetteText(found.title, found.family, found.presenting_issue, found.topics, found.age_band,
                        found.difficulty, found.court_stage, found.questions, found.body.strip()), []
