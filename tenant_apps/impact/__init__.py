"""The town's impact dashboard (back-office) and its open data (public, opt-in)."""
