"""Settings: environment over defaults, a kept secret key, production refusals."""
import pytest

from trainer import create_app
from trainer.config import from_environment, instance_secret_key


def test_environment_settings_are_typed():
    found = from_environment({"MAIL_PORT": "2525", "BEHIND_PROXY": "yes", "S3_BUCKET": "b", "UNRELATED": "x",
                              "REDIS_URL": ""})
    assert found == {"MAIL_PORT": 2525, "BEHIND_PROXY": True, "S3_BUCKET": "b"}


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = instance_secret_key(tmp_path)
    assert len(first) == 64 and instance_secret_key(tmp_path) == first
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        create_app({"APP_ENV": "production"})


def test_postgres_urls_use_psycopg(make_app):
    app = make_app(DATABASE_URL="postgres://u@h/db")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_trusted_hosts_from_a_list(make_app):
    app = make_app(TRUSTED_HOSTS="trainer.example.org, localhost")
    assert app.config["TRUSTED_HOSTS"] == ["trainer.example.org", "localhost"]
    assert app.test_client().get("/healthz", headers={"Host": "evil.example"}).status_code == 400
