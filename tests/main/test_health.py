"""/healthz answers 200 when the database does and 503 when it does not."""


def test_health_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "db": "ok"}


def test_health_reports_an_unreachable_database(make_app, tmp_path):
    app = make_app(DATABASE_URL="postgresql://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["db"] == "unreachable"


def test_pages_say_when_the_database_is_not_answering(make_app, caplog):
    app = make_app(DATABASE_URL="postgresql://nobody@127.0.0.1:1/none")
    response = app.test_client().post("/login", data={"email": "ada@example.org", "password": "x" * 12})
    assert response.status_code == 503
    assert "The site&#39;s database is not answering" in response.text
    for leak in ("psycopg", "OperationalError", "127.0.0.1", "SELECT", "nobody"):
        assert leak not in response.text
    reference = response.text.split("quote the reference ")[1][:12]
    assert [r.getMessage() for r in caplog.records if getattr(r, "request_id", None) == reference] == \
        ["database not answering"]
