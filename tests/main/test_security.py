"""Headers, cookies, CSRF on every form, and error pages that leak nothing."""
import logging
import re

import pytest

from tests.conftest import TEST_PASSWORD, csrf_from, login
from trainer.logs import FORMAT, OneLineFormatter


def test_security_headers_on_every_page(client):
    headers = client.get("/login").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers


def test_signed_in_pages_are_not_cached(client, trainee):
    login(client, trainee)
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_session_cookie_flags(client, trainee):
    cookie = _cookie(login(client, trainee))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def _cookie(response):
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("trainer_session="))


def test_secure_cookie_and_hsts_on_https(make_app, app, trainee):
    client = make_app(PREFERRED_URL_SCHEME="https").test_client()
    assert "Secure" in _cookie(login(client, trainee))


def test_secure_cookie_behind_a_proxy_that_says_https(make_app, app, trainee):
    client = make_app(BEHIND_PROXY=True).test_client()
    response = client.post("/login", data={"email": trainee.email, "password": TEST_PASSWORD},
                           headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in _cookie(response)
    assert "Strict-Transport-Security" in response.headers


def post_routes(app):
    return sorted((r for r in app.url_map.iter_rules() if "POST" in r.methods), key=lambda r: r.rule)


def test_every_post_route_refuses_a_missing_csrf_token(make_app, app, admin):
    """With CSRF on, each form route answers 400 to a post without a token."""
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    token = csrf_from(client.get("/login").text)
    assert client.post("/login", data={"email": admin.email, "password": TEST_PASSWORD,
                                       "csrf_token": token}).status_code == 302
    routes = post_routes(csrf_app)
    assert len(routes) >= 8
    for rule in routes:
        url = rule.rule
        for arg in rule.arguments:
            url = url.replace(f"<{arg}>", "1").replace(f"<int:{arg}>", "1")
            url = url.replace(f"<path:{arg}>", "1").replace(f"<string:{arg}>", "1")
        response = client.post(url, data={})
        assert response.status_code == 400, url
        assert "This form has expired" in response.text, url


def test_csrf_token_lets_a_form_through(make_app, app, trainee):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"email": trainee.email, "password": TEST_PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_error_pages_leak_nothing_and_match_one_log_line(make_app, app, caplog):
    broken = make_app(PROPAGATE_EXCEPTIONS=False)

    @broken.get("/boom")
    def boom():
        raise RuntimeError("secret detail /etc/passwd SELECT * FROM users\nforged line")

    response = broken.test_client().get("/boom")
    assert response.status_code == 500
    for leak in ("secret detail", "Traceback", "SELECT", "/etc/passwd", "RuntimeError", "trainer/"):
        assert leak not in response.text
    assert "Something went wrong on our side" in response.text
    reference = re.search(r"reference ([0-9a-f]{12})", response.text).group(1)
    matching = [r for r in caplog.records if getattr(r, "request_id", None) == reference]
    assert len(matching) == 1
    line = OneLineFormatter(FORMAT).format(matching[0])
    assert "\n" not in line and reference in line and "builtins.RuntimeError" in line
    assert "secret detail" not in line and "forged line" not in line


def test_log_lines_escape_cr_and_lf():
    record = logging.LogRecord("t", logging.INFO, __file__, 1, "user typed %s", ("a\r\nFAKE ENTRY",), None)
    record.request_id = "-"
    line = OneLineFormatter(FORMAT).format(record)
    assert "\n" not in line and "\r" not in line and "a\\r\\nFAKE ENTRY" in line


@pytest.mark.parametrize("path,status", [("/nope", 404), ("/logout", 405)])
def test_plain_error_pages(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert "Error" in response.text and "Go to the start page" in response.text
