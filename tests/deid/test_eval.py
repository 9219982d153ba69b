"""Behaviour on the annotated evaluation set (see eval/README.md): recall and vocabulary kept."""
import pytest

from trainer.deid import deidentify

from . import evalset


@pytest.fixture(scope="module")
def notes():
    return evalset.load("tune") + evalset.load("heldout")


def test_the_set_is_large_and_varied(notes):
    assert len(notes) >= 80
    assert len({n.id.split("-", 1)[1] for n in notes}) >= 60
    assert sum(len(n.spans) for n in notes) >= 500


def test_every_mark_uses_a_known_kind(notes):
    from trainer.deid import KINDS

    assert {kind for n in notes for _, _, kind in n.spans} <= set(KINDS)


def test_recall_and_vocabulary(notes):
    score = evalset.evaluate(notes, deidentify)
    assert score.recall() >= 0.99, score.missed
    assert score.recall("PERSON") >= 0.99, [m for m in score.missed if m[1] == "PERSON"]
    assert score.kept() >= 0.97, score.lost_terms


def test_loader_strips_markup():
    note = evalset.parse_note("x", "tune", "known: Ann\nSaw {{PERSON:Ann Lee}} on {{DATE:May 2}}.")
    assert note.text == "Saw Ann Lee on May 2."
    assert note.known == ("Ann",)
    assert [note.text[s:e] for s, e, _ in note.spans] == ["Ann Lee", "May 2"]
