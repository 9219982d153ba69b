"""30 concurrent writers on the default SQLite database for 30 seconds, through gunicorn.

    python bench/sqlite_writers.py [--writers 30] [--seconds 30]

Prints acknowledged writes per second, failures by kind (a "database is
locked" would show as 500s), and how many acknowledged writes are missing or
stored twice (both must be 0).
"""
import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.integrity import writers  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        with writers.sqlite_site(Path(folder)) as (base, url, (supervisor_id, trainees)):
            tally = writers.run(base, writers.sign_in_all(base, trainees), supervisor_id, args.writers, args.seconds)
        stored, acknowledged = writers.stored_shapes(url), Counter(tally.acknowledged)
    missing = sum((acknowledged - stored).values())
    doubled = sum(n - 1 for n in stored.values() if n > 1)
    print(f"writers={args.writers} seconds={args.seconds:g} acknowledged={len(tally.acknowledged)} "
          f"writes_per_s={len(tally.acknowledged) / args.seconds:.1f} failures={len(tally.failures)} "
          f"missing={missing} doubled={doubled} unacknowledged_stored={sum((stored - acknowledged).values())}")
    if tally.failures:
        print("failures by kind:", dict(Counter(tally.failures)))
    sys.exit(1 if tally.failures or missing or doubled else 0)


if __name__ == "__main__":
    main()
