"""Tests of the de-identification engine (trainer.deid)."""
