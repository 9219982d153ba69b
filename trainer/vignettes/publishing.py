"""Clinic uploads: create a draft with attachments, edit it, decide its de-identification findings,
publish it as a new version, archive it, and export it as a courses/ file.

Files go to the store before any row is written; a failed store removes what it
already put, a failed commit removes every object it put (no orphans either way).
"""
from dataclasses import asdict

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from trainer import audit
from trainer.auth.models import User
from trainer.extensions import db
from trainer.learn.models import Vignette
from trainer.timeutil import utcnow
from trainer.vignettes import document, redaction, uploads
from trainer.vignettes.document import VignetteText
from trainer.vignettes.drafts import (STALE, choose_slug, claim, content_values, draft_of, fill, findings_of, scan,
                                      show, text_of)
from trainer.vignettes.models import Attachment, DeidDecision, VignetteDraft, VignetteVersion
from trainer.vignettes.services import VignetteError

COURSE_READ_ONLY = ("Vignettes from courses/ are read-only here: edit the file and run "
                    "`flask --app app courses sync`.")
CHOICES = ("redact", "keep")
STATUS_CHANGES = {"archive": ("published", "archived"), "restore": ("archived", "published")}


def _uploaded(vignette: Vignette) -> None:
    if vignette.source != "upload":
        raise VignetteError(COURSE_READ_ONLY)


CONFLICT = ("Another change to this vignette was saved at the same moment, so yours was not. "
            "Look at it again, then retry.")


def _commit(failure: str, keys: list[str] = (), conflict: str = CONFLICT) -> None:
    """Commit the use case; when the database refuses, remove the objects it stored and say so."""
    try:
        db.session.commit()
    except IntegrityError:
        uploads.discard(list(keys))
        raise VignetteError(conflict) from None
    except SQLAlchemyError:
        uploads.discard(list(keys))
        raise VignetteError(failure) from None


def _attach(admin: User, vignette: Vignette, stored: list[uploads.StoredFile], version: int) -> None:
    uploads.claim([f.key for f in stored])
    db.session.add_all(Attachment(vignette_id=vignette.id, storage_key=f.key, filename=f.name,
                                  content_type=f.content_type, size=f.size, sha256=f.sha256, version=version,
                                  created_by_id=admin.id) for f in stored)


def create_vignette(admin: User, text: VignetteText, files: list[uploads.Upload], slug: str = "",
                    origin: str = "form") -> Vignette:
    """A new draft vignette with its attachments; its findings wait for the admin's decisions."""
    slug = choose_slug(text.title, slug.strip())
    checked = uploads.check_files(files, already=0)
    findings = scan(text)
    stored = uploads.store_files(checked)
    vignette = Vignette(slug=slug, source="upload", status="draft", version=0, created_by_id=admin.id)
    draft = VignetteDraft(vignette=vignette, version=1, created_by_id=admin.id)
    fill(draft, text, findings)
    db.session.add_all([vignette, draft])
    db.session.flush()
    _attach(admin, vignette, stored, version=1)
    audit.record(admin, "vignette.created", vignette, origin=origin, attachments=len(stored),
                 findings=len(findings))
    _commit("The vignette could not be saved, so nothing was stored. Try again in a moment.",
            [f.key for f in stored], conflict=f"A vignette with the slug “{slug}” was saved at the same moment, "
                                              f"so nothing was stored. Try again.")
    uploads.sweep()
    return vignette


def _start_draft(admin: User, vignette: Vignette) -> VignetteDraft:
    """A draft of the next version, starting from the published one."""
    if vignette.status == "archived":
        raise VignetteError("Restore this vignette to the library before changing it.")
    draft = VignetteDraft(vignette=vignette, version=vignette.version + 1, created_by_id=admin.id)
    text = published_text(vignette)
    fill(draft, text, scan(text))
    db.session.add(draft)
    db.session.flush()
    return draft


def save_draft(admin: User, vignette: Vignette, text: VignetteText, revision: int) -> VignetteDraft:
    """Save changes as the draft of the next version; the de-identification check runs again."""
    _uploaded(vignette)
    draft = draft_of(vignette)
    if draft is None:
        if revision != 0:
            raise VignetteError("This vignette changed since you opened the page. Look at it again, then retry.")
        draft = _start_draft(admin, vignette)
    else:
        claim(draft, revision)
    fill(draft, text, scan(text))
    draft.updated_at = utcnow()
    audit.record(admin, "vignette.draft_saved", vignette, version=draft.version, findings=len(draft.findings))
    _commit("The draft could not be saved. Try again in a moment.")
    return draft


def _record_decision(admin: User, vignette: Vignette, version: int, finding, decision: str) -> None:
    db.session.add(DeidDecision(vignette_id=vignette.id, version=version, field=finding.field, kind=finding.kind,
                                rule=finding.rule, placeholder=finding.placeholder, decision=decision,
                                decided_by_id=admin.id))
    audit.record(admin, "vignette.deid_decision", vignette, version=version, field=finding.field,
                 kind=finding.kind, rule=finding.rule, decision=decision)


def decide(admin: User, vignette: Vignette, revision: int, choices: dict[int, str]) -> tuple[int, int]:
    """Redact or keep findings by index; returns (redacted, marked not identifying)."""
    _uploaded(vignette)
    draft = draft_of(vignette) or _no_draft()
    findings = findings_of(draft)
    if any(i not in range(len(findings)) or c not in CHOICES for i, c in choices.items()):
        raise VignetteError("That form does not match this draft's findings. Look at the draft again.")
    claim(draft, revision)
    redact = {i for i, c in choices.items() if c == "redact"}
    keep = {i for i, c in choices.items() if c == "keep" and draft.findings[i]["decision"] is None}
    for index in sorted(redact | keep):
        _record_decision(admin, vignette, draft.version, findings[index],
                         "accepted" if index in redact else "not_identifying")
    texts, kept = redaction.apply(dict(text_of(draft).texts()), findings, redact)
    decided = [{**asdict(f), "decision": "not_identifying" if i in keep else draft.findings[i]["decision"]}
               for i, f in kept.items()]
    fill(draft, text_of(draft).with_texts(texts), decided)
    draft.updated_at = utcnow()
    _commit("The decisions could not be saved. Try again in a moment.")
    return len(redact), len(keep)


def _no_draft():
    raise VignetteError("This vignette has no draft; edit it to start one.")


def publish(admin: User, vignette: Vignette, revision: int) -> VignetteVersion:
    """Publish the draft as the next version; refused while any finding is undecided."""
    _uploaded(vignette)
    draft = draft_of(vignette) or _no_draft()
    if draft.revision != revision:
        raise VignetteError(STALE)
    if draft.undecided:
        raise VignetteError(f"Decide every highlighted finding before publishing: {draft.undecided} still "
                            f"{'waits' if draft.undecided == 1 else 'wait'} for a decision.")
    claim(draft, revision)
    values = content_values(text_of(draft))
    version = VignetteVersion(vignette_id=vignette.id, version=draft.version, created_by_id=admin.id, **values)
    show(vignette, values)
    vignette.version, vignette.status, vignette.updated_at = draft.version, "published", utcnow()
    db.session.add(version)
    db.session.delete(draft)
    audit.record(admin, "vignette.published", vignette, version=version.version)
    _commit("The vignette could not be published. Try again in a moment.")
    return version


def change_status(admin: User, vignette: Vignette, action: str) -> None:
    """Archive a published vignette (out of the library, responses kept) or restore it."""
    _uploaded(vignette)
    before, after = STATUS_CHANGES[action]
    changed = db.session.execute(update(Vignette).where(Vignette.id == vignette.id, Vignette.status == before)
                                 .values(status=after, updated_at=utcnow())).rowcount
    if not changed:
        db.session.rollback()
        raise VignetteError(f"Only a {before} vignette can be {after}.")
    audit.record(admin, f"vignette.{after}", vignette)
    _commit("The change could not be saved. Try again in a moment.")


def add_attachments(admin: User, vignette: Vignette, files: list[uploads.Upload]) -> int:
    """Add files to the draft (starting one from the published version if needed); returns how many."""
    _uploaded(vignette)
    if vignette.status == "archived":
        raise VignetteError("Restore this vignette to the library before changing it.")
    already = db.session.scalar(select(func.count(Attachment.id)).where(Attachment.vignette_id == vignette.id))
    stored = uploads.store_files(uploads.check_files(files, already))
    draft = draft_of(vignette) or _start_draft(admin, vignette)
    _attach(admin, vignette, stored, version=draft.version)
    audit.record(admin, "vignette.attachments_added", vignette, version=draft.version, count=len(stored))
    _commit("The files could not be saved, so nothing was stored. Try again in a moment.", [f.key for f in stored])
    uploads.sweep()
    return len(stored)


def remove_attachment(admin: User, vignette: Vignette, attachment_id: int) -> str:
    """Remove a file the published version does not show yet; returns its name."""
    _uploaded(vignette)
    attachment = db.session.scalar(select(Attachment).where(
        Attachment.id == attachment_id, Attachment.vignette_id == vignette.id,
        Attachment.version > vignette.version))
    if attachment is None:
        raise VignetteError("Only files added since the last publication can be removed.")
    db.session.delete(attachment)
    audit.record(admin, "vignette.attachment_removed", vignette, attachment=attachment.id)
    _commit("The file could not be removed. Try again in a moment.")
    uploads.discard([attachment.storage_key])
    return attachment.filename


def discard_draft(admin: User, vignette: Vignette) -> bool:
    """Throw the draft away, with the files added to it; True when the whole vignette went (never published)."""
    _uploaded(vignette)
    draft = draft_of(vignette) or _no_draft()
    added = list(db.session.scalars(select(Attachment).where(
        Attachment.vignette_id == vignette.id, Attachment.version >= draft.version)))
    keys, whole = [a.storage_key for a in added], vignette.version == 0
    for row in added + [draft]:
        db.session.delete(row)
    db.session.execute(delete(DeidDecision).where(DeidDecision.vignette_id == vignette.id,
                                                  DeidDecision.version >= draft.version))
    audit.record(admin, "vignette.draft_discarded", vignette, version=draft.version, whole=whole)
    db.session.flush()
    if whole:
        db.session.delete(vignette)
    _commit("The draft could not be discarded. Try again in a moment.")
    uploads.discard(keys)
    return whole


def published_text(vignette: Vignette) -> VignetteText | None:
    """What the published version of an uploaded vignette says."""
    published = db.session.scalar(select(VignetteVersion).where(
        VignetteVersion.vignette_id == vignette.id, VignetteVersion.version == vignette.version))
    return text_of(published) if published else None


def export(vignette: Vignette) -> str | None:
    """The published version of an uploaded vignette as a courses/ Markdown file."""
    text = published_text(vignette)
    return document.to_markdown(text) if text else None
