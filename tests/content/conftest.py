"""A copy of the shipped courses/ that a test may break."""
import shutil
from pathlib import Path

import pytest

from trainer.config import ROOT

COURSE = "reunification-protocol"


class ContentCopy:
    """courses/ copied into a temporary folder, with helpers to edit it."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, relative: str) -> Path:
        """A file in the copy."""
        return self.root / relative

    def replace(self, relative: str, old: str, new: str, count: int = 1) -> int:
        """Replace text in a file; returns the 1-based line where the first replacement starts."""
        path = self.path(relative)
        text = path.read_text()
        assert old in text, f"{old!r} not in {relative}"
        line = text[:text.index(old)].count("\n") + 1
        path.write_text(text.replace(old, new, count))
        return line

    def line_of(self, relative: str, needle: str, occurrence: int = 1) -> int:
        """The 1-based line of the n-th occurrence of needle."""
        lines = self.path(relative).read_text().split("\n")
        hits = [i + 1 for i, line in enumerate(lines) if needle in line]
        return hits[occurrence - 1]


@pytest.fixture
def content_copy(tmp_path) -> ContentCopy:
    """A fresh copy of courses/ for one test."""
    target = tmp_path / "courses"
    shutil.copytree(ROOT / "courses", target)
    return ContentCopy(target)
