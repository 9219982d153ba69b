"""Certificates: claiming, the PDF, public verification and revocation."""
