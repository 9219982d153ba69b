"""The site under gunicorn with several workers on PostgreSQL, HTTP clients that race, and a disk that fills."""
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import DATABASE_URL, free_port
from tests.integrity.disks import RefusingDisk, TinyDisk

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def start_gunicorn(database_url: str, folder: Path, workers: int = 3) -> tuple[subprocess.Popen, str]:
    """Start gunicorn serving the app on a database; returns the process and its base URL."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "race-secret", "APP_ENV": "production",
           "UPLOAD_FOLDER": str(folder / "uploads"), "REDIS_URL": "", "MAIL_SERVER": ""}
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "gunicorn.log", "ab") as log:  # the site's own log lines, kept out of the output
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers), "--bind",
             f"127.0.0.1:{port}", "--log-level", "warning", "app:app"], cwd=ROOT, env=env, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/healthz", timeout=5).ok:
                return process, base
        except requests.RequestException:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def stop_gunicorn(process: subprocess.Popen) -> None:
    """Stop gunicorn and its workers."""
    process.terminate()
    process.wait(timeout=15)


@pytest.fixture
def gunicorn(postgres_only, app, tmp_path):
    """gunicorn serving the app (3 sync workers) on the test database; yields its base URL."""
    process, base = start_gunicorn(DATABASE_URL, tmp_path)
    yield base
    stop_gunicorn(process)


class Browser(requests.Session):
    """An HTTP client that fills in the CSRF token of the page a form came from."""

    def __init__(self, base: str):
        super().__init__()
        self.base = base

    def form_post(self, page: str, data: dict, action: str | None = None) -> requests.Response:
        token = CSRF.search(self.get(self.base + page).text).group(1)
        return self.post(self.base + (action or page), data={**data, "csrf_token": token}, allow_redirects=False)

    def prepared_post(self, page: str, data: dict, action: str | None = None):
        """Load the form now; return a function that submits it later (for races)."""
        token = CSRF.search(self.get(self.base + page).text).group(1)
        return lambda: self.post(self.base + (action or page), data={**data, "csrf_token": token},
                                 allow_redirects=False)


@pytest.fixture
def full_disk(tmp_path, monkeypatch):
    """An upload folder on a real 1 MB tmpfs when this process may mount one (root), else on a disk whose
    file writes fail with ENOSPC after their first bytes."""
    mount = tmp_path / "disk"
    mount.mkdir()
    command = ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)]
    mounted = shutil.which("mount") is not None and subprocess.run(command, capture_output=True,
                                                                   check=False).returncode == 0
    yield TinyDisk(mount) if mounted else RefusingDisk(mount, monkeypatch)
    if mounted:
        subprocess.run(["umount", "-l", str(mount)], check=True)
