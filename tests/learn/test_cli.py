"""`flask courses check` and `flask courses sync` from the command line."""
import re

import pytest

from tests.content.test_problems import CASES
from tests.learn.conftest import snapshot
from trainer.config import ROOT

LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+): (?P<message>.+)$")


def test_check_passes_on_the_shipped_content(runner):
    result = runner.invoke(args=["courses", "check", str(ROOT / "courses")])
    assert result.exit_code == 0, result.output
    assert "ok — 1 course(s), 8 modules, 8 quizzes, 6 vignettes, 2 program(s)" in result.output


def test_check_reads_the_configured_folder_by_default(runner):
    assert runner.invoke(args=["courses", "check"]).exit_code == 0


@pytest.mark.parametrize("breakage", CASES, ids=[c.__name__ for c in CASES])
def test_check_prints_path_line_message_and_exits_1(runner, content_copy, breakage):
    path, line, message = breakage(content_copy)
    result = runner.invoke(args=["courses", "check", str(content_copy.root)])
    assert result.exit_code == 1
    printed = [LINE.match(text) for text in result.stdout.splitlines()]
    assert printed and all(printed), result.stdout
    assert any(m["path"].endswith(path) and int(m["line"]) == line and message in m["message"]
               for m in printed), result.stdout
    assert "problem" in result.stderr


@pytest.mark.parametrize("breakage", CASES[:6], ids=[c.__name__ for c in CASES[:6]])
def test_sync_of_broken_content_exits_1_and_changes_nothing(runner, content_copy, breakage):
    assert runner.invoke(args=["courses", "sync", str(content_copy.root)]).exit_code == 0
    breakage(content_copy)
    content_copy.replace("reunification-protocol/course.yml", "title: The Reunification Protocol", "title: Renamed")
    before = snapshot()
    result = runner.invoke(args=["courses", "sync", str(content_copy.root)])
    assert result.exit_code == 1 and "Nothing was changed" in result.stderr
    assert snapshot() == before


def test_sync_says_what_it_did(runner, content_copy):
    first = runner.invoke(args=["courses", "sync", str(content_copy.root)])
    assert first.exit_code == 0 and "modules: 8 new" in first.output
    again = runner.invoke(args=["courses", "sync", str(content_copy.root)])
    assert "nothing changed" in again.output


def test_check_of_a_missing_folder_fails_clearly(runner, tmp_path):
    result = runner.invoke(args=["courses", "check", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "no such folder" in result.output
