"""Apps whose tables live in each town's own schema."""
