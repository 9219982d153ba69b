"""Case topics shared by supervisors' expertise, consultations and vignettes."""

TOPICS = {
    "resist-refuse": "Resist/refuse dynamics",
    "co-parenting-conflict": "Co-parenting conflict",
    "safety-concern": "Safety concern",
    "court-process": "Court process",
    "step-family": "Step-family",
    "other": "Other",
}
