"""The pure packages import nothing from Flask, SQLAlchemy, WTForms or boto3."""
import ast

import pytest

from trainer.config import ROOT

FORBIDDEN = ("flask", "flask_login", "flask_wtf", "flask_sqlalchemy", "flask_migrate", "flask_limiter",
             "sqlalchemy", "wtforms", "boto3")
PURE = sorted((ROOT / "trainer" / "content").glob("*.py")) + [ROOT / "trainer" / "learn" / "grading.py"]


def imported_modules(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


@pytest.mark.parametrize("path", PURE, ids=lambda p: p.name)
def test_pure_module_imports_no_framework(path):
    bad = [m for m in imported_modules(path) if m.split(".")[0] in FORBIDDEN]
    assert not bad, f"{path.name} imports {bad}"


def test_pure_modules_import_only_pure_project_modules():
    allowed = {"trainer.content", "trainer.topics", "trainer.learn.grading"}
    for path in PURE:
        for module in imported_modules(path):
            if module.startswith("trainer"):
                assert any(module == a or module.startswith(a + ".") for a in allowed), (path.name, module)
