"""The consistency check behind `flask --app app check`: invariants that span hour entries, their
signatures, month locks, the audit log and the file store, verified from what is stored.

Plain functions on db.session (an app context, no request); each rule returns what it looked at
and a sentence per problem, naming rows by id and never quoting what anyone wrote.
"""
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from trainer import audit
from trainer.audit import AuditEvent
from trainer.certificates.models import Certificate
from trainer.extensions import db
from trainer.hours.models import EntryStatus, HourEntry, HourSignature, SignedMonth
from trainer.hours.services import month_bounds
from trainer.hours.signoff import signature_intact
from trainer.storage import StorageError, storage
from trainer.vignettes.models import Attachment, PendingDeletion
from trainer.vignettes.uploads import KEY_PREFIX as ATTACHMENT_PREFIX

DECIDED = (EntryStatus.APPROVED, EntryStatus.REJECTED)
DECISION_EVENTS = {EntryStatus.APPROVED: "hours.approved", EntryStatus.REJECTED: "hours.rejected"}
CERTIFICATE_PREFIX = "certificates"


@dataclass(frozen=True)
class RuleResult:
    """What one rule looked at (e.g. "412 decided entries") and each problem it found."""

    checked: str
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    """One problem, with the rule that found it."""

    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


@dataclass(frozen=True)
class Report:
    """Every finding of a run, and what each rule looked at."""

    findings: tuple[Finding, ...]
    checked: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.findings

    def summary(self) -> str:
        """One line: how many problems, and what was looked at."""
        verdict = "consistent" if self.ok else f"{len(self.findings)} problem(s)"
        return f"check: {verdict}; looked at {', '.join(self.checked)}"


def _decided_entries() -> list:
    """Decided entries as plain rows (a big log stays cheap to read)."""
    return db.session.execute(select(HourEntry.__table__).where(HourEntry.status.in_(DECIDED))
                              .order_by(HourEntry.id)).all()


def _signed_entry_ids(signatures) -> Counter:
    """How many signatures record each entry id."""
    return Counter(item["id"] for s in signatures for item in (s.content or {}).get("entries", []))


def check_decisions() -> RuleResult:
    """One decision per decided entry: a decider, a time and one signature with the same decision
    that records the entry, unchanged since it was signed; pending entries carry no decision."""
    entries = _decided_entries()
    signatures = {s.id: s for s in db.session.scalars(select(HourSignature))}
    problems = [*_half_decided_pending(), *_entries_without_their_signature(entries, signatures),
                *_signed_once(entries, signatures), *_changed_since_signed(entries, signatures)]
    return RuleResult(f"{len(entries)} decided entries in {len(signatures)} signatures", tuple(problems))


def _half_decided_pending() -> list[str]:
    rows = db.session.scalars(select(HourEntry.id).where(
        HourEntry.status == EntryStatus.PENDING,
        HourEntry.decided_by_id.is_not(None) | HourEntry.decided_at.is_not(None) |
        HourEntry.signature_id.is_not(None)).order_by(HourEntry.id))
    return [f"entry {entry_id} is pending but carries a decider, a decision time or a signature"
            for entry_id in rows]


def _entries_without_their_signature(entries, signatures) -> list[str]:
    problems = []
    for entry in entries:
        signature = signatures.get(entry.signature_id)
        if entry.decided_by_id is None or entry.decided_at is None or signature is None:
            problems.append(f"entry {entry.id} is {entry.status} without a decider, a time and a signature")
        elif signature.decision != entry.status or signature.signer_id != entry.decided_by_id:
            problems.append(f"entry {entry.id} is {entry.status} by user {entry.decided_by_id}, but its signature "
                            f"{signature.id} says {signature.decision} by user {signature.signer_id}")
    return problems


def _signed_once(entries, signatures) -> list[str]:
    """Each decided entry is recorded by exactly one signature, and no signature records another."""
    recorded, decided_ids = _signed_entry_ids(signatures.values()), {e.id for e in entries}
    problems = [f"a signature records entry {i}, which is not decided"
                for i in sorted(recorded.keys() - decided_ids)]
    return problems + [f"entry {e.id} is {e.status} and recorded in {recorded[e.id]} signatures (one expected)"
                       for e in entries if e.signature_id in signatures and recorded[e.id] != 1]


def _changed_since_signed(entries, signatures) -> list[str]:
    by_signature = defaultdict(list)
    for entry in entries:
        if entry.signature_id in signatures:
            by_signature[entry.signature_id].append(entry)
    return [f"signature {sig_id} no longer matches what was signed (its record or one of its "
            f"{len(group)} entries changed)" for sig_id, group in sorted(by_signature.items())
            if not signature_intact(signatures[sig_id], group)]


def check_deciders() -> RuleResult:
    """Nobody decided their own entry: the decider is never the trainee who logged it."""
    rows = db.session.execute(select(HourEntry.id, HourEntry.trainee_id).where(
        HourEntry.decided_by_id == HourEntry.trainee_id).order_by(HourEntry.id)).all()
    decided = db.session.scalar(select(func.count(HourEntry.id)).where(HourEntry.status.in_(DECIDED)))
    return RuleResult(f"{decided} deciders",
                      tuple(f"entry {row.id} was decided by its own trainee (user {row.trainee_id})" for row in rows))


def check_totals() -> RuleResult:
    """Approved minutes per trainee and category in hour_entries equal the minutes the approving
    signatures recorded for them.

    Progress, certificate eligibility, reports and exports compute their totals from hour_entries
    (no total is stored), so this compares that sum with the only stored ledger, the signatures.
    """
    in_entries = Counter({(t, c): int(m) for t, c, m in db.session.execute(
        select(HourEntry.trainee_id, HourEntry.category, func.sum(HourEntry.minutes))
        .where(HourEntry.status == EntryStatus.APPROVED).group_by(HourEntry.trainee_id, HourEntry.category))})
    signed = Counter()
    for signature in db.session.scalars(select(HourSignature).where(
            HourSignature.decision == EntryStatus.APPROVED)):
        for item in (signature.content or {}).get("entries", []):
            signed[(item["trainee_id"], item["category"])] += item["minutes"]
    problems = tuple(f"trainee {trainee}, {category}: {in_entries[(trainee, category)]} approved minutes in "
                     f"entries, {signed[(trainee, category)]} in signatures"
                     for trainee, category in sorted(in_entries.keys() | signed.keys())
                     if in_entries[(trainee, category)] != signed[(trainee, category)])
    return RuleResult(f"{len(in_entries)} approved totals", problems)


def check_month_locks() -> RuleResult:
    """A signed (locked) month holds no entry still waiting for that supervisor."""
    locks = db.session.scalars(select(SignedMonth).order_by(SignedMonth.id)).all()
    problems = []
    for lock in locks:
        first, after = month_bounds(lock.month)
        waiting = db.session.scalar(select(func.count(HourEntry.id)).where(
            HourEntry.trainee_id == lock.trainee_id, HourEntry.supervisor_id == lock.supervisor_id,
            HourEntry.status == EntryStatus.PENDING, HourEntry.date >= first, HourEntry.date < after))
        if waiting:
            problems.append(f"{lock.month} of trainee {lock.trainee_id} is locked by supervisor "
                            f"{lock.supervisor_id}, yet {_entries(waiting)} there still wait")
    return RuleResult(f"{len(locks)} locked months", tuple(problems))


def _entries(count: int) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"


def _rows_by_key() -> dict[str, dict[str, str]]:
    """Per storage folder, every key a row points to, with a name for that row."""
    attachments = db.session.execute(select(Attachment.id, Attachment.vignette_id, Attachment.storage_key))
    certificates = db.session.execute(select(Certificate.id, Certificate.storage_key))
    return {ATTACHMENT_PREFIX: {key: f"attachment {i} (vignette {v})" for i, v, key in attachments},
            CERTIFICATE_PREFIX: {key: f"certificate {i}" for i, key in certificates}}


def check_files() -> RuleResult:
    """Attachment and certificate rows match the stored objects both ways: every row's object is
    stored, and every object under their folders belongs to a row or waits in the deletion queue
    that `flask vignettes sweep` empties."""
    queued = set(db.session.scalars(select(PendingDeletion.storage_key)))
    problems, stored_count, rows_count = [], 0, 0
    for prefix, rows in _rows_by_key().items():
        try:
            stored = set(storage().keys(prefix))
        except StorageError:
            problems.append(f"the file store did not answer, so {prefix}/ could not be compared")
            continue
        stored_count, rows_count = stored_count + len(stored), rows_count + len(rows)
        problems += [f"{rows[key]} has no stored object ({key})" for key in sorted(rows.keys() - stored)]
        problems += [f"stored object {key} belongs to no row and is not queued for deletion"
                     for key in sorted(stored - rows.keys() - queued)]
    return RuleResult(f"{rows_count} file rows and {stored_count} stored objects ({len(queued)} queued for "
                      f"deletion)", tuple(problems))


def check_decision_events() -> RuleResult:
    """One audit event per decision: each decided entry has exactly one hours.approved or
    hours.rejected event, matching its status and signature, and no such event names another entry."""
    entries = {f"hour_entries:{e.id}": e for e in _decided_entries()}
    events = defaultdict(list)
    for event in db.session.execute(select(AuditEvent.target, AuditEvent.action, AuditEvent.details).where(
            AuditEvent.action.in_(DECISION_EVENTS.values()))):
        events[event.target].append(event)
    problems = [f"the audit log records {events[target][0].action} for {target}, which is not a decided entry"
                for target in sorted(events.keys() - entries.keys())]
    for target, entry in entries.items():
        problems += _event_problems(entry, events.get(target, []))
    return RuleResult(f"{sum(map(len, events.values()))} decision events", tuple(problems))


def _event_problems(entry, events) -> list[str]:
    expected = DECISION_EVENTS[entry.status]
    if len(events) != 1:
        return [f"entry {entry.id} is {entry.status} with {len(events)} decision events in the audit log "
                f"(one {expected} expected)"]
    event = events[0]
    if event.action != expected or (event.details or {}).get("signature") != entry.signature_id:
        return [f"entry {entry.id} is {entry.status} under signature {entry.signature_id}, but its audit event "
                f"says {event.action} under signature {(event.details or {}).get('signature')}"]
    return []


def check_audit_chain() -> RuleResult:
    """The audit log's hash chain verifies (trainer.audit.verify)."""
    report = audit.verify()
    return RuleResult(f"{report.events} audit events", report.problems)


RULES: tuple[tuple[str, Callable[[], RuleResult]], ...] = (
    ("decisions", check_decisions),
    ("deciders", check_deciders),
    ("totals", check_totals),
    ("month-locks", check_month_locks),
    ("files", check_files),
    ("decision-events", check_decision_events),
    ("audit-chain", check_audit_chain),
)


def run_check() -> Report:
    """Run every rule; read-only, so it is safe on a live site (ends with a rollback)."""
    findings, checked = [], []
    for name, rule in RULES:
        result = rule()
        checked.append(result.checked)
        findings += [Finding(name, problem) for problem in result.problems]
    db.session.rollback()
    return Report(tuple(findings), tuple(checked))
