"""The main navigation: which links each role sees."""
from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_login import current_user

from trainer.auth.models import Role

ALL = (Role.TRAINEE, Role.SUPERVISOR, Role.ADMIN)

# (label, endpoint, roles, section) in display order. A link is the current one on the pages whose
# endpoint starts with its section; when two sections match, the longer one wins.
NAV = (
    ("Dashboard", "main.index", ALL, "main.index"),
    ("Courses", "learn.catalogue", ALL, "learn."),
    ("Vignettes", "vignettes.library", (Role.TRAINEE, Role.SUPERVISOR), "vignettes."),
    ("Reviews", "vignette_reviews.queue", (Role.SUPERVISOR,), "vignette_reviews."),
    ("Vignettes", "vignettes_admin.index", (Role.ADMIN,), "vignettes_admin."),
    ("Hours", "hours.log", (Role.TRAINEE,), "hours."),
    ("Sign-off", "hours.queue", (Role.SUPERVISOR,), "hours."),
    ("Consultations", "consult.index", (Role.TRAINEE, Role.ADMIN), "consult."),
    ("Consultations", "consult.supervise", (Role.SUPERVISOR,), "consult."),
    ("People", "admin.users", (Role.ADMIN,), "admin."),
    ("Reports", "hours_admin.reports", (Role.ADMIN,), "hours_admin."),
    ("Audit log", "admin.audit_log", (Role.ADMIN,), "admin.audit"),
)


@dataclass(frozen=True)
class NavItem:
    """One link in the header."""

    label: str
    url: str
    current: bool


def nav_items() -> list[NavItem]:
    """Links for the signed-in person's role; the current section is marked."""
    here = request.endpoint or ""
    links = [(label, endpoint, section) for label, endpoint, roles, section in NAV if current_user.role in roles]
    matching = [section for _, _, section in links if here.startswith(section)]
    current = max(matching, key=len, default=None)
    return [NavItem(label, url_for(endpoint), section == current) for label, endpoint, section in links]


def register(app: Flask) -> None:
    """Make nav_items() available to templates."""
    app.jinja_env.globals["nav_items"] = nav_items
