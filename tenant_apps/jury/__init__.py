"""The jury of a call for applications: jurors, their blind scores, conflicts, ranking and
decision."""
