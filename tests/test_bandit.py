"""The code passes bandit's security checks at medium severity and above."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bandit_finds_nothing_at_medium_or_above():
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-r", "trainer", "app.py", "--severity-level", "medium",
         "--confidence-level", "low", "-f", "txt"],
        cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
