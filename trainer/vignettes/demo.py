"""A demo draft vignette with a small PDF, so the demo admin meets the de-identification review."""
import io

from fpdf import FPDF

from trainer.auth.models import User
from trainer.vignettes.document import VignetteText
from trainer.vignettes.publishing import create_vignette
from trainer.vignettes.uploads import Upload

DEMO_TEXT = VignetteText(
    title="The school run that stopped",
    family="Parents separated two years ago; the daughter (10) lives with her mother and saw her father "
           "every school day until this spring.",
    presenting_issue="The daughter now refuses the school-run handover with her father; the mother says she "
                     "cannot make her go.",
    topics=("resist-refuse", "co-parenting-conflict"), age_band="6-12", difficulty="introductory",
    court_stage="none",
    questions=("What hypotheses would you hold about the refusal, and what would make each more or less likely?",
               "How would you hear both parents before you meet the daughter?",
               "What would paced first steps look like?"),
    body="## Referral\n\nThe school counsellor, Mrs. Jane Carter at Maple Grove Elementary, called on 09/12/2024 "
         "after the daughter hid in the library at pick-up time.\n\n## What each parent says\n\nThe father "
         "believes the mother is turning the daughter against him. The mother says the daughter is frightened "
         "of the father's driving since a near miss.\n\n## What is unclear\n\n- What happened on the near miss.\n"
         "- Whether the daughter's fear is about the car, the father, or the handover itself.\n")


def referral_pdf() -> bytes:
    """A one-page PDF standing in for a referral letter."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, "Referral letter (fictional, for the demo)\n\nThe family was referred after the daughter "
                         "refused the school-run handover for three weeks.")
    return bytes(pdf.output())


def seed_vignettes(admin: User) -> None:
    """One draft vignette with findings to decide and a PDF attachment."""
    create_vignette(admin, DEMO_TEXT, [Upload(io.BytesIO(referral_pdf()), "Referral letter.pdf")], origin="demo")
