"""PDFs drawn with fpdf2: the certificate (with a QR code to its verification page) and the transcript.

fpdf2 takes about half a second to import, so callers import this module
when they draw a PDF, not at start-up.
"""
import io
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from PIL import Image

from trainer.hours.documents import CertificateDoc, Transcript

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
ASCII_FOR = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "·": "-"})


class _Document(FPDF):
    """A page set-up with a Unicode font where the system has one, Helvetica otherwise."""

    def __init__(self, orientation: str = "portrait"):
        super().__init__(orientation=orientation, format="A4")
        self.set_auto_page_break(auto=True, margin=16)
        self.family = "Helvetica"
        for folder in FONT_DIRS:
            if (folder / "DejaVuSans.ttf").exists() and (folder / "DejaVuSans-Bold.ttf").exists():
                self.add_font("DejaVu", "", str(folder / "DejaVuSans.ttf"))
                self.add_font("DejaVu", "B", str(folder / "DejaVuSans-Bold.ttf"))
                self.family = "DejaVu"
                break

    def text_for(self, text) -> str:
        """Text the chosen font can draw."""
        text = str(text)
        if self.family == "DejaVu":
            return text
        return text.translate(ASCII_FOR).encode("latin-1", "replace").decode("latin-1")

    def line_of(self, text, size: float = 11, style: str = "", height: float = 6, align: str = "L") -> None:
        """One wrapped paragraph."""
        self.set_font(self.family, style, size)
        self.multi_cell(0, height, self.text_for(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def rows(self, header: tuple, rows: list, widths: tuple) -> None:
        """A simple table with a header row, as wide as its columns, centred."""
        self.set_font(self.family, "", 9.5)
        self.set_line_width(0.2)
        self.set_draw_color(150, 160, 155)
        with self.table(col_widths=widths, width=sum(widths), align="CENTER", text_align="LEFT",
                        line_height=5.5) as table:
            for row in [header, *rows]:
                cells = table.row()
                for cell in row:
                    cells.cell(self.text_for(cell))


def hours_text(minutes: int) -> str:
    """Minutes as hours, without trailing zeros."""
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".")


def qr_image(url: str) -> Image.Image:
    """A QR code for url as a greyscale image (fpdf2 misdraws segno's 1-bit PNGs)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=8, border=2)
    out.seek(0)
    return Image.open(out).convert("L")


def _frame(pdf: _Document) -> None:
    pdf.set_draw_color(31, 95, 91)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, pdf.w - 16, pdf.h - 16)
    pdf.set_y(20)


def certificate_pdf(doc: CertificateDoc) -> bytes:
    """The certificate on one landscape page."""
    pdf = _Document("landscape")
    pdf.set_title(pdf.text_for(f"{doc.program} – {doc.name}"))
    pdf.add_page()
    _frame(pdf)
    pdf.line_of(doc.clinic, 12, align="C")
    pdf.line_of("Certificate", 30, "B", 14, align="C")
    pdf.line_of("This certifies that", 12, align="C")
    pdf.line_of(doc.name, 24, "B", 12, align="C")
    pdf.line_of(f"has met every requirement of the {doc.program}", 13, align="C")
    pdf.line_of(f"Requirements completed on {doc.completed_on:%d %B %Y}", 11, align="C")
    pdf.ln(3)
    total = sum(m for _, m in doc.hours)
    pdf.rows(("Hours by category", "Hours"),
             [*[(label, hours_text(m)) for label, m in doc.hours], ("Total", hours_text(total))], (130, 30))
    pdf.set_y(pdf.h - 48)
    pdf.line_of(f"Issued {doc.issued_on:%d %B %Y} by {doc.clinic}", 11)
    pdf.line_of(f"Signing supervisor: {doc.supervisor}", 11)
    pdf.line_of(f"Verification code: {doc.code}", 11, "B")
    pdf.line_of(f"Check it at {doc.verify_url}", 9)
    pdf.image(qr_image(doc.verify_url), x=pdf.w - 52, y=pdf.h - 54, w=38, h=38)
    return bytes(pdf.output())


def _transcript_sections(body: dict) -> tuple:
    """(title, header, rows, column widths) for each table of the transcript."""
    return (
        ("Courses completed", ("Course", "Completed"), body["courses"], (140, 40)),
        ("Modules completed (reading done, quiz passed)", ("Module", "Completed", "Hours"),
         [(t, d, hours_text(m)) for t, d, m in body["modules"]], (120, 35, 25)),
        ("Approved hours by category", ("Category", "Hours"),
         [(label, hours_text(m)) for label, m in body["hours_by_category"]], (140, 40)),
        ("Approved hours by month", ("Month", "Category", "Hours"),
         [(month, label, hours_text(m)) for month, label, m in body["hours_by_month"]], (30, 120, 30)),
        ("Programs", ("Program", "Requirements met"), [(t, f"{met} of {n}") for t, met, n in body["programs"]],
         (140, 40)),
        ("Signatures", ("Signed by", "When (UTC)", "Entries", "Record"),
         [(name, when, n, "intact" if ok else "CHANGED SINCE SIGNING") for _, name, when, n, _, ok
          in body["signatures"]], (70, 45, 20, 45)),
    )


def transcript_pdf(transcript: Transcript) -> bytes:
    """The signed transcript: courses, modules, hours by category and month, signatures, and its hash."""
    body = transcript.body
    pdf = _Document()
    pdf.set_title(pdf.text_for(f"Hours transcript – {body['name']}"))
    pdf.add_page()
    pdf.line_of("Transcript of training and certification hours", 16, "B", 9)
    pdf.line_of(f"{body['name']} ({body['email']}) · {body['clinic']} · generated {body['generated_at']}", 9.5)
    for title, header, rows, widths in _transcript_sections(body):
        pdf.ln(3)
        pdf.line_of(title, 12, "B", 7)
        if rows:
            pdf.rows(header, rows, widths)
        else:
            pdf.line_of("None yet.", 10)
    pdf.ln(4)
    pdf.line_of("Signature hashes (sha256 of what each supervisor signed):", 9, "B", 5)
    for sig_id, name, when, _, digest, _ in body["signatures"]:
        pdf.line_of(f"#{sig_id} {when} {name}: {digest}", 7.5, height=4)
    pdf.ln(2)
    pdf.line_of(f"Content hash of this transcript (sha256): {transcript.content_hash}", 9, "B", 5)
    return bytes(pdf.output())
