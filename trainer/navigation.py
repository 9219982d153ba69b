"""The main navigation: which links each role sees."""
from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_login import current_user

from trainer.auth.models import Role

ALL = (Role.TRAINEE, Role.SUPERVISOR, Role.ADMIN)

# (label, endpoint, roles) in display order.
NAV = (
    ("Dashboard", "main.index", ALL),
    ("Courses", "learn.catalogue", ALL),
    ("Vignettes", "vignettes.library", (Role.TRAINEE, Role.SUPERVISOR)),
    ("Reviews", "vignette_reviews.queue", (Role.SUPERVISOR,)),
    ("Vignettes", "vignettes_admin.index", (Role.ADMIN,)),
    ("Hours", "hours.log", (Role.TRAINEE,)),
    ("Sign-off", "hours.queue", (Role.SUPERVISOR,)),
    ("Consultations", "consult.index", (Role.TRAINEE, Role.ADMIN)),
    ("Consultations", "consult.supervise", (Role.SUPERVISOR,)),
    ("People", "admin.users", (Role.ADMIN,)),
    ("Reports", "hours_admin.reports", (Role.ADMIN,)),
)


@dataclass(frozen=True)
class NavItem:
    """One link in the header."""

    label: str
    url: str
    current: bool


def nav_items() -> list[NavItem]:
    """Links for the signed-in person's role; the current section is marked."""
    items = []
    for label, endpoint, roles in NAV:
        if current_user.role in roles:
            blueprint = endpoint.split(".")[0]
            here = request.endpoint == endpoint or (
                blueprint != "main" and (request.endpoint or "").startswith(blueprint + "."))
            items.append(NavItem(label, url_for(endpoint), here))
    return items


def register(app: Flask) -> None:
    """Make nav_items() available to templates."""
    app.jinja_env.globals["nav_items"] = nav_items
