"""The landing page, each role's dashboard, and the health check."""
