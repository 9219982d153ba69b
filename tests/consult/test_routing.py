"""The routing rules, table-driven, without an app."""
from datetime import datetime, timedelta

import pytest

from trainer.consult.routing import RULE_NAMES, RULES, Candidate, Policy, Request, fairest, route

T0 = datetime(2025, 3, 1, 9, 0)
TRAINEE = 100
ALL = frozenset({"resist-refuse", "co-parenting-conflict", "safety-concern", "court-process", "step-family",
                 "other"})


def sup(id, load=0, capacity=5, topics=ALL, active=True, on_call=False, last=None, conflicts=()):
    """A candidate with sensible defaults."""
    return Candidate(id=id, active=active, topics=frozenset(topics), capacity=capacity, open_load=load,
                     on_call=on_call, last_assigned_at=last, conflicts=frozenset(conflicts))


def ask(primary=1, topics=("resist-refuse",), urgent=False, exclude=()):
    return Request(trainee_id=TRAINEE, primary_supervisor_id=primary, topics=frozenset(topics), urgent=urgent,
                   exclude=frozenset(exclude))


# (case, request, candidates, expected supervisor, expected rule)
CASES = [
    ("own supervisor with room", ask(), [sup(1, load=2), sup(2, load=1)], 1, "own-supervisor"),
    ("own supervisor at capacity", ask(), [sup(1, load=5), sup(2, load=3)], 2, "topic-match"),
    ("own supervisor inactive", ask(), [sup(1, active=False), sup(2, load=4)], 2, "topic-match"),
    ("own supervisor lacks the topic", ask(topics=("court-process",)),
     [sup(1, topics={"resist-refuse"}), sup(2, load=3)], 2, "topic-match"),
    ("own supervisor has a conflict", ask(), [sup(1, conflicts={TRAINEE}), sup(2, load=4)], 2, "topic-match"),
    ("own supervisor much busier than a colleague", ask(), [sup(1, load=3), sup(2, load=1)], 2, "topic-match"),
    ("own supervisor busier within the margin", ask(), [sup(1, load=2), sup(2, load=1)], 1, "own-supervisor"),
    ("no own supervisor: fewest open", ask(primary=None), [sup(1, load=3), sup(2, load=1), sup(3, load=2)], 2,
     "topic-match"),
    ("tie: least recently assigned", ask(primary=None),
     [sup(1, load=1, last=T0), sup(2, load=1, last=T0 - timedelta(hours=1)), sup(3, load=1, last=T0)], 2,
     "topic-match"),
    ("tie: never assigned beats assigned", ask(primary=None), [sup(1, load=1, last=T0), sup(2, load=1)], 2,
     "topic-match"),
    ("tie: lowest id last", ask(primary=None), [sup(3, load=1, last=T0), sup(2, load=1, last=T0)], 2,
     "topic-match"),
    ("conflicted colleague skipped even when idle", ask(primary=None),
     [sup(1, load=0, conflicts={TRAINEE}), sup(2, load=4)], 2, "topic-match"),
    ("excluded supervisor skipped", ask(exclude={1}), [sup(1, load=0), sup(2, load=4)], 2, "topic-match"),
    ("every topic must be covered for a match", ask(primary=None, topics=("court-process", "step-family")),
     [sup(1, load=0, topics={"court-process"}), sup(2, load=3, topics={"court-process", "step-family"})], 2,
     "topic-match"),
    ("partial cover when nobody covers all", ask(primary=None, topics=("court-process", "step-family", "other")),
     [sup(1, load=0, topics={"court-process"}), sup(2, load=3, topics={"court-process", "step-family"})], 2,
     "partial-topic"),
    ("fallback: any with room when nobody covers the topic", ask(primary=None, topics=("court-process",)),
     [sup(1, load=5, topics={"court-process"}), sup(2, load=2, topics={"other"}), sup(3, load=1, topics={"other"})],
     3, "any-with-room"),
    ("fallback: any active when everyone is full", ask(primary=None),
     [sup(1, load=6), sup(2, load=5), sup(3, load=9, active=False)], 2, "any-active"),
    ("nobody: all inactive or conflicted", ask(), [sup(1, active=False), sup(2, conflicts={TRAINEE})], None, "none"),
    ("nobody: no supervisors at all", ask(), [], None, "none"),
    ("urgent goes to on call even past own supervisor", ask(urgent=True, topics=("safety-concern",)),
     [sup(1, load=0), sup(2, load=3, on_call=True)], 2, "on-call"),
    ("urgent: the on-call one with room first", ask(urgent=True),
     [sup(2, load=5, on_call=True), sup(3, load=4, on_call=True)], 3, "on-call"),
    ("urgent: on call even when all are full", ask(urgent=True),
     [sup(2, load=7, on_call=True), sup(3, load=5, on_call=True)], 3, "on-call"),
    ("urgent: never a conflicted on-call supervisor", ask(urgent=True),
     [sup(1, load=0), sup(2, on_call=True, conflicts={TRAINEE})], 1, "own-supervisor"),
    ("urgent without anyone on call falls through", ask(primary=None, urgent=True), [sup(1, load=1), sup(2, load=0)],
     2, "topic-match"),
    ("routine ignores on call", ask(primary=None), [sup(1, load=2, on_call=True), sup(2, load=1)], 2,
     "topic-match"),
]


@pytest.mark.parametrize("case, request_, candidates, expected, rule", CASES, ids=[c[0] for c in CASES])
def test_route(case, request_, candidates, expected, rule):
    chosen = route(request_, candidates)
    assert (chosen.supervisor_id, chosen.rule) == (expected, rule)
    assert chosen.reason


@pytest.mark.parametrize("margin, expected", [(None, 1), (0, 2), (1, 2), (3, 1)])
def test_the_own_margin_is_a_policy(margin, expected):
    chosen = route(ask(), [sup(1, load=3), sup(2, load=1)], Policy(own_margin=margin))
    assert chosen.supervisor_id == expected


def test_the_reason_says_why_earlier_rules_passed():
    chosen = route(ask(urgent=True), [sup(1, load=5), sup(2, load=3)])
    assert chosen.reason.startswith("#2 covers resist-refuse with the fewest open (3 of 5 open)")
    assert "no on-call supervisor is available" in chosen.reason
    assert "own supervisor #1 is at capacity (5 of 5 open)" in chosen.reason


def test_fallback_reason_names_the_fallback():
    chosen = route(ask(primary=None), [sup(1, load=6), sup(2, load=5)])
    assert chosen.reason.startswith("fallback: #2 is the least loaded")
    assert "every active supervisor is at capacity" in chosen.reason


def test_taking_turns_spreads_equal_supervisors():
    """Feeding each choice back, equal supervisors are chosen in turn."""
    staff = {i: sup(i, load=0, capacity=50) for i in (1, 2, 3)}
    picks = []
    for minute in range(9):
        chosen = route(ask(primary=None), staff.values())
        picks.append(chosen.supervisor_id)
        old = staff[chosen.supervisor_id]
        staff[old.id] = sup(old.id, load=old.open_load + 1, capacity=50, last=T0 + timedelta(minutes=minute))
    assert picks == [1, 2, 3] * 3


def test_rule_names_are_unique_and_ordered():
    assert [name for name, _ in RULES] == list(RULE_NAMES[:-1])
    assert len(set(RULE_NAMES)) == len(RULE_NAMES)
    assert RULE_NAMES[0] == "on-call" and RULE_NAMES[-1] == "none"


def test_fairest_prefers_load_then_age_then_id():
    pool = [sup(5, load=1, last=T0), sup(4, load=1, last=T0), sup(9, load=0, last=T0 + timedelta(days=1))]
    assert fairest(pool).id == 9
    assert fairest(pool[:2]).id == 4


def test_inputs_and_outputs_are_frozen():
    chosen = route(ask(), [sup(1)])
    with pytest.raises(AttributeError):
        chosen.rule = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        ask().urgent = True  # type: ignore[misc]
