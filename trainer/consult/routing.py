"""Which supervisor gets a consultation: an ordered list of small named rules, pure Python.

Each rule looks at the request and the supervisors who may take it (active,
not excluded, no conflict with the trainee) and either picks one (a Route),
says why it could not (a note carried into the final reason), or does not
apply (None). The first rule that picks wins. Ties go to the supervisor
assigned least recently, then the lowest id, so equal supervisors take turns.

Order: on-call (urgent only) → own-supervisor → topic-match → partial-topic,
then the fallbacks any-with-room (any active supervisor under capacity) and
any-active (any active supervisor, even at capacity). When nobody is left the
route has no supervisor and the rule "none".

The own supervisor keeps a case only while they carry at most
`Policy.own_margin` more open consultations than the least-loaded colleague
who could take it instead: continuity first, but not at the price of one
supervisor drowning while others wait (bench/routing.py measures the spread).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Request:
    """A consultation to place: who asks, their own supervisor, its topics, urgency, who to skip."""

    trainee_id: int
    primary_supervisor_id: int | None
    topics: frozenset[str]
    urgent: bool
    exclude: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Candidate:
    """A supervisor as routing sees them; `conflicts` holds trainee ids they must not advise."""

    id: int
    active: bool
    topics: frozenset[str]
    capacity: int
    open_load: int
    on_call: bool = False
    last_assigned_at: datetime | None = None
    conflicts: frozenset[int] = frozenset()

    @property
    def has_room(self) -> bool:
        """Fewer open consultations than their capacity."""
        return self.open_load < self.capacity

    def covers(self, topics: frozenset[str]) -> bool:
        """Covers every topic of the request."""
        return topics <= self.topics


@dataclass(frozen=True)
class Route:
    """The choice: a supervisor id (or None), the rule that chose, and why."""

    supervisor_id: int | None
    rule: str
    reason: str


@dataclass(frozen=True)
class Policy:
    """Settings for the rules; own_margin None means the own supervisor always wins while under capacity."""

    own_margin: int | None = 1


Outcome = Route | str | None
Rule = Callable[[Request, list[Candidate], Policy], Outcome]


def fairest(pool: Iterable[Candidate]) -> Candidate:
    """Fewest open consultations, then assigned least recently (never first), then lowest id."""
    return min(pool, key=lambda c: (c.open_load, c.last_assigned_at is not None,
                                    c.last_assigned_at or datetime.min, c.id))


def _topics(request: Request) -> str:
    return ", ".join(sorted(request.topics)) or "no topic"


def _load(c: Candidate) -> str:
    return f"{c.open_load} of {c.capacity} open"


def on_call(request: Request, pool: list[Candidate], policy: Policy) -> Outcome:
    """Urgent safety concerns go to an on-call supervisor at once, preferring one with room."""
    if not request.urgent:
        return None
    ready = [c for c in pool if c.on_call]
    if not ready:
        return "no on-call supervisor is available"
    best = fairest([c for c in ready if c.has_room] or ready)
    return Route(best.id, "on-call", f"urgent safety concern: on-call supervisor #{best.id} ({_load(best)})")


def own_supervisor(request: Request, pool: list[Candidate], policy: Policy) -> Outcome:
    """The trainee's own supervisor, when active, covering the topics and under capacity."""
    if request.primary_supervisor_id is None:
        return None
    own = next((c for c in pool if c.id == request.primary_supervisor_id), None)
    label = f"own supervisor #{request.primary_supervisor_id}"
    if own is None:
        return f"{label} is inactive, excluded or has a conflict"
    if not own.covers(request.topics):
        return f"{label} does not cover {_topics(request)}"
    if not own.has_room:
        return f"{label} is at capacity ({_load(own)})"
    others = [c.open_load for c in pool if c.id != own.id and c.covers(request.topics) and c.has_room]
    if policy.own_margin is not None and others and own.open_load > min(others) + policy.own_margin:
        return f"{label} has {own.open_load} open, more than {min(others)} + {policy.own_margin} elsewhere"
    return Route(own.id, "own-supervisor", f"{label} covers {_topics(request)} ({_load(own)})")


def topic_match(request: Request, pool: list[Candidate], policy: Policy) -> Outcome:
    """The least-loaded supervisor covering every topic who has room."""
    found = [c for c in pool if c.covers(request.topics) and c.has_room]
    if not found:
        return f"nobody covering {_topics(request)} has room"
    best = fairest(found)
    return Route(best.id, "topic-match",
                 f"#{best.id} covers {_topics(request)} with the fewest open ({_load(best)})")


def partial_topic(request: Request, pool: list[Candidate], policy: Policy) -> Outcome:
    """The supervisor with room covering the most of the topics, then the least loaded."""
    found = [c for c in pool if c.has_room and request.topics & c.topics]
    if not found:
        return "nobody with room covers any of the topics"
    most = max(len(request.topics & c.topics) for c in found)
    best = fairest(c for c in found if len(request.topics & c.topics) == most)
    return Route(best.id, "partial-topic",
                 f"#{best.id} covers {', '.join(sorted(request.topics & best.topics))} ({_load(best)})")


def any_with_room(request: Request, pool: list[Candidate], policy: Policy) -> Outcome:
    """Fallback: any active supervisor under capacity, topics aside."""
    found = [c for c in pool if c.has_room]
    if not found:
        return "every active supervisor is at capacity"
    best = fairest(found)
    return Route(best.id, "any-with-room", f"fallback: #{best.id} has room ({_load(best)})")


def any_active(request: Request, pool: list[Candidate], policy: Policy) -> Outcome:
    """Last fallback: any active supervisor, even at capacity."""
    if not pool:
        return None
    best = fairest(pool)
    return Route(best.id, "any-active", f"fallback: #{best.id} is the least loaded ({_load(best)})")


RULES: tuple[tuple[str, Rule], ...] = (
    ("on-call", on_call),
    ("own-supervisor", own_supervisor),
    ("topic-match", topic_match),
    ("partial-topic", partial_topic),
    ("any-with-room", any_with_room),
    ("any-active", any_active),
)
RULE_NAMES = tuple(name for name, _ in RULES) + ("none",)


def may_take(request: Request, candidate: Candidate) -> bool:
    """Active, not excluded, and without a conflict with this trainee."""
    return (candidate.active and candidate.id not in request.exclude
            and request.trainee_id not in candidate.conflicts)


def route(request: Request, candidates: Iterable[Candidate], policy: Policy = Policy()) -> Route:
    """Apply the rules in order; the reason ends with why earlier rules passed."""
    pool = [c for c in candidates if may_take(request, c)]
    notes: list[str] = []
    for _name, rule in RULES:
        outcome = rule(request, pool, policy)
        if isinstance(outcome, Route):
            return _with_notes(outcome, notes)
        if outcome:
            notes.append(outcome)
    return _with_notes(Route(None, "none", "no active supervisor without a conflict"), notes)


def _with_notes(chosen: Route, notes: list[str]) -> Route:
    if not notes:
        return chosen
    return Route(chosen.supervisor_id, chosen.rule, f"{chosen.reason} (after: {'; '.join(notes)})")
