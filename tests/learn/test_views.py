"""The learning pages over HTTP: catalogue, course, module, quiz, results, progress, grants."""
import re
import threading
from datetime import timedelta

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from tests.conftest import csrf_from, login
from tests.learn.conftest import COURSE, answers_for, module
from trainer.extensions import db
from trainer.learn import services
from trainer.learn.models import ModuleCompletion, QuizAttempt

pytestmark = pytest.mark.usefixtures("synced")
BASE = f"/courses/{COURSE}"
QUIZ = f"{BASE}/safety-first/quiz"


@pytest.fixture
def as_trainee(client, login_as, trainee):
    return login_as(trainee)


def open_attempt_id(response) -> int:
    match = re.search(r'name="attempt" type="hidden" value="(\d+)"', response.text)
    assert match, "no open attempt on the page"
    return int(match.group(1))


def form_data(attempt: QuizAttempt, answers: dict) -> dict:
    return {"attempt": attempt.id, **{f"answer-{q}": ids for q, ids in answers.items()}}


def submit(client, wrong=0, path=QUIZ):
    attempt = db.session.get(QuizAttempt, open_attempt_id(client.get(path)))
    return client.post(path, data=form_data(attempt, answers_for(attempt, wrong))), attempt


def test_catalogue_and_course_show_progress(as_trainee, trainee):
    assert "0 of 8 modules complete" in as_trainee.get("/courses").text
    as_trainee.post(f"{BASE}/what-is-reunification/read")
    submit(as_trainee, path=f"{BASE}/what-is-reunification/quiz")
    catalogue = as_trainee.get("/courses").text
    assert "1 of 8 modules complete" in catalogue and 'value="12"' in catalogue
    course = as_trainee.get(BASE).text
    assert course.count("badge-complete") == 1 and course.count("badge-not-started") == 7
    assert "1 h 30 min · 1.5 didactic hours" in course


def test_module_page_serves_stored_html_with_contents_and_neighbours(as_trainee):
    page = as_trainee.get(f"{BASE}/safety-first").text
    assert '<h2 id="screening-at-intake">Screening at intake</h2>' in page
    assert '<a href="#screening-at-intake">Screening at intake</a>' in page
    assert f'href="{BASE}/what-is-reunification"' in page and f'href="{BASE}/family-systems"' in page
    assert "Mark as read" in page and "Take the quiz" in page
    assert "Screen each parent and the child separately" in page  # objectives


def test_module_page_renders_no_markdown_and_runs_at_most_four_queries(as_trainee, count_queries, monkeypatch):
    def no_rendering(*_args, **_kwargs):
        raise AssertionError("Markdown rendered during a request")
    monkeypatch.setattr("markdown.Markdown.convert", no_rendering)
    with count_queries() as log:
        response = as_trainee.get(f"{BASE}/safety-first")
    assert response.status_code == 200
    assert len(log) <= 4, log.statements  # the user, the module, its neighbours, the trainee's status


# courses: the user, the courses, their modules with the trainee's facts; "/" adds hours, consultations, vignettes
@pytest.mark.parametrize("path,limit", [("/courses", 3), (BASE, 3), ("/", 11)])
def test_catalogue_course_and_dashboard_are_bounded(as_trainee, trainee, count_queries, path, limit):
    for slug in ("what-is-reunification", "safety-first", "family-systems"):
        services.mark_read(trainee, module(slug))
    with count_queries() as log:
        assert as_trainee.get(path).status_code == 200
    assert len(log) <= limit, log.statements


def test_supervisors_read_modules_without_progress(client, login_as, supervisor):
    login_as(supervisor)
    page = client.get(f"{BASE}/safety-first").text
    assert "Screening at intake" in page and "Mark as read" not in page
    assert "Your progress" not in client.get("/courses").text


def test_unknown_and_retired_modules_are_404(as_trainee):
    assert as_trainee.get(f"{BASE}/no-such-module").status_code == 404
    assert as_trainee.get("/courses/no-such-course").status_code == 404
    module("pacing-and-process").retired = True
    db.session.commit()
    assert as_trainee.get(f"{BASE}/pacing-and-process").status_code == 404


def test_quiz_page_never_shows_the_answer_key(as_trainee):
    page = as_trainee.get(QUIZ).text
    attempt = db.session.get(QuizAttempt, open_attempt_id_from(page))
    for question in attempt.quiz_version.questions:
        assert escape(question["prompt"]) in page
        assert escape(question["explanation"]) not in page
        for choice in question["choices"]:
            assert escape(choice["text"]) in page
            if choice["feedback"]:
                assert escape(choice["feedback"]) not in page
    for leak in ("is-correct", "data-correct", '"correct"', "Correct answer", "Why:"):
        assert leak not in page
    inputs = re.findall(r"<input [^>]*>", page)
    assert inputs and all(set(re.findall(r'(\w[\w-]*)=', i)) <= {"type", "name", "value", "id"} for i in inputs)
    first = attempt.quiz_version.questions[0]["id"]
    shown = re.findall(rf'name="answer-{first}" value="([a-z0-9-]+)"', page)
    assert shown == attempt.choice_order[first]


def open_attempt_id_from(html: str) -> int:
    return int(re.search(r'name="attempt" type="hidden" value="(\d+)"', html).group(1))


def test_fail_then_pass_and_see_progress_move(as_trainee, trainee):
    as_trainee.post(f"{BASE}/safety-first/read")
    failed, attempt = submit(as_trainee, wrong=3)
    assert failed.status_code == 302 and f"/quiz/attempts/{attempt.id}" in failed.location
    result = as_trainee.get(failed.location).text
    assert "Not passed" in result and "You can try again from" in result and "Your answer" in result
    assert escape(attempt.quiz_version.questions[0]["explanation"]) in result
    waiting = as_trainee.get(QUIZ).text
    assert "You can try again from" in waiting and 'name="attempt"' not in waiting
    attempt = db.session.get(QuizAttempt, attempt.id)
    attempt.submitted_at -= timedelta(hours=1)  # the 30-minute pause has passed
    db.session.commit()
    passed, second = submit(as_trainee)
    assert second.number == 2
    result = as_trainee.get(passed.location).text
    assert "Passed" in result and "Module complete" in as_trainee.get(f"{BASE}/safety-first").text
    history = as_trainee.get(QUIZ).text
    assert "You passed this quiz" in history and history.count("badge-failed") == 1
    assert "1 of 8 modules complete" in as_trainee.get("/courses").text


def test_unanswered_questions_show_the_form_again_with_choices_kept(as_trainee):
    attempt = db.session.get(QuizAttempt, open_attempt_id(as_trainee.get(QUIZ)))
    answers = answers_for(attempt)
    first, second = list(answers)[:2]
    answers.pop(first)
    response = as_trainee.post(QUIZ, data=form_data(attempt, answers))
    assert response.status_code == 400 and "question 1 has no answer" in response.text
    kept = answers[second][0]
    assert re.search(rf'name="answer-{second}" value="{kept}" id="[^"]+" checked', response.text)
    assert db.session.get(QuizAttempt, attempt.id).submitted_at is None


@pytest.mark.parametrize("forge", ["unknown choice", "unknown question", "other attempt", "no attempt"])
def test_forged_submissions_are_refused_with_a_message(as_trainee, make_user, supervisor, forge):
    attempt = db.session.get(QuizAttempt, open_attempt_id(as_trainee.get(QUIZ)))
    data = form_data(attempt, answers_for(attempt))
    if forge == "unknown choice":
        data[next(k for k in data if k.startswith("answer-"))] = ["zz"]
    elif forge == "unknown question":
        data["answer-made-up"] = ["a"]
    elif forge == "other attempt":
        data["attempt"] = services.open_attempt(make_user("trainee", supervisor=supervisor),
                                                module("safety-first")).id
    else:
        data.pop("attempt")
    response = as_trainee.post(QUIZ, data=data, follow_redirects=True)
    assert "Nothing was recorded" in response.text or "could not be read" in response.text
    assert db.session.scalar(select(func.count(QuizAttempt.id)).where(QuizAttempt.submitted_at.is_not(None))) == 0


def test_resubmitting_a_closed_attempt_is_refused(as_trainee):
    first, attempt = submit(as_trainee, wrong=3)
    again = as_trainee.post(QUIZ, data=form_data(attempt, answers_for(attempt)), follow_redirects=True)
    assert "not open" in again.text
    assert db.session.get(QuizAttempt, attempt.id).passed is False


def test_two_simultaneous_submissions_produce_one_result(make_app, trainee):
    app = make_app()
    services.mark_read(trainee, module("safety-first"))
    attempt = services.open_attempt(trainee, module("safety-first"))
    data = form_data(attempt, answers_for(attempt))
    clients = [app.test_client() for _ in range(2)]
    for c in clients:
        login(c, trainee)
    start, statuses = threading.Barrier(2), []

    def post(c):
        start.wait()
        statuses.append(c.post(QUIZ, data=data).location)
    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.session.expire_all()
    assert sorted(s.endswith(f"/attempts/{attempt.id}") for s in statuses) == [False, True]
    assert db.session.scalar(select(func.count(ModuleCompletion.id))) == 1
    assert db.session.get(QuizAttempt, attempt.id).passed is True


def test_results_are_private_to_the_trainee_their_supervisor_and_admins(client, trainee, make_user, admin,
                                                                      supervisor):
    services.mark_read(trainee, module("safety-first"))
    attempt = services.open_attempt(trainee, module("safety-first"))
    services.submit_attempt(trainee, module("safety-first"), attempt.id, answers_for(attempt))
    path = f"{QUIZ}/attempts/{attempt.id}"
    expectations = [(trainee, 200), (supervisor, 200), (admin, 200), (make_user("supervisor"), 404),
                    (make_user("trainee"), 404)]
    for person, status in expectations:
        login(client, person)
        assert client.get(path).status_code == status, person.email
        client.post("/logout")
    assert client.get(path).status_code == 302


def test_an_open_attempt_has_no_result_page(as_trainee):
    attempt_id = open_attempt_id(as_trainee.get(QUIZ))
    assert as_trainee.get(f"{QUIZ}/attempts/{attempt_id}").status_code == 404


def test_progress_page_is_scoped_to_who_asks(client, trainee, supervisor, admin, make_user):
    other_trainee = make_user("trainee")
    path = f"/courses/progress/{trainee.id}"
    expectations = [(trainee, 200), (supervisor, 200), (admin, 200), (make_user("supervisor"), 404),
                    (other_trainee, 404)]
    for person, status in expectations:
        login(client, person)
        assert client.get(path).status_code == status, person.email
        client.post("/logout")
    login(client, admin)
    assert client.get(f"/courses/progress/{supervisor.id}").status_code == 404  # not a trainee


def test_supervisor_sees_progress_and_grants_an_attempt(client, login_as, trainee, supervisor):
    start = services.utcnow() - timedelta(days=2)
    for n in range(3):
        attempt = services.open_attempt(trainee, module("safety-first"), now=start + timedelta(hours=n))
        services.submit_attempt(trainee, module("safety-first"), attempt.id, answers_for(attempt, 3),
                                now=start + timedelta(hours=n, minutes=5))
    login_as(supervisor)
    assert f"/courses/progress/{trainee.id}" in client.get("/").text
    page = client.get(f"/courses/progress/{trainee.id}").text
    assert "No attempts left" in page and "Grant one more attempt" in page and page.count("badge-failed") == 3
    granted = client.post(f"/courses/progress/{trainee.id}/{COURSE}/safety-first/grant", follow_redirects=True)
    assert "may take the quiz" in granted.text and "1 of 4 used" not in granted.text
    assert "3 of 4 used" in granted.text
    assert services.open_attempt(trainee, module("safety-first")).number == 4


@pytest.mark.parametrize("role,status", [("anonymous", 302), ("trainee", 403), ("other", 404)])
def test_others_cannot_grant(client, trainee, make_user, role, status):
    if role != "anonymous":
        login(client, trainee if role == "trainee" else make_user("supervisor"))
    response = client.post(f"/courses/progress/{trainee.id}/{COURSE}/safety-first/grant")
    assert response.status_code == status


@pytest.mark.parametrize("role,status", [("anonymous", 302), ("supervisor", 403), ("admin", 403)])
def test_only_trainees_mark_as_read(client, people_by_role, role, status):
    if role != "anonymous":
        login(client, people_by_role[role])
    assert client.post(f"{BASE}/safety-first/read").status_code == status


@pytest.fixture
def people_by_role(admin, supervisor, trainee):
    return {"admin": admin, "supervisor": supervisor, "trainee": trainee}


def test_admin_person_page_links_to_progress(client, login_as, admin, trainee):
    login_as(admin)
    assert f"/courses/progress/{trainee.id}" in client.get(f"/admin/users/{trainee.id}").text


def test_trainee_dashboard_has_a_learning_panel(as_trainee):
    page = as_trainee.get("/").text
    assert "Learning" in page and f'href="{BASE}/what-is-reunification"' in page
    assert "to unlock vignettes and consultations" in page


@pytest.mark.parametrize("role", ["trainee", "supervisor", "admin"])
def test_courses_is_in_everyones_navigation(client, people_by_role, role):
    login(client, people_by_role[role])
    assert '<a href="/courses"' in client.get("/").text


def test_forms_work_with_csrf_on_and_say_so_when_the_token_is_missing(make_app, trainee):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    login(client, trainee, csrf_token=csrf_from(client.get("/login").text))
    expired = client.post(f"{BASE}/safety-first/read")
    assert expired.status_code == 400 and "This form has expired" in expired.text
    page = client.get(f"{BASE}/safety-first").text
    assert "Marked as read" in client.post(f"{BASE}/safety-first/read", data={"csrf_token": csrf_from(page)},
                                           follow_redirects=True).text
    quiz = client.get(QUIZ).text
    attempt = db.session.get(QuizAttempt, open_attempt_id_from(quiz))
    data = {**form_data(attempt, answers_for(attempt)), "csrf_token": csrf_from(quiz)}
    assert "Passed: 8 of 8 right" in client.post(QUIZ, data=data, follow_redirects=True).text


@pytest.mark.parametrize("wrong,limit", [(3, 11), (0, 13)])  # a pass also credits the module, audited
def test_quiz_submission_runs_a_bounded_number_of_statements(as_trainee, count_queries, wrong, limit):
    attempt = db.session.get(QuizAttempt, open_attempt_id(as_trainee.get(QUIZ)))
    with count_queries() as log:
        response = as_trainee.post(QUIZ, data=form_data(attempt, answers_for(attempt, wrong)))
    assert response.status_code == 302
    assert len(log) <= limit, log.statements
