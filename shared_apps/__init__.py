"""Apps whose tables live in the public schema, shared by every town."""
