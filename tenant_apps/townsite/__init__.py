"""A town's public site: landing page with the town's identity."""
