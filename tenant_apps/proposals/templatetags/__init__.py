"""Template tags of proposals."""
