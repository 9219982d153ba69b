"""Benchmark the de-identification engine on its evaluation set.

    python bench/deid.py            # figures for the tuning and held-out parts
    python bench/deid.py --misses   # also list what the tuning part missed

Prints span recall per kind, names recall, overall recall, precision (share of
redacted characters that were gold), clinical vocabulary kept, throughput in
KB/s (CPU time, and wall clock) on the evaluation set repeated past 1 MB, a
linearity ratio (cost per KB at 1 MB against 100 KB) and the first-call load time.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.deid import evalset  # noqa: E402
from trainer.deid import KINDS, deidentify  # noqa: E402
from trainer.deid import lexicon  # noqa: E402


def load_time() -> float:
    """Seconds the first call spends loading the lists (measured on a cold cache)."""
    lexicon.load.cache_clear()
    start = time.perf_counter()
    deidentify("Warm-up note for Emma.")
    return time.perf_counter() - start


def _corpus(notes: list[evalset.Note], size: int) -> str:
    """The notes joined and repeated to at least `size` bytes."""
    corpus = "\n\n".join(n.text for n in notes)
    return corpus * (size // len(corpus.encode()) + 1)


def _seconds(text: str) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one deidentify() call on the text."""
    cpu, wall = time.process_time(), time.perf_counter()
    deidentify(text)
    return time.process_time() - cpu, time.perf_counter() - wall


def throughput(notes: list[evalset.Note]) -> None:
    """KB/s on the set repeated past 1 MB, and the cost per KB at 100 KB vs 1 MB (linearity)."""
    small, large = _corpus(notes, 100_000), _corpus(notes, 1_000_000)
    small_cpu, _ = _seconds(small)
    cpu, wall = _seconds(large)
    size = len(large.encode()) / 1000
    print(f"\nthroughput {size / cpu:.0f} KB/s of CPU time ({size / wall:.0f} KB/s wall clock; "
          f"other processes share this machine) on {size / 1000:.2f} MB, single thread")
    ratio = (cpu / len(large)) / (small_cpu / len(small))
    print(f"linearity: cost per KB at 1 MB / at 100 KB = {ratio:.2f} (1.0 is linear)")


def report(part: str, score: evalset.Score) -> None:
    """Print one part's figures."""
    print(f"\n== {part} ==")
    print(f"{'kind':<14}{'gold':>6}{'caught':>8}{'recall':>9}")
    for kind in KINDS:
        if score.gold.get(kind):
            print(f"{kind:<14}{score.gold[kind]:>6}{score.caught.get(kind, 0):>8}"
                  f"{score.recall(kind):>9.3f}")
    print(f"names recall      {score.recall('PERSON'):.3f}")
    print(f"overall recall    {score.recall():.3f}")
    print(f"precision (chars) {score.precision():.3f}")
    print(f"vocabulary kept   {score.kept():.3f}  ({score.keep_kept}/{score.keep_total})")


def main() -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the tuning part's misses")
    args = parser.parse_args()
    print(f"first-call load time {load_time():.3f} s")
    parts = {p: evalset.load(p) for p in ("tune", "heldout")}
    for part, notes in parts.items():
        report(f"{part}: {len(notes)} notes, with typed names", evalset.evaluate(notes, deidentify))
        without = evalset.evaluate(notes, deidentify, use_known=False)
        print(f"without typed names: overall {without.recall():.3f}, names {without.recall('PERSON'):.3f}")
    if args.misses:
        score = evalset.evaluate(parts["tune"], deidentify)
        for note_id, kind, text in score.missed:
            print(f"MISS {note_id:<28}{kind:<14}{text!r}")
        for note_id, term in score.lost_terms:
            print(f"LOST {note_id:<28}{term!r}")
    throughput(parts["tune"] + parts["heldout"])


if __name__ == "__main__":
    main()
