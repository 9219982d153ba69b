"""How consultation pages word things: rule labels, due times, filters for the templates."""
from datetime import datetime

from flask import Blueprint, current_app

from trainer.consult import highlight
from trainer.timeutil import utcnow
from trainer.topics import TOPICS

RULE_LABELS = {"on-call": "on-call supervisor", "own-supervisor": "own supervisor", "topic-match": "covers the topics",
               "partial-topic": "covers some topics", "any-with-room": "fallback: has room",
               "any-active": "fallback: least loaded", "reassigned": "passed on by a supervisor",
               "kept": "kept: nobody else free", "none": "nobody"}


def due_window(urgent: bool) -> str:
    """How long a supervisor has, in words ("4 hours", "3 days")."""
    hours = current_app.config["CONSULT_DUE_URGENT_HOURS" if urgent else "CONSULT_DUE_ROUTINE_HOURS"]
    if hours % 24 == 0 and hours >= 48:
        return f"{hours // 24} days"
    return f"{hours} hour{'s' if hours != 1 else ''}"


def due_words(moment: datetime) -> str:
    """'in 3 hours', '2 days ago': a due time relative to now."""
    seconds = (moment - utcnow()).total_seconds()
    amount = abs(seconds)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if amount >= size:
            count = int(amount // size)
            words = f"{count} {unit}{'s' if count != 1 else ''}"
            return f"in {words}" if seconds > 0 else f"{words} ago"
    return "now"


def overdue(moment: datetime) -> bool:
    """Whether a due time has passed."""
    return moment < utcnow()


def register(bp: Blueprint) -> None:
    """Make the labels, helpers and filters available to every template."""
    for name, value in (("TOPICS", TOPICS), ("RULE_LABELS", RULE_LABELS), ("due_window", due_window)):
        bp.add_app_template_global(value, name)  # globals, so imported macros see them too
    for name, function in (("due_words", due_words), ("overdue", overdue),
                           ("placeholders", highlight.mark_placeholders),
                           ("removed_words", highlight.describe_removed)):
        bp.add_app_template_filter(function, name)
