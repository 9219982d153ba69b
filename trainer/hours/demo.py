"""Demo hours for seed-demo: months of signed work, some pending, one rejection."""
import datetime as dt

from flask import current_app
from sqlalchemy import select

from trainer.auth.models import User
from trainer.extensions import db
from trainer.hours.models import HourEntry
from trainer.hours.signoff import decide_entries
from trainer.timeutil import utcnow

# (days ago, category, minutes, description): approved in monthly batches.
APPROVED = (
    (150, "individual-parent", 60, "Intake with the rejected parent: history, goals, and the safety screen"),
    (146, "individual-child", 60, "First individual session with the child (9): rapport and a feelings map"),
    (140, "individual-supervision", 60, "Supervision: safety screen results and whether conjoint work can start"),
    (132, "collateral", 60, "Call with the guardian ad litem about the treatment plan and reporting"),
    (120, "conjoint", 90, "First structured conjoint session; therapist modelled a low-stakes repair"),
    (116, "individual-parent", 60, "Parent session: responding to the child's anger without defending"),
    (112, "group-supervision", 60, "Group supervision: case review of a resist/refuse referral"),
    (104, "conjoint", 90, "Conjoint session: shared activity chosen by the child, short debrief"),
    (98, "co-parenting", 75, "Co-parenting session: handover routine and one shared calendar"),
    (90, "individual-child", 60, "Child session: distress tolerance skills before the next visit"),
    (84, "individual-supervision", 60, "Supervision: pacing after the child asked to shorten a session"),
    (76, "conjoint", 90, "Conjoint session: the parent acknowledged a past broken promise"),
    (70, "court", 60, "Progress report to the court on attendance and treatment stage"),
    (63, "individual-parent", 60, "Parent session: grief and shame, and keeping them out of visits"),
    (56, "conjoint", 90, "Conjoint session: longer visit, child set the agenda"),
    (49, "group-supervision", 60, "Group supervision: triangulation patterns in two step-families"),
    (42, "individual-child", 60, "Child session: what feels different at the other household"),
    (35, "co-parenting", 75, "Co-parenting session: agreeing on messages about the schedule"),
    (30, "consultation", 60, "Consultation on a new disclosure screen in a related case"),
    (27, "conjoint", 90, "Conjoint session: repair conversation prepared in individual sessions"),
    (24, "collateral", 60, "Collateral meeting with the school counsellor about attendance"),
    (21, "individual-supervision", 60, "Supervision: planning the move to unsupervised handovers"),
    (14, "conjoint", 90, "Conjoint session: child initiated contact and the parent followed"),
    (10, "individual-child", 60, "Child session: preparing for a longer weekend visit"),
)
REJECTED = ((18, "family", 90, "Family session with the older sibling about the changes at home"),
            "Two entries describe this session; the one of the same day already counts it.")
PENDING = (
    (5, "conjoint", 60, "Conjoint session: first meal together, practised a calm goodbye"),
    (4, "individual-supervision", 60, "Supervision: readiness to reduce session frequency"),
    (3, "collateral", 45, "Phone call to find a time for next week's sessions"),
)
SECOND_TRAINEE = ((9, "individual-parent", 60, "Intake with a parent: history and the safety screen"),
                  (6, "individual-supervision", 60, "Supervision: first case formulation"))


def _entries(trainee: User, supervisor: User, rows) -> list[HourEntry]:
    today = utcnow().date()
    entries = [HourEntry(trainee_id=trainee.id, supervisor_id=supervisor.id, date=today - dt.timedelta(days=ago),
                         category=category, minutes=minutes, description=text)
               for ago, category, minutes, text in rows]
    db.session.add_all(entries)
    db.session.flush()
    return entries


def seed_hours(trainee: User, second: User, supervisor: User, supervisor_password: str) -> None:
    """Give the demo trainee a realistic log close to the foundations program, signed for real."""
    if db.session.scalar(select(HourEntry.id).where(HourEntry.trainee_id == trainee.id)):
        return
    with current_app.test_request_context(base_url="http://127.0.0.1:5000"):
        approved = _entries(trainee, supervisor, APPROVED)
        for month in sorted({f"{e.date:%Y-%m}" for e in approved}):
            picks = [(e.id, e.version) for e in approved if f"{e.date:%Y-%m}" == month]
            decide_entries(supervisor, supervisor_password, picks, "approve")
        rejected = _entries(trainee, supervisor, [REJECTED[0]])
        decide_entries(supervisor, supervisor_password, [(rejected[0].id, 1)], "reject", REJECTED[1])
        _entries(trainee, supervisor, PENDING)
        _entries(second, supervisor, SECOND_TRAINEE)
        db.session.commit()
