"""Drafts of uploaded vignettes: reading what the admin wrote, checking it, and filling draft rows."""
import re
import unicodedata
from dataclasses import asdict, dataclass

from sqlalchemy import select, update

from trainer.content.markdown import RENDERER_VERSION, render
from trainer.content.slugs import is_slug
from trainer.extensions import db
from trainer.learn.models import Vignette
from trainer.learn.sync import digest
from trainer.vignettes import document, redaction
from trainer.vignettes.document import VignetteText
from trainer.vignettes.filetypes import clean_name
from trainer.vignettes.models import VignetteDraft, VignetteVersion
from trainer.vignettes.services import VignetteError

MARKDOWN_MAX = 1024 * 1024
FINDING_KEYS = ("field", "start", "end", "kind", "rule", "placeholder")
STALE = "This draft changed since you opened the page (perhaps in another tab). Look at it again, then retry."


def read_markdown_file(filename: str | None, data: bytes) -> VignetteText:
    """A vignette from an uploaded .md file in the courses/ format; VignetteError lists its problems."""
    name = clean_name(filename)
    if len(data) > MARKDOWN_MAX:
        raise VignetteError(f"“{name}” is larger than 1 MB; a vignette's text is much shorter.", "markdown_file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise VignetteError(f"“{name}” is not UTF-8 text; save it as UTF-8 Markdown.", "markdown_file") from None
    found, problems = document.parse(text, name, "upload")
    if problems:
        raise VignetteError(f"“{name}” cannot be used: " + "; ".join(f"line {p.line}: {p.message}"
                                                                      for p in problems), "markdown_file")
    return found


def read_form(text: VignetteText) -> VignetteText:
    """The form's vignette, checked by the same rules as a file."""
    found, problems = document.parse(document.to_markdown(text), "the form", "upload")
    if problems:
        raise VignetteError("The vignette cannot be saved: " + "; ".join(p.message for p in problems))
    return found


def _slugify(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60].strip("-")
    return slug if slug[:1].isalpha() else f"vignette-{slug}".strip("-")


def choose_slug(title: str, wanted: str = "") -> str:
    """The admin's slug when free, else one made from the title with identifying details redacted."""
    if wanted:
        if not is_slug(wanted):
            raise VignetteError("A slug is lower-case letters, digits and hyphens, starting with a letter.", "slug")
        if db.session.scalar(select(Vignette.id).where(Vignette.slug == wanted)):
            raise VignetteError(f"The slug “{wanted}” is already used by another vignette.", "slug")
        return wanted
    base = _slugify(redaction.redact_all([("title", title)])[0]["title"])
    taken = set(db.session.scalars(select(Vignette.slug).where(Vignette.slug.like(f"{base}%"))))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def content_values(text: VignetteText) -> dict:
    """The content columns of a draft or version, the case text rendered by the one renderer."""
    return dict(title=text.title, family=text.family, presenting_issue=text.presenting_issue,
                topics=list(text.topics), age_band=text.age_band, difficulty=text.difficulty,
                court_stage=text.court_stage, questions=list(text.questions), markdown=text.body,
                html=render(text.body).html)


def text_of(row: VignetteDraft | VignetteVersion) -> VignetteText:
    """What a draft or version says."""
    return VignetteText(row.title, row.family, row.presenting_issue, tuple(row.topics), row.age_band,
                        row.difficulty, row.court_stage, tuple(row.questions), row.markdown)


def scan(text: VignetteText) -> list[dict]:
    """Fresh, undecided findings over the text's free-text fields."""
    return [asdict(f) | {"decision": None} for f in redaction.find(text.texts())]


def findings_of(draft: VignetteDraft) -> list[redaction.FieldFinding]:
    """The draft's stored findings as dataclasses."""
    return [redaction.FieldFinding(**{key: f[key] for key in FINDING_KEYS}) for f in draft.findings]


def show(vignette: Vignette, values: dict) -> None:
    """Put content on the library row (what the library and the admin list show)."""
    library = {k: v for k, v in values.items() if k != "markdown"}
    for key, value in library.items():
        setattr(vignette, key, value)
    vignette.content_hash = digest({"renderer": RENDERER_VERSION, **library})


def fill(draft: VignetteDraft, text: VignetteText, findings: list[dict]) -> None:
    """Set a draft's content and findings; a never-published vignette's row shows the draft."""
    values = content_values(text)
    for key, value in values.items():
        setattr(draft, key, value)
    draft.findings = findings
    if draft.vignette.version == 0:
        show(draft.vignette, values)


def claim(draft: VignetteDraft, revision: int) -> None:
    """Move the draft to its next revision, only from the one the form was made on."""
    claimed = db.session.execute(update(VignetteDraft).where(
        VignetteDraft.id == draft.id, VignetteDraft.revision == revision).values(
        revision=revision + 1)).rowcount
    if not claimed:
        db.session.rollback()
        raise VignetteError(STALE)


def draft_of(vignette: Vignette) -> VignetteDraft | None:
    """The vignette's unpublished next version, if any."""
    return db.session.scalar(select(VignetteDraft).where(VignetteDraft.vignette_id == vignette.id))


@dataclass(frozen=True)
class FieldView:
    """One field of a draft as the review page shows it: plain runs and numbered findings."""

    name: str
    label: str
    segments: tuple[redaction.Segment, ...]


@dataclass(frozen=True)
class FindingView:
    """One finding as the review page lists it (the excerpt is for the admin's eyes only)."""

    index: int
    label: str
    kind: str
    rule: str
    placeholder: str
    decision: str | None
    excerpt: str


def field_label(name: str) -> str:
    """A field's name in words."""
    if name.startswith("questions."):
        return f"Question {int(name.split('.')[1]) + 1}"
    return {"title": "Title", "family": "Family", "presenting_issue": "Presenting issue", "body": "Case text"}[name]


def review(draft: VignetteDraft) -> tuple[list[FieldView], list[FindingView]]:
    """The draft's fields cut at its findings, and the findings to decide."""
    texts, findings = dict(text_of(draft).texts()), findings_of(draft)
    fields = [FieldView(name, field_label(name), redaction.segments(text, findings, name))
              for name, text in texts.items()]
    rows = [FindingView(i, field_label(f.field), f.kind, f.rule, f.placeholder, draft.findings[i]["decision"],
                        texts[f.field][f.start:f.end]) for i, f in enumerate(findings)]
    return fields, rows
