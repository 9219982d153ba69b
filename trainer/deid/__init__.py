"""De-identification engine: pure Python, no Flask, data loaded lazily on first use.

    from trainer.deid import deidentify
    result = deidentify(text, known_names=["Emma Johnson", "Grandma Pat"])
    result.text        # "[PERSON-1] (age 9) ..."
    result.findings    # Finding(start, end, kind, rule, placeholder), offsets into `text`
"""
from .engine import deidentify
from .model import KINDS, LABELS, PLACEHOLDERS, Deidentified, Finding

__all__ = ["KINDS", "LABELS", "PLACEHOLDERS", "Deidentified", "Finding", "deidentify"]
