"""Quiz grading and choice order: pure functions over a quiz version's stored questions.

A question is a dict {"id", "kind", "prompt", "explanation", "choices": [{"id", "text",
"correct", "feedback"}]} as stored in QuizVersion.questions; answers map a question
id to the chosen choice ids.
"""
import math
import random
from dataclasses import dataclass
from typing import Mapping, Sequence


class AnswerError(Exception):
    """A submission that no honest quiz form produces (unknown question or choice ids)."""


@dataclass(frozen=True)
class QuestionResult:
    """How one question was answered."""

    question_id: str
    chosen: tuple[str, ...]
    correct: tuple[str, ...]
    right: bool


@dataclass(frozen=True)
class Grade:
    """The outcome of an attempt."""

    score: int
    total: int
    needed: int
    passed: bool
    results: tuple[QuestionResult, ...]

    @property
    def percent(self) -> int:
        """The score as a whole percentage."""
        return round(100 * self.score / self.total) if self.total else 0


def needed_to_pass(total: int, pass_mark: float) -> int:
    """How many questions must be right: the pass mark's share, rounded up."""
    return math.ceil(pass_mark * total - 1e-9)


def choice_order(questions: Sequence[Mapping], seed: int, shuffle: bool) -> dict[str, list[str]]:
    """The order each question's choices are shown in, fixed by seed (true/false stays True, False)."""
    rng = random.Random(seed)
    order = {}
    for question in questions:
        ids = [c["id"] for c in question["choices"]]
        if shuffle and question["kind"] != "true_false":
            rng.shuffle(ids)
        order[question["id"]] = ids
    return order


def check_answers(questions: Sequence[Mapping], answers: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    """The answers as sorted tuples; AnswerError when they name anything this quiz does not have."""
    by_id = {q["id"]: q for q in questions}
    if set(answers) - set(by_id):
        raise AnswerError("The submission answers questions that are not in this attempt's quiz.")
    checked = {}
    for question_id, chosen in answers.items():
        question = by_id[question_id]
        chosen = tuple(sorted(set(chosen)))
        if set(chosen) - {c["id"] for c in question["choices"]}:
            raise AnswerError("The submission names choices that are not part of this attempt's questions.")
        if question["kind"] != "multiple" and len(chosen) > 1:
            raise AnswerError("The submission picks several choices for a question that takes one.")
        checked[question_id] = chosen
    return checked


def unanswered(questions: Sequence[Mapping], answers: Mapping[str, Sequence[str]]) -> list[int]:
    """Numbers (1-based) of the questions without an answer."""
    return [n for n, q in enumerate(questions, 1) if not answers.get(q["id"])]


def grade(questions: Sequence[Mapping], answers: Mapping[str, Sequence[str]], pass_mark: float) -> Grade:
    """Score checked answers: a question is right when exactly its correct choices were chosen."""
    results = []
    for question in questions:
        correct = tuple(sorted(c["id"] for c in question["choices"] if c["correct"]))
        chosen = tuple(sorted(answers.get(question["id"], ())))
        results.append(QuestionResult(question["id"], chosen, correct, chosen == correct))
    score = sum(r.right for r in results)
    needed = needed_to_pass(len(results), pass_mark)
    return Grade(score=score, total=len(results), needed=needed, passed=score >= needed, results=tuple(results))
