"""Error pages: a plain explanation, never internals."""
import logging

from flask import Flask, g, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import SecurityError

from trainer.extensions import db, login_manager

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Something in that request was not right", "Go back, check the form and try again."),
    403: ("You do not have access to this page", "If you think you should, ask your clinic admin."),
    404: ("Page not found", "The page may have moved, or the address may be mistyped."),
    405: ("That action is not available here", "Go back and use the page's own buttons."),
    410: ("This link has expired", "Ask for a new one."),
    413: ("That upload is too large", "Files may be at most 20 MB each."),
    429: ("Too many attempts", "Wait a few minutes, then try again."),
    500: ("Something went wrong on our side", "The error was logged. Try again in a moment."),
    503: ("This is unavailable for a moment", "Try again in a moment."),
}


def render_error(code: int, title: str | None = None, detail: str | None = None):
    """The error page for an HTTP status."""
    default_title, default_detail = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title or default_title,
                           detail=detail or default_detail), code


def register(app: Flask) -> None:
    """Attach handlers for the statuses the site returns."""
    for code in MESSAGES:
        if code != 500:
            app.register_error_handler(code, lambda err, code=code: render_error(code))

    @app.errorhandler(SecurityError)
    def untrusted_host(_err):
        # No page template: building its links would trip over the same bad Host header.
        return "Bad request: this host name is not served here.", 400, {"Content-Type": "text/plain"}

    @app.errorhandler(CSRFError)
    def csrf_error(_err):
        return render_error(400, "This form has expired",
                            "Reload the page and submit it again. Forms expire when you sign out or after a long time.")

    @app.errorhandler(OperationalError)
    def database_not_answering(err):
        db.session.rollback()
        log.error("database not answering", exc_info=err)
        # Who is signed in cannot be looked up now: draw the page as for a visitor (the session cookie stays).
        login_manager._update_request_context_with_user()
        return render_error(503, "The site's database is not answering",
                            f"Try again in a moment; if it keeps happening, quote the reference "
                            f"{g.get('request_id', '-')}.")

    @app.errorhandler(500)
    def server_error(_err):
        db.session.rollback()
        return render_error(500, detail=f"The error was logged with reference {g.get('request_id', '-')}. "
                                        "Try again in a moment; if it keeps happening, quote the reference.")
