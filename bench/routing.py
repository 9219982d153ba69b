"""Simulate consultation routing and print how evenly the open load spreads.

    python bench/routing.py [--seeds N] [--consultations N] [--own-margin N|none]

2,000 consultations arrive over 12 supervisors with varied topics (most
cover the core topics, about half each specialty) and capacities; some supervisors have a set of trainees of their own, every
trainee has a random primary supervisor or none, about 10% are urgent safety
concerns, and each consultation closes after a random time, so open loads rise
and fall. Routing is the pure `trainer.consult.routing.route`. Prints the load
spread (max open load / mean open load over the supervisors), sampled at every
arrival after a warm-up and at the end, and the share routed by each rule,
for several seeds. Target: mean spread at most 1.25. `--own-margin none`
shows the plain "own supervisor while under capacity" rule for comparison.
"""
from __future__ import annotations

import argparse
import heapq
import random
import statistics
import sys
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trainer.consult.routing import RULE_NAMES, Candidate, Policy, Request, route  # noqa: E402

SUPERVISORS = 12
TRAINEES = 60
WARM_UP = 200
TOPIC_WEIGHTS = {"resist-refuse": 30, "co-parenting-conflict": 30, "safety-concern": 10,
                 "court-process": 15, "step-family": 10, "other": 5}
# Share of supervisors covering each topic: the core of the work for most, specialties for some.
COVERAGE = {"resist-refuse": 0.85, "co-parenting-conflict": 0.85, "safety-concern": 0.5,
            "court-process": 0.5, "step-family": 0.5, "other": 0.7}


def make_supervisors(rng: random.Random) -> dict[int, dict]:
    """Supervisors 1..12: core topics for most, specialties for some, capacity 8–14, three on call."""
    staff = {}
    for sid in range(1, SUPERVISORS + 1):
        covered = {topic for topic, share in COVERAGE.items() if rng.random() < share}
        staff[sid] = {"topics": frozenset(covered | ({"safety-concern"} if sid <= 3 else set())),
                      "capacity": rng.randint(8, 14), "on_call": sid <= 3, "open": 0, "last": None,
                      "conflicts": frozenset(rng.sample(range(1, TRAINEES + 1), 2))}
    return staff


def make_trainees(rng: random.Random) -> dict[int, int | None]:
    """Trainee → primary supervisor: eight supervisors have trainees, one trainee in ten has none."""
    with_trainees = list(range(1, 9))
    return {tid: (None if rng.random() < 0.1 else rng.choice(with_trainees)) for tid in range(1, TRAINEES + 1)}


def pick_topics(rng: random.Random) -> frozenset[str]:
    """One topic, sometimes two, weighted like the clinic's cases."""
    names, weights = list(TOPIC_WEIGHTS), list(TOPIC_WEIGHTS.values())
    return frozenset(rng.choices(names, weights, k=rng.choice((1, 1, 2))))


def candidates(staff: dict[int, dict]) -> list[Candidate]:
    """The supervisors as routing sees them now."""
    return [Candidate(id=sid, active=True, topics=s["topics"], capacity=s["capacity"], open_load=s["open"],
                      on_call=s["on_call"], last_assigned_at=s["last"], conflicts=s["conflicts"])
            for sid, s in staff.items()]


def spread(staff: dict[int, dict]) -> float:
    """max / mean open load (1.0 when nothing is open)."""
    loads = [s["open"] for s in staff.values()]
    mean = statistics.fmean(loads)
    return max(loads) / mean if mean else 1.0


def simulate(seed: int, count: int, policy: Policy) -> dict:
    """Run the arrivals and closings; return the samples and rule counts."""
    rng = random.Random(seed)
    staff, trainees = make_supervisors(rng), make_trainees(rng)
    now, closing, samples, rules = datetime(2025, 1, 6), [], [], Counter()
    for number in range(count):
        now += timedelta(minutes=rng.expovariate(1 / 60))
        while closing and closing[0][0] <= now:
            staff[heapq.heappop(closing)[1]]["open"] -= 1
        trainee = rng.randint(1, TRAINEES)
        urgent = rng.random() < 0.1
        topics = pick_topics(rng) | ({"safety-concern"} if urgent else set())
        chosen = route(Request(trainee, trainees[trainee], topics, urgent), candidates(staff), policy)
        rules[chosen.rule] += 1
        if chosen.supervisor_id is not None:
            staff[chosen.supervisor_id]["open"] += 1
            staff[chosen.supervisor_id]["last"] = now
            hours = rng.uniform(2, 12) if urgent else rng.uniform(12, 160)
            heapq.heappush(closing, (now + timedelta(hours=hours), chosen.supervisor_id))
        if number >= WARM_UP:
            samples.append(spread(staff))
    return {"staff": staff, "samples": samples, "rules": rules, "end": spread(staff)}


def report(seed: int, count: int, policy: Policy) -> float:
    """Simulate one seed and print its figures; returns the mean spread."""
    result = simulate(seed, count, policy)
    samples, staff = result["samples"], result["staff"]
    mean = statistics.fmean(samples)
    print(f"seed {seed}: spread max/mean open load: mean {mean:.3f}, "
          f"p95 {sorted(samples)[int(0.95 * len(samples))]:.3f}, worst {max(samples):.3f}, "
          f"at the end {result['end']:.3f}")
    print("  open at the end: " + " ".join(f"#{sid}:{s['open']}/{s['capacity']}" for sid, s in staff.items()))
    total = sum(result["rules"].values())
    print("  routed by rule: " + ", ".join(f"{name} {100 * result['rules'][name] / total:.1f}%"
                                            for name in RULE_NAMES if result["rules"][name]))
    return mean


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8, help="run seeds 1..N")
    parser.add_argument("--consultations", type=int, default=2000)
    parser.add_argument("--own-margin", default="1", help="Policy.own_margin, or 'none'")
    args = parser.parse_args()
    policy = Policy(own_margin=None if args.own_margin == "none" else int(args.own_margin))
    print(f"routing: {args.consultations} consultations over {SUPERVISORS} supervisors, {policy}; "
          f"spread sampled at every arrival after the first {WARM_UP}")
    means = [report(seed, args.consultations, policy) for seed in range(1, args.seeds + 1)]
    overall = statistics.fmean(means)
    print(f"mean spread over {len(means)} seeds: {overall:.3f} (worst seed {max(means):.3f}); "
          f"target <= 1.25: {'met' if overall <= 1.25 else 'NOT met'}")


if __name__ == "__main__":
    main()
