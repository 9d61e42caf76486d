"""Porteurs de projet and their demands for premises."""
