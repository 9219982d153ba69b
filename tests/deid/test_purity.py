"""trainer.deid is a pure package: no web framework, database or cloud imports."""
import ast
from pathlib import Path

import trainer.deid

FORBIDDEN = ("flask", "sqlalchemy", "wtforms", "boto3", "botocore", "werkzeug", "flask_sqlalchemy")
PACKAGE = Path(trainer.deid.__file__).parent


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module a file imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_no_forbidden_imports():
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(imported_modules(path) & set(FORBIDDEN))
        for path in PACKAGE.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_walk_sees_the_package():
    assert len(list(PACKAGE.rglob("*.py"))) >= 8
