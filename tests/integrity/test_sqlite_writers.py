"""SQLite, the default, under 30 concurrent writers through gunicorn: no lock errors, nothing lost or doubled.

bench/sqlite_writers.py runs the same for 30 seconds and prints the figures.
"""
from collections import Counter

from tests.integrity import writers

WRITERS, SECONDS = 30, 4


def test_thirty_writers_lose_nothing_and_double_nothing(tmp_path):
    with writers.sqlite_site(tmp_path) as (base, url, (supervisor_id, trainees)):
        tally = writers.run(base, writers.sign_in_all(base, trainees), supervisor_id, WRITERS, SECONDS)
    assert tally.failures == [], Counter(tally.failures)
    assert len(tally.acknowledged) > WRITERS  # every writer got through, many times
    assert writers.stored_shapes(url) == Counter(tally.acknowledged)
