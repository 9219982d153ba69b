"""Clinic administration: people, roles and supervision."""
