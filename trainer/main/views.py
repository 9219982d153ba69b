"""Landing page, dashboards and /healthz."""
from flask import Blueprint, jsonify, render_template
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from trainer.extensions import db
from trainer.main import dashboard

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """The landing page, or the signed-in person's dashboard."""
    if not current_user.is_authenticated:
        return render_template("main/landing.html")
    template, context = dashboard.for_user(current_user)
    return render_template(template, **context)


@bp.get("/healthz")
def healthz():
    """200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", db="unreachable"), 503
    return jsonify(status="ok", db="ok")
