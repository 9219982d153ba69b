"""The pure parts of trainer.consult (routing, highlighting) import no framework, database or cloud client."""
import ast

import pytest

from trainer.config import ROOT

FORBIDDEN = ("flask", "flask_login", "flask_wtf", "flask_sqlalchemy", "sqlalchemy", "wtforms", "werkzeug",
             "boto3", "botocore")
PURE = [ROOT / "trainer" / "consult" / name for name in ("routing.py", "highlight.py")]


def imported_modules(path):
    """Every module a file imports, relative imports resolved against trainer.consult."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield ("trainer.consult." if node.level else "") + (node.module or "")


@pytest.mark.parametrize("path", PURE, ids=lambda p: p.name)
def test_pure_module_imports_no_framework(path):
    bad = [m for m in imported_modules(path) if m.split(".")[0] in FORBIDDEN]
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", PURE, ids=lambda p: p.name)
def test_pure_module_imports_only_pure_project_modules(path):
    allowed = ("trainer.deid", "trainer.consult.routing", "trainer.consult.highlight")
    for module in imported_modules(path):
        if module.startswith("trainer"):
            assert module.startswith(allowed), (path.name, module)


def test_the_walk_catches_a_forbidden_import(tmp_path):
    sample = tmp_path / "bad.py"
    sample.write_text("import os\nfrom sqlalchemy import select\n")
    assert "sqlalchemy" in list(imported_modules(sample))
