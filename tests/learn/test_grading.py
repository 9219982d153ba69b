"""Quiz grading and choice order, table-driven (pure functions, no app)."""
import pytest

from trainer.learn.grading import AnswerError, check_answers, choice_order, grade, needed_to_pass, unanswered


def choice(cid, correct=False):
    return {"id": cid, "text": cid.upper(), "correct": correct, "feedback": ""}


QUESTIONS = [
    {"id": "one", "kind": "single", "prompt": "?", "explanation": "!",
     "choices": [choice("a"), choice("b", True), choice("c"), choice("d")]},
    {"id": "many", "kind": "multiple", "prompt": "?", "explanation": "!",
     "choices": [choice("a", True), choice("b"), choice("c", True)]},
    {"id": "yes-no", "kind": "true_false", "prompt": "?", "explanation": "!",
     "choices": [choice("true"), choice("false", True)]},
    {"id": "four", "kind": "single", "prompt": "?", "explanation": "!", "choices": [choice("x", True), choice("y")]},
    {"id": "five", "kind": "single", "prompt": "?", "explanation": "!", "choices": [choice("x", True), choice("y")]},
]
ALL_RIGHT = {"one": ["b"], "many": ["a", "c"], "yes-no": ["false"], "four": ["x"], "five": ["x"]}


@pytest.mark.parametrize("changes,score,passed", [
    ({}, 5, True),
    ({"one": ["a"]}, 4, True),  # 4 of 5 = 80 %: exactly the pass mark
    ({"one": ["a"], "four": ["y"]}, 3, False),
    ({"many": ["a"]}, 4, True),  # a multiple question needs all its correct choices…
    ({"many": ["a", "b", "c"]}, 4, True),  # …and only those
    ({"many": ["a"], "yes-no": ["true"]}, 3, False),
    ({"one": [], "many": [], "yes-no": [], "four": [], "five": []}, 0, False),
])
def test_grade(changes, score, passed):
    result = grade(QUESTIONS, {**ALL_RIGHT, **changes}, pass_mark=0.8)
    assert (result.score, result.total, result.passed) == (score, 5, passed)
    assert [r.right for r in result.results].count(True) == score


@pytest.mark.parametrize("total,pass_mark,needed", [(5, 0.8, 4), (8, 0.8, 7), (10, 0.8, 8), (3, 1.0, 3),
                                                    (3, 0.5, 2), (7, 0.7, 5), (1, 0.01, 1)])
def test_needed_to_pass_rounds_up(total, pass_mark, needed):
    assert needed_to_pass(total, pass_mark) == needed


def test_result_lists_chosen_and_correct_ids_per_question():
    result = grade(QUESTIONS, {**ALL_RIGHT, "many": ["c", "b"]}, 0.8)
    many = result.results[1]
    assert (many.question_id, many.chosen, many.correct, many.right) == ("many", ("b", "c"), ("a", "c"), False)
    assert result.percent == 80


@pytest.mark.parametrize("answers,message", [
    ({"ghost": ["a"]}, "questions that are not in this attempt"),
    ({"one": ["z"]}, "choices that are not part of"),
    ({"one": ["true"]}, "choices that are not part of"),  # a choice id of another question
    ({"one": ["a", "b"]}, "several choices for a question that takes one"),
    ({"yes-no": ["true", "false"]}, "several choices"),
])
def test_forged_answers_are_refused(answers, message):
    with pytest.raises(AnswerError, match=message):
        check_answers(QUESTIONS, answers)


def test_check_answers_normalises_duplicates_and_order():
    assert check_answers(QUESTIONS, {"many": ["c", "a", "c"]}) == {"many": ("a", "c")}


def test_unanswered_lists_question_numbers():
    assert unanswered(QUESTIONS, {"one": ["b"], "many": [], "four": ["x"]}) == [2, 3, 5]


def test_choice_order_is_a_fixed_shuffle_per_seed():
    first, again = choice_order(QUESTIONS, 7, True), choice_order(QUESTIONS, 7, True)
    assert first == again
    assert sorted(first["one"]) == ["a", "b", "c", "d"]
    assert first["yes-no"] == ["true", "false"]  # true/false keeps its order
    orders = {tuple(choice_order(QUESTIONS, seed, True)["one"]) for seed in range(40)}
    assert len(orders) > 5


def test_choice_order_without_shuffle_keeps_the_file_order():
    assert choice_order(QUESTIONS, 7, False)["one"] == ["a", "b", "c", "d"]
