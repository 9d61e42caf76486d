"""Premises put to porteurs (proposals) and porteurs' interest in premises (town schema)."""
