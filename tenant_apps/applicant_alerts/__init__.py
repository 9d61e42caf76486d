"""Porteurs told by email when a newly published premises fits their demand."""
