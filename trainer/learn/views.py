"""Course pages: catalogue, course, module, quiz and results, and a trainee's progress."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from trainer.auth.models import Role
from trainer.learn import pages, services
from trainer.learn.forms import GrantForm, QuizForm, ReadForm
from trainer.security import roles_required

bp = Blueprint("learn", __name__, url_prefix="/courses")


@bp.before_request
@roles_required(Role.TRAINEE, Role.SUPERVISOR, Role.ADMIN)
def signed_in_only():
    """Every page here is for signed-in people."""


def _module_or_404(course: str, module: str):
    return pages.find_module(course, module) or abort(404)


@bp.get("")
def catalogue():
    """Every course, with the trainee's progress."""
    return render_template("learn/catalogue.html", courses=pages.course_progress(current_user))


@bp.get("/<course>")
def course(course: str):
    """A course's modules with status, time and credit."""
    found = pages.course_progress(current_user, course) or abort(404)
    return render_template("learn/course.html", progress=found[0])


@bp.get("/<course>/<module>")
def module(course: str, module: str):
    """A module from its stored HTML, with contents, previous/next and mark as read."""
    page = pages.module_page(current_user, course, module) or abort(404)
    return render_template("learn/module.html", page=page, form=ReadForm())


@bp.post("/<course>/<module>/read")
@roles_required(Role.TRAINEE)
def mark_read(course: str, module: str):
    """Mark a module as read; completes it when its quiz is passed."""
    course_row, module_row, version = _module_or_404(course, module)
    if ReadForm().validate_on_submit():
        if services.mark_read(current_user, module_row):
            flash(f"Module complete: {version.credit_minutes / 60:g} didactic hours credited.", "success")
        else:
            flash("Marked as read." + (" Next: pass the quiz." if module_row.quiz_version else ""), "success")
    return redirect(url_for("learn.module", course=course, module=module))


def _render_quiz(found, form, error=None, chosen=None, status=200):
    course_row, module_row, version = found
    state = services.quiz_state(current_user, module_row) or abort(404)
    attempt, notice = state.open_attempt, None
    if attempt is None:
        try:
            attempt = services.open_attempt(current_user, module_row)
            state = services.quiz_state(current_user, module_row)
        except services.LearningError as err:
            notice = str(err)
    if attempt is not None:
        form.attempt.data = attempt.id
    return render_template("learn/quiz.html", course=course_row, module=module_row, version=version,
                           state=state, attempt=attempt, notice=notice, form=form, error=error,
                           chosen=chosen or {},
                           questions=pages.attempt_questions(attempt) if attempt else []), status


@bp.route("/<course>/<module>/quiz", methods=["GET", "POST"])
@roles_required(Role.TRAINEE)
def quiz(course: str, module: str):
    """Take the module's quiz: one open attempt at a time, results after submitting."""
    found = _module_or_404(course, module)
    form = QuizForm()
    if request.method == "GET":
        return _render_quiz(found, form)
    if not form.validate_on_submit():
        flash("That submission could not be read; nothing was recorded. Answer the quiz below.", "error")
        return redirect(url_for("learn.quiz", course=course, module=module))
    answers = form.answers(request.form)
    try:
        attempt = services.submit_attempt(current_user, found[1], form.attempt.data, answers)
    except services.UnansweredError as err:
        return _render_quiz(found, form, error=str(err), chosen=answers, status=400)
    except services.LearningError as err:
        flash(str(err), "error")
        return redirect(url_for("learn.quiz", course=course, module=module))
    flash(f"{'Passed' if attempt.passed else 'Not passed'}: {attempt.score} of {attempt.total} right.",
          "success" if attempt.passed else "warning")
    return redirect(url_for("learn.result", course=course, module=module, attempt_id=attempt.id))


@bp.get("/<course>/<module>/quiz/attempts/<int:attempt_id>")
def result(course: str, module: str, attempt_id: int):
    """A submitted attempt: score, pass or fail, each answer against the key, with explanations."""
    course_row, module_row, version = _module_or_404(course, module)
    attempt = pages.get_attempt(attempt_id, module_row, current_user) or abort(404)
    own = attempt.user_id == current_user.id
    return render_template("learn/result.html", course=course_row, module=module_row, version=version,
                           attempt=attempt, review=pages.attempt_review(attempt), own=own,
                           state=services.quiz_state(current_user, module_row) if own else None)


@bp.get("/progress/<int:user_id>")
def progress(user_id: int):
    """A trainee's courses, modules and quiz attempts, for them, their supervisor and admins."""
    trainee = pages.get_trainee(user_id, current_user) or abort(404)
    courses = pages.course_progress(trainee)
    titles = {m.id: m.title for c in courses for m in c.modules}
    return render_template("learn/progress.html", trainee=trainee, courses=courses, titles=titles,
                           history=pages.attempt_history(trainee), grant_form=GrantForm())


@bp.post("/progress/<int:user_id>/<course>/<module>/grant")
@roles_required(Role.SUPERVISOR, Role.ADMIN)
def grant(user_id: int, course: str, module: str):
    """Give a trainee who used every attempt one more."""
    trainee = pages.get_trainee(user_id, current_user) or abort(404)
    _, module_row, version = _module_or_404(course, module)
    if GrantForm().validate_on_submit():
        try:
            services.grant_attempt(current_user, trainee, module_row)
        except services.LearningError as err:
            flash(str(err), "error")
        else:
            flash(f"{trainee.name} may take the quiz for “{version.title}” once more.", "success")
    return redirect(url_for("learn.progress", user_id=trainee.id))
