"""Rules are data with names; data loads lazily; every finding names its rule."""
import dataclasses
import re
import subprocess
import sys

from trainer.deid import Finding, deidentify
from trainer.deid.rules import RULES, compiled

from .test_kinds import CATCH


def test_rule_names_are_unique_and_kebab_case():
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", n) for n in names)


def test_every_rule_compiles():
    assert len(compiled()) == len(RULES)


def test_findings_name_their_rule():
    for _, text, _ in CATCH:
        for finding in deidentify(text).findings:
            assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", finding.rule), finding


def test_finding_has_no_text_field():
    assert [f.name for f in dataclasses.fields(Finding)] == ["start", "end", "kind", "rule", "placeholder"]


def test_import_loads_no_data():
    code = ("import trainer.deid.engine as e, trainer.deid.lexicon as l, trainer.deid.vocab as v;"
            "print(l.load.cache_info().currsize, v.roles.cache_info().currsize, v.allowed.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "0", "0"]
