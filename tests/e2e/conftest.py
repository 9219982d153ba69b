"""Real-browser journeys: the site served over HTTP, Debian's Chromium driven by Playwright."""
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.conftest import current_code, free_port, require_service, app_settings
from trainer import create_app
from trainer.extensions import db

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The site with the demo data on its own SQLite file, served in a thread."""
    folder = tmp_path_factory.mktemp("e2e")
    app = create_app(app_settings(folder, DATABASE_URL=f"sqlite:///{folder / 'e2e.sqlite3'}",
                                 WTF_CSRF_ENABLED=True, TESTING=False))
    with app.app_context():
        db.create_all()
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    server.shutdown()


@dataclass(frozen=True)
class LiveServer:
    """Where the site is served, and the app behind it (to read codes and records)."""

    url: str
    app: Flask


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from Debian's package."""
    if not Path(CHROMIUM).exists():
        require_service("Debian's chromium is not installed (bash .ci/test installs it as root)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


WIDTHS = (1280, 375)


@pytest.fixture
def open_page(browser):
    """Open fresh browser contexts (one per person in a journey); all closed afterwards."""
    contexts = []

    def open_():
        context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    """One person's browser."""
    return open_page()


def check_page(page, name: str) -> None:
    """At a desktop and a phone's width: a screenshot, no serious accessibility problem, no sideways scroll."""
    from axe_playwright_python.sync_playwright import Axe
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        results = Axe().run(page)
        serious = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
        assert not serious, f"{name} at {width}px: " + "; ".join(f"{v['id']}: {v['help']}" for v in serious)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} scrolls sideways by {overflow}px at {width}px"
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def sign_in(page, server: LiveServer, email: str, password: str) -> None:
    """Sign in through the forms, typing the authenticator code when asked."""
    page.goto(server.url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if page.url.endswith("/login/code"):
        check_page(page, "sign-in-code")
        with server.app.app_context():
            code = current_code(email)
        page.get_by_label("Code").fill(code)
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(server.url + "/")
