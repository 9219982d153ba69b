"""`flask courses check` and `flask courses sync`: validate and load the course content."""
import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from trainer import content
from trainer.learn.sync import sync_courses

courses_cli = AppGroup("courses", help="Check and load the course content (courses/).")
PATH_ARGUMENT = click.argument("path", required=False, type=click.Path(path_type=Path))


def content_root(path: Path | None) -> Path:
    """The folder given on the command line, else the COURSES_PATH setting."""
    return path or Path(current_app.config["COURSES_PATH"])


def _shown(path: str) -> str:
    """A path as short as it can be: relative to the working directory when inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _print_problems(problems: list[content.Problem]) -> None:
    for problem in problems:
        click.echo(f"{_shown(problem.path)}:{problem.line}: {problem.message}")
    click.echo(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found.", err=True)


@courses_cli.command("check")
@PATH_ARGUMENT
def check(path: Path | None) -> None:
    """Validate the content without loading it; prints each problem as path:line: message, exit 1."""
    root = content_root(path)
    library, problems = content.read_library(root)
    if problems:
        _print_problems(problems)
        sys.exit(1)
    modules = sum(len(c.modules) for c in library.courses)
    quizzes = sum(len(c.quizzes) for c in library.courses)
    vignettes = sum(len(c.vignettes) for c in library.courses)
    click.echo(f"{_shown(str(root))}: ok — {len(library.courses)} course(s), {modules} modules, "
               f"{quizzes} quizzes, {vignettes} vignettes, {len(library.programs.programs)} program(s).")


@courses_cli.command("sync")
@PATH_ARGUMENT
def sync(path: Path | None) -> None:
    """Check the content, then load it into the database in one transaction (all or nothing)."""
    root = content_root(path)
    try:
        report = sync_courses(root)
    except content.ContentError as err:
        _print_problems(err.problems)
        click.echo("Nothing was changed in the database.", err=True)
        sys.exit(1)
    click.echo(f"Synced {_shown(str(root))}: {report.summary()}.")
