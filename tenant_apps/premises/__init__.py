"""A town's premises inventory and its areas (quartiers, secteurs)."""
