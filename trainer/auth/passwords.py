"""Password policy and hashing: length and guessability, no composition rules."""
from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12
MAX_LENGTH = 128
# A valid hash of a random password, checked when the email is unknown so that
# a wrong email and a wrong password take the same time.
_DUMMY_HASH: dict[str, str] = {}


@cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS
    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, user_inputs: tuple[str, ...] = ()) -> str | None:
    """Say what is wrong with a new password, or None when it is acceptable."""
    if not password:
        return "Enter a password."
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters; a few unrelated words work well."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if password.lower() in _common_passwords():
        return "That password is on a list of commonly used passwords; choose another."
    from zxcvbn import zxcvbn
    inputs = [part for value in user_inputs for part in value.replace("@", " ").split() if part]
    if zxcvbn(password, user_inputs=inputs)["score"] < 3:
        return "That password is too easy to guess; a few unrelated words make a strong one."
    return None


def hash_password(password: str, method: str) -> str:
    """Hash a password with the configured method (scrypt in production)."""
    return generate_password_hash(password, method=method)


def check_password(password_hash: str, password: str) -> bool:
    """Whether the password matches the stored hash."""
    return check_password_hash(password_hash, password)


def check_against_nobody(password: str, method: str) -> None:
    """Spend the time of one password check when there is no account to check."""
    if method not in _DUMMY_HASH:
        _DUMMY_HASH[method] = generate_password_hash("not a real password", method=method)
    check_password_hash(_DUMMY_HASH[method], password)
