"""Failed sign-ins counted per account and per address, in a store every worker shares.

Redis when REDIS_URL is set; otherwise the database. After `max_failures`
failures inside the window the key is locked for the cool-down.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import String, case, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from trainer.extensions import db
from trainer.timeutil import utcnow


class LoginFailure(db.Model):
    """Failed sign-ins for one key (an account or an address) in the current window."""

    __tablename__ = "login_failures"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]


@dataclass(frozen=True)
class Policy:
    """How many failures are allowed, and for how long a key then waits."""

    max_failures: int
    cooldown: timedelta


class SqlThrottle:
    """Counts in the `login_failures` table; atomic upserts keep workers in step."""

    def __init__(self, policy: Policy):
        self.policy = policy

    def is_locked(self, key: str) -> bool:
        until = db.session.scalar(select(LoginFailure.locked_until).where(LoginFailure.key == key))
        return until is not None and until > utcnow()

    def note_failure(self, key: str) -> None:
        now = utcnow()
        cutoff = now - self.policy.cooldown
        insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        stmt = insert(LoginFailure).values(key=key, failures=1, window_started_at=now)
        table = LoginFailure.__table__.c
        stale = table.window_started_at < cutoff
        stmt = stmt.on_conflict_do_update(
            index_elements=["key"],
            set_={
                "failures": case((stale, 1), else_=table.failures + 1),
                "window_started_at": case((stale, now), else_=table.window_started_at),
            },
        )
        db.session.execute(stmt)
        db.session.execute(
            update(LoginFailure)
            .where(LoginFailure.key == key, LoginFailure.failures >= self.policy.max_failures)
            .values(locked_until=now + self.policy.cooldown, failures=0, window_started_at=now)
        )

    def clear(self, key: str) -> None:
        db.session.execute(delete(LoginFailure).where(LoginFailure.key == key))


class RedisThrottle:
    """Counts in Redis with expiring keys, shared by every worker and host."""

    def __init__(self, policy: Policy, url: str):
        import redis
        self.policy = policy
        self.redis = redis.Redis.from_url(url, socket_timeout=2)

    def is_locked(self, key: str) -> bool:
        return bool(self.redis.exists(f"login:lock:{key}"))

    def note_failure(self, key: str) -> None:
        seconds = int(self.policy.cooldown.total_seconds())
        count_key = f"login:fail:{key}"
        pipe = self.redis.pipeline()
        pipe.incr(count_key)
        pipe.expire(count_key, seconds, nx=True)
        count = pipe.execute()[0]
        if count >= self.policy.max_failures:
            self.redis.set(f"login:lock:{key}", 1, ex=seconds)
            self.redis.delete(count_key)

    def clear(self, key: str) -> None:
        self.redis.delete(f"login:fail:{key}", f"login:lock:{key}")


def throttle() -> SqlThrottle | RedisThrottle:
    """The app's throttle, chosen by configuration and built on first use."""
    ext = current_app.extensions
    if "login_throttle" not in ext:
        config = current_app.config
        policy = Policy(config["LOGIN_MAX_FAILURES"],
                        timedelta(minutes=config["LOGIN_COOLDOWN_MINUTES"]))
        ext["login_throttle"] = (RedisThrottle(policy, config["REDIS_URL"])
                                 if config["REDIS_URL"] else SqlThrottle(policy))
    return ext["login_throttle"]
